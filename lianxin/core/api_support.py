"""API plumbing shared by every domain: pagination and one shape for every error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, parsers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from lianxin.core.errors import ActionError


class Pagination(CursorPagination):
    """Cursor pages: no COUNT(*) and no OFFSET, so page 1 and page 10,000 cost the same on millions of rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-received_at", "-id")

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, OverflowError):
            # A hand-made cursor whose position is not a value of the ordering field (or out of its range).
            if request.query_params.get(self.cursor_query_param):
                raise exceptions.NotFound(self.invalid_cursor_message) from None
            raise


class JSONParser(parsers.JSONParser):
    """JSON nested so deep that the parser recurses out of stack is a bad request, not a 500."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON嵌套层数过多")) from None


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        return f"{key}: {_first_message(value)}"
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error is JSON: {"detail": a sentence a person understands, "field": ..., "errors": {...}}."""
    if isinstance(exc, ActionError):
        body: dict[str, Any] = {"detail": exc.message, "code": type(exc).__name__}
        if exc.field:
            body["field"] = exc.field
            body["errors"] = {exc.field: [exc.message]}
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        return Response({"detail": _("未找到（不存在或无权查看）"), "code": "NotFound"}, status=404)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": _("无权执行此操作"), "code": "Forbidden"}, status=403)
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, which names this module, so a
    # module-level import fails whenever this module is the first to load DRF's views (manage.py migrate).
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "detail": _("输入有误：%(msg)s") % {"msg": _first_message(errors)},
            "code": "ValidationError",
            "errors": errors,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.ParseError):
        response.data = {"detail": _("请求体不是有效的JSON：%(msg)s") % {"msg": exc.detail}, "code": "ParseError"}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data["code"] = type(exc).__name__
    return response


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/v1/ (e.g. /orders/-1): the API's JSON 404, not the HTML page."""
    return JsonResponse({"detail": _("未找到（不存在或无权查看）"), "code": "NotFound"}, status=404)


_DB_INT_BOUNDS = {32767, 2147483647, 9223372036854775807, -32768, -2147483648, -9223372036854775808}


def portable_integers(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: drop integer bounds that only echo the database backend.

    Django derives them from the connection (SQLite and PostgreSQL differ), so without this the
    committed schema would depend on which database generated it.
    """

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "integer":
                for key in ("maximum", "minimum"):
                    if node.get(key) in _DB_INT_BOUNDS:
                        del node[key]
                if node.get("format") == "int64":
                    del node["format"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
