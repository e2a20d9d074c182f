"""Phone numbers and ID-card numbers, including spoken digits (幺三八…) and digits in pieces."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ._types import Evidence
from .normalize import AGENT, Turn

# Spoken digit characters (a copy of the text is mapped; offsets stay one-to-one).
_SPOKEN = {
    "零": "0", "〇": "0", "○": "0", "洞": "0", "O": "0",
    "一": "1", "幺": "1", "么": "1", "壹": "1",
    "二": "2", "两": "2", "贰": "2",
    "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5",
    "六": "6", "陆": "6", "七": "7", "拐": "7", "柒": "7", "八": "8", "捌": "8",
    "九": "9", "勾": "9", "玖": "9",
}  # fmt: skip
_SPOKEN_TABLE = str.maketrans(_SPOKEN)


def digit_view(text: str) -> str:
    """Same length as ``text``; spoken Chinese digits replaced by ASCII digits."""
    return text.translate(_SPOKEN_TABLE)


_SEP = r"[ \t\-－—‐–_,，、.·/]"
_RUN = re.compile(rf"[0-9](?:{_SEP}{{0,3}}[0-9])*")
# An ID is written whole or in groups split by spaces or dashes, never across a list's 、/， (that is
# "0580-4456781、13587055126": two phones whose 18 digits would otherwise be masked as an ID)
_ID_SEP = r"[ \t\-－—‐–_]"
_ID = re.compile(rf"(?<![0-9A-Za-z])[1-9](?:{_ID_SEP}?[0-9]){{16}}{_ID_SEP}?[0-9Xx×](?![0-9A-Za-z])")

_SERVICE = {
    "110", "119", "120", "122", "12345", "12315", "12369", "12333", "12358", "12320",
    "12319", "12348", "12110", "95598", "96345", "96310", "114", "10086", "10010", "10000",
}  # fmt: skip

LOCAL_AREA_CODE = "0580"  # Zhoushan; the city's area code for 7-digit local numbers
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}[2-9]\d{6,7}")
_LOCAL = re.compile(r"[2-8]\d{6,7}")

_PHONE_CONTEXT = re.compile(r"(电话|号码|手机|座机|联系|拨打|打|号是|方式|热线|tel|Tel|TEL)[^，。；]{0,6}$")
_CORRECTION = re.compile(
    r"(不对|不是|说错|错了|更正|纠正|应该是|改成|改为|搞错|记错|重新说|重说|换成|换号|新号码|现在用|改用|不好意思|抱歉|对不起)"
)
_THIRD_PARTY = re.compile(
    r"(物业|公司|商家|店家|店里|老板|部门|单位|中心|热线|客服|对方|他的|她的|他家|邻居|房东|司机|工地|办公室|派出所|社区|村委|街道|银行|医院|学校)"
    r"[^，。；：:\n]{0,4}(电话|号码|手机|座机)?[^，。；\n]{0,3}$"
)
_AGENT_OWN = re.compile(r"(您|你)(的)?[^，。；]{0,6}(电话|号码|手机|联系方式)|(号码|电话)(是)?$|对吗|是吗|确认")


def service_number(d: str) -> bool:
    if d in _SERVICE:
        return True
    if (d.startswith("0") and d[3:] in _SERVICE) or d[4:] in _SERVICE:
        return True
    return d.startswith(("400", "800")) and len(d) == 10


def classify_digits(d: str, context_ok: bool) -> str | None:
    """Normalised phone for a digit string, or None."""
    if d.startswith("0086"):
        d = d[4:]
    elif d.startswith("86") and len(d) == 13:
        d = d[2:]
    if service_number(d):
        return None
    if _MOBILE.fullmatch(d):
        return d
    if _LANDLINE.fullmatch(d) and len(d) in (10, 11, 12):
        return d
    if context_ok and _LOCAL.fullmatch(d) and len(d) == 7:
        return LOCAL_AREA_CODE + d  # a Zhoushan local number said without its area code
    if context_ok and _LOCAL.fullmatch(d):
        return d
    return None


@dataclass(frozen=True)
class Mention:
    number: str
    start: int
    end: int
    role: str | None
    corrects: bool  # a correction cue precedes it
    third_party: bool


def _segment_run(view: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Split one digit run into chunks and greedily take the longest valid phone from each chunk."""
    chunks: list[tuple[str, int, int]] = []
    i = start
    while i < end:
        if view[i].isdigit():
            j = i
            ascii_run = view[i] == (view[i] if i >= 0 else "")
            while j < end and view[j].isdigit():
                j += 1
            chunks.append((view[i:j], i, j))
            i = j
            del ascii_run
        else:
            i += 1
    return chunks


def _script_split(text: str, chunks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Split chunks where Arabic digits and spoken Chinese digits meet (e.g. '13858012345三天')."""
    out: list[tuple[str, int, int]] = []
    for d, s, e in chunks:
        k = s
        for p in range(s + 1, e):
            if text[p].isascii() != text[p - 1].isascii():
                out.append((d[k - s : p - s], k, p))
                k = p
        out.append((d[k - s :], k, e))
    return out


# "一三九五八零，后面是二二四四八": a number said in two pieces with words between them
_PIECE_LINK = re.compile(
    r"[，,、\s]*(?:后面|后边|后几位|后面几位|然后|接着|再|后)(?:的)?(?:几位|[三四五六七八3-8]位(?:数)?)?(?:是|就是)?[：:，,\s]*"
)


def _joined_pieces(
    text: str, view: str, turns: list[Turn], masked: list[tuple[int, int]]
) -> tuple[list[Mention], list[tuple[int, int]]]:
    runs = [
        m.span()
        for m in _RUN.finditer(view)
        if not any(a <= m.start() < b for a, b in masked) and not view.startswith("位", m.end())  # 后面四位
    ]
    out: list[Mention] = []
    used: list[tuple[int, int]] = []
    for (s1, e1), (s2, e2) in itertools.pairwise(runs):
        d1 = re.sub(r"\D", "", view[s1:e1])
        d2 = re.sub(r"\D", "", view[s2:e2])
        if not (3 <= len(d1) <= 8 and 3 <= len(d2) <= 8 and len(d1) + len(d2) == 11 and _MOBILE.fullmatch(d1 + d2)):
            continue
        link = _PIECE_LINK.fullmatch(text, e1, s2)
        if not link or not _PHONE_CONTEXT.search(text[max(0, s1 - 12) : s1]):
            continue
        out.append(Mention(d1 + d2, s1, e2, _role_at(turns, s1), False, False))
        used.append((s1, e2))
    return out, used


def find_phone_mentions(text: str, view: str, turns: list[Turn], masked: list[tuple[int, int]]) -> list[Mention]:
    mentions, joined = _joined_pieces(text, view, turns, masked)
    masked = masked + joined
    for m in _RUN.finditer(view):
        s, e = m.span()
        if any(a <= s < b or a < e <= b for a, b in masked):
            continue
        ndig = sum(c.isdigit() for c in view[s:e])
        if ndig < 7:
            continue
        chunks = _script_split(text, _segment_run(view, s, e))
        i = 0
        while i < len(chunks):
            best: tuple[str, int] | None = None
            acc = ""
            for j in range(i, len(chunks)):
                acc += chunks[j][0]
                if len(acc) > 13:
                    break
                before = text[max(0, chunks[i][1] - 12) : chunks[i][1]]
                num = classify_digits(acc, bool(_PHONE_CONTEXT.search(before)))
                if num is not None:
                    best = (num, j)
            if best is None:
                i += 1
                continue
            num, j = best
            ms, me = chunks[i][1], chunks[j][2]
            # a spoken run must not start inside a word like "一直": require the whole run to be digits
            role = _role_at(turns, ms)
            before = text[max(0, ms - 14) : ms]
            turn_start = _turn_start(turns, ms)
            before_in_turn = text[max(turn_start, ms - 14) : ms]
            mentions.append(
                Mention(
                    number=num,
                    start=ms,
                    end=me,
                    role=role,
                    corrects=bool(_CORRECTION.search(before_in_turn if role is not None else before)),
                    third_party=bool(_THIRD_PARTY.search(before)) and not re.search(r"(我|本人)[^，。]{0,4}$", before),
                )
            )
            i = j + 1
    mentions.sort(key=lambda x: x.start)
    return _with_tail_corrections(text, view, turns, masked, mentions)


# "尾号不是5678，是5679" / "不对，最后四位是5679": the caller corrects only the end of a number
# said before. The corrected number is a new mention that supersedes the one it corrects.
_TAIL_CUE = re.compile(
    r"(?:最后|后面|后边|末尾|尾号|尾数|后)(?:的)?(?:(?P<n>[两二三四五六2-6])位)?(?:数|数字|号码)?"
    r"(?:应该|应当)?(?:是|为|改成|改为|换成)[：:，,\s]*$"
)
_TAIL_NOT = re.compile(r"不是[：:\s]*(?P<old>[0-9]{2,6})[，,、\s]*(?:而)?是[：:\s]*$")
_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def _with_tail_corrections(
    text: str, view: str, turns: list[Turn], masked: list[tuple[int, int]], mentions: list[Mention]
) -> list[Mention]:
    taken = masked + [(m.start, m.end) for m in mentions]
    fixes: list[Mention] = []
    for run in re.finditer(r"(?<![0-9])[0-9]{2,6}(?![0-9])", view):
        s, e = run.span()
        if any(a <= s < b for a, b in taken):
            continue
        earlier = [m for m in mentions + fixes if m.end <= s and len(m.number) == 11 and m.number[0] == "1"]
        if not earlier:
            continue
        prev = earlier[-1]
        tail = run.group(0)
        head = text[max(prev.end, s - 16) : s]
        cue = _TAIL_CUE.search(head)
        negated = _TAIL_NOT.search(digit_view(head))
        if negated and not prev.number.endswith(negated.group("old")):
            negated = None
        said = cue.group("n") if cue else None
        count = _COUNT.get(said) if said and not said.isdigit() else (int(said) if said else None)
        if count is not None and count != len(tail):
            continue
        corrective = negated or (cue and (_CORRECTION.search(head) or "尾号" in head or "尾数" in head))
        if not corrective or prev.number.endswith(tail):
            continue
        fixes.append(
            Mention(prev.number[: -len(tail)] + tail, s, e, _role_at(turns, s), True, prev.third_party)
        )
    if not fixes:
        return mentions
    return sorted(mentions + fixes, key=lambda x: x.start)


def _role_at(turns: list[Turn], pos: int) -> str | None:
    for t in turns:
        if t.start <= pos < t.end:
            return t.role
    return None


def _turn_start(turns: list[Turn], pos: int) -> int:
    for t in turns:
        if t.start <= pos < t.end:
            return t.start
    return 0


def resolve_phones(text: str, mentions: list[Mention]) -> tuple[list[str], list[Evidence], float]:
    """Apply role, third-party and correction rules; dedupe in order of last mention."""
    kept: list[Mention] = []
    for m in mentions:
        if m.role == AGENT:
            before = text[max(0, m.start - 12) : m.start]
            after = text[m.end : m.end + 6]
            if not (_AGENT_OWN.search(before) or _AGENT_OWN.search(after)) or m.third_party:
                continue
        elif m.third_party:
            continue
        if m.corrects and kept:
            prev = [k for k in kept if k.number != m.number]
            if prev:
                last = prev[-1].number
                kept = [k for k in kept if k.number != last]
        kept.append(m)
    order: dict[str, int] = {}
    for idx, m in enumerate(kept):
        order[m.number] = idx
    numbers = sorted(order, key=lambda n: order[n])
    evidence = [Evidence(m.start, m.end, text[m.start : m.end]) for m in kept]
    conf = 0.95 if numbers else (0.8 if not mentions else 0.6)
    return numbers, evidence, conf


# ---------------------------------------------------------------- ID numbers
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_checksum_ok(idn: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an 18-character resident ID number."""
    if len(idn) != 18 or not idn[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(idn[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == idn[17].upper()


# After 身份证号 a caller may read the ID in pieces with pauses: 三四幺六二幺，幺九九八零三幺七，零零五X;
# also as the answer to the call-taker's question (身份证号码方便提供一下吗？市民：…)
_ID_LABELLED = re.compile(
    r"(?:身份证|证件)(?:号码|号)?(?:[^\n]{0,14}?[？?][^\n]{0,6}?)?(?:是|为)?[:：\s]*(?P<id>[1-9](?:[ \t\-－—‐–_，,、]?[0-9]){16}[ \t\-－—‐–_，,、]?[0-9Xx×])(?![0-9A-Za-z])"
)


def find_ids(text: str, view: str) -> list[tuple[str, int, int]]:
    """Candidate 18-char IDs (normalised, upper-case X) with spans, check digit NOT yet validated."""
    out: list[tuple[str, int, int]] = []
    for m in _ID_LABELLED.finditer(view):
        raw = m.group("id")
        if not _ID.search(raw):
            idn = "".join(c for c in raw if c.isdigit() or c in "Xx×").upper().replace("×", "X")
            if idn[6:8] in ("19", "20"):  # a birth year: not a phone number and a landline read on
                out.append((idn, m.start("id"), m.end("id")))
    for m in _ID.finditer(view):
        raw = m.group(0)
        idn = "".join(c for c in raw if c.isdigit() or c in "Xx×").upper().replace("×", "X")
        if (len(idn) == 18 and not _MOBILE.fullmatch(idn[:11])) or (len(idn) == 18 and idn[6:8] in ("19", "20")):
            out.append((idn, m.start(), m.end()))
    return out
