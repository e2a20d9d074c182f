"""The orders API: list, create, detail, timeline, and one endpoint per action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lianxin.core.errors import InvalidInput, NotFound
from lianxin.core.models import User
from lianxin.orders import actions
from lianxin.orders.api import inputs
from lianxin.orders.api.filters import OrderFilter
from lianxin.orders.api.outputs import EventOutput, OrderDetailOutput, OrderListOutput
from lianxin.orders.intake_hook import draft_from_input
from lianxin.orders.models import Order
from lianxin.orders.policy import visible_orders

LIST_RELATED = ("category", "district", "town", "lead_unit")
_ORG_COLUMNS = ("code", "name", "short_name", "path")
# What a list row shows (OrderListOutput), and nothing else: the order's text, AI suggestions and
# timestamps are most of a row's width, and decoding unused JSON cost more than the query.
LIST_COLUMNS = (
    "id", "number", "status", "channel", "appeal_type", "urgency", "title", "summary", "address",
    "received_at", "sign_due", "reply_due", "was_overdue", "supervised", "version",
    "appellant_name", "appellant_phones", "appellant_id_number", "is_confidential",
    "category__code", "category__name",
    *(f"{rel}__{column}" for rel in ("district", "town", "lead_unit", "reported_unit") for column in _ORG_COLUMNS),
)  # fmt: skip
MAX_IDEMPOTENCY_KEY = Order._meta.get_field("idempotency_key").max_length or 80


def visible_for(request: Request) -> QuerySet[Order]:
    user = request.user
    assert isinstance(user, User)
    return visible_orders(user)


class OrderListCreate(generics.ListAPIView):
    serializer_class = OrderListOutput
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrderFilter

    def get_queryset(self) -> QuerySet[Order]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Order.objects.none()
        return visible_for(self.request).select_related(*LIST_RELATED, "reported_unit").only(*LIST_COLUMNS)

    @extend_schema(
        request=inputs.OrderCreateInput,
        responses={201: OrderDetailOutput, 200: OrderDetailOutput},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        description="Create an order. The same idempotency key twice returns the first order (200).",
    )
    def post(self, request: Request) -> Response:
        data = inputs.OrderCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        key = request.headers.get("Idempotency-Key") or values.pop("idempotency_key", None)
        values.pop("idempotency_key", None)
        if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
            raise InvalidInput(_("幂等键最长%(n)d个字符") % {"n": MAX_IDEMPOTENCY_KEY}, "idempotency_key")
        user = request.user
        assert isinstance(user, User)
        draft = draft_from_input(values)
        order, created = actions.create_order(user, draft, idempotency_key=key)
        body = OrderDetailOutput(order, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class BatchResult(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    created = serializers.BooleanField(help_text="False when the idempotency key named an existing order.")


class BatchOutput(serializers.Serializer):
    created = serializers.IntegerField()
    results = BatchResult(many=True)


class OrderBatchCreate(APIView):
    @extend_schema(
        request=inputs.OrderBatchInput,
        responses={201: BatchOutput, 200: BatchOutput},
        description="Create up to 500 orders in one transaction (imports, channel gateways): all or none. "
        "Errors name the item, e.g. `orders.3.town`. Results are in input order; an item whose "
        "idempotency_key was used before returns that order with created=false.",
    )
    def post(self, request: Request) -> Response:
        data = inputs.OrderBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        items = []
        for index, values in enumerate(data.validated_data["orders"]):
            values = dict(values)
            key = values.pop("idempotency_key", None)
            try:
                draft = draft_from_input(values)
            except InvalidInput as error:
                raise InvalidInput(error.message, f"orders.{index}.{error.field}") from None
            items.append(actions.NewOrder(draft, key, field_prefix=f"orders.{index}."))
        results = actions.create_orders(user, items)
        body = {
            "created": sum(created for _order, created in results),
            "results": [
                {"id": order.pk, "number": order.number, "status": order.status, "created": created}
                for order, created in results
            ],
        }
        return Response(body, status=status.HTTP_201_CREATED if body["created"] else status.HTTP_200_OK)


class OrderDetail(APIView):
    @extend_schema(
        responses=OrderDetailOutput,
        parameters=[OpenApiParameter("unmask", bool, description="Show full phone/ID (audited; roles that need it).")],
    )
    def get(self, request: Request, pk: int) -> Response:
        order = get_object_or_404(visible_for(request).select_related(*LIST_RELATED, "community", "parent"), pk=pk)
        unmask = request.query_params.get("unmask") in ("1", "true")
        return Response(OrderDetailOutput(order, context={"request": request, "unmask": unmask}).data)


class OrderTimeline(APIView):
    @extend_schema(responses=EventOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        order = get_object_or_404(visible_for(request), pk=pk)
        events = order.events.select_related("actor", "actor_unit").order_by("seq")
        return Response(EventOutput(events, many=True).data)


def _parent(value: str, user: User) -> Order:
    qs = visible_orders(user)
    order = qs.filter(number=value).first() or (
        qs.filter(pk=int(value)).first() if value.isascii() and value.isdigit() else None
    )
    if order is None:
        raise NotFound(_("目标工单不存在或无权查看"), "into")
    return order


Runner = Callable[[Order, User, dict[str, Any]], Order]
ACTIONS: dict[str, tuple[type[serializers.Serializer], Runner, str]] = {
    "accept": (inputs.VersionedInput, lambda o, u, d: actions.accept(o, u, **d), "受理并转派单"),
    "answer": (inputs.AnswerInput, lambda o, u, d: actions.answer_at_intake(o, u, **d), "直办答复并办结"),
    "dispatch": (inputs.DispatchInput, lambda o, u, d: actions.dispatch(o, u, **d), "派单给主办和协办单位"),
    "sign": (inputs.VersionedInput, lambda o, u, d: actions.sign(o, u, **d), "承办单位签收"),
    "request_return": (inputs.ReturnInput, lambda o, u, d: actions.request_return(o, u, **d), "申请退单"),
    "redispatch": (inputs.DispatchInput, lambda o, u, d: actions.redispatch(o, u, **d), "同意退单并改派"),
    "reject_return": (inputs.ReasonRequiredInput, lambda o, u, d: actions.reject_return(o, u, **d), "驳回退单"),
    "request_extension": (
        inputs.ExtensionInput,
        lambda o, u, d: actions.request_extension(o, u, **d),
        "申请延期",
    ),
    "approve_extension": (
        inputs.VersionedInput,
        lambda o, u, d: actions.decide_extension(o, u, approve=True, **d),
        "批准延期",
    ),
    "reject_extension": (
        inputs.ReasonRequiredInput,
        lambda o, u, d: actions.decide_extension(o, u, approve=False, **d),
        "驳回延期",
    ),
    "reply": (
        inputs.ReplyInput,
        lambda o, u, d: actions.reply(
            o, u, text=d["text"], attachments=d.get("attachments"), expected_version=d.get("expected_version")
        ),
        "答复",
    ),
    "callback": (
        inputs.CallbackInput,
        lambda o, u, d: actions.callback(o, u, note=d.pop("reason", ""), **d),
        "回访：是否联系上、是否解决、满意度",
    ),
    "close": (inputs.VersionedInput, lambda o, u, d: actions.close(o, u, **d), "办结"),
    "redo": (inputs.ReasonRequiredInput, lambda o, u, d: actions.redo(o, u, **d), "重办"),
    "merge": (
        inputs.MergeInput,
        lambda o, u, d: actions.merge(o, u, into=_parent(d["into"], u), reason=d["reason"]),
        "并单：把本工单并入另一工单",
    ),
    "unmerge": (inputs.ReasonRequiredInput, lambda o, u, d: actions.unmerge(o, u, reason=d["reason"]), "撤销并单"),
    "remind": (inputs.VersionedInput, lambda o, u, d: actions.remind(o, u, reason=d.get("reason", "")), "催办"),
    "supervise": (
        inputs.ReasonRequiredInput,
        lambda o, u, d: actions.supervise(o, u, reason=d["reason"]),
        "督办",
    ),
}


def action_view(name: str) -> type[APIView]:
    input_class, runner, summary = ACTIONS[name]

    class ActionView(APIView):
        @extend_schema(request=input_class, responses=OrderDetailOutput, summary=summary, operation_id=f"orders_{name}")
        def post(self, request: Request, pk: int) -> Response:
            user = request.user
            assert isinstance(user, User)
            order = get_object_or_404(visible_for(request), pk=pk)
            payload = input_class(data=request.data)
            payload.is_valid(raise_exception=True)
            runner(order, user, dict(payload.validated_data))
            # Re-read as the actor sees it now: after a redispatch it may no longer be theirs.
            updated = Order.objects.select_related(*LIST_RELATED, "community", "parent").get(pk=pk)
            return Response(OrderDetailOutput(updated, context={"request": request}).data)

    ActionView.__name__ = f"Order{''.join(p.title() for p in name.split('_'))}View"
    return ActionView
