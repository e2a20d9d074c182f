"""The optional LLM backend. The endpoint is a local fake HTTP server: an LLM service is a boundary we
do not own, and no network is reachable here."""

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import override_settings

from lianxin.intake.service import suggest

TEXT = "市民张女士反映定海区昌国街道东管庙社区人民中路路灯不亮已经一周了，希望尽快维修。"
REPLIES: list[Any] = []


class FakeLLM(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        json.loads(self.rfile.read(length))
        reply = REPLIES.pop(0)
        if reply == "error":
            self.send_response(500)
            self.end_headers()
            return
        body = json.dumps({"choices": [{"message": {"content": json.dumps(reply, ensure_ascii=False)}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_llm() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def field(value: Any, quote: Any, confidence: float = 0.9) -> dict[str, Any]:
    return {"value": value, "quote": quote, "confidence": confidence}


GOOD = {
    "appellant_name": field("张女士", "张女士"),
    "address": field("人民中路", "人民中路"),
    "appeal_type": field("help", "希望尽快维修"),
    "urgency": field("normal", None),
    "summary": field("东管庙社区路灯不亮", None),
}


@pytest.mark.django_db
def test_llm_fields_carry_evidence(fake_llm: str) -> None:
    REPLIES[:] = [GOOD]
    with override_settings(LLM_ENDPOINT=fake_llm, LLM_MODEL="fake-model"):
        analysis = suggest(TEXT, dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), with_similar=False)
    assert analysis.backend == "llm"
    name = analysis.fields["appellant_name"]
    assert name.value == "张女士" and name.source == "llm"
    assert TEXT[name.evidence[0]["start"] : name.evidence[0]["end"]] == "张女士"


@pytest.mark.django_db
def test_llm_value_without_evidence_in_text_is_dropped(fake_llm: str) -> None:
    REPLIES[:] = [{**GOOD, "appellant_name": field("王五", "王五")}]
    with override_settings(LLM_ENDPOINT=fake_llm, LLM_MODEL="fake-model"):
        analysis = suggest(TEXT, dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), with_similar=False)
    assert analysis.fields["appellant_name"].source != "llm"


@pytest.mark.django_db
@pytest.mark.parametrize("reply", ["error", {"appellant_name": "not an object"}])
def test_llm_failure_or_invalid_reply_falls_back_to_local(fake_llm: str, reply: Any) -> None:
    REPLIES[:] = [reply]
    with override_settings(LLM_ENDPOINT=fake_llm, LLM_MODEL="fake-model"):
        analysis = suggest(TEXT, dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), with_similar=False)
    assert analysis.backend == "local"
    assert analysis.fields["town"].value == "330902001"


@pytest.mark.django_db
def test_unreachable_llm_falls_back() -> None:
    with override_settings(LLM_ENDPOINT="http://127.0.0.1:9/v1", LLM_MODEL="m", LLM_TIMEOUT_SECONDS=1):
        analysis = suggest(TEXT, dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), with_similar=False)
    assert analysis.backend == "local"
