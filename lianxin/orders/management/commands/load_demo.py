from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianxin.core import reference_data
from lianxin.core.demo_users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users
from lianxin.orders.deadline_rules import DEFAULT_RULES
from lianxin.orders.demo import load_demo_orders
from lianxin.orders.models import DeadlineRuleSet


class Command(BaseCommand):
    help = "Load the Zhoushan demo: organisation tree, categories, rules, one user per role, ~200 orders. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=200)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data.load()
        DeadlineRuleSet.objects.get_or_create(
            version=1, defaults={"name": "舟山市默认时限规则", "rules": DEFAULT_RULES, "is_current": True}
        )
        users = {u.username: u for u in ensure_demo_users()}
        created = load_demo_orders(users, options["orders"])
        if options["quiet"]:
            return
        self.stdout.write(
            f"Loaded {counts['organisations']} organisations, {counts['categories']} categories, {created} new orders."
        )
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, _org, name in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role:<17} {name}")
