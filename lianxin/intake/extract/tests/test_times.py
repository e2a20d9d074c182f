from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lianxin.intake.extract.times import TZ, extract_times

from .conftest import RECEIVED  # Monday 2026-03-02 10:00


def dates(text: str, ref: datetime = RECEIVED) -> list[str]:
    return [t["date"] for t in extract_times(text, ref)[0]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天上午停水了。", ["2026-03-02"]),
        ("明天下午能来修吗？", ["2026-03-03"]),
        ("后天要检查。", ["2026-03-04"]),
        ("上周五晚上开始一直很吵。", ["2026-02-27"]),
        ("希望下周一上午来处理。", ["2026-03-09"]),
        ("昨天晚上八点还在施工。", ["2026-03-01"]),
        ("3月5日之前要给答复。", ["2026-03-05"]),
        ("去年11月就反映过。", []),  # a month without a day is a period
        ("能否在国庆节前修好？", ["2026-09-30"]),
        ("月底前要交材料。", ["2026-03-31"]),
        ("2025年12月3日签的合同。", ["2025-12-03"]),
        ("三天前就报修了。", ["2026-02-27"]),
        ("春节前能不能把工资发了？", ["2027-02-05"]),
    ],
)
def test_points_in_time(text: str, expected: list[str]) -> None:
    assert dates(text) == expected


def test_year_less_past_date_goes_to_the_past() -> None:
    # 12月20日 said on 2026-03-02 in the past tense is 2025-12-20
    assert dates("12月20日交了钱，到现在还没办好。") == ["2025-12-20"]


def test_durations_are_not_times() -> None:
    assert dates("已经三天了，两个月都没人管，这一周都停水。") == []


def test_recurring_is_not_a_point() -> None:
    assert dates("每天晚上10点以后还在施工。") == []


def test_datetime_with_hour() -> None:
    res, ev = extract_times("昨天晚上八点半有人在放鞭炮。", RECEIVED)
    assert res[0]["datetime"] == "2026-03-01T20:30:00+08:00"
    assert ev[0].text == "昨天晚上八点半"


def test_naive_received_at_is_shanghai() -> None:
    assert dates("今天", datetime(2026, 3, 2, 1, 0)) == ["2026-03-02"]
    # 2026-03-01 20:00 UTC is already 2 March in Shanghai

    assert dates("今天", datetime(2026, 3, 1, 20, 0, tzinfo=UTC)) == ["2026-03-02"]


def test_house_numbers_are_not_dates() -> None:
    assert dates("海印路5号3幢") == []


def test_ref_tz_constant() -> None:
    assert str(TZ) == "Asia/Shanghai"


# ---- no-day expressions, 一下 + 下周, festivals without a tense cue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明年三月孩子要转学，想咨询手续。", []),
        ("2025年8月交的押金，一直没退。", []),
        ("四月起小区的停车费要涨一倍。", ["2026-04-01"]),
        ("去年十二月开始就漏水。", ["2025-12-01"]),
        ("三月底之前能不能修好？", ["2026-03-31"]),
        ("五月中旬要来验收。", ["2026-05-15"]),
    ],
)
def test_months_without_a_day(text: str, expected: list[str]) -> None:
    assert dates(text) == expected


def test_bare_time_of_day_is_not_a_point() -> None:
    assert dates("小区从凌晨五点停电到现在。") == []
    assert dates("末班车能不能延到晚上十点以后？") == []


def test_time_of_day_after_a_day_word_keeps_the_day() -> None:
    assert dates("前天下午四点有人在河里电鱼。") == ["2026-02-28"]


def test_yixia_before_next_week() -> None:
    # 看一下下周三: 一下 + 下周三, not 下下周三
    assert dates("麻烦帮我看一下下周三的号还有没有。") == ["2026-03-11"]
    assert dates("下下周三开庭。") == ["2026-03-18"]


def test_bare_weekend_is_vague() -> None:
    assert dates("周末总有人在楼下打牌。") == []
    assert dates("这周末能来修吗？") == ["2026-03-07"]


def test_since_before_a_festival_is_vague() -> None:
    assert dates("从春节前就一直没人来收垃圾。") == []


def test_festival_without_tense_cue_is_the_nearest() -> None:
    # received 2026-10-20: 国庆节前 with no tense cue is 2026-09-30, not 2027-09-30
    ref = datetime(2026, 10, 20, 9, 0, tzinfo=TZ)
    assert dates("国庆节前我在网上交的材料，到底什么情况？", ref) == ["2026-09-30"]


def test_shenqing_is_not_a_request_marker() -> None:
    # 申请 contains 请 but is no future cue: 12月20日 said on 2026-03-02 is in the past
    assert dates("12月20日我在网上申请的补助，怎么样了？") == ["2025-12-20"]
