"""Load a city's reference data (organisation tree, units, tiers, category tree) from JSON; idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from lianxin.core.models import Category, Organisation, OrgKind, TimeLimitTier

ZHOUSHAN = Path(__file__).resolve().parent / "data" / "zhoushan.json"
DISTRICT_KINDS = {"区": OrgKind.DISTRICT, "县": OrgKind.DISTRICT, "管委会": OrgKind.DISTRICT}


def read(path: Path = ZHOUSHAN) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _org(code: str, name: str, kind: str, parent: Organisation | None, **extra: Any) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent, **extra}
    )
    return org


def grid_code(community_code: str, index: int) -> str:
    return f"{community_code}-g{index + 1}"


@transaction.atomic
def load(path: Path = ZHOUSHAN) -> dict[str, int]:
    data = read(path)
    city_data = data["city"]
    city = _org(city_data["code"], city_data["name"], OrgKind.CITY, None, aliases=city_data.get("aliases", []))
    counts = {"organisations": 1, "categories": 0}
    for district in data["districts"]:
        d = _org(district["code"], district["name"], OrgKind.DISTRICT, city, aliases=district.get("aliases", []))
        counts["organisations"] += 1
        for town in district["towns"]:
            t = _org(town["code"], town["name"], OrgKind.TOWN, d, aliases=town.get("aliases", []))
            counts["organisations"] += 1
            for community in town.get("communities", []):
                c = _org(
                    community["code"], community["name"], OrgKind.COMMUNITY, t, aliases=community.get("aliases", [])
                )
                counts["organisations"] += 1
                for index, grid in enumerate(community.get("grids", [])):
                    _org(grid_code(community["code"], index), grid, OrgKind.GRID, c)
                    counts["organisations"] += 1
    for unit in data["departments"] + data["utilities"]:
        kind = {"department": OrgKind.DEPARTMENT, "utility": OrgKind.UTILITY, "hotline": OrgKind.HOTLINE}[unit["kind"]]
        _org(
            unit["code"],
            unit["name"],
            kind,
            city,
            short_name=unit.get("short", ""),
            aliases=unit.get("aliases", []),
            duties=unit.get("duties", ""),
        )
        counts["organisations"] += 1
    tiers = {}
    for tier in data["time_limit_tiers"]:
        tiers[tier["code"]], _ = TimeLimitTier.objects.update_or_create(
            code=tier["code"],
            defaults={"name": tier["name"], "working_days": tier.get("working_days"), "hours": tier.get("hours")},
        )
    units = {o.code: o for o in Organisation.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.UTILITY])}

    def add_category(node: dict[str, Any], parent: Category | None, level: int) -> None:
        unit_code = node.get("unit", "")
        territorial = unit_code if unit_code.startswith("@") else ""
        category, _ = Category.objects.update_or_create(
            code=node["code"],
            defaults={
                "name": node["name"],
                "parent": parent,
                "level": level,
                "default_unit": None if territorial else units.get(unit_code),
                "territorial": territorial,
                "tier": tiers.get(node.get("tier", "")),
                "keywords": node.get("keywords", []),
            },
        )
        counts["categories"] += 1
        for child in node.get("children", []):
            add_category(child, category, level + 1)

    for node in data["categories"]:
        add_category(node, None, 1)
    return counts
