"""Optional large-language-model backend behind an OpenAI-compatible endpoint.

It fills the same fields with the same evidence contract: every value must quote the text it
came from, the reply must validate against a JSON Schema, and any error or timeout returns None
so that the caller falls back to the local pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

import jsonschema
from django.conf import settings

from lianxin.intake.analysis import Analysis, Suggestion, analyze

logger = logging.getLogger(__name__)

LLM_FIELDS = ("appellant_name", "address", "appeal_type", "urgency", "summary")
APPEAL_TYPES = ["consult", "help", "complaint", "report", "suggestion", "praise", "other"]
_FIELD = {
    "type": "object",
    "required": ["value", "quote", "confidence"],
    "properties": {
        "value": {"type": ["string", "null"], "maxLength": 300},
        "quote": {"type": ["string", "null"], "maxLength": 300},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    },
    "additionalProperties": False,
}
REPLY_SCHEMA = {
    "type": "object",
    "required": list(LLM_FIELDS),
    "properties": {name: _FIELD for name in LLM_FIELDS},
    "additionalProperties": False,
}
PROMPT = (
    "你是12345热线的填单助手。从下面的诉求文本中提取字段，只输出JSON对象，键为 "
    + ", ".join(LLM_FIELDS)
    + "。每个键的值为 {value, quote, confidence}：quote 必须是原文中逐字出现的片段（无法确定时 value 和 quote 均为 null）。"
    "appeal_type 取值 "
    + "/".join(APPEAL_TYPES)
    + "；urgency 取值 normal/urgent/emergency；summary 不超过60字且不含个人信息。"
)


def _call(text: str) -> dict[str, Any]:
    body = json.dumps(
        {
            "model": settings.LLM_MODEL,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}],
        }
    ).encode()
    request = urllib.request.Request(
        settings.LLM_ENDPOINT.rstrip("/") + "/chat/completions",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.LLM_API_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=settings.LLM_TIMEOUT_SECONDS) as response:
        payload = json.loads(response.read().decode())
    content = payload["choices"][0]["message"]["content"]
    reply: dict[str, Any] = json.loads(content)
    jsonschema.validate(reply, REPLY_SCHEMA)
    return reply


def analyze_with_llm(text: str, received_at: dt.datetime) -> Analysis | None:
    """The local analysis with the LLM's fields laid over it, or None on any failure."""
    started = time.perf_counter()
    try:
        reply = _call(text[:5000])
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, jsonschema.ValidationError) as exc:
        logger.warning("LLM backend failed, using the local pipeline: %s", exc)
        return None
    local = analyze(text, received_at)
    for name, item in reply.items():
        quote, value = item.get("quote"), item.get("value")
        if value is None:
            continue
        if name == "appeal_type" and value not in APPEAL_TYPES:
            continue
        if name == "urgency" and value not in ("normal", "urgent", "emergency"):
            continue
        start = text.find(quote) if quote else -1
        if name != "summary" and start < 0:
            continue  # no evidence in the text: the contract says drop it
        evidence = [{"start": start, "end": start + len(quote), "text": quote}] if start >= 0 and quote else []
        local.fields[name] = Suggestion(value, float(item["confidence"]), evidence, source="llm")
    local.backend = "llm"
    local.model_versions["llm"] = settings.LLM_MODEL
    local.elapsed_ms = (time.perf_counter() - started) * 1000
    return local
