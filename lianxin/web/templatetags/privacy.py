"""The appeal's words on operator pages, under the same privacy rule as the API (domain.md §5)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import truncatechars

from lianxin.core.models import User
from lianxin.orders.api.outputs import shown_text, text_mode
from lianxin.orders.models import Order

register = template.Library()


@register.simple_tag(takes_context=True)
def appeal_text(context: template.Context, order: Order, limit: int = 0, field: str = "excerpt") -> str:
    """`excerpt`: the summary, or else the text; `text`: the whole text. Numbers masked, and for the
    unit reported on, the appellant's name and numbers removed."""
    request = context.get("request")
    user = getattr(request, "user", None)
    raw = order.text if field == "text" else (order.summary or order.text)
    mode = text_mode(order, user, unmask=False) if isinstance(user, User) else "hidden"
    shown = shown_text(order, raw, mode)
    return truncatechars(shown, limit) if limit else shown
