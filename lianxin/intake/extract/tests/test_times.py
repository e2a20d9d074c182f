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
        ("去年11月就反映过。", ["2025-11-01"]),
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
