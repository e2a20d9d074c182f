"""Background jobs (Huey): SQLite-backed on the embedded default, Redis in production. Ids, not objects."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from lianxin.orders import jobs


@db_periodic_task(crontab(minute="*/10"))
def deadline_scan() -> dict[str, int]:
    return jobs.scan_deadlines()


@db_task(retries=3, retry_delay=30)
def recompute_after_calendar_change() -> int:
    return jobs.recompute_open_orders()
