"""Which unit a category's orders go to: a fixed department, or the territorial government of the place."""

from __future__ import annotations

from lianxin.core.models import Category, Organisation


def default_unit(
    category: Category | None, town: Organisation | None, district: Organisation | None
) -> Organisation | None:
    """Walk up the category tree until a node names a unit; territorial rules need the place."""
    node = category
    while node is not None:
        if node.territorial == "@town" and town is not None:
            return town
        if node.territorial in ("@town", "@district") and district is not None:
            return district
        if node.default_unit_id is not None:
            return node.default_unit
        node = node.parent
    return None
