"""Result types of the field extractor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """A span of the ORIGINAL text (``text[start:end] == self.text``)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Field:
    """One extracted field. ``value is None`` means unknown; ``confidence`` then says how
    sure we are that the text does not give it."""

    value: Any
    confidence: float
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "evidence": [e.to_dict() for e in self.evidence],
        }


def unknown(confidence: float = 0.5) -> Field:
    return Field(None, confidence, ())


FIELD_NAMES: tuple[str, ...] = (
    "name",
    "phones",
    "id_number",
    "district",
    "town",
    "community",
    "address",
    "times",
    "appeal_type",
    "urgency",
    "confidential",
    "summary",
)


@dataclass(frozen=True)
class Extraction:
    name: Field
    phones: Field
    id_number: Field
    district: Field
    town: Field
    community: Field
    address: Field
    times: Field
    appeal_type: Field
    urgency: Field
    confidential: Field
    summary: Field
    language: str
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {n: getattr(self, n).to_dict() for n in FIELD_NAMES}
        out["language"] = self.language
        out["warnings"] = list(self.warnings)
        return out

    def values(self) -> dict[str, Any]:
        """Plain field values (no confidence or evidence), e.g. for scoring."""
        return {n: getattr(self, n).value for n in FIELD_NAMES}
