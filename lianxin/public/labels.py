"""Labels from other apps' vocabularies that the public pages show, marked so this app's catalogue has them.

The public pages must read in English even when another app's catalogue has not translated these yet;
a translation there (earlier in LOCALE_PATHS) wins over this one.
"""

from django.utils.translation import gettext_noop

SHARED_LABELS = [
    # orders.choices.AppealType and Satisfaction
    gettext_noop("咨询"),
    gettext_noop("求助"),
    gettext_noop("投诉"),
    gettext_noop("举报"),
    gettext_noop("建议"),
    gettext_noop("表扬/感谢"),
    gettext_noop("其他"),
    gettext_noop("满意"),
    gettext_noop("基本满意"),
    gettext_noop("不满意"),
    # analytics.kpis.DEFINITIONS for the figures of the league table
    gettext_noop("统计期内受理的工单数"),
    gettext_noop("按期答复率 = 按期答复数 / 已答复与已超期未答复之和"),
    gettext_noop("办结率 = 已办结（含直办）/ 受理数"),
    gettext_noop("满意率 = (满意 + 0.9 × 基本满意) / 联系上数"),
    gettext_noop("综合评分 = 0.1 × 响应率 + 0.5 × 解决率 + 0.4 × 满意率"),
]
