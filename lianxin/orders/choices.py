"""The vocabularies of a work order (domain.md §2–§3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12345热线")
    WEB = "web", _("网站/APP/小程序")
    OPEN311 = "open311", _("Open311接口")
    PETITION_LETTER = "petition_letter", _("来信")
    PETITION_VISIT = "petition_visit", _("来访")
    PETITION_ONLINE = "petition_online", _("网上信访")
    GRID = "grid", _("网格上报")
    VISIT = "visit", _("走访")
    PARTNER = "partner", _("合作热线")
    EXCEL = "excel", _("Excel导入")


PETITION_CHANNELS = frozenset({Channel.PETITION_LETTER, Channel.PETITION_VISIT, Channel.PETITION_ONLINE})


class AppealType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬/感谢")
    OTHER = "other", _("其他")


class PetitionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议意见类")
    ACCUSATION = "accusation", _("检举控告类")
    CLAIM = "claim", _("申诉求决类")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急")


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ANSWERED = "answered", pgettext_lazy("order status", "直办办结")  # the button has the same Chinese words
    AWAITING_DISPATCH = "awaiting_dispatch", _("待派单")
    DISPATCHED = "dispatched", _("已派单")
    RETURN_REQUESTED = "return_requested", _("退单申请中")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复待回访")
    CALLED_BACK = "called_back", _("已回访")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.AWAITING_DISPATCH,
        Status.DISPATCHED,
        Status.RETURN_REQUESTED,
        Status.HANDLING,
        Status.REPLIED,
        Status.CALLED_BACK,
    }
)
FINISHED_STATUSES = frozenset({Status.ANSWERED, Status.CLOSED})


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class AssignmentState(models.TextChoices):
    DISPATCHED = "dispatched", _("已派发")
    SIGNED = "signed", _("已签收")
    REPLIED = "replied", _("已答复")
    WITHDRAWN = "withdrawn", _("已收回")


class RequestState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
