"""Length-preserving normalisation and speaker-turn splitting.

Every function here keeps offsets: position ``i`` of the output corresponds to position ``i``
of the input, so evidence found on the normalised text points into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


def halfwidth(text: str) -> str:
    """Full-width ASCII to half-width, one character for one character."""
    return text.translate(_FULLWIDTH)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(text: str) -> bool:
    """True when the text has enough Han characters to be worth analysing."""
    if not text or not text.strip():
        return False
    n_cjk = len(_CJK.findall(text))
    n_alpha = sum(1 for c in text if c.isalpha())
    return n_cjk >= 2 and n_cjk >= 0.3 * max(n_alpha, 1)


AGENT = "agent"
CITIZEN = "citizen"

_AGENT_WORDS = "坐席|话务员|接线员|客服|工作人员|受理员|12345|热线"
_CITIZEN_WORDS = "市民|来电人|来电者|来电|群众|居民|诉求人|用户|业主|村民|网友|游客|家长|师傅"
_TURN = re.compile(
    rf"(?:(?<=^)|(?<=[\s。！？!?，,；;”\"]))\s*(?P<role>{_AGENT_WORDS}|{_CITIZEN_WORDS}|[甲乙AB问答])\s*[:：]"
)


@dataclass(frozen=True)
class Turn:
    role: str | None  # AGENT, CITIZEN or None (not a dialogue)
    start: int  # start of the turn's content (after the role label)
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


def split_turns(text: str) -> list[Turn]:
    """Split a transcript into speaker turns; a text without labels is one turn with role None."""
    marks = list(_TURN.finditer(text))
    roles = []
    for m in marks:
        r = m.group("role")
        if re.fullmatch(_AGENT_WORDS, r) or r in ("问", "甲", "A"):
            roles.append(AGENT)
        else:
            roles.append(CITIZEN)
    if len(marks) < 2 or AGENT not in roles:
        return [Turn(None, 0, len(text))]
    turns: list[Turn] = []
    if marks[0].start() > 0 and text[: marks[0].start()].strip():
        turns.append(Turn(None, 0, marks[0].start()))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        turns.append(Turn(roles[i], m.end(), end))
    return turns


# Sentence boundaries: clause-level splitting used by several extractors.
_SENT_END = re.compile(r"[。！？!?；;\n]+")


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of sentences within text[start:end]."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENT_END.finditer(text, start, end):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return spans
