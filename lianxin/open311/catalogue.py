"""Services from the category tree: every active level-3 category is a service, its level-1 name the group."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet

from lianxin.core.models import Category
from lianxin.open311 import conf
from lianxin.open311.models import ServiceQuestion
from lianxin.open311.questions import Question, questions_for

SERVICE_LEVEL = 3


def service_categories() -> QuerySet[Category]:
    return (
        Category.objects.filter(level=SERVICE_LEVEL, is_active=True, parent__is_active=True)
        .filter(parent__parent__is_active=True)
        .select_related("parent__parent", "tier")
        .order_by("code")
    )


def find_service(code: str) -> Category | None:
    return service_categories().filter(code=code).first()


def _group(category: Category) -> str:
    top = category.parent.parent if category.parent and category.parent.parent else category.parent or category
    return top.name


def as_service(category: Category) -> dict[str, Any]:
    middle = category.parent.name if category.parent else ""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{_group(category)} / {middle} / {category.name}",
        "metadata": True,
        "type": conf.get("SERVICE_TYPE"),
        "keywords": ",".join(str(k) for k in category.keywords or []),
        "group": _group(category),
    }


def service_list() -> list[dict[str, Any]]:
    return [as_service(c) for c in service_categories()]


def _attribute(q: Question, order: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "variable": q.variable,
        "code": q.code,
        "datatype": q.datatype,
        "required": q.required,
        "datatype_description": q.datatype_description or None,
        "order": order,
        "description": q.description,
    }
    if q.is_list:
        body["values"] = [{"key": key, "name": name} for key, name in q.values]
    return body


def definition(category: Category) -> dict[str, Any]:
    """`order` is renumbered 1, 2, … so it is positive and unique whatever the administrator typed."""
    questions = questions_for(category)
    return {
        "service_code": category.code,
        "attributes": [_attribute(q, index) for index, q in enumerate(questions, start=1)],
    }


def changeset() -> str:
    """The later of the configured changeset and the last change to a service question."""
    import datetime as dt

    from lianxin.open311.mapping import w3c

    default = str(conf.get("CHANGESET"))
    latest = ServiceQuestion.objects.aggregate(latest=Max("updated_at"))["latest"]
    if latest is None or latest <= dt.datetime.fromisoformat(default):
        return default
    return w3c(latest) or default
