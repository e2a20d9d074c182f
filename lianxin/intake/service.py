"""Intake analysis as the rest of the platform sees it. Filled in by the intake analysis work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class OrderSuggestions:
    fields: dict[str, Any] = field(default_factory=dict)
    model_version: str = ""
    phones: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.fields)

    def confident_values(self) -> dict[str, Any]:
        return {}


def analyze_for_order(text: str, received_at: dt.datetime) -> OrderSuggestions:
    return OrderSuggestions()
