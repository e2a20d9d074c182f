"""Field extraction from appeal texts (hotline transcripts, web messages, grid reports, petitions).

Pure Python, no Django, no side effects. ``extract(text, received_at)`` returns an
:class:`Extraction` whose fields each carry a value, a confidence and evidence spans into the
original text. See ``times.py`` for the date conventions.
"""

from __future__ import annotations

import re
from datetime import datetime

from ._types import Evidence, Extraction, Field, unknown
from .address import resolve_place
from .gazetteer import Gazetteer, load_gazetteer
from .names import find_name
from .normalize import AGENT, halfwidth, is_chinese, split_turns
from .numbers import (
    digit_view,
    find_ids,
    find_phone_mentions,
    id_checksum_ok,
    resolve_phones,
)
from .rules import (
    APPEAL_TYPES,
    appeal_type,
    appeal_type_scores,
    confidential,
    summarise,
    urgency,
)
from .times import extract_times

__all__ = [
    "APPEAL_TYPES",
    "Evidence",
    "Extraction",
    "Field",
    "Gazetteer",
    "appeal_type_scores",
    "extract",
    "load_gazetteer",
]


def _empty(warnings: tuple[str, ...]) -> Extraction:
    u = unknown(0.9)
    return Extraction(
        name=u, phones=u, id_number=u, district=u, town=u, community=u, address=u, times=u,
        appeal_type=u, urgency=u, confidential=u, summary=u, language="other", warnings=warnings,
    )  # fmt: skip


def _default_gazetteer() -> Gazetteer | None:
    try:
        return load_gazetteer()
    except (OSError, ValueError, KeyError):
        return None


def extract(text: str, received_at: datetime, gazetteer: Gazetteer | None = None) -> Extraction:
    """Extract the appellant's data, the problem's place, times and rule-based labels."""
    if not isinstance(text, str) or not is_chinese(text):
        return _empty(("not Chinese text",) if text and str(text).strip() else ("empty text",))
    warnings: list[str] = []
    norm = halfwidth(text)
    turns = split_turns(norm)
    agent_spans = [(t.start, t.end) for t in turns if t.role == AGENT]
    citizen_spans = [(t.start, t.end) for t in turns if t.role != AGENT]
    view = digit_view(norm)

    # ID numbers first: their digits must not be read as phones
    id_field = unknown(0.85)
    masked: list[tuple[int, int]] = []
    valid_ids = []
    for idn, s, e in find_ids(norm, view):
        masked.append((s, e))
        if id_checksum_ok(idn):
            valid_ids.append((idn, s, e))
        else:
            warnings.append(f"id_number check digit invalid: {idn[:6]}********{idn[-4:]}")
    if valid_ids:
        idn, s, e = valid_ids[-1]
        id_field = Field(idn, 0.97, (Evidence(s, e, text[s:e]),))
    elif masked:
        id_field = unknown(0.3)

    mentions = find_phone_mentions(norm, view, turns, masked)
    numbers, ph_ev, ph_conf = resolve_phones(norm, mentions)
    phones = (
        Field(
            numbers,
            ph_conf,
            tuple(Evidence(e.start, e.end, text[e.start : e.end]) for e in ph_ev),
        )
        if numbers
        else unknown(ph_conf)
    )

    gaz = gazetteer if gazetteer is not None else _default_gazetteer()
    if gaz is None:
        warnings.append("no gazetteer")
        district = town = community = address = unknown(0.3)
        place_spans: list[tuple[int, int]] = []
        place_name = None
    else:
        found = gaz.find(norm)
        pl = resolve_place(norm, gaz, turns, found)
        warnings.extend(pl.warnings)
        ev = tuple(Evidence(e.start, e.end, text[e.start : e.end]) for e in pl.evidence)

        def ev_for(code: str | None) -> tuple[Evidence, ...]:
            if code is None:
                return ()
            node = gaz.node(code)
            return tuple(
                x for x in ev if code in gaz.surfaces.get(x.text, [(None, None)])[0][:1] or node.level != "community"
            )

        district = (
            Field(pl.district, pl.district_conf, ev_for(pl.district)) if pl.district else unknown(pl.district_conf)
        )
        town = Field(pl.town, pl.town_conf, ev_for(pl.town)) if pl.town else unknown(pl.town_conf)
        community = (
            Field(pl.community, pl.community_conf, ev_for(pl.community)) if pl.community else unknown(pl.community_conf)
        )
        address = (
            Field(
                pl.address,
                pl.address_conf,
                tuple(Evidence(e.start, e.end, text[e.start : e.end]) for e in pl.address_ev),
            )
            if pl.address
            else unknown(pl.address_conf)
        )
        place_spans = [(m.start, m.end) for m in found]
        place_name = pl.address or (gaz.node(pl.town).name if pl.town else None)

    nm, nm_ev, nm_conf = find_name(norm, turns, place_spans)
    name = (
        Field(
            nm,
            nm_conf,
            tuple(Evidence(e.start, e.end, text[e.start : e.end]) for e in nm_ev),
        )
        if nm
        else unknown(nm_conf)
    )

    tlist, t_ev = extract_times(norm, received_at)
    times = (
        Field(
            tlist,
            0.8,
            tuple(Evidence(e.start, e.end, text[e.start : e.end]) for e in t_ev),
        )
        if tlist
        else unknown(0.7)
    )

    a_type, a_conf, _scores = appeal_type(norm, agent_spans)
    appeal = Field(a_type, a_conf, ())
    u, u_conf, u_spans = urgency(norm)
    if a_type == "praise":  # a thank-you for a repaired outage reports no outage now
        u, u_conf, u_spans = "normal", 0.8, []
    urg = Field(u, u_conf, tuple(Evidence(s, e, text[s:e]) for s, e in u_spans))
    c, c_conf, c_spans = confidential(norm)
    conf_field = Field(c, c_conf, tuple(Evidence(s, e, text[s:e]) for s, e in c_spans))

    pii = [(m.start, m.end) for m in mentions] + masked + [(e.start, e.end) for e in name.evidence]
    who = "网格员" if re.search(r"网格员", norm[:40]) else "市民"
    summ, s_ev = summarise(text, citizen_spans, place_name, pii, who)
    summary = (
        Field(
            summ,
            0.6,
            tuple(Evidence(e.start, e.end, text[e.start : e.end]) for e in s_ev),
        )
        if summ
        else unknown(0.4)
    )

    return Extraction(
        name=name, phones=phones, id_number=id_field, district=district, town=town, community=community,
        address=address, times=times, appeal_type=appeal, urgency=urg, confidential=conf_field, summary=summary,
        language="zh", warnings=tuple(warnings),
    )  # fmt: skip
