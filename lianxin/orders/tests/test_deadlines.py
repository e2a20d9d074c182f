"""Deadlines are a pure function of (events, attributes, calendar, rules)."""

import datetime as dt
from zoneinfo import ZoneInfo

from lianxin.core.calendar import WorkCalendar
from lianxin.orders.deadline_rules import DEFAULT_RULES, resolve_limit, validate_rules
from lianxin.orders.deadlines import EventView, compute

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
COMPLAINT = {"channel": "hotline", "appeal_type": "complaint", "urgency": "normal", "tier": "", "category": ""}
CONSULT = {**COMPLAINT, "appeal_type": "consult"}


def t(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=TZ)


def eod(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 23, 59, 59, tzinfo=TZ)


def test_consult_signed_on_sept_30_is_due_on_make_up_saturday() -> None:
    events = [EventView("created", t(2026, 9, 29)), EventView("dispatched", t(2026, 9, 29, 15)),
              EventView("signed", t(2026, 9, 30))]  # fmt: skip
    result = compute(events, CONSULT, CAL, DEFAULT_RULES)
    assert result.sign_due == eod(2026, 9, 30)
    assert result.reply_due == eod(2026, 10, 10)


def test_help_over_spring_festival() -> None:
    attrs = {**COMPLAINT, "appeal_type": "help"}
    events = [EventView("dispatched", t(2026, 2, 11)), EventView("signed", t(2026, 2, 12))]
    assert compute(events, attrs, CAL, DEFAULT_RULES).reply_due == eod(2026, 2, 26)


def test_handling_clock_runs_from_signing_not_dispatch() -> None:
    events = [EventView("dispatched", t(2026, 11, 2))]
    assert compute(events, COMPLAINT, CAL, DEFAULT_RULES).reply_due is None
    events.append(EventView("signed", t(2026, 11, 4)))
    assert compute(events, COMPLAINT, CAL, DEFAULT_RULES).reply_due == eod(2026, 11, 13)


def test_extension_counts_from_old_due_date() -> None:
    events = [EventView("dispatched", t(2026, 11, 2)), EventView("signed", t(2026, 11, 2)),
              EventView("extension_approved", t(2026, 11, 5), {"amount": 5, "unit": "working_days"})]  # fmt: skip
    assert compute(events, COMPLAINT, CAL, DEFAULT_RULES).reply_due == eod(2026, 11, 18)


def test_redispatch_restarts_sign_clock_and_clears_reply_due() -> None:
    events = [EventView("dispatched", t(2026, 11, 2)), EventView("signed", t(2026, 11, 2)),
              EventView("return_requested", t(2026, 11, 3)), EventView("redispatched", t(2026, 11, 4))]  # fmt: skip
    result = compute(events, COMPLAINT, CAL, DEFAULT_RULES)
    assert result.sign_due == eod(2026, 11, 5)
    assert result.reply_due is None


def test_redo_gives_a_fresh_handling_period() -> None:
    events = [EventView("dispatched", t(2026, 11, 2)), EventView("signed", t(2026, 11, 2)),
              EventView("replied", t(2026, 11, 5)), EventView("redone", t(2026, 11, 9))]  # fmt: skip
    result = compute(events, COMPLAINT, CAL, DEFAULT_RULES)
    assert result.reply_due == eod(2026, 11, 18)
    assert result.callback_due is None


def test_merge_pauses_the_clock_until_unmerge() -> None:
    base = [EventView("dispatched", t(2026, 11, 2)), EventView("signed", t(2026, 11, 2))]
    paused = [*base, EventView("merged", t(2026, 11, 3)), EventView("unmerged", t(2026, 11, 5))]
    assert compute(paused, COMPLAINT, CAL, DEFAULT_RULES).reply_due == eod(2026, 11, 13)


def test_holiday_edit_moves_the_deadline() -> None:
    events = [EventView("dispatched", t(2026, 11, 2)), EventView("signed", t(2026, 11, 2))]
    before = compute(events, COMPLAINT, CAL, DEFAULT_RULES).reply_due
    edited = WorkCalendar({dt.date(2026, 11, 6): False})
    assert before == eod(2026, 11, 11)
    assert compute(events, COMPLAINT, edited, DEFAULT_RULES).reply_due == eod(2026, 11, 12)


def test_petition_rules_use_calendar_days_and_accept_clock() -> None:
    attrs = {**COMPLAINT, "channel": "petition_letter"}
    result = compute([EventView("created", t(2026, 9, 29))], attrs, CAL, DEFAULT_RULES)
    assert result.accept_due == eod(2026, 10, 12)  # 9-30, 10-8, 10-9, 10-10 (make-up), 10-12
    events = [EventView("created", t(2026, 11, 2)), EventView("dispatched", t(2026, 11, 3)),
              EventView("signed", t(2026, 11, 3))]  # fmt: skip
    result = compute(events, attrs, CAL, DEFAULT_RULES)
    assert result.accept_due is None
    assert result.reply_due == eod(2026, 12, 3)


def test_emergency_runs_in_hours_around_the_clock() -> None:
    attrs = {**COMPLAINT, "urgency": "emergency"}
    events = [EventView("dispatched", t(2026, 10, 1, 22)), EventView("signed", t(2026, 10, 1, 22))]
    result = compute(events, attrs, CAL, DEFAULT_RULES)
    assert result.reply_due == t(2026, 10, 2, 0)


def test_first_matching_rule_wins_per_limit() -> None:
    limit = resolve_limit(DEFAULT_RULES, {**CONSULT, "urgency": "urgent"}, "handle")
    assert limit is not None and limit.unit == "hours" and limit.amount == 24
    sign = resolve_limit(DEFAULT_RULES, CONSULT, "sign")
    assert sign is not None and sign.rule_name == "默认"
    assert validate_rules(DEFAULT_RULES) is DEFAULT_RULES


def test_year_beyond_calendar_is_flagged_inexact() -> None:
    events = [EventView("dispatched", t(2026, 12, 28)), EventView("signed", t(2026, 12, 29))]
    assert compute(events, COMPLAINT, CAL, DEFAULT_RULES).exact is False
