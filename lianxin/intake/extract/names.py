"""Appellant name: hand-written rules over the citizen's turns (see nlp-stack.md §3a, §5.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._types import Evidence
from .normalize import AGENT, Turn
from .surnames import ALL, COMPOUND

_COMPOUND_ALT = "|".join(COMPOUND)
_SURNAME = rf"(?:{_COMPOUND_ALT}|[{''.join(sorted(ALL - set(COMPOUND)))}])"
_HONORIFIC = (
    "先生|女士|小姐|师傅|阿姨|大爷|大妈|大姐|大哥|老师|同志|奶奶|爷爷|老伯|大伯|阿伯|阿公|阿婆|老人家|伯伯|叔叔|大叔|阿姐|同学|某某|某"
)
_HONORIFICS = frozenset(_HONORIFIC.split("|"))
# Characters that end a given name (function words, verbs that typically follow a name).
_STOP = set(
    "的地得在是住家来说想要电手身今昨前后我你他她它们了和跟与也就都现从到向给对请因所但有没不这那号联打"
    "，。、；：！？,.;:!? \n\t（）()【】[]“”\"'0123456789一二三四五六七八九十男女先老阿年岁啊呀吧呢嘛吗哦噢嗯哈"
    "已还又再刚此其该某等为被把让叫姓称系户镇乡街路区县市省村社楼幢栋单元室弄巷反投举咨"
)
_BAD_NAMES = {
    "先生",
    "女士",
    "本人",
    "市民",
    "业主",
    "居民",
    "群众",
    "村民",
    "网友",
    "平台",
    "领导",
}

_SELF_LABEL = re.compile(
    r"(?:(?:我是|我系|本人系|本人是|本人为)[^，。；,;]{0,20}?(?:居民|村民|业主)\s*|我叫|我的名字是|我的名字叫|名字叫|名字是|我名叫|本人|本人是|我是|鄙人|在下|"
    r"(?:诉求人|来信人|反映人|来电人|联系人|投诉人|举报人|申请人|当事人|求助人|报告人|署名|姓名|来访人|信访人|留言人|"
    r"走访对象|被走访人|户主|建议人|咨询人|落款|信访人|联名人|联名|代表人|(?:业主|村民|居民|职工|家长|群众)?代表)"
    r"\s*(?:姓名)?\s*[:：为是]?\s*"
    # 家长/居民/村民 are labels only with a colon: "村民张某（81岁）" in a grid report is a
    # third party, and "花鸟村民宿" is no label at all
    r"|(?:家长|居民|村民|业主|女儿|儿子|子女|孙子|孙女|家属|患者家属|老伴|妻子|丈夫)\s*[:：]\s*)"
)
_ASKS_NAME = re.compile(r"(姓名|名字|贵姓|称呼|怎么叫|叫什么)")
_GIVEN = re.compile(r"[\u4e00-\u9fff]{1,2}")
_SURNAME_ONLY = re.compile(rf"(?:免贵|我|本人|鄙人)?姓\s*(?P<s>{_SURNAME})(?![\u4e00-\u9fff]{{0,1}}(?:的|是|名))")
_HON_ONLY = re.compile(_HONORIFIC)
_BARE_SURNAME = re.compile(rf"\s*(?P<s>{_SURNAME})\s*(?:[。，,.！!；;]|$)")
_HONORIFIC_RE = re.compile(rf"(?P<n>{_SURNAME})(?P<h>{_HONORIFIC})")
_OFFICIAL = re.compile(
    r"(?:书记|局长|主任|村长|镇长|乡长|区长|县长|所长|科长|队长|站长|经理|老板|院长|校长|厂长|处长|部长|主席|干部|"
    r"组长|会计|支书|警官|民警|医生|老师|城管|执法|工作人员|负责人|法人|股长|行长|委员|代表)"
)
_THIRD_PARTY_BEFORE = re.compile(
    r"(?:举报|投诉|反映|控告|检举|隔壁|邻居|楼上|楼下|对门|物业|他|她|他们|对方|老板|公司|单位|"
    r"村里|村干部|社区的|街道的|那个|这个|一个|一位|有个|有位|和|跟|与|及|找|问|叫|让|被|给|帮|向|对|"
    r"负责人|工作人员|网格员|医生|护士|司机|保安|服务员|店员|社工|志愿者|表扬了?|感谢|谢谢|老人)$"
)
# A visit record names who spoke: "企业负责人孙总反映", "走访渔民张阿土家，其反映",
# "人事经理郑敏反映", "残疾人陆海根家，陆海根（身份证号…）反映". The visiting official never does.
_VISIT = re.compile(r"(?:走访|入户|上门)")
_SPEAKER_ROLE = re.compile(
    r"(?:负责人|法人代表|法人|董事长|总经理|人事经理|经理|厂长|老板|店主|船东|船老大|户主|渔民|农户|种植户|养殖户|"
    r"残疾人|困难户|低保户|老人|业主|职工|员工)"
)
_SPEAKS = re.compile(r"(?:（[^）]{0,40}）|\([^)]{0,40}\))?\s*(?:反映|表示|称|提出|介绍|咨询|求助|希望|说)")
_VISITED_HOME = re.compile(r"家\s*[，,]\s*(?:其|他|她|(?P<again>[\u4e00-\u9fff]{2,3}?))?\s*(?:（[^）]{0,40}）|\([^)]{0,40}\))?\s*(?:反映|表示|称|提出|介绍|说)")
_CONTACT_NEXT = re.compile(r"\s*[，,]?\s*(?:手机|电话|联系电话|联系方式)")
_SPOKE = re.compile(r"(?:反映|表示|提出)")
_VISITED = re.compile(r"走访[^，。；：]{0,24}?(?:渔民|农户|渔户|养殖户|种植户|困难户|低保户|残疾人|老人|独居老人|居民|村民|党员)")
_BOSS = re.compile(r"总(?!是|共|算|之|体|结|部|工|公司|经理)")
# A writer who signs as someone's child or spouse: "来信人：刘阿大之女 刘海燕"
_KIN_OF = re.compile(r"\s*(?:之|的)(?:女儿|儿子|女|子|妻|夫|孙女|孙子|家属)\s*[:：]?\s*")
# A petition signed with a space instead of a colon: "干斜村村民 王海龙 等23户"
_SIGNED_AS = re.compile(r"(?:村民|居民|业主|职工|家长|渔民)[ \t\u3000]+")


@dataclass(frozen=True)
class NameHit:
    value: str
    start: int
    end: int
    score: float


def _given_name(text: str, pos: int) -> str:
    """Up to two given-name characters starting at pos, stopping at function words."""
    out = ""
    pair = text[pos : pos + 2]
    if (
        len(pair) == 2
        and pair[0] == "一"
        and "\u4e00" <= pair[1] <= "\u9fff"
        and pair[1] not in _STOP
        and text[pos + 2 : pos + 3] in ("", *"、，。,.;；\n ")
    ):
        return pair  # 一凡, 一鸣: 一 is a numeral elsewhere, but here a bounded two-character given name
    for k, c in enumerate(text[pos : pos + 2]):
        if not ("\u4e00" <= c <= "\u9fff"):
            break
        if c in _STOP:
            # 志刚、 / 国庆。: a second character that is usually a function word still ends a
            # name when a clear boundary follows it
            nxt = text[pos + 2 : pos + 3]
            if not (k == 1 and c not in _FUNCTION and (nxt == "" or nxt in "、，。,.;；\n ")):
                break
        out += c
    return out


_FUNCTION = set("的地得了是在和跟与也就都我你他她它们说想要来到从给对把被让吗呢吧啊呀嘛哦")


def _official_after(text: str, end: int) -> bool:
    return bool(_OFFICIAL.match(text, end))


_BOUNDARY = re.compile(
    r"(?:[\s，。、；：！？,.;:!?）)]|$|先生|女士|电话|手机|号码|联系|身份证|住|家住|现住|今年|男|女|来自|户籍|反映|投诉|举报|"
    r"咨询|求助|建议|想|要|在|的|从|是|，)"
)
_SIGNED_AFTER_PHONE = re.compile(r"(?:电话|手机|联系方式)[:：]?\s*[\d\-－ ]{7,}\s*[，,、 ]\s*")
_PLACE_SUFFIX = set("镇乡街村区县路岛港湾山桥门社码道")


def _name_at(text: str, pos: int, limit: int, strict: bool = False) -> tuple[str, int] | None:
    """A surname-initial name starting at pos (full name or surname + honorific).

    With ``strict`` (after the ambiguous 我是) a boundary must follow the name."""
    seg = text[pos:limit]
    m = re.match(rf"(?P<s>{_SURNAME})", seg)
    if not m:
        return None
    s = m.group("s")
    rest = pos + len(s)
    h = re.match(_HONORIFIC, text[rest:limit])
    if h and h.group(0) not in ("某", "某某"):
        return s + h.group(0), rest + h.end()
    given = _given_name(text[:limit], rest)
    if not given and text[rest : rest + 1] == "阿":
        # 虞阿菊: 阿 + a given-name character (阿姨/阿婆 were taken as honorifics above); 邬阿三:
        # a numeral after 阿 is a name too
        tail = _given_name(text[:limit], rest + 1)[:1] or (
            text[rest + 1] if re.match(r"[一二三四五六七八九十][，,。、\s（(]|[一二三四五六七八九十]$", text[rest + 1 : rest + 3]) else ""
        )
        given = "阿" + tail if tail else ""
    while given:
        end = rest + len(given)
        nxt = text[end : end + 1]
        if nxt and nxt in _PLACE_SUFFIX:
            given = given[:-1]
            continue
        if not strict or _BOUNDARY.match(text, end):
            return s + given, end
        given = given[:-1]
    return None  # 王某 / 王某某 is no name


def find_name(
    text: str, turns: list[Turn], place_spans: list[tuple[int, int]] | None = None
) -> tuple[str | None, list[Evidence], float]:
    """Best appellant name, its evidence and confidence. ``place_spans`` (gazetteer matches)
    veto candidates that are really place names (我是高亭的 …)."""
    spans = place_spans or []
    hits: list[NameHit] = []
    prev_asks = False
    for t in turns:
        # a citizen turn that answers the agent's 您的姓名？ with a bare name: "市民：应海波。"
        if t.role is not None and t.role != AGENT and prev_asks:
            got = _name_at(text, t.start, t.end, strict=True)
            if got and got[0] not in _BAD_NAMES and not _official_after(text, got[1]):
                hits.append(NameHit(got[0], t.start, got[1], 0.9))
            elif not got:
                # 您贵姓？ 市民：贺。 a bare surname as the whole answer
                bare = _BARE_SURNAME.match(text, t.start, t.end)
                if bare:
                    hits.append(NameHit(bare.group("s"), bare.start("s"), bare.end("s"), 0.85))
        prev_asks = t.role == AGENT and bool(_ASKS_NAME.search(text, t.start, t.end))
        base = 1.0 if t.role != AGENT else 0.55
        seg_end = t.end
        # 1. explicit self-identification / labels
        for m in _SELF_LABEL.finditer(text, t.start, seg_end):
            # 本人 also starts "本人能拿多少": only a name with a boundary after it counts
            got = _name_at(text, m.end(), seg_end, strict=m.group(0).startswith(("我是", "本人")))
            if not got:
                continue
            val, end = got
            kin = _KIN_OF.match(text, end, seg_end)
            if kin:  # "来信人：刘阿大之女 刘海燕": the writer is the daughter, not the father
                got = _name_at(text, kin.end(), seg_end)
                if not got:
                    continue
                val, end = got
            if val in _BAD_NAMES or _official_after(text, end):
                continue
            label = m.group(0)
            score = 0.95 if not label.startswith("我是") else 0.85
            if t.role == AGENT and label.startswith(("我是", "我叫", "本人")):
                continue  # the agent introducing themself
            hits.append(NameHit(val, m.end(), end, score * base))
        # 2. 姓X
        for m in _SURNAME_ONLY.finditer(text, t.start, seg_end):
            if t.role == AGENT:
                continue
            prefix = text[max(t.start, m.start() - 3) : m.start()]
            if re.search(r"(他|她|对方|老板|那人|一个|有个|司机)$", prefix):
                continue
            s = m.group("s")
            # "姓何，何佳怡": the full name right after the surname
            full = re.match(
                rf"[，,、\s]*({re.escape(s)}[\u4e00-\u9fff]{{1,2}})(?=[，,。.\s、]|$)", text[m.end() : seg_end]
            )
            if full and not _official_after(text, m.end() + full.end()):
                fs = m.end() + full.start(1)
                hits.append(NameHit(full.group(1), fs, fs + len(full.group(1)), 0.92 * base))
            hon = _HON_ONLY.match(text, m.end())
            val = s + hon.group(0) if hon else s
            hits.append(
                NameHit(
                    val,
                    m.start("s"),
                    m.end("s") + (hon.end() - hon.start() if hon else 0),
                    0.8 * base,
                )
            )
        # 2b. a signature after the contact number: "电话13626805544，林梅。" (a web message's last line)
        if t.role != AGENT:
            for m in _SIGNED_AFTER_PHONE.finditer(text, t.start, seg_end):
                got = _name_at(text, m.end(), seg_end, strict=True)
                if got and got[0] not in _BAD_NAMES and re.match(r"\s*(?:[。.！!]|$)", text[got[1] : seg_end]):
                    hits.append(NameHit(got[0], m.end(), got[1], 0.8 * base))
        # 2c. the person a visit record or a petition's signature names as speaking for the appeal
        if t.role != AGENT:
            visit = bool(_VISIT.search(text, t.start, min(seg_end, t.start + 12)))
            for m in _SPEAKER_ROLE.finditer(text, t.start, seg_end) if visit else ():
                got = _name_at(text, m.end(), seg_end)
                if got is None:
                    continue
                val, end = got
                boss = _BOSS.match(text, end) if len(val) == 1 else None
                if boss:
                    val, end = val + "总", boss.end()
                home = _VISITED_HOME.match(text, end)
                if home and home.group("again") not in (None, val):
                    home = None
                if val in _BAD_NAMES or not (_SPEAKS.match(text, end) or home or _CONTACT_NEXT.match(text, end)):
                    continue
                hits.append(NameHit(val, m.end(), end, 0.85 * base))
            for m in _SPOKE.finditer(text, t.start, seg_end) if visit else ():
                # "农户王阿土。王阿土反映", "人事部戴经理反映": the name that ends right at 反映
                for k in (m.start() - 4, m.start() - 3, m.start() - 2):
                    got = _name_at(text, k, m.start()) if k >= t.start else None
                    lead = text[k - 1 : k] if k > t.start else ""
                    if (
                        got
                        and got[1] == m.start()
                        and got[0] not in _BAD_NAMES
                        and (not re.match(r"[\u4e00-\u9fff]", lead) or lead in "部处科办室户民人长")
                    ):
                        hits.append(NameHit(got[0], k, got[1], 0.85 * base))
                        break
            for m in _VISITED.finditer(text, t.start, seg_end) if visit else ():
                got = _name_at(text, m.end(), seg_end)
                if got and got[0] not in _BAD_NAMES and text.startswith("家", got[1]):
                    hits.append(NameHit(got[0], m.end(), got[1], 0.8 * base))
                elif got and got[0] not in _BAD_NAMES and len(got[0]) >= 2 and got[0][1:] not in _HONORIFICS:
                    # "走访独居老人潘桂英（82岁）。潘阿婆反映": the full name of whom the record calls 潘阿婆
                    again = re.match(
                        rf"\s*(?:（[^）]{{0,20}}）|\([^)]{{0,20}}\))?\s*[。，,]\s*{re.escape(got[0][0])}(?:{_HONORIFIC})?\s*(?:反映|表示|说|称)",
                        text[got[1] : seg_end],
                    )
                    if again:
                        hits.append(NameHit(got[0], m.end(), got[1], 0.86 * base))
            for m in _SIGNED_AS.finditer(text, t.start, seg_end):
                got = _name_at(text, m.end(), seg_end, strict=True)
                if got and got[0] not in _BAD_NAMES and re.match(r"\s*(?:等|$|\n|[，,。]|\d)", text[got[1] : seg_end]):
                    hits.append(NameHit(got[0], m.end(), got[1], 0.85 * base))
        # 3. surname + honorific (王先生), in citizen turns or the agent addressing the caller
        for m in _HONORIFIC_RE.finditer(text, t.start, seg_end):
            if m.group("h") in ("某", "某某"):
                continue
            before = text[max(t.start, m.start() - 4) : m.start()]
            if m.group("h") in ("师傅", "老师", "同志") and re.search(r"[\u4e00-\u9fff]$", before) and not re.search(
                r"(?:是|叫|好|谢|您|喂|哦|嗯|对|那|请问|叫我|喊我)$", before
            ):
                continue  # 环卫师傅, 驾校老师: a trade, not 卫师傅
            if _THIRD_PARTY_BEFORE.search(before) or (
                re.search(r"(?:的|个|位)$", before) and not before.endswith("好的")
            ):
                continue
            # avoid taking the tail of a word: the char before must not be a Han char of a longer name
            if (
                m.start() > t.start
                and re.match(r"[\u4e00-\u9fff]", text[m.start() - 1])
                and not re.search(r"(?:是|叫|好|谢|，|,|您|。|喂|哦|嗯|对|那|请问|签名|联系)$", before)
            ):
                score = 0.55
            else:
                score = 0.75
            if t.role == AGENT:
                score = (
                    0.7
                    if re.match(
                        r"\s*(?:您好|你好|是吧|对吧|，您|,您|您)",
                        text[m.end() : m.end() + 3],
                    )
                    else 0.5
                )
            else:
                score *= base
            hits.append(NameHit(m.group(0), m.start(), m.end(), score))
    if spans:
        covered = bytearray(len(text) + 1)
        for a, b in spans:
            covered[a:b] = b"\x01" * (b - a)
        hits = [h for h in hits if not any(covered[h.start : h.end])]
    if not hits:
        return None, [], 0.7
    best = max(hits, key=lambda h: (h.score, -h.start))
    # a surname-only hit ("王") is upgraded when an honorific form of it appears anywhere
    if len(best.value) <= 2 and best.value in ALL:
        for h in hits:
            if h.value.startswith(best.value) and len(h.value) > len(best.value):
                best = NameHit(h.value, h.start, h.end, max(best.score, h.score))
                break
    # Two rules can find the same span (来电人王女士: the role word and the 女士 title): one evidence each
    found = dict.fromkeys((h.start, h.end) for h in hits if h.value == best.value)
    ev = [Evidence(a, b, text[a:b]) for a, b in found][:3]
    return best.value, ev, min(0.97, best.score)
