"""Analysis of one text into suggested order fields, each with evidence and confidence.

`analyze` has no side effects. Rules (intake.extract) find who, where, when; trained classifiers
(intake.ml, models in settings.MODELS_DIR) suggest category, appeal type and the unit rule; the
category tree fills in where a model is missing or unsure. Nothing is ever defaulted silently:
an unknown field stays unknown.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from lianxin.intake import ml
from lianxin.intake.extract import Extraction, appeal_type_scores, extract
from lianxin.intake.extract.normalize import AGENT, halfwidth, split_turns
from lianxin.intake.reference import Reference, reference

logger = logging.getLogger(__name__)

MAX_TEXT = 5000
REVIEW_BELOW = 0.6
TARGETS = ("category", "appeal_type", "unit_rule")
EXTRACT_VERSION = "rules-2026.11.24.2"  # recorded with every suggestion: change it with the rules
MODEL_CHECK_SECONDS = 30.0
# How much of a combined score the trained model carries against the rules. The models learn from
# the demo corpus (or a city's confirmed orders); the rules are hand-written and hold up on wording
# the corpus never saw, so neither is trusted alone.
APPEAL_MODEL_WEIGHT = 0.4
KEYWORD_WEIGHT = 0.2  # keyword evidence added to the category model's distribution (0.1-0.3 best on both gold sets)
UNIT_MODEL_WEIGHT = 0.15  # the unit-rule model against the units of the ranked categories
# a unit the appellant asks to act (请民政部门处理) gets this share of the others' total added: it
# leads unless the rest agree on one other unit, and then it wins the tie
REQUESTED_UNIT_WEIGHT = 1.0
REQUESTED_CATEGORY_WEIGHT = 0.3  # ... and to the categories that unit handles, shared in the model's proportions
# the best category's own unit counts its probability twice: otherwise several @town property
# categories can outvote 电梯故障's 市场监管 (1.0: unit top-1 283 -> 288 of the 322 gold-set rows,
# no set worse; 0.5 and 2.0 each made one set worse)
TOP_CATEGORY_BONUS = 1.0
CATEGORY_RANKED = 8  # categories kept in the ranking (the unit is summed over them)


@dataclass
class Suggestion:
    value: Any
    confidence: float
    evidence: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""
    ranked: list[dict[str, Any]] = field(default_factory=list)
    source: str = "rules"

    @property
    def needs_review(self) -> bool:
        return self.value in (None, "", []) or self.confidence < REVIEW_BELOW

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "label": self.label,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence,
            "ranked": self.ranked,
            "source": self.source,
            "needs_review": self.needs_review,
        }


@dataclass
class Analysis:
    fields: dict[str, Suggestion]
    language: str
    warnings: list[str]
    model_versions: dict[str, str]
    backend: str = "local"
    similar: list[dict[str, Any]] = field(default_factory=list)
    elapsed_ms: float = 0.0

    def value(self, name: str) -> Any:
        suggestion = self.fields.get(name)
        return suggestion.value if suggestion is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": {name: s.to_dict() for name, s in self.fields.items()},
            "language": self.language,
            "warnings": self.warnings,
            "model_versions": self.model_versions,
            "backend": self.backend,
            "similar": self.similar,
            "elapsed_ms": round(self.elapsed_ms, 2),
        }


class _Models:
    """The newest model of each target, reloaded when a newer version appears on disk."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[str, ml.TrainedModel | None] = {}
        self._checked = 0.0

    def get(self, target: str) -> ml.TrainedModel | None:
        now = time.monotonic()
        if now - self._checked > MODEL_CHECK_SECONDS:
            with self._lock:
                self._refresh(Path(settings.MODELS_DIR))
                self._checked = now
        return self._loaded.get(target)

    def _refresh(self, models_dir: Path) -> None:
        for target in TARGETS:
            try:
                newest = [p.name for p in ml.list_versions(models_dir, target)][-1:]
            except (FileNotFoundError, OSError):
                newest = []
            current = self._loaded.get(target)
            if not newest:
                self._loaded[target] = None
            elif current is None or current.version != newest[0]:
                try:
                    self._loaded[target] = ml.load_version(models_dir, target, newest[0])
                except Exception:  # a half-written or foreign file must not break intake
                    logger.exception("could not load intake model %s/%s", target, newest[0])

    def reset(self) -> None:
        with self._lock:
            self._loaded.clear()
            self._checked = 0.0


MODELS = _Models()


def _evidence(extraction_field: Any) -> list[dict[str, Any]]:
    return [{"start": e.start, "end": e.end, "text": e.text} for e in extraction_field.evidence]


def _from_extraction(ex: Extraction, ref: Reference) -> dict[str, Suggestion]:
    out: dict[str, Suggestion] = {}
    names = {
        "appellant_name": ex.name,
        "phones": ex.phones,
        "id_number": ex.id_number,
        "district": ex.district,
        "town": ex.town,
        "community": ex.community,
        "address": ex.address,
        "times": ex.times,
        "urgency": ex.urgency,
        "confidential": ex.confidential,
        "summary": ex.summary,
    }
    for key, f in names.items():
        label = ref.unit_names.get(f.value, "") if key in ("district", "town", "community") and f.value else ""
        out[key] = Suggestion(f.value, float(f.confidence), _evidence(f), label=label)
    return out


# the appellant's own particulars (身份证：…, 电话：…) name no problem: keywords there are no evidence
_PARTICULARS = re.compile(
    r"(身份证号?码?|证件号码?|联系电话|手机号?码?|电话号?码?|联系方式)"
    r"[：:是为]?\s*[0-9Xx\- 幺一二三四五六七八九零两]{6,24}"
)


def _citizen_view(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The normalised text and the agent's turns in it (a hotline agent's questions are no evidence)."""
    norm = halfwidth(text)
    return norm, [(t.start, t.end) for t in split_turns(norm) if t.role == AGENT]


def _appeal_type(
    text: str, ex: Extraction, model: ml.TrainedModel | None, view: tuple[str, list[tuple[int, int]]] | None = None
) -> Suggestion:
    norm, agent = view or _citizen_view(text)
    rule = appeal_type_scores(norm, agent)
    combined = dict(rule)
    source = "rules"
    if model is not None:
        prediction = model.predict([text], k=len(rule))[0]
        probs = dict(prediction.ranked)
        w = APPEAL_MODEL_WEIGHT
        combined = {k: (1 - w) * rule.get(k, 0.0) + w * probs.get(k, 0.0) for k in rule}
        source = "model+rules"
    ranked = sorted(combined.items(), key=lambda kv: -kv[1])
    best, score = ranked[0]
    return Suggestion(
        best,
        score,
        _evidence(ex.appeal_type),
        ranked=[{"value": k, "score": round(v, 3)} for k, v in ranked[:3]],
        source=source,
    )


def _category(
    text: str,
    ref: Reference,
    model: ml.TrainedModel | None,
    view: tuple[str, list[tuple[int, int]]] | None = None,
    requested: tuple[str, int, int] | None = None,
) -> Suggestion:
    """The model's distribution over leaf categories plus the tree's keyword evidence, renormalised.

    Keywords count only in what the appellant says (not the agent's questions); their share of the
    hits is added to the model's probability, so a category named outright rises even where the
    model is thin, and a confident model is not overturned by one stray word.
    """
    norm, agent = view or _citizen_view(text)
    citizen = _PARTICULARS.sub("", _strip_spans(norm, agent))
    probs: dict[str, float] = {}
    source = "model"
    if model is not None:
        probs = {c: p for c, p in model.predict([text], k=len(ref.categories))[0].ranked if c in ref.categories}
    hits = ref.keyword_scores(citizen)
    if hits:
        total = sum(hits.values())
        weight = KEYWORD_WEIGHT if probs else 1.0
        for code, h in hits.items():
            probs[code] = probs.get(code, 0.0) + weight * h / total
        source = "model+keywords" if model is not None else "keywords"
    if requested and probs:
        # the unit asked to act narrows the category to those it handles, in the model's order
        handled = {c: p for c, p in probs.items() if ref.unit_rule(c) == requested[0]}
        mass = sum(handled.values())
        if mass > 0:
            for c, p in handled.items():
                probs[c] += REQUESTED_CATEGORY_WEIGHT * p / mass
    total = sum(probs.values())
    if not total:
        return Suggestion(None, 0.0, source="none")
    ranked = sorted(((c, p / total) for c, p in probs.items()), key=lambda kv: -kv[1])[:CATEGORY_RANKED]
    best, score = ranked[0]
    return Suggestion(
        best,
        score,
        label=ref.categories[best].name,
        ranked=[{"value": c, "label": ref.categories[c].name, "score": round(s, 3)} for c, s in ranked],
        source=source,
    )


def _strip_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts, pos = [], 0
    for a, b in sorted(spans):
        parts.append(text[pos:a])
        pos = max(pos, b)
    parts.append(text[pos:])
    return "\n".join(parts)


def _lead_unit(
    text: str,
    ref: Reference,
    category: Suggestion,
    town: str | None,
    district: str | None,
    model: ml.TrainedModel | None,
    requested: tuple[str, int, int] | None = None,
) -> Suggestion:
    """Units ranked by the unit-rule model and by the suggested categories' own rules, resolved to the
    place; ``requested`` is the unit the appellant asks to act (``Reference.requested_unit``)."""
    scores: dict[str, float] = {}
    w = UNIT_MODEL_WEIGHT if model is not None else 0.0
    if model is not None:
        for rule, p in model.predict([text], k=8)[0].ranked:
            unit = ref.resolve_unit(rule, town, district)
            if unit:
                scores[unit] = scores.get(unit, 0.0) + w * p
    # each unit collects the probability of every ranked category it handles
    for rank, item in enumerate(category.ranked):
        unit = ref.resolve_unit(ref.unit_rule(item["value"]), town, district)
        if unit:
            bonus = TOP_CATEGORY_BONUS if rank == 0 else 0.0
            scores[unit] = scores.get(unit, 0.0) + (1 - w) * item["score"] * (1 + bonus)
    evidence: list[dict[str, Any]] = []
    if requested:
        unit, start, end = requested
        scores[unit] = scores.get(unit, 0.0) + REQUESTED_UNIT_WEIGHT * (sum(scores.values()) or 1.0)
        evidence = [{"start": start, "end": end, "text": text[start:end]}]
    if not scores:
        return Suggestion(None, 0.0, source="none")
    asked = requested[0] if requested else None
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0] != asked))
    total = sum(scores.values()) or 1.0
    best, score = ranked[0]
    source = "model+category" if model is not None else "category"
    return Suggestion(
        best,
        min(1.0, score / total),
        evidence=evidence if requested and requested[0] == best else [],
        label=ref.unit_names.get(best, best),
        ranked=[{"value": u, "label": ref.unit_names.get(u, u), "score": round(s, 3)} for u, s in ranked[:3]],
        source=source + "+request" if requested else source,
    )


def analyze(text: str, received_at: dt.datetime) -> Analysis:
    """Suggest order fields for `text`; empty or foreign text gives unknown fields and a warning."""
    started = time.perf_counter()
    ref = reference()
    clipped = text[:MAX_TEXT]
    ex = extract(clipped, received_at)
    fields = _from_extraction(ex, ref)
    warnings = list(ex.warnings)
    versions = {"extract": EXTRACT_VERSION}
    if ex.language != "zh" or not clipped.strip():
        warnings.append("text is empty or not Chinese: fields left unknown")
        for name in ("appeal_type", "category", "lead_unit"):
            fields[name] = Suggestion(None, 0.0, source="none")
        return Analysis(fields, ex.language, warnings, versions, elapsed_ms=(time.perf_counter() - started) * 1000)
    models = {target: MODELS.get(target) for target in TARGETS}
    for target, model in models.items():
        if model is not None:
            versions[target] = model.version
    view = _citizen_view(clipped)
    # halfwidth() maps one character to one, so the offsets found in the view are the text's own
    requested = ref.requested_unit(view[0])
    fields["appeal_type"] = _appeal_type(clipped, ex, models["appeal_type"], view)
    fields["category"] = _category(clipped, ref, models["category"], view, requested)
    town, district = fields["town"].value, fields["district"].value
    fields["lead_unit"] = _lead_unit(
        clipped, ref, fields["category"], town, district, models["unit_rule"], requested
    )
    return Analysis(fields, ex.language, warnings, versions, elapsed_ms=(time.perf_counter() - started) * 1000)
