"""Keyset ("next page") pagination: no COUNT(*), no OFFSET; each page is one indexed range scan."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25
M = TypeVar("M", bound=Model)


@dataclass
class Page(Generic[M]):
    rows: list[M]
    next_cursor: str
    is_first: bool


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, fields: list[str], qs: QuerySet[Any]) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(fields):
        return None
    out: list[Any] = []
    for value in values:
        if isinstance(value, str):
            try:
                out.append(dt.datetime.fromisoformat(value))
                continue
            except ValueError:
                pass
        out.append(value)
    return out


def keyset_page(qs: QuerySet[M], ordering: list[str], request: HttpRequest, size: int = PAGE_SIZE) -> Page[M]:
    """`ordering` like ["-received_at", "-id"]: the last field must be unique. Values must be non-null."""
    fields = [f.lstrip("-") for f in ordering]
    cursor = request.GET.get("after", "")
    qs = qs.order_by(*ordering)
    values = _decode(cursor, fields, qs) if cursor else None
    if values is not None:
        condition = Q()
        for i, name in enumerate(fields):
            op = "lt" if ordering[i].startswith("-") else "gt"
            step = Q(**{f"{name}__{op}": values[i]})
            for j in range(i):
                step &= Q(**{fields[j]: values[j]})
            condition |= step
        qs = qs.filter(condition)
    rows = list(qs[: size + 1])
    next_cursor = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode([getattr(last, name) for name in fields])
    return Page(rows=rows, next_cursor=next_cursor, is_first=values is None)
