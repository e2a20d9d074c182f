from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Train the default intake models from the demo corpus when none exist, and build the similarity index."

    def handle(self, *args: Any, **options: Any) -> None:
        from lianxin.intake.setup import prepare

        for line in prepare():
            self.stdout.write(line)
