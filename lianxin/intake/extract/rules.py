"""Keyword rules: appeal type (with per-class scores), urgency, confidentiality, and the summary."""

from __future__ import annotations

import re

from ._types import Evidence

APPEAL_TYPES: tuple[str, ...] = (
    "consult",
    "help",
    "complaint",
    "report",
    "suggestion",
    "praise",
    "other",
)

_KW: dict[str, list[tuple[str, float]]] = {
    "complaint": [
        ("拖了", 1.0), ("工资", 0.6), ("延期", 1.2), ("逾期", 1.2), ("至今未", 1.0), ("跑了", 0.6),
        ("乱涨价", 1.5), ("涨价", 0.8),
        ("投诉", 3.0), ("不满", 1.5), ("态度差", 2.0), ("态度恶劣", 2.0), ("态度很差", 2.0), ("扰民", 1.5),
        ("噪音", 1.0), ("噪声", 1.0), ("乱收费", 2.0), ("不作为", 2.0), ("推诿", 2.0), ("拖欠", 1.5), ("欠薪", 1.5),
        ("太吵", 1.0), ("没人管", 1.5), ("无人管", 1.5), ("不管", 1.0), ("严重影响", 1.2), ("影响休息", 1.2),
        ("污染", 0.8), ("臭味", 0.8), ("异味", 0.8), ("占道", 1.0), ("乱停", 1.0), ("乱扔", 0.8), ("刁难", 1.5),
        ("敷衍", 1.5), ("不退", 1.2), ("退款", 0.8), ("维权", 1.0), ("强制", 0.6), ("多收", 1.2), ("扣钱", 1.0),
        ("拒不", 1.2), ("拒绝", 0.6), ("不给", 0.6), ("油烟", 1.0), ("施工", 0.6), ("夜间", 0.4), ("堵塞", 0.4),
        ("要求处理", 1.0), ("请求处理", 1.0), ("要求整改", 1.0), ("希望相关部门", 0.6), ("希望有关部门", 0.6),
        ("不打表", 1.5), ("宰客", 1.5), ("遗撒", 1.2), ("未公开", 1.0), ("没发过工资", 1.5), ("劝阻无效", 1.0),
        ("占用收费", 1.2), ("拥堵", 0.6), ("频繁故障", 1.0), ("至今没", 1.0),
        ("追回", 1.2), ("退费", 1.0), ("人去楼空", 1.2), ("电话也不接", 0.8),
        ("推来推去", 1.5), ("没人修", 1.2), ("还没人来", 1.0), ("违停", 1.0), ("不予受理", 1.2),
        ("长效管理", 0.8),
    ],
    "report": [
        ("有人在", 0.8), ("有人把", 0.8), ("有人往", 0.8), ("直排", 1.5), ("没证", 1.5), ("没有证", 1.5),
        ("小作坊", 1.2), ("耕地", 1.0), ("倒建筑垃圾", 1.2), ("有偿补课", 2.0), ("补课", 1.2), ("偷偷", 0.5),
        ("举报", 3.0), ("检举", 3.0), ("揭发", 2.5), ("控告", 2.0), ("违法", 1.2), ("非法", 1.5), ("偷排", 2.0),
        ("私自", 0.8), ("违建", 1.5), ("违章搭建", 1.5), ("违规搭建", 1.5), ("传销", 2.0), ("赌博", 2.0), ("贪污", 2.0),
        ("受贿", 2.0), ("售假", 1.5), ("假冒", 1.2), ("无证经营", 1.5), ("黑作坊", 1.5), ("非法捕捞", 1.5),
        ("偷倒", 1.5), ("查处", 1.5), ("偷偷", 1.0), ("无证", 1.2), ("私拉", 1.0), ("非法营运", 1.5), ("黑车", 1.2),
        ("涉嫌", 1.2), ("违规", 0.8), ("挪用", 1.5), ("骗保", 2.0), ("虚报", 1.5),
        ("焚烧", 1.5), ("体罚", 2.0), ("毁绿", 1.5), ("违规作业", 1.0), ("占用林地", 1.5), ("私占", 1.2),
        ("非法围", 1.5), ("排入", 0.8), ("滥伐", 1.5), ("盗采", 1.5), ("偷捕", 1.5), ("密眼网", 1.5),
        ("幼鱼", 1.0), ("电鱼", 1.5), ("炸鱼", 1.5), ("禁渔期", 1.2),
        ("无资质", 1.5), ("无任何资质", 1.5), ("没有资质", 1.5), ("假化肥", 1.5), ("假农药", 1.5), ("假药", 1.5),
        ("假货", 1.2), ("怀疑是假", 1.2), ("未经审批", 1.5), ("占用耕地", 1.5), ("没挂牌", 1.0), ("没有牌照", 1.0),
        ("倾倒", 1.0), ("废机油", 1.0), ("审批手续", 1.2), ("没有审批", 1.2),
    ],
    "consult": [
        ("咨询", 3.0), ("请问", 2.0), ("想问", 2.0), ("想了解", 2.0), ("问一下", 2.0), ("问下", 1.5), ("了解一下", 1.5),
        ("怎么办理", 2.0), ("怎么办", 1.0), ("去哪", 1.0), ("多少", 0.6), ("能不能报", 1.0), ("怎么算", 1.2), ("怎么申请", 1.5),
        ("如何办理", 2.0), ("如何", 1.0), ("怎么", 0.8), ("是否", 0.8), ("哪里", 0.8),
        ("什么时候", 0.8), ("什么材料", 1.5), ("需要哪些", 1.5), ("流程", 1.2), ("政策", 0.8), ("条件", 0.6),
        ("可以吗", 0.8), ("能不能", 0.4), ("有没有", 0.5), ("多久", 0.6), ("在哪", 0.8), ("怎样", 0.8),
        ("吗？", 0.5), ("吗?", 0.5), ("标准", 0.5), ("补贴", 0.5), ("申领", 0.8), ("办理", 0.6),
        ("哪里投诉", 2.0), ("去哪投诉", 2.0), ("怎么投诉", 2.0), ("向谁反映", 1.5), ("合法吗", 1.5),
        ("询问", 1.2), ("是真的吗", 2.0),
    ],
    "help": [
        ("不亮", 1.2), ("没人收", 1.0), ("信号", 0.8), ("停运", 1.0), ("倾斜", 1.0), ("歪了", 1.0),
        ("井盖", 1.0), ("隐患", 0.8), ("纠纷", 1.5), ("争执", 1.5), ("调解", 1.0), ("低保", 1.0), ("入学难", 1.5),
        ("核实", 0.8), ("恢复", 0.8), ("裂缝", 1.0), ("浑浊", 1.0), ("咬伤", 1.2), ("煤气味", 1.5), ("燃气味", 1.5),
        ("关在里面", 2.0), ("派人", 1.2), ("没医生", 1.0), ("看病", 0.6), ("宣传", 0.6), ("危房", 1.0),
        ("无人照料", 1.5), ("纳入", 0.8), ("不便", 0.8),
        ("求助", 3.0), ("帮忙", 2.0), ("帮助", 1.5), ("帮帮", 2.0), ("救助", 2.0), ("困难", 1.0), ("报修", 2.0),
        ("维修", 1.0), ("坏了", 1.5), ("停水", 1.5), ("停电", 1.5), ("漏水", 1.2), ("走失", 2.0), ("被困", 2.0),
        ("没水", 1.2), ("没电", 1.2), ("断水", 1.5), ("断电", 1.5), ("请求", 0.8), ("急需", 1.0), ("救救", 2.0),
        ("找不到", 1.0), ("联系不上", 1.0), ("漏气", 1.5), ("堵了", 1.2), ("爆管", 1.5), ("无法", 0.5),
        ("帮我", 1.5), ("协调", 0.8), ("尽快", 0.5), ("抢修", 1.5), ("不能用", 1.0), ("用不了", 1.0),
    ],
    "suggestion": [
        ("建议", 2.5), ("提议", 2.0), ("增设", 1.5), ("能否增加", 1.5), ("希望增加", 1.5), ("意见", 0.8),
        ("改进", 1.0), ("优化", 1.0), ("可以考虑", 1.5), ("是否可以", 0.8), ("呼吁", 1.5), ("完善", 0.8),
        ("加装", 1.2), ("增加", 0.6), ("设置", 0.5), ("规划", 0.6), ("合理化", 1.5), ("建设", 0.4),
        ("加一班", 1.5), ("加开", 1.5), ("开通", 0.6), ("增加频次", 1.0),
    ],
    "praise": [
        ("表扬", 3.0), ("感谢", 2.5), ("点赞", 2.0), ("点个赞", 2.0), ("锦旗", 3.0), ("赞扬", 2.0), ("称赞", 2.0), ("好评", 1.5),
        ("辛苦了", 1.0), ("致谢", 2.0), ("感谢信", 3.0), ("非常满意", 1.5), ("很满意", 1.2), ("热心", 1.0),
        ("及时帮", 1.0), ("负责任", 1.0), ("尽职", 1.2), ("暖心", 1.5),
    ],
}  # fmt: skip
_KW_RE = {k: [(re.compile(re.escape(w)), s) for w, s in v] for k, v in _KW.items()}
_WORKER = re.compile(r"(网格员|网格上报|网格事件|网格：|巡查发现|走访)")
_PRAISE_LEAD = re.compile(r"(表扬|锦旗|感谢信|点赞|点个赞)")
# 不是要投诉: a denied type word; 去哪里投诉/怎么举报: a question about where to turn, not the act
_NEG = re.compile(r"(?:(?:不是|并非|不想|不要|没有|无需|不用|不算)(?:要|想)?|哪里|去哪|怎么|向谁|找谁|如何)$")
_POLITE = re.compile(r"(谢谢|感谢您|感谢你|辛苦|麻烦)[^。！!]{0,4}$")


def appeal_type_scores(text: str, agent_spans: list[tuple[int, int]] | None = None) -> dict[str, float]:
    """Rule score per appeal type, normalised to sum 1 (``other`` carries the leftover mass)."""
    agent = agent_spans or []
    raw: dict[str, float] = dict.fromkeys(APPEAL_TYPES, 0.0)
    agent_mask = bytearray(len(text) + 1)
    for a, b in agent:
        agent_mask[a:b] = b"\x01" * (b - a)
    for cls, pats in _KW_RE.items():
        for pat, w in pats:
            for m in pat.finditer(text):
                if _NEG.search(text[max(0, m.start() - 4) : m.start()]):
                    continue
                weight = w
                if agent_mask[m.start()]:
                    # the agent's questions (请问您贵姓, 是这个号码吗) say nothing about the appeal;
                    # only an explicit type word the agent repeats back counts, at half weight
                    weight *= 0.5 if w >= 2.5 else 0.0
                if cls == "praise" and m.group(0) in ("感谢",):
                    # "感谢您/谢谢" at the end of a call is courtesy, not praise
                    tail = text[m.end() : m.end() + 12]
                    if (
                        re.match(
                            r"(您|你)?(的)?(接听|帮助|解答|受理|回复)?[。！!，,]?$",
                            tail,
                        )
                        or m.start() > len(text) - 12
                    ):
                        weight *= 0.3
                raw[cls] += weight
    # a suggestion word inside a complaint ("建议有关部门尽快处理") is a request, not a suggestion
    if raw["complaint"] >= 2.5 or raw["report"] >= 2.5:
        raw["suggestion"] *= 0.4
    # questions from the citizen lean towards a consultation
    q = sum(1 for i, c in enumerate(text) if c in "？?" and not agent_mask[i])
    raw["consult"] += min(q, 2) * 0.8
    # an A-not-A question from the citizen (开不开, 能不能, 有没有) asks for information
    if any(not agent_mask[m.start()] for m in re.finditer(r"([\u4e00-\u9fff])[不没]\1", text)):
        raw["consult"] += 0.8
    # priors: most hotline appeals that name no type are complaints about a problem, then requests for
    # help; a grid worker's or visiting official's record asks for a service, not redress
    if _WORKER.search(text[:60]):
        raw["help"] += 1.0
    else:
        raw["complaint"] += 0.6
        raw["help"] += 0.3
    # an explicit praise word outweighs the problem the praise is about (漏水 … 帮我们跑了好几趟),
    # and more so when the text opens with it (为…点个赞！)
    lead = _PRAISE_LEAD.search(text)
    if lead:
        raw["praise"] *= 3.0 if lead.start() < 30 else 1.6
    raw["other"] = 0.25
    total = sum(raw.values())
    return {k: v / total for k, v in raw.items()}


def appeal_type(text: str, agent_spans: list[tuple[int, int]] | None = None) -> tuple[str, float, dict[str, float]]:
    scores = appeal_type_scores(text, agent_spans)
    best = max(scores, key=lambda k: scores[k])
    return best, scores[best], scores


_EMERGENCY = re.compile(
    r"(着火|起火|失火|火灾(?!隐患)|火情|冒烟|燃气泄漏|煤气泄漏|天然气泄漏|漏气|煤气味|燃气味|爆炸|被困|困在|触电(?!隐患|危险|风险)|坍塌|倒塌|塌方|"
    r"溺水|落水|有人受伤|生命危险|救命|昏迷|大出血|跳楼|轻生|自杀|砸伤|砸到人|人员伤亡|危及生命|出人命|快不行|"
    r"燃气管.{0,4}(?:破|断|裂)|冒气|请求救援|求救|船舱.{0,3}进水|决口|溃堤|一氧化碳|缺口[^。]{0,12}大潮|"
    r"(?:天然气|液化气|煤气|燃气)[^。，,]{0,2}味|困人|关人|关在电梯|电梯里出不来|把人关在|关在里面|"
    r"(?:渔船|船)[^。]{0,40}(?:联系不上|失联|没回来|都没回|还没回|打不通)|山体[^。，]{0,4}滑坡|泥石流)"
)
_URGENT = re.compile(
    r"(紧急|很急|非常急|特别急|着急|急需|急死|马上|立即|立刻|火速|有危险|很危险|非常危险|危险|随时可能|安全隐患|"
    r"停水|停电|断水|断电|没水|没电(?!梯|话|动|脑|视)|没有水|没有电(?!梯|话|动|脑|视)|爆管|积水|淹|倒伏|断裂|脱落|掉落|松动|下水道堵|井盖|电线|漏电|"
    r"摇摇欲坠|隐患|被骗|诈骗|安全账户|制氧机|大潮|台风)"
)
_VULNERABLE = re.compile(r"(老人|孩子|小孩|婴儿|宝宝|孕妇|病人|患者|残疾|瘫痪|独居|高龄|卧床|学生)")
_STRONG_URGENT = re.compile(
    r"(紧急|很急|非常急|特别急|急需|马上|立即|立刻|火速|随时可能|漏电|摇摇欲坠|坠落风险|倒塌风险|"
    r"安全账户|正在转账|被骗了|制氧机|(?:今晚|今天|明天|后天|近日|这几天)[^。]{0,8}大潮|"
    r"井盖(?:被)?(?:翻|掀|移位|丢|缺失|没了|不见)|(?:裂缝|裂口|缺口|垮)[^。]{0,12}大潮)"
)
# An imminent hazard as grid workers and visiting officials record it: something about to fall on
# people, a fire risk, a water or animal-disease risk (gold README: "an imminent hazard" is urgent)
_HAZARD = re.compile(
    r"(?:脱落|松脱|掉落|坠落|松动|倾斜|空鼓|掉下来|砸在)[^。]{0,20}(?:下方|行人|人行道|路边|过往|居民|晒网|学生)|"
    r"(?:下方|行人|人行道)[^。]{0,12}(?:脱落|掉落|坠落|松动|倾斜)|(?:掉落|坠落|掉下来?)[^。]{0,6}砸|"
    r"飞线|私拉电线|电瓶车[^。]{0,8}充电|消防通道|消防栓[^。]{0,4}(?:无|没)|灭火器[^。]{0,4}过期|液化气钢瓶|"
    r"火灾隐患|触电(?:隐患|危险|风险)|电线老化|水位上涨|溢洪道[^。]{0,6}堵|台风[^。]{0,12}(?:损毁|掀|冲毁|吹倒)|猪瘟|禽流感|病死|"
    r"(?:自来水|水)[^。]{0,4}(?:浑浊|发黄|发臭)|"
    # a burst main flooding the road; a hole in the road that riders fall into at night
    r"(?:水管|自来水管|供水管)[^。，]{0,3}(?:爆|破裂|裂开)|(?:塌陷|坑)[^。]{0,30}(?:摔进|掉进|摔倒|没有路灯)"
)
_NEG_EMERGENCY = re.compile(r"(没有|没|未|无|不是|防止|预防|以免|避免|担心|怕|万一|容易|可能|会不会|防)")


def urgency(text: str) -> tuple[str, float, list[tuple[int, int]]]:
    spans: list[tuple[int, int]] = []
    for m in _EMERGENCY.finditer(text):
        if _NEG_EMERGENCY.search(text[max(0, m.start() - 5) : m.start()]):
            continue
        spans.append(m.span())
    if spans:
        return "emergency", 0.8, spans
    strong = [
        m.span()
        for m in _STRONG_URGENT.finditer(text)
        if not _NEG_EMERGENCY.search(text[max(0, m.start() - 3) : m.start()])
    ]
    weak = [m.span() for m in _URGENT.finditer(text)]
    vulnerable = _VULNERABLE.search(text)
    utility = next(
        (
            m
            for m in re.finditer(
                r"((?<!计划)停水|(?<!计划)停电|断水|断电|没水|没电(?!梯|话|动|脑|视)|没有水|没有电(?!梯|话|动|脑|视)|停气|"
                r"停了.{0,4}[水电气]|自来水[^。，]{0,10}(?:没了|不来|断了))",
                text,
            )
            # 停了四次电, 三次停电: outages that came and went are a complaint, not water or power out now
            if not re.search(r"[一二三四五六七八九十几两\d]+次", text[max(0, m.start() - 3) : m.end() + 3])
            and text[max(0, m.start() - 1) : m.start()] != "一"  # 一停水就是好几天: whenever
        ),
        None,
    )
    # water or power out is urgent on its own (gold README); a hazard word needs a second sign
    hazard = [m.span() for m in _HAZARD.finditer(text)]
    if strong or utility or hazard:
        return "urgent", 0.7, (strong or hazard or weak)[:3]
    if len(weak) >= 2 and vulnerable:
        return "urgent", 0.55, weak[:3]
    return "normal", 0.7 if not weak else 0.55, []


_SECRET = re.compile(
    r"(保密|不要透露|别透露|不愿透露|不要泄露|不想透露|匿名|不想让[^，。]{0,8}知道|不要让[^，。]{0,8}知道|怕报复|担心报复|害怕报复|"
    r"遭到报复|打击报复|不要告诉|隐去|保护我的|保护举报人|身份保密|信息保密|不要公开|"
    r"(?:别|不要|不能)(?:说|讲|告诉[^，。]{0,6})是我|不想留名|不愿留名|不留名|怕被报复|怕遭报复)"
)
_REPORT = re.compile(r"(举报|检举|揭发|控告)")
_TARGET = re.compile(
    r"(书记|主任|局长|村长|镇长|乡长|所长|科长|队长|站长|院长|校长|干部|领导|官员|公务员|工作人员|民警|警察|执法人员|城管|"
    r"村委|居委|社区|街道|政府|部门|局|公司|企业|厂|单位|店|餐馆|饭店|工地|商家|酒店|宾馆|超市|老板|经理|负责人|医院|学校|机构)"
)


def confidential(text: str) -> tuple[bool, float, list[tuple[int, int]]]:
    m = _SECRET.search(text)
    if (m and not _NEG_EMERGENCY.search(text[max(0, m.start() - 2) : m.start()])) or (
        m and text[max(0, m.start() - 2) : m.start()].endswith("请")
    ):
        return True, 0.9, [m.span()]
    r = _REPORT.search(text)
    if r:
        t = _TARGET.search(text, r.end(), min(len(text), r.end() + 40))
        if t:
            return True, 0.75, [r.span(), t.span()]
        return False, 0.55, []
    return False, 0.8, []


# ---------------------------------------------------------------- summary
_SKIP_SENT = re.compile(
    r"(您好|你好|喂|请问您|贵姓|我叫|我姓|免贵|本人姓|电话|手机|号码|身份证|谢谢|再见|不客气|请讲|请说|好的|嗯|记录|"
    r"稍等|还有别的|还有其他|请问还有|您说|您的|对的|是的|没有了|麻烦你|麻烦您)"
)
_SKIP_CLAUSE = re.compile(
    r"^(?:您好|你好|喂|哎|嗯|好的|是的|对的|对|谢谢|再见)|贵姓|我叫|我姓|免贵|本人姓|我是[^，。]{0,6}$|电话|手机|号码|身份证|"
    r"谢谢|再见|我住在|家住|住在|我家在|联系方式|^[^，。]{0,4}(?:先生|女士)$"
)
_LEAD = re.compile(
    r"^(?:我想|我要|我来|想|要|我)?(?:反映|投诉|举报|咨询|求助|建议|问)(?:一下|个|下)?(?:[，,:：]|的是|就是)?"
)


def summarise(
    text: str,
    citizen_spans: list[tuple[int, int]],
    place: str | None,
    pii: list[tuple[int, int]],
    who: str = "市民",
) -> tuple[str | None, tuple[Evidence, ...]]:
    """who/where/what in one line (≤ 60 chars), PII removed."""
    from .normalize import sentences

    chars = list(text)
    for a, b in pii:
        for k in range(a, min(b, len(chars))):
            chars[k] = "\0"
    clean = "".join(chars)
    what: str | None = None
    ev: tuple[Evidence, ...] = ()
    for cs, ce in citizen_spans:
        for s, e in sentences(clean, cs, ce):
            parts: list[str] = []
            for clause in re.split(r"[，,、：:]", clean[s:e]):
                c = clause.strip()
                if not c or ("\0" in c and len(c.replace("\0", "")) < 4) or _SKIP_CLAUSE.search(c):
                    continue
                c = c.replace("\0", "")
                c = re.sub(r"[（(][^）)]*[）)]", "", c)
                c = _LEAD.sub("", c).strip()
                if len(c) >= 2:
                    parts.append(c)
            sent = "，".join(parts)
            if len(sent) >= 6:
                what = sent
                ev = (Evidence(s, e, text[s:e]),)
                break
        if what:
            break
    if not what:
        return None, ()
    where = ""
    if place and place not in what:
        where = place
    line = f"{who}反映{where}{'：' if where else ''}{what}"
    if len(line) > 60:
        line = line[:59] + "…"
    return line, ev
