"""District / town / community resolution and the detailed address of the problem's place."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from ._types import Evidence
from .gazetteer import DISTRICT, TOWN, Gazetteer, Mention
from .normalize import AGENT, Turn

# A clause that gives the caller's home rather than the problem's place.
_HOME = re.compile(
    r"(?:我住在|我家住在?|家住在?|我家在|本人住在?|住在|居住在|居住于|住址[是为:：]?|家庭住址|户籍地?|老家在?|"
    r"我是[^，。；]{0,12}(?:的居民|的业主|的村民|人)|我是[^，,。；;\s]{2,12}的(?=[，,。；;！!\s]|$)|现住|现居)"
)
_PROBLEM_PLACE = re.compile(r"(?:那边|那里|这边|附近|一带|门口|旁边|对面|路口|位于|地点|发生在|在)")
_CLAUSE = re.compile(r"[，,。；;！!？?\n]")

_NUM = r"(?:\d+|[一二三四五六七八九十百零两]+)"
_NAMECH = (
    r"[^\s\d，。、；：！？,.;:!?()（）的在我是住到从了和与及跟被把对向往去来那这边里个位"
    r"就也都还请要说有没很太多把让给用说啊呢吧吗]"
)
_DETAIL = re.compile(
    rf"(?:{_NAMECH}{{1,8}}?(?:路段|(?<![绕走修让带问迷堵占挡拦铺抄赶认找引领探封断跑线])路(?!灯|况|费|面)|街(?!道)|大道|大街|巷))(?:[东西南北中]段)?(?:{_NUM}(?:号|弄|巷))?(?:{_NUM}(?:幢|栋|号楼|楼|单元|室|号))*"
    rf"|(?:{_NAMECH}{{1,8}}?(?:小区|花园|公寓|大厦|新村|家园|嘉园|苑|府|广场|大楼|(?<![进出回])城(?!管|市|乡|区)|庄园|公馆|山庄|园区|工业园|商城|市场|菜场|菜市场)(?:小区|花园|公寓|大厦)?)"
    rf"(?:{_NUM}(?:幢|栋|号楼|楼|单元|室|号|层|区))*"
    rf"|(?:{_NAMECH}{{1,8}}?(?:码头|渔港|港口|路口|十字路口|大桥|桥|公园|学校|大学|小学|中学|幼儿园|医院|卫生院|车站|汽车站|客运站|"
    rf"商场|超市|酒店|宾馆|工地|加油站|停车场|隧道|机场|景区|沙滩|寺|广场|球场|体育馆|村(?!民|委)|社区|居委会|服务区|海塘|水库|(?<!热线)服务中心|登记中心|办事大厅))"
    rf"|(?<![月\d一二三四五六七八九十百零两])(?:{_NUM}(?:幢|栋|号楼|单元|室|号|弄|层))+"
)


_ADDR_TAIL = re.compile(
    r"(?:那边|这边|那里|这里|附近|一带|门口|旁边|边上|对面|下面|上面|里面|外面|后面|前面|路口|"
    rf"[东西南北](?:侧|边|面|门)|后门|正门|往[东西南北](?:一?点|{_NUM}米)|靠近|两边|两侧|旁|上|里|下|边(?!境|防))"
    r"(?![\u4e00-\u9fff]{0,1}(?:班|午|次|面临))"
)
# What stands at the place, when the text names it right after: 蓬莱路上|一家面馆, 码头|候船室,
# 公园旁边|的公厕. Only a noun phrase that ends in a kind of spot or premises, within a few characters,
# and without the words that start a description of the problem (天天, 有人, 乱…).
_OBJ_KIND = (
    r"(?:加工厂|修船厂|船厂|厂|店铺|店|铺|排档|大排档|摊|面馆|饭店|餐馆|酒店|宾馆|民宿|农家乐|健身房|作坊|诊所|"
    r"停车场|人行道|站台|公交站|候船室|公厕|厕所|垃圾桶|垃圾点|垃圾集中点|工地|楼盘|小区|写字楼|居民楼|老房子|"
    r"那段路|那条路|路段|那段|那一段|那一片|一段|一片|绿化带|护坡|边坡|海塘|海堤|渡口|雨水井|窨井|井盖|食堂|仓库|冷库|"
    r"养殖场|养殖区|门面|沿街店铺|菜市场|菜场|大门|桥头|公司|企业|KTV|平房|收集点|楼顶|窗口|山体|海面|海滩|海域|"
    r"蓄水池|出口|入口|到达口|候客区|候车区|通道|车库|码头|护栏|小桥|耕地|山林|溢洪道|斑马线|电线杆|路灯杆|路口|山脚下|山脚|"
    r"活动室|空地|承包地)"
)
_OBJECT = re.compile(
    r"(?:的|那个|那家|那座|那幢|那栋|那根|那条|那排|那间|那块|那片|这个|这家|一个|一家|一处|一座|一幢|一栋|一根|一排|一间|"
    r"有家|有个|有一家|有一个)?"
    rf"(?P<np>[\u4e00-\u9fffA-Za-z]{{0,6}}?{_OBJ_KIND})"
)
_KIND = re.compile(_OBJ_KIND)
_OBJ_STOP = re.compile(
    r"(?:天天|每天|经常|总是|一直|晚上|白天|以前|现在|最近|今年|去年|昨天|今天|前天|有人|乱|把|被|没|不(?!动产)|很|太|都|又|还|就|"
    r"说|要|想|让|给|和|跟|了|过|去|坐|吃|买|我|打车|反映|投诉|举报|希望)"
)
# An object that only qualifies the noun after it (村里海塘加固工程, 海域补偿款) is not the place.
_OBJ_QUALIFIES = re.compile(r"(?:补偿|征用|征收|工程|加固|改造|项目|费|款|承包)")
_ROAD = rf"{_NAMECH}{{1,8}}?(?:大道|大街|路|街(?!道))"
# Two roads and the junction between them are one place: 昌国路和人民北路交叉口.
_JUNCTION = re.compile(
    rf"{_ROAD}(?:和|与|跟|同|、){_ROAD}(?:的)?(?:(?:交叉|交汇)(?:的|处的)?(?:那个|这个)?)?"
    r"(?:十字路口|丁字路口|交叉路口|交叉口|交界处|交界|交汇处|路口)"
)
# A spot of the village the text is about (村口海堤护栏, 村里渡口): a place only with what stands there.
_VILLAGE_SPOT = re.compile(r"村(?:口|里|内|头|前|后|[东西南北]头|[东西南北]边)")
# The 面 of 对面/后面 is not the first character of a name: 对面工地 is not a place called 面工地.
_LOCATIVE_FACE = ("对面", "前面", "后面", "里面", "外面", "上面", "下面")
_ASKS_WHERE = re.compile(r"(?:位置|地址|地点|哪里|哪儿|什么地方|在哪)")
_REPORTING = re.compile(r"(?:反映|投诉|举报|表示|希望|要求|上报|称)")
_ATTENDS = re.compile(r"(?:上|读|念)(?:小学|中学|幼儿园|大学|学校)$")
# 上海, but not the 上 of 岛上/路上 before a 海洋大学 or 海鲜
_SHANGHAI_RE = r"(?<![岛路街山楼桥船])上海"
_ELSEWHERE = re.compile(
    rf"(?:{_SHANGHAI_RE}|杭州|宁波|北京|温州|绍兴|嘉兴|湖州|金华|台州|丽水|衢州|南京|苏州|无锡|广州|深圳|福州|厦门|合肥)"
)
# What may stand between two atoms of one place: 的, 靠近, 边上的 (翁洲大道边上的东海花园)
_JOINS = re.compile(r"(?:的|靠近|(?:边上|旁边|对面|附近)的?)")
_SHANGHAI = re.compile(_SHANGHAI_RE)
_BARE_KIND = re.compile(
    r"(?:小区|花园|公寓|大厦|广场|市场|菜场|菜市场|商场|超市|学校|医院|公园|码头|车站|工地|村|社区|路|街|城)"
)
_INSTITUTION_AFTER = re.compile(r"(?:监管|执法|部门|局|管理(?:局|处|所|部门))")
_LEAD_TRIM = set("要想说去到在从把被给让向往就也还再已又很都举报投诉反映咨询求助建议问请帮")


@dataclass(frozen=True)
class Place:
    district: str | None
    town: str | None
    community: str | None
    district_conf: float
    town_conf: float
    community_conf: float
    evidence: tuple[Evidence, ...]
    address: str | None
    address_conf: float
    address_ev: tuple[Evidence, ...]
    warnings: tuple[str, ...]


def _mask(n: int, spans: list[tuple[int, int]]) -> bytearray:
    """A byte per character: 1 inside any of the spans (constant-time membership tests)."""
    out = bytearray(n + 1)
    for a, b in spans:
        out[a:b] = b"\x01" * (b - a)
    return out


def _home_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _HOME.finditer(text):
        c = _CLAUSE.search(text, m.end())
        end = c.start() if c else len(text)
        # "我住在A，B那边的…": the clause after the comma is the problem place
        spans.append((m.start(), end))
    return spans


def _typo_mentions(text: str, gaz: Gazetteer, found: list[Mention], scope: list[str] | None) -> list[Mention]:
    """Town names with a typo (沈家们街道 → 沈家门街道), scoped to a district's towns when known."""
    taken = _mask(len(text), [(m.start, m.end) for m in found])
    out: list[Mention] = []
    all_towns = [c for lst in gaz.towns_by_district.values() for c in lst]
    towns = scope if scope else all_towns
    for m in re.finditer(r"([\u4e00-\u9fff]{2,3}?)(街道|镇|乡|那边|这边|附近|一带)", text):
        s, e = m.span(1)
        if any(taken[s : m.end()]):
            continue
        stem = m.group(1)
        best, best_score = None, 0.0
        for tc in towns:
            tname = gaz.node(tc).name
            tstem = re.sub(r"(街道|镇|乡)$", "", tname)
            if m.group(2) not in ("街道", "镇", "乡") and len(stem) < 3:
                continue  # without a suffix only a three-character stem is distinctive enough
            if len(tstem) != len(stem):
                continue
            sc = fuzz.ratio(stem, tstem)
            if sc > best_score:
                best, best_score = tc, sc
        if (best is None or best_score < 60) and scope:
            # outside the scoped district: accept only a closer match
            for tc in all_towns:
                tstem = re.sub(r"(街道|镇|乡)$", "", gaz.node(tc).name)
                if len(tstem) == len(stem) and len(stem) >= 3 and fuzz.ratio(stem, tstem) > max(best_score, 65):
                    best, best_score = tc, fuzz.ratio(stem, tstem)
        if best is not None and best_score >= 60 and len(stem) >= 2 and best_score < 100:
            out.append(
                Mention(
                    stem,
                    s,
                    e if m.group(2) not in ("街道", "镇", "乡") else m.end(),
                    (best,),
                    False,
                )
            )
    return out


def resolve_place(text: str, gaz: Gazetteer, turns: list[Turn], found: list[Mention] | None = None) -> Place:
    warnings: list[str] = []
    mentions = list(found) if found is not None else gaz.find(text)
    # 普陀区 (and other names) in Shanghai: drop when the text says 上海 right before it
    outside = False
    kept: list[Mention] = []
    for m in mentions:
        if re.search(rf"{_SHANGHAI_RE}(?:市)?\s*$", text[max(0, m.start - 6) : m.start]):
            outside = True
            continue
        kept.append(m)
    mentions = kept
    scope_d = _single_district(gaz, mentions)
    mentions += _typo_mentions(text, gaz, mentions, gaz.towns_by_district.get(scope_d) if scope_d else None)
    mentions.sort(key=lambda m: m.start)
    home = _home_spans(text)
    agent_spans = [(t.start, t.end) for t in turns if t.role == AGENT]

    home_mask = _mask(len(text), home)
    agent_mask = _mask(len(text), agent_spans)
    answer_mask = _mask(len(text), _answers_to_where(text, turns))

    def weight(m: Mention) -> float:
        w = 1.0 if m.full else 0.75
        if home_mask[m.start]:
            w *= 0.3
        if agent_mask[m.start]:
            w *= 0.6
        if _PROBLEM_PLACE.search(text[max(0, m.start - 2) : m.start]) or _PROBLEM_PLACE.match(text, m.end):
            w *= 1.2
        return w

    # score districts, then towns, then communities by the mentions that imply them; adjacent
    # mentions of one branch (定海白泉, 普陀区沈家门街道) are one reference to one place, so within
    # such a group each unit counts once (the strongest mention), not once per name
    d_score: dict[str, float] = {}
    t_score: dict[str, float] = {}
    c_score: dict[str, float] = {}
    for group in _groups(text, gaz, mentions):
        gd: dict[str, float] = {}
        gt: dict[str, float] = {}
        gc: dict[str, float] = {}
        # 定海区临城街道: the district named by code stands for the unit that manages the town
        managed_by = {
            n.admin_district: n.district
            for x in group
            for n in (gaz.node(c) for c in x.codes)
            if n.admin_district and n.district
        }
        for m in group:
            w = weight(m)
            codes = _own_codes(gaz, m)
            for code in codes:
                node = gaz.node(managed_by.get(code, code))
                share = w / len(codes)
                if node.district:
                    gd[node.district] = max(gd.get(node.district, 0), share)
                if node.town:
                    gt[node.town] = max(gt.get(node.town, 0), share)
                if node.community:
                    gc[node.community] = max(gc.get(node.community, 0), share)
        for src, dst in ((gd, d_score), (gt, t_score), (gc, c_score)):
            for k, v in src.items():
                dst[k] = dst.get(k, 0) + v
    if not d_score:
        if outside or (_SHANGHAI.search(text) and re.search(r"普陀", text)):
            warnings.append("outside the city: place is in 上海")
        conf = 0.6 if re.search(r"(路|街|小区|村|社区|镇|码头)", text) else 0.8
        return Place(
            None,
            None,
            None,
            conf,
            conf,
            conf,
            (),
            *_detail(text, home_mask, answer_mask, agent_mask, gaz, mentions),
            tuple(warnings),
        )
    # 上海 named and only a bare 普陀 district mention: outside the city
    if _SHANGHAI.search(text) and not t_score:
        warnings.append("outside the city: place is in 上海")
        return Place(None, None, None, 0.6, 0.6, 0.6, (), None, 0.5, (), tuple(warnings))
    district = max(d_score, key=lambda k: d_score[k])
    if _tied(d_score):
        # two places with the same weight and nothing to choose between them
        warnings.append("two places mentioned, no way to choose")
        return Place(None, None, None, 0.4, 0.4, 0.4, (), None, 0.4, (), tuple(warnings))
    total_d = sum(d_score.values())
    d_conf = 0.6 + 0.35 * d_score[district] / total_d
    towns = {k: v for k, v in t_score.items() if gaz.node(k).district == district}
    town = max(towns, key=lambda k: towns[k]) if towns else None
    t_conf = 0.55 + 0.4 * towns[town] / sum(towns.values()) if town else 0.6
    comms = {k: v for k, v in c_score.items() if gaz.node(k).town == town} if town else {}
    community = max(comms, key=lambda k: comms[k]) if comms and not _tied(comms) else None
    c_conf = 0.5 + 0.4 * comms[community] / sum(comms.values()) if community else 0.55
    if len(d_score) > 1 and d_score[district] < 2 * max(v for k, v in d_score.items() if k != district):
        warnings.append("several districts mentioned")
    used = {c for c in (district, town, community) if c}
    used |= {a for a in (gaz.node(town).admin_district if town else None,) if a}  # 定海区 of 定海区临城街道
    ev = tuple(
        Evidence(m.start, m.end, text[m.start : m.end])
        for m in mentions
        if any(c in used or gaz.node(c).community in used for c in m.codes)
    )[:6]
    addr, a_conf, a_ev = _detail(text, home_mask, answer_mask, agent_mask, gaz, mentions)
    return Place(
        district,
        town,
        community,
        d_conf,
        t_conf,
        c_conf,
        ev,
        addr,
        a_conf,
        a_ev,
        tuple(warnings),
    )


def _tied(scores: dict[str, float]) -> bool:
    """The two best scores are equal."""
    if len(scores) < 2:
        return False
    a, b = sorted(scores.values(), reverse=True)[:2]
    return abs(a - b) < 1e-9


def _own_codes(gaz: Gazetteer, m: Mention) -> tuple[str, ...]:
    """A bare name shared by a town and one of its communities (白泉 → 白泉镇, 白泉社区) names the
    town: the community is not named."""
    towns = {c for c in m.codes if gaz.node(c).level == TOWN}
    if not towns:
        return m.codes
    return tuple(c for c in m.codes if gaz.node(c).level == TOWN or gaz.node(c).town not in towns)


def _groups(text: str, gaz: Gazetteer, mentions: list[Mention]) -> list[list[Mention]]:
    """Runs of adjacent mentions (at most one character apart) of one branch of the hierarchy."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups:
            last = groups[-1][-1]
            if m.start - last.end <= 1 and m.start >= last.end and gaz.related(last, m):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _single_district(gaz: Gazetteer, mentions: list[Mention]) -> str | None:
    ds = {gaz.node(c).district for m in mentions for c in m.codes}
    ds.discard(None)
    return next(iter(ds)) if len(ds) == 1 else None


def _answers_to_where(text: str, turns: list[Turn]) -> list[tuple[int, int]]:
    """The caller's turns that answer the call-taker's "where exactly?" (具体在什么位置？)."""
    return [
        (t.start, t.end)
        for prev, t in itertools.pairwise(turns)
        if prev.role == AGENT and t.role != AGENT and _ASKS_WHERE.search(text, prev.start, prev.end)
    ]


def _detail(
    text: str,
    home_mask: bytearray,
    answer_mask: bytearray,
    agent_mask: bytearray,
    gaz: Gazetteer,
    mentions: list[Mention],
) -> tuple[str | None, float, tuple[Evidence, ...]]:
    """The detailed address: the longest run of adjacent place atoms, preferring the problem's place."""
    atoms: list[tuple[int, int, float]] = []
    units: list[tuple[int, int]] = []
    specific: list[tuple[int, int]] = []  # named spots below a unit: landmarks, roads, estates, piers
    for m in mentions:
        lvl = gaz.node(m.codes[0]).level
        atoms.append((m.start, m.end, 0.5 if lvl in (DISTRICT, TOWN) else 1.0))
        if _names_unit(gaz, m):
            units.append((m.start, m.end))
        else:
            specific.append((m.start, m.end))
    unit_mask = _mask(len(text), units)
    for jm in _JUNCTION.finditer(text):
        specific.append(jm.span())
        atoms.append((jm.start(), jm.end(), 2.0))
    for vm in _VILLAGE_SPOT.finditer(text):
        if _extend(text, vm.end(), home_mask)[1] and not home_mask[vm.start()]:
            specific.append(vm.span())
            atoms.append((vm.start(), vm.end(), 2.0))
    gstarts = sorted(m.start for m in mentions)
    for dm in _DETAIL.finditer(text):
        s, e = dm.span()
        # trim a leading verb or a piece before a gazetteer name: "要举报东港街道…" → "东港街道…"
        k = bisect.bisect_left(gstarts, s)
        if k < len(gstarts) and gstarts[k] < e:
            s = gstarts[k]
        said = [m.end() for m in _REPORTING.finditer(text, s, e)]
        if said:  # "村民反映村前海塘": the place starts after what introduces it
            s = said[-1]
        while s < e and text[s] in _LEAD_TRIM:
            s += 1
        if text[s - 1 : s + 1] in _LOCATIVE_FACE:
            s += 1
        if text[e - 1] == "村" and _VILLAGE_SPOT.match(text, e - 1):
            continue  # 我们村口: the 村 belongs to the village's spot, not to a village called 我们村
        if _BARE_KIND.fullmatch(text, s, e) or _INSTITUTION_AFTER.match(text, e):
            continue  # 市场 of 请求市场监管部门: a kind of place with no name, or an authority's name
        if _ATTENDS.search(text, s, e) or (
            _ELSEWHERE.search(text, max(0, s - 3), e) and not re.search(r"(?:路|街|大道|巷)$", text[s:e])
        ):
            continue  # 上小学 is going to school; 上海瑞金医院 is outside the city (a 南京路 may be ours)
        if e - s >= 2:
            if not re.search(r"(?:村|社区|居委会|城)$", text[s:e]):
                specific.append((s, e))
            atoms.append(
                (
                    s,
                    e,
                    2.0 if re.search(r"\d|[一二三四五六七八九十]+(?:号|幢|栋|室)", text[s:e]) else 1.0,
                )
            )
    if not atoms:
        return None, 0.6, ()
    atoms.sort()
    groups: list[list[tuple[int, int, float]]] = []
    for a in atoms:
        # 海院路靠近舟山医院: one place given by a road and a landmark near it
        if groups and (a[0] <= groups[-1][-1][1] or _JOINS.fullmatch(text, groups[-1][-1][1], a[0])):
            groups[-1].append(a)
        else:
            groups.append([a])
    spans = [(g[0][0], max(a[1] for a in g)) for g in groups]
    reach = [_extend(text, e, home_mask) for _, e in spans]
    units_only = [
        not got_object and all(unit_mask[i] or text[i] == "的" for i in range(s, e))
        for (s, e), (_, got_object, _) in zip(spans, reach, strict=True)
    ]
    has_spot = [
        got_object or any(s <= a < e for a, _ in specific)
        for (s, e), (_, got_object, _) in zip(spans, reach, strict=True)
    ]
    # a district or town name alone is not a detailed address; 金塘镇一家船厂 is
    bare = [all(a[2] == 0.5 for a in g) and not got_object for g, (_, got_object, _) in zip(groups, reach, strict=True)]
    best = None
    best_score = -1.0
    for k, (g, (s, e)) in enumerate(zip(groups, spans, strict=True)):
        # a spot with what stands there (展茅工业园区东侧的海丰水产加工厂) beats the same bare name in a title
        score = sum(a[2] for a in g) + (e - s) / 20 + (0.05 if reach[k][1] else 0.0)
        if reach[k][2]:
            score *= 0.4  # its object speaks (一家商贸公司反映): it yields to a place the text names
        if units_only[k] and any(has_spot):
            # "城东街道新桥社区：新桥路菜场门口…": the units head the report; the spot is the address
            score *= 0.4
        if home_mask[s]:
            score *= 0.4
        if answer_mask[s]:
            score *= 1.5
        if agent_mask[s]:
            score *= 0.6  # the call-taker's "是岱山高亭的蓬莱路吗？" repeats the caller's place
        if text[max(0, s - 2) : s] == "走访" and any(has_spot[:k] + has_spot[k + 1 :]):
            score *= 0.6  # 走访朱家尖樟州村海风民宿…反映南沙景区门口的停车场: the visit's place, not the problem's
        if bare[k] and len(g) == 1:
            score *= 0.5
        if score > best_score:
            best, best_score = (k, s), score
    assert best is not None
    k, s = best
    if bare[k]:
        return None, 0.5, ()  # district and town names alone (岱山高亭) are not an address
    e = reach[k][0]
    value = text[s:e].strip()
    value = re.sub(r"^(?:在|位于|到|去|从)", "", value)
    if len(value) < 2:
        return None, 0.5, ()
    conf = min(0.9, 0.4 + 0.12 * best_score)
    evidence: tuple[Evidence, ...] = (Evidence(s, e, text[s:e]),)
    village = _village_before(gaz, mentions, s) if _VILLAGE_SPOT.match(text, s) else None
    if village is not None:  # 村口海堤护栏 → 湖泥村村口海堤护栏: which village's 村口
        value = village.surface + value
        evidence = (Evidence(village.start, village.end, village.surface), *evidence)
    return value, conf, evidence


def _village_before(gaz: Gazetteer, mentions: list[Mention], pos: int) -> Mention | None:
    """The village named last before ``pos``, if the text has named one."""
    named = [m for m in mentions if m.end <= pos and m.surface.endswith("村") and _names_unit(gaz, m)]
    return named[-1] if named else None


def _extend(text: str, e: int, home_mask: bytearray) -> tuple[int, bool, bool]:
    """Where the address that ends at ``e`` really ends, whether an object was added, and whether
    that object then speaks (六横镇一家企业反映…): the locative right after the place belongs to it
    (茅岭路上, 泗湾那边, 海洋大学门口), and so does what stands there (蓬莱路上那家烧烤店,
    竹山公园大门对面人行道上)."""
    got_object = speaks = False
    for round_ in range(3):
        tail = _ADDR_TAIL.match(text, e)
        if tail:
            e = tail.end()
        elif round_:
            break  # a second object only after a locative: 大门|对面|人行道, not 店铺|店(主)
        obj = _OBJECT.match(text, e)
        # "莲安社区有个小区": "there is a …" describes; it does not name a spot
        if not obj or _OBJ_STOP.search(obj.group(0)) or home_mask[e] or obj.group("np").startswith("有"):
            break
        if _OBJ_QUALIFIES.match(text, obj.end()):
            break
        e = obj.end()
        # "海莲社区一家商贸公司反映，公司所在写字楼…": the company is the place only if none other is named
        speaks = bool(_REPORTING.match(text, e))
        while (kind := _KIND.match(text, e)) and not _OBJ_QUALIFIES.match(text, kind.end()):
            e = kind.end()  # 海堤|护栏, 码头|候船室: one spot named by two kinds
        # "莲安社区有个小区": "there is a …" describes; it does not name a spot
        got_object = got_object or not obj.group(0).startswith("有")
    return e, got_object, speaks


_UNIT_SUFFIX = re.compile(r"(?:社区|村委会|村|街道|镇|乡|区|县|市)$")


def _names_unit(gaz: Gazetteer, m: Mention) -> bool:
    """The mention is an administrative unit's own name (双峰村, 岱西镇), not a landmark that the
    reference data files under a unit (解放西路, 西园小区)."""
    stem = _UNIT_SUFFIX.sub("", m.surface)
    return any(_UNIT_SUFFIX.sub("", gaz.node(c).name) == stem for c in m.codes)
