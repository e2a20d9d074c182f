from __future__ import annotations

import pytest

from lianxin.intake.extract import Gazetteer, extract
from lianxin.intake.extract.numbers import id_checksum_ok

from .conftest import RECEIVED


def _id(body17: str) -> str:
    w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(c) * k for c, k in zip(body17, w, strict=True)) % 11]


VALID_ID = _id("33090219850312401")


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("我的电话是13858012345，麻烦尽快处理小区门口的垃圾。", ["13858012345"]),
        ("联系电话：138 5801 2345，小区路灯坏了好几天。", ["13858012345"]),
        ("联系电话：138-5801-2345，小区路灯坏了好几天。", ["13858012345"]),
        ("手机号码１３８５８０１２３４５，全角数字写的。", ["13858012345"]),
        ("我电话幺三八五八零幺二三四五，楼上漏水。", ["13858012345"]),
        ("号码是一三九，五八零七，六五四三，谢谢。", ["13958076543"]),
        ("座机0580-2021234，手机13958076543，都可以联系我。", ["05802021234", "13958076543"]),
        ("我打过12345和110都没用，我的手机13958076543。", ["13958076543"]),
        ("电话是13858012345，不对，是13858012346，记一下。", ["13858012346"]),
        ("电话13858012345，说错了，应该是13958076543。", ["13958076543"]),
        ("我手机13858012345，家里座机0580-2021234，手机13858012345最好。", ["05802021234", "13858012345"]),
        ("拨打物业电话0580-3011111没人接，我的手机13958076543。", ["13958076543"]),
        ("我电话洞五八洞二洞二幺二三四，家里座机。", ["05802021234"]),
        # only the end of the number corrected: the corrected whole number replaces the first
        ("我手机13858012345，不对，最后四位是2346。", ["13858012346"]),
        ("电话13858012345，尾号不是2345，是2354。", ["13858012354"]),
        ("号码幺三八五八零幺二三四五，说错了，后两位应该是五四。", ["13858012354"]),
        ("我手机13858012345，尾号是2345，麻烦回电。", ["13858012345"]),
        ("我手机13858012345，不对，最后四位是23。", ["13858012345"]),
    ],
)
def test_phones(text: str, phones: list[str], gaz: Gazetteer) -> None:
    x = extract(text, RECEIVED, gaz)
    assert x.phones.value == phones
    for ev in x.phones.evidence:
        assert text[ev.start : ev.end] == ev.text


def test_phone_agent_turn_repeat_and_correction(gaz: Gazetteer) -> None:
    text = "坐席：请问您的联系电话？市民：13858012345。坐席：您的号码是13858012354对吗？市民：不对，是13858012345。"
    x = extract(text, RECEIVED, gaz)
    assert x.phones.value == ["13858012345"]


def test_tail_correction_after_agent_read_back(gaz: Gazetteer) -> None:
    text = "市民：我手机13858012345。坐席：您的号码是13858012345对吗？市民：不对，后四位是2354，您记错了。"
    x = extract(text, RECEIVED, gaz)
    assert x.phones.value == ["13858012354"]
    assert [e.text for e in x.phones.evidence][-1] == "2354"


def test_agent_referral_number_is_not_the_callers(gaz: Gazetteer) -> None:
    text = "市民：我想问公积金怎么提取。坐席：您可以拨打公积金中心电话0580-2600000咨询。市民：好的，我手机13958076543。"
    x = extract(text, RECEIVED, gaz)
    assert x.phones.value == ["13958076543"]


def test_id_valid_and_not_a_phone(gaz: Gazetteer) -> None:
    text = f"本人张三，身份证号{VALID_ID}，电话13858012345，咨询社保。"
    x = extract(text, RECEIVED, gaz)
    assert x.id_number.value == VALID_ID
    assert x.phones.value == ["13858012345"]
    assert text[x.id_number.evidence[0].start : x.id_number.evidence[0].end] == VALID_ID


def test_id_invalid_checksum_warns(gaz: Gazetteer) -> None:
    bad = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    x = extract(f"我叫李四，身份证{bad}，想咨询养老保险。", RECEIVED, gaz)
    assert x.id_number.value is None
    assert any("check digit" in w for w in x.warnings)


def test_checksum_function() -> None:
    assert id_checksum_ok("11010519491231002X")
    assert not id_checksum_ok("110105194912310021")


# ---- a number in two pieces, apology as a correction cue


def test_number_in_two_pieces_with_words_between(gaz: Gazetteer) -> None:
    x = extract("市民：我的手机是一五八六七，后面是零二三四五九。坐席：好的。", RECEIVED, gaz)
    assert x.phones.value == ["15867023459"]


def test_two_unrelated_short_numbers_are_not_joined(gaz: Gazetteer) -> None:
    x = extract("市民：房间号一三五零八，然后是二楼五零三六号柜子坏了。", RECEIVED, gaz)
    assert x.phones.value is None


def test_apology_corrects_the_number(gaz: Gazetteer) -> None:
    x = extract("市民：电话幺五九 六八零 二二 三三 四四五，不好意思，是幺五九六八零二三三四四。", RECEIVED, gaz)
    assert x.phones.value == ["15968023344"]


def test_id_read_in_pieces_after_its_label(gaz: Gazetteer) -> None:
    spoken = "三四幺六二幺，幺九九八零三幺七，零零五X"  # 34162119980317005X
    text = f"坐席：请问您的身份证号？市民：身份证号{spoken}。坐席：联系电话？市民：一七七，五八零二，六六零九。"
    x = extract(text, RECEIVED, gaz)
    assert x.id_number.value == "34162119980317005X"
    assert x.phones.value == ["17758026609"]


def test_the_writers_own_company_in_a_signature_is_no_third_party(gaz: Gazetteer) -> None:
    text = "请领导重视窗口服务问题。\n来信人：何立平（普陀海之韵水产有限公司）\n电话：0580-3821156，13819036627"
    assert extract(text, RECEIVED, gaz).phones.value == ["05803821156", "13819036627"]
