from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.orders import jobs


class Command(BaseCommand):
    help = "Send deadline reminders, overdue notices and escalations now (the worker also does this every 10 min)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(jobs.scan_deadlines()))
