"""Text normalisation for comparing appeals: drop personal data and call-centre boilerplate.

Two re-submissions of one problem differ mostly in what this module removes: the caller's name
and phone number, greetings, the call-taker's template (来电反映, 坐席：, 联系电话 ...), spacing and
punctuation. What remains is the problem and its place, which is what the MinHash compares.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_for_compare", "place_hint"]

_SPOKEN_DIGITS = "零〇一二三四五六七八九幺两"
_SPOKEN_VALUE = {c: str(i) for i, c in enumerate("零一二三四五六七八九")}
_SPOKEN_VALUE.update({"〇": "0", "幺": "1", "两": "2"})

# Runs of 7+ spoken digits are phone numbers or IDs read aloud (幺三九五八零七六五四三).
_SPOKEN_RUN = re.compile(f"[{_SPOKEN_DIGITS}]{{7,}}")
_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)")
_PHONE = re.compile(r"(?:\+?86)?(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}\d{7,8}|\d{7,8})(?!\d)")
_LONG_DIGITS = re.compile(r"\d{7,}")
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\-－—]+(?=\d)")

_SURNAME_HINT = "先生|女士|小姐|师傅|阿姨|大爷|大妈"
_NAME_TITLE = re.compile(rf"[\u4e00-\u9fff]{{1,2}}(?:{_SURNAME_HINT})")
_NAME_XING = re.compile(r"姓[\u4e00-\u9fff](?:名[\u4e00-\u9fff]{1,2})?")
_NAME_FIELD = re.compile(
    r"(?:诉求人|来电人|反映人|联系人|投诉人|举报人|姓名|市民|业主|本人|我叫|我是)"
    r"[：:\s]*[\u4e00-\u9fff]{2,3}(?=[，,。；;\s：:（(]|$)"
)

_BOILERPLATE = [
    r"来电反映", r"来电称", r"来电咨询", r"来电投诉", r"来电求助", r"来电举报", r"来电",
    r"网上反映", r"网友反映", r"市民反映", r"群众反映", r"据反映", r"反映",
    r"坐席[：:]", r"话务员[：:]", r"市民[：:]", r"来电人[：:]", r"诉求人[：:]", r"客服[：:]",
    r"联系电话[：:]?", r"联系方式[：:]?", r"电话号码[：:]?", r"手机号码?[：:]?", r"电话[：:]?", r"手机",
    r"您好", r"你好", r"谢谢您?", r"感谢", r"麻烦了?", r"辛苦了?", r"尊敬的领导", r"领导",
    r"请相关部门", r"请有关部门", r"希望相关部门", r"希望有关部门", r"请尽快", r"尽快",
    r"处理一下", r"帮忙", r"请问", r"要求", r"诉求", r"工单", r"市民",
    r"再见", r"好的", r"嗯", r"喂",
]
_BOILERPLATE_RE = re.compile("|".join(sorted(_BOILERPLATE, key=len, reverse=True)))
_KEEP = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def _spoken_to_digits(match: re.Match[str]) -> str:
    return "".join(_SPOKEN_VALUE[c] for c in match.group(0))


def normalize_for_compare(text: str | None) -> str:
    """Return ``text`` reduced to its comparable content.

    Steps: NFKC (full-width to half-width), lower case, spoken digit runs to digits, digit runs
    joined across spaces and dashes, ID numbers / phone numbers / other long numbers removed,
    names with an honorific (张先生, 王女士, 姓李) and labelled names removed, boilerplate removed,
    then everything but CJK characters, ASCII letters and digits dropped.
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).lower()
    s = _SPOKEN_RUN.sub(_spoken_to_digits, s)
    s = _DIGIT_GAP.sub("", s)
    s = _ID_NUMBER.sub(" ", s)
    s = _PHONE.sub(" ", s)
    s = _LONG_DIGITS.sub(" ", s)
    s = _NAME_FIELD.sub(" ", s)
    s = _NAME_TITLE.sub(" ", s)
    s = _NAME_XING.sub(" ", s)
    s = _BOILERPLATE_RE.sub(" ", s)
    return _KEEP.sub("", s)


_PLACE_HINT = re.compile(r"([\u4e00-\u9fff]{2,4}?)(社区|村|小区|花园|苑|新村|家园|公寓)")
_ADMIN_SPLIT = re.compile(r"街道|[省市区县镇乡]")
_PLACE_STOP = re.compile(r"^(我们|我家|这个|那个|本|该|所在|附近|隔壁|整个|我|的)+")


def place_hint(text: str | None) -> str | None:
    """The finest place named in ``text`` (the last 社区/村/小区-like name), or None.

    Used to tell "the same problem at another place" apart from a re-submission when the order
    carries no community code.
    """
    if not text:
        return None
    s = unicodedata.normalize("NFKC", text)
    found = None
    for m in _PLACE_HINT.finditer(s):
        name = _PLACE_STOP.sub("", _ADMIN_SPLIT.split(m.group(1))[-1])
        if len(name) >= 2:
            found = name + m.group(2)
    return found
