from __future__ import annotations

import json
from datetime import datetime

import pytest

from lianxin.intake.extract import APPEAL_TYPES, Gazetteer, appeal_type_scores, extract

from .conftest import RECEIVED


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我要投诉沈家门一家饭店服务态度恶劣。", "complaint"),
        ("举报东港街道有人偷排污水到河里。", "report"),
        ("请问一下新生儿医保怎么办理？需要什么材料？", "consult"),
        ("家里老人走失了，求助帮忙寻找。", "help"),
        ("建议在临城街道新城大道增设一个公交站。", "suggestion"),
        ("我想表扬一下城东街道的社区工作人员，非常感谢他们。", "praise"),
    ],
)
def test_appeal_type(text: str, kind: str, gaz: Gazetteer) -> None:
    assert extract(text, RECEIVED, gaz).appeal_type.value == kind


def test_appeal_type_scores_cover_every_class() -> None:
    s = appeal_type_scores("我要投诉噪音扰民")
    assert set(s) == set(APPEAL_TYPES)
    assert abs(sum(s.values()) - 1) < 1e-9
    assert max(s, key=lambda k: s[k]) == "complaint"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("楼道里有很浓的煤气味，好像漏气了！", "emergency"),
        ("对面楼着火了，冒烟很大！", "emergency"),
        ("停电一天了，家里有卧床老人，太热了。", "urgent"),
        ("路边广告牌摇摇欲坠，有危险，请马上处理。", "urgent"),
        ("小区绿化带杂草太多了，希望修剪一下。", "normal"),
        ("担心会着火，建议清理楼道杂物。", "normal"),
    ],
)
def test_urgency(text: str, level: str, gaz: Gazetteer) -> None:
    assert extract(text, RECEIVED, gaz).urgency.value == level


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("我举报村主任挪用集体资金。", True),
        ("举报某某公司无证经营。", True),
        ("楼上噪音太吵了，请不要透露我的信息，怕邻居报复。", True),
        ("我要投诉路灯不亮。", False),
    ],
)
def test_confidential(text: str, secret: bool, gaz: Gazetteer) -> None:
    assert extract(text, RECEIVED, gaz).confidential.value is secret


def test_summary_has_no_pii(gaz: Gazetteer) -> None:
    text = "市民：我叫王建国，电话13858012345。坐席：请讲。市民：沈家门街道海印路123号门口的窨井盖坏了，很危险。"
    x = extract(text, RECEIVED, gaz)
    s = x.summary.value
    assert s is not None and len(s) <= 60
    assert "13858012345" not in s and "王建国" not in s
    assert "井盖" in s


def test_empty_and_foreign_texts_never_raise(gaz: Gazetteer) -> None:
    for t in ("", "   ", "Hello, my street light is broken.", "12345", "😀😀"):
        x = extract(t, RECEIVED, gaz)
        assert x.language == "other"
        assert x.name.value is None and x.phones.value is None


def test_to_dict_is_json(gaz: Gazetteer) -> None:
    x = extract("市民：我姓李，电话13958076543，明天上午停水，家里有老人。", datetime(2026, 3, 2, 9, 0), gaz)
    d = x.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert d["phones"]["value"] == ["13958076543"]
    assert d["language"] == "zh"


def test_long_text_is_fast(gaz: Gazetteer) -> None:
    import time

    text = ("市民：我住在沈家门街道墩头社区，楼下饭店油烟很大，电话13858012345。" * 40)[:2000]
    extract(text, RECEIVED, gaz)
    t0 = time.perf_counter()
    extract(text, RECEIVED, gaz)
    assert time.perf_counter() - t0 < 0.2


# ---- appeal type: worker records, facility failures, unlawful acts, delays, praise lead


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a grid worker's record asks for a service
        ("网格员巡查发现：某小区围墙开裂，墙下是小孩玩耍的空地。", "help"),
        ("走访农户时了解到：村里老人看病要坐两个小时车，希望开通班车。", "help"),
        # facility failures and disputes
        ("我们村口那几盏路灯不亮快一个月了，晚上出门不便。", "help"),
        ("两家邻居为了院墙的事发生争执，请社区来调解一下。", "help"),
        ("家里一股燃气味，阀门已经关了，快派人来看看。", "help"),
        # an unlawful act by someone
        ("后山有人在偷偷砍树，一车一车往外拉。", "report"),
        ("那个诊所没有证就给人打针。", "report"),
        ("工厂把废水直排进海里，沙滩上都是黑水。", "report"),
        # a delay the appellant wants redressed
        ("开发商说好六月交房，现在逾期半年了还没消息。", "complaint"),
        ("老板拖了我们两个月工资，一直不给。", "complaint"),
        # praise first, the problem it was about second
        ("我想表扬一下水务公司的师傅，我家停水他半夜赶来修好了。", "praise"),
    ],
)
def test_appeal_type_rules(text: str, kind: str, gaz: Gazetteer) -> None:
    assert extract(text, RECEIVED, gaz).appeal_type.value == kind
