from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lianxin.core.models import User
from lianxin.core.serializer_fields import DateTimeField, StrictSerializer, TextField
from lianxin.intake.analysis import MAX_TEXT
from lianxin.intake.service import suggest


class AnalyzeInput(StrictSerializer):
    text = TextField(max_length=MAX_TEXT, help_text="Transcript, message, report, letter or visit note.")
    received_at = DateTimeField(required=False, help_text="Relative times resolve against this.")
    similar = serializers.BooleanField(required=False, default=True)

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("文本不能为空"))
        return value


class AnalyzeView(APIView):
    @extend_schema(
        request=AnalyzeInput,
        responses={200: {"type": "object"}},
        description="Suggested order fields, each with value, confidence, evidence (character offsets) and "
        "needs_review; similar earlier orders with score and reasons. No side effects.",
    )
    def post(self, request: Request) -> Response:
        data = AnalyzeInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        analysis = suggest(
            data.validated_data["text"],
            data.validated_data.get("received_at") or timezone.now(),
            user=user,
            with_similar=data.validated_data["similar"],
        )
        return Response(analysis.to_dict())
