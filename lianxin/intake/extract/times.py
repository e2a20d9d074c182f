"""Points in time, resolved against the time a text was received (Asia/Shanghai).

Hand-written rules rather than jionlp's ``extract_time``: jionlp costs 3-6 ms per text (half the
whole extraction budget), drags in a GPL dependency, and resolves year-less past dates forward.

Conventions (documented, tested):
- a date without a year takes the received year; if that lands in the future and the sentence is
  in the past tense (了/已/曾/那天 … and no future marker) it moves to the previous year; with a future
  marker (要/将/希望/请 …) a date already past moves to the next year;
- a bare weekday (周五) is the most recent one in past-tense or neutral context, the next one with a
  future marker; 上周X / 下周X / 这周X use Monday-based weeks;
- 月初 = day 1, 月中 = day 15, 月底 = last day; 年初 = 1 January, 年底 = 31 December;
- a month without a day (去年11月, 明年九月, 2026年3月) is a period, not a point, except as a
  start (九月起/九月开始 → day 1) or with 初/中/底 (三月底 → the last day);
- a time of day with no day word (从早上八点停水到现在, 晚上九点以后) gives no day and is not a
  point; after a day word it refines that day (昨天晚上十一点 → yesterday, with the hour);
- a bare 周末 is vague; 从国庆前就… (since some time before a festival) is vague;
- a festival with no tense cue is the occurrence nearest to the received date;
- a festival alone is its first day; "X前" is the day before it (国庆节前 → 09-30, 春节前 → 除夕);
  "X后" is the first working day after the break (国庆节后 → 10-08, 春节后 → 初八), others the next day;
- N天前 / N天后 are points; durations (三天了, 两个月, 一周) and recurring times (每天晚上) are not.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ._types import Evidence
from .surnames import ALL as _ALL_SURNAMES

TZ = ZoneInfo("Asia/Shanghai")

_CN = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_int(s: str) -> int | None:
    """Small Chinese or Arabic numbers: 5, 十五, 二十三, 三十一, 两."""
    if s.isdigit():
        return int(s)
    if not s:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN.get(a, 0) if a else 1
        ones = _CN.get(b, 0) if b else 0
        if (a and a not in _CN) or (b and b not in _CN):
            return None
        return tens * 10 + ones
    if len(s) == 1 and s in _CN:
        return _CN[s]
    if all(c in _CN for c in s):  # 二〇二五
        return int("".join(str(_CN[c]) for c in s))
    return None


SPRING = {
    2019: date(2019, 2, 5), 2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}  # fmt: skip
DRAGON = {
    2019: date(2019, 6, 7), 2020: date(2020, 6, 25), 2021: date(2021, 6, 14), 2022: date(2022, 6, 3),
    2023: date(2023, 6, 22), 2024: date(2024, 6, 10), 2025: date(2025, 5, 31), 2026: date(2026, 6, 19),
    2027: date(2027, 6, 9), 2028: date(2028, 5, 28), 2029: date(2029, 6, 16), 2030: date(2030, 6, 5),
}  # fmt: skip
MIDAUTUMN = {
    2019: date(2019, 9, 13), 2020: date(2020, 10, 1), 2021: date(2021, 9, 21), 2022: date(2022, 9, 10),
    2023: date(2023, 9, 29), 2024: date(2024, 9, 17), 2025: date(2025, 10, 6), 2026: date(2026, 9, 25),
    2027: date(2027, 9, 15), 2028: date(2028, 10, 3), 2029: date(2029, 9, 22), 2030: date(2030, 9, 12),
}  # fmt: skip
QINGMING = {y: date(y, 4, 4 if y % 4 in (0, 1) else 5) for y in range(2019, 2031)}


def festival(name: str, year: int) -> tuple[date, date] | None:
    """(first day, first day after the break) of a festival in a given year."""
    if name in ("春节", "过年", "大年初一", "新年"):
        d = SPRING.get(year)
        return (d, d + timedelta(days=7)) if d else None
    if name == "除夕":
        d = SPRING.get(year)
        return (d - timedelta(days=1), d + timedelta(days=7)) if d else None
    if name in ("元宵", "元宵节"):
        d = SPRING.get(year)
        return (d + timedelta(days=14), d + timedelta(days=15)) if d else None
    if name in ("国庆", "国庆节", "十一", "十一长假", "国庆长假"):
        return date(year, 10, 1), date(year, 10, 8)
    if name in ("双十一", "双11"):  # the shopping days: an online purchase's date
        return date(year, 11, 11), date(year, 11, 12)
    if name in ("双十二", "双12"):
        return date(year, 12, 12), date(year, 12, 13)
    if name in ("元旦",):
        return date(year, 1, 1), date(year, 1, 2)
    if name in ("五一", "劳动节", "五一劳动节"):
        return date(year, 5, 1), date(year, 5, 6)
    if name in ("端午", "端午节"):
        d = DRAGON.get(year)
        return (d, d + timedelta(days=1)) if d else None
    if name in ("中秋", "中秋节"):
        d = MIDAUTUMN.get(year)
        return (d, d + timedelta(days=1)) if d else None
    if name in ("清明", "清明节"):
        d = QINGMING.get(year)
        return (d, d + timedelta(days=1)) if d else None
    return None


_N = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_Y = r"(?:\d{4}|[一二〇零三四五六七八九]{4}|去|今|明|前|后)"
_DAYWORD = r"(?:大前天|前天|昨天|昨日|昨晚|昨早|昨夜|今天|今日|今早|今晚|今晨|今夜|明天|明日|明早|明晚|大后天|后天)"
_TOD = r"(?:凌晨|清晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|夜里|夜间|半夜|深夜|晚间)"
_HOUR = rf"(?:{_N}(?:点|时|:\d{{2}})(?:{_N}分|半|一刻|三刻|钟)?)"
_WD = r"(?:[一二三四五六日天1-7]|末)"
_FEST = (
    r"(?:春节|过年|除夕|元宵节|元宵|国庆节|国庆长假|国庆|元旦|五一劳动节|五一|劳动节"
    r"|端午节|端午|中秋节|中秋|清明节|清明|双十一|双11|双十二|双12)"
)

# A surname right before a festival word that is also a common given name (国庆, 清明, 元旦,
# 中秋), itself after a naming word or the start of a clause
_ONE_CHAR_SURNAMES = "".join(sorted(s for s in _ALL_SURNAMES if len(s) == 1))
_NAMED_AFTER_FESTIVAL = re.compile(rf"(?:^|[是叫名：:，,。\s])[{_ONE_CHAR_SURNAMES}]$")
# ... or a surname before it and the end of a name after it (渔民俞国庆。, 俞国庆反映)
_SURNAME_BEFORE = re.compile(rf"[{_ONE_CHAR_SURNAMES}]$")
_NAME_ENDS = re.compile(r"(?:[，,。.、:：；;\s(（]|$|反映|说|家|先生|同志)")

_TIME = re.compile(
    rf"(?P<ymd>(?P<y1>\d{{4}})[-/.](?P<m1>\d{{1,2}})[-/.](?P<d1>\d{{1,2}}))"
    rf"|(?P<md>(?:(?P<y>{_Y})年)?(?P<m>{_N})月(?:份)?(?:(?P<d>{_N})(?:日|号))?)"
    rf"|(?P<rm>(?P<rmw>上个?月|下个?月|本月|这个?月|当月)(?:(?P<rmd>{_N})(?:日|号)|(?P<rmp>底|初|中|末)))"
    rf"|(?P<mp>(?P<mpy>去年|今年|明年)?(?P<mpw>月底|月初|月中|月末|年底|年初|年末))"
    rf"|(?P<ago>(?P<agon>{_N}|半)(?:天|日)(?P<agop>前|后|以前|以后|之前|之后))"
    rf"|(?P<dd>(?<![路街弄巷村幢栋楼号室\d])(?P<ddn>{_N})(?:号|日)(?=[^楼幢栋单室院线路]|$))"
    rf"|(?P<day>{_DAYWORD})"
    rf"|(?P<wk>(?P<wkp>上上|下下|上个|下个|上|下|这个|这|本)?(?:周|星期|礼拜)(?P<wkd>{_WD}))"
    rf"|(?P<fest>(?P<festy>去年|今年|明年)?(?P<festn>{_FEST})(?P<festp>前|之前|以前|前夕|后|之后|以后|过后|期间|那天|当天)?)"
    rf"|(?P<tod>{_TOD}(?P<todh>{_HOUR})?)"
    rf"|(?P<hr>(?<![\d号])(?P<hrh>{_HOUR}))"
)
_PAST = re.compile(r"(了|过|曾|已|已经|就|那天|当时|那时|时候|开始|以来|至今|一直|发生|被|没|没有|仍|还是)")
_FUTURE = re.compile(
    r"(将|要|会|准备|计划|打算|预计|希望|能否|能不能|可否|(?<![申邀聘宴])请|之前要|届时|到时|务必|需要|前能|以前能|安排)"
)
_STRONG_PAST = re.compile(r"(已经|曾经|曾|那天|当时|那时|以来|至今|发生|到现在|到今天|迄今)")
_RECUR = re.compile(r"(每天|每晚|每周|每个|每到|每逢|天天|经常|常常|通常|总是|一到|每)$")
_MONTH_CTX = re.compile(r"(上个?月|下个?月|本月|这个?月|当月)$")


def _clamp_day(y: int, m: int, d: int) -> date | None:
    if not (1 <= m <= 12):
        return None
    last = calendar.monthrange(y, m)[1]
    if not (1 <= d <= last):
        return None
    return date(y, m, d)


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _hour_minute(s: str, tod: str | None) -> tuple[int, int] | None:
    m = re.match(
        rf"(?P<h>{_N})(?:点|时|:(?P<mm>\d{{2}}))(?:(?P<mi>{_N})分|(?P<half>半)|(?P<q>一刻)|(?P<q3>三刻))?",
        s,
    )
    if not m:
        return None
    h = cn_int(m.group("h"))
    if h is None or h > 24:
        return None
    mi = 0
    if m.group("mm"):
        mi = int(m.group("mm"))
    elif m.group("mi"):
        mi = cn_int(m.group("mi")) or 0
    elif m.group("half"):
        mi = 30
    elif m.group("q"):
        mi = 15
    elif m.group("q3"):
        mi = 45
    if (
        tod
        and tod
        in (
            "下午",
            "傍晚",
            "晚上",
            "夜里",
            "夜间",
            "晚间",
            "午后",
            "深夜",
            "今晚",
            "昨晚",
            "明晚",
        )
        and h < 12
    ) and not (tod in ("夜里", "深夜", "夜间") and h <= 4):
        h += 12
    if tod == "中午" and h < 6:
        h += 12
    if h == 24:
        h = 0
    if mi > 59:
        return None
    return h, mi


def _tense(text: str, end: int) -> str:
    """'past', 'future' or 'neutral' from the rest of the clause."""
    m = re.search(r"[，,。；;！!？?\n]", text[end:])
    clause = text[end : end + (m.start() if m else 30)][:30]
    before = text[max(0, end - 20) : end]
    b = re.split(r"[，,。；;！!？?\n]", before)[-1]
    fut = _FUTURE.search(clause) or re.search(
        r"(要求|希望|(?<![申邀聘宴])请|能否|能不能|可否|务必|争取|计划|准备|打算|预计|将于|将在|定于|约定|等到)", b
    )
    past = _PAST.search(clause)
    strong_past = _STRONG_PAST.search(clause) or _STRONG_PAST.search(b)
    if fut and not strong_past:
        return "future"
    if past or strong_past:
        return "past"
    return "neutral"


def _week_monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


_WD_NUM = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "末": 5,
}


def extract_times(text: str, received_at: datetime) -> tuple[list[dict[str, Any]], list[Evidence]]:
    ref = received_at.replace(tzinfo=TZ) if received_at.tzinfo is None else received_at.astimezone(TZ)
    today = ref.date()
    results: list[dict[str, Any]] = []
    evidence: list[Evidence] = []
    matches = list(_TIME.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        s, e = m.span()
        prefix = text[max(0, s - 3) : s]
        if _RECUR.search(prefix):
            i += 1
            continue
        tense = _tense(text, e)
        d: date | None = None
        hm: tuple[int, int] | None = None
        tod: str | None = None
        g = m.lastgroup
        if g == "ymd":
            d = _clamp_day(int(m["y1"]), int(m["m1"]), int(m["d1"]))
        elif g == "md":
            mo = cn_int(m["m"])
            dy = cn_int(m["d"]) if m["d"] else 1
            if mo is None or dy is None or not (1 <= mo <= 12):
                i += 1
                continue
            if not m["d"]:
                # a month without a day is a period, not a point (2026年3月, 明年九月), except as a
                # start (九月起 → day 1) or with 初/中/底 (三月底 → the last day)
                mp = re.match(r"(起|开始|初|中旬|中|下旬|底|末)", text[e : e + 2])
                if not mp or mp.group(1) == "下旬":
                    i += 1
                    continue
                part = mp.group(1)
                if part in ("中", "中旬"):
                    dy = 15
                elif part in ("底", "末"):
                    dy = -1
                e += len(part) if part not in ("起", "开始") else 0
            y_s = m["y"]
            if y_s:
                rel = {"去": -1, "今": 0, "明": 1, "前": -2, "后": 2}
                y = today.year + rel[y_s] if y_s in rel else (cn_int(y_s) or today.year)
                d = _clamp_day(y, mo, dy if dy > 0 else calendar.monthrange(y, mo)[1])
            else:
                d = _clamp_day(today.year, mo, dy if dy > 0 else calendar.monthrange(today.year, mo)[1])
                if d is not None:
                    if d > today and tense != "future":
                        if tense == "past" or (d - today).days > 60:
                            d = d.replace(year=today.year - 1) if d.month != 2 or d.day < 29 else None
                    elif d < today - timedelta(days=1) and tense == "future":
                        d = d.replace(year=today.year + 1) if d.month != 2 or d.day < 29 else None
        elif g == "rm":
            w = m["rmw"]
            base = today.replace(day=1)
            if w.startswith("上"):
                base = _add_months(base, -1)
            elif w.startswith("下"):
                base = _add_months(base, 1)
            if m["rmd"]:
                dn = cn_int(m["rmd"])
                d = _clamp_day(base.year, base.month, dn) if dn else None
            else:
                p = m["rmp"]
                last = calendar.monthrange(base.year, base.month)[1]
                d = base.replace(day={"底": last, "末": last, "初": 1, "中": 15}[p])
        elif g == "mp":
            yoff = {"去年": -1, "今年": 0, "明年": 1, None: 0}[m["mpy"]]
            w = m["mpw"]
            y = today.year + yoff
            if w in ("年底", "年末"):
                d = date(y, 12, 31)
            elif w == "年初":
                d = date(y, 1, 1)
            else:
                last = calendar.monthrange(today.year, today.month)[1]
                d = today.replace(day={"月底": last, "月末": last, "月初": 1, "月中": 15}[w])
                if yoff:
                    d = d.replace(year=y)
        elif g == "dd":
            dn = cn_int(m["ddn"])
            after = text[e : e + 4]
            ctx_ok = bool(_MONTH_CTX.search(text[max(0, s - 4) : s])) or bool(
                re.match(
                    rf"(?:{_TOD}|那天|当天|之前|前|以前|左右|开始|起|晚|早|下午|上午|至|到|-)",
                    after,
                )
            )
            if not dn or not ctx_ok or dn > 31:
                i += 1
                continue
            d = _clamp_day(today.year, today.month, dn)
            if d is not None and d > today and tense != "future":
                prev = _add_months(today.replace(day=1), -1)
                d = _clamp_day(prev.year, prev.month, dn)
        elif g == "day":
            w = m["day"]
            off = {
                "大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "昨早": -1, "昨夜": -1,
                "今天": 0, "今日": 0, "今早": 0, "今晚": 0, "今晨": 0, "今夜": 0,
                "明天": 1, "明日": 1, "明早": 1, "明晚": 1, "后天": 2, "大后天": 3,
            }[w]  # fmt: skip
            d = today + timedelta(days=off)
            if w[-1] in "晚夜":
                tod = "晚上"
            elif w[-1] in "早晨":
                tod = "早上"
        elif g == "wk":
            p = m["wkp"] or ""
            if p == "下下" and text[s - 1 : s] == "一":
                p = "下"  # 问一下下周一: the first 下 belongs to 一下
            if m["wkd"] == "末" and not p:
                i += 1  # a bare 周末 is a vague period
                continue
            wd = _WD_NUM.get(m["wkd"])
            if wd is None:
                wd = int(m["wkd"]) - 1
            mon = _week_monday(today)
            if p.startswith("上上"):
                d = mon - timedelta(days=14) + timedelta(days=wd)
            elif p.startswith("上"):
                d = mon - timedelta(days=7) + timedelta(days=wd)
            elif p.startswith("下下"):
                d = mon + timedelta(days=14 + wd)
            elif p.startswith("下"):
                d = mon + timedelta(days=7 + wd)
            elif p:
                d = mon + timedelta(days=wd)
            else:
                d = mon + timedelta(days=wd)
                if tense == "future":
                    if d < today:
                        d += timedelta(days=7)
                elif d > today:
                    d -= timedelta(days=7)
        elif g == "fest":
            name = m["festn"]
            p = m["festp"] or ""
            fyoff = {"去年": -1, "今年": 0, "明年": 1}.get(m["festy"] or "")
            cands = []
            for y in [today.year + fyoff] if fyoff is not None else [today.year - 1, today.year, today.year + 1]:
                f = festival(name, y)
                if f:
                    cands.append(f)
            if not cands:
                i += 1
                continue
            if p in ("前", "之前", "以前") and re.search(r"(从|自|打)$", text[max(0, s - 1) : s]):
                i += 1  # 从国庆前就…: since some time before the holiday, a vague period
                continue
            if p == "期间":
                i += 1  # 国庆期间: the whole break, a period and not a point in time
                continue
            if (
                not p
                and not m["festy"]
                and (
                    _NAMED_AFTER_FESTIVAL.search(text[max(0, s - 3) : s])
                    or (_SURNAME_BEFORE.search(text[max(0, s - 1) : s]) and _NAME_ENDS.match(text, m.end()))
                )
            ):
                i += 1  # 严国庆, 我叫王清明: a given name, not the festival
                continue
            if fyoff is not None:
                f = cands[0]
            elif tense == "neutral" and not p.endswith("后"):
                # no tense cue: the occurrence nearest to the received date
                f = min(cands, key=lambda c: abs((c[0] - today).days))
            elif tense == "past" or (tense == "neutral" and p in ("后", "之后", "以后", "过后")):
                past = [c for c in cands if c[0] <= today]
                f = past[-1] if past else cands[0]
                if tense == "neutral" and p in ("后", "之后", "以后", "过后"):
                    fut = [c for c in cands if c[0] > today - timedelta(days=3)]
                    f = fut[0] if fut else f
            else:
                fut = [c for c in cands if c[1] > today]
                f = fut[0] if fut else cands[-1]
            if p in ("前", "之前", "以前", "前夕"):
                d = f[0] - timedelta(days=1)
            elif p in ("后", "之后", "以后", "过后"):
                d = f[1]
            else:
                d = f[0]
        elif g == "ago":
            n_days = 0 if m["agon"] == "半" else cn_int(m["agon"])
            if n_days is None or n_days > 366:
                i += 1
                continue
            sign = -1 if "前" in m["agop"] else 1
            d = today + timedelta(days=sign * n_days)
        elif g in ("tod", "hr"):
            # a time of day with no day word (从早上八点停水, 晚上九点以后) gives no day: not a
            # point in time. After a day word it refines that day (below).
            i += 1
            continue
        if d is None:
            i += 1
            continue
        # an adjacent time of day / hour refines the date: 明天下午三点, 3月5日晚上8点
        j = i + 1
        while j < len(matches) and matches[j].start() - e <= 1 and matches[j].lastgroup in ("tod", "hr") and hm is None:
            nxt = matches[j]
            hour_s = nxt["todh"] if nxt.lastgroup == "tod" else nxt["hrh"]
            t_word = nxt["tod"][: len(nxt["tod"]) - len(hour_s or "")] if nxt.lastgroup == "tod" else None
            if hour_s:
                hm = _hour_minute(hour_s, t_word or tod)
            e = nxt.end()
            j += 1
            if hm is not None:
                break
        if hm is None and tod is None:
            pass
        elif hm is None and g == "day":
            # 昨晚八点: the hour follows directly
            hmm = re.match(_HOUR, text[e : e + 8])
            if hmm:
                hm = _hour_minute(hmm.group(0), tod)
                e += hmm.end()
        dt = datetime(d.year, d.month, d.day, hm[0], hm[1], tzinfo=TZ).isoformat() if hm else None
        results.append({"text": text[s:e], "date": d.isoformat(), "datetime": dt})
        evidence.append(Evidence(s, e, text[s:e]))
        i = j
    return results, evidence
