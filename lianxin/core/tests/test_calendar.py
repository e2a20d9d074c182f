import datetime as dt

from lianxin.core.calendar import WorkCalendar

D = dt.date


def test_working_days_across_national_day_land_on_make_up_saturday() -> None:
    assert WorkCalendar().add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_working_days_across_spring_festival() -> None:
    assert WorkCalendar().add_workdays(D(2026, 2, 12), 5) == D(2026, 2, 26)


def test_override_wins_over_package_and_covers_later_years() -> None:
    cal = WorkCalendar({D(2026, 10, 9): False, D(2027, 1, 1): False}, frozenset({2027}))
    assert not cal.is_workday(D(2026, 10, 9))
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert cal.is_exact(D(2027, 3, 1))


def test_year_without_data_is_weekends_only_and_flagged_inexact() -> None:
    cal = WorkCalendar()
    assert cal.is_workday(D(2028, 3, 1))
    assert not cal.is_exact(D(2028, 3, 1))
    assert not cal.span_is_exact(D(2026, 12, 20), D(2028, 1, 5))


def test_workdays_between_is_signed() -> None:
    cal = WorkCalendar()
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert cal.workdays_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
