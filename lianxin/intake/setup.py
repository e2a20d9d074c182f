"""First-run preparation of intake analysis (models and index); filled in by the intake work."""

from __future__ import annotations


def prepare() -> list[str]:
    return []
