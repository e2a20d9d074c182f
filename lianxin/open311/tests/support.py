"""Checking Open311 answers: JSON Schemas, XML element names, XML ≡ JSON, and golden files.

Golden files hold the status line and the body; run with LIANXIN_UPDATE_GOLDEN=1 to rewrite them after a
deliberate change (then read the diff). Order numbers and tokens vary between runs and are replaced by
placeholders before comparing.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from lianxin.open311.formats import CHILD

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCHEMAS = HERE.parent / "schemas"
UPDATE = os.environ.get("LIANXIN_UPDATE_GOLDEN") == "1"

# Element names the spec uses, per document root; the extension names only appear with extensions=true.
SPEC_ELEMENTS = {
    "discovery": {
        "discovery", "changeset", "contact", "key_service", "endpoints", "endpoint", "specification", "url",
        "type", "formats", "format",
    },
    "services": {"services", "service", "service_code", "service_name", "description", "metadata", "type", "keywords", "group"},
    "service_definition": {
        "service_definition", "service_code", "attributes", "attribute", "variable", "code", "datatype", "required",
        "datatype_description", "order", "description", "values", "value", "key", "name",
    },
    "service_requests": {
        "service_requests", "request", "service_request_id", "status", "status_notes", "service_name",
        "service_code", "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
        "token", "account_id",
    },
    "errors": {"errors", "error", "code", "description"},
}  # fmt: skip
EXTENSION_ELEMENTS = {"extended_attributes", "status_code", "channel", "group", "notes", "note", "datetime", "type"}
_NUMBER = re.compile(r"\b[A-Z]{2}\d{16}\b")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(name: str, data: Any) -> None:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise jsonschema.ValidationError(f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors))


def spark(element: ET.Element) -> Any:
    """The JSON the Spark convention gives for an XML element (root dropped by the caller)."""
    if element.tag in CHILD:
        return [spark(child) for child in element]
    if len(element):
        return {child.tag: spark(child) for child in element}
    return element.text


def as_strings(data: Any) -> Any:
    """JSON values as XML writes them: true/false, numbers as text, null as an empty element."""
    if isinstance(data, dict):
        return {k: as_strings(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_strings(v) for v in data]
    if isinstance(data, bool):
        return "true" if data else "false"
    if data is None:
        return None
    return str(data)


def check_xml(body: str, extensions: bool = False) -> tuple[str, Any]:
    """Declaration, no namespace, only the spec's element names; returns (root tag, Spark data)."""
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>'), body[:60]
    root = ET.fromstring(body.encode("utf-8"))
    allowed = SPEC_ELEMENTS[root.tag] | (EXTENSION_ELEMENTS if extensions else set())
    for element in root.iter():
        assert "}" not in element.tag and not element.attrib, f"namespace or attribute on {element.tag}"
        assert element.tag in allowed, f"<{element.tag}> is not a GeoReport v2 element of <{root.tag}>"
    return root.tag, spark(root)


def normalise(text: str) -> str:
    return _UUID.sub("{{TOKEN}}", _NUMBER.sub("{{SERVICE_REQUEST_ID}}", text))


def golden(name: str, status: int, content_type: str, body: str) -> None:
    path = GOLDEN / name
    shown = body if body.startswith("<?xml") else json.dumps(json.loads(body), ensure_ascii=False, indent=2)
    actual = normalise(f"HTTP {status} {content_type}\n{shown}\n")
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            raise AssertionError(f"golden file {name} was missing and has been written; run again")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def check_pair(client: Any, path: str, schema: str, name: str | None, status: int = 200, **kwargs: Any) -> Any:
    """GET or POST one resource in .json and .xml: same status, schema-valid JSON, XML ≡ JSON, golden files.

    `path` has {fmt} where the suffix goes; returns the parsed JSON.
    """
    method = kwargs.pop("method", "get")
    extensions = kwargs.pop("extensions", False)
    results = {}
    for fmt in ("json", "xml"):
        response = getattr(client, method)(path.format(fmt=fmt), **kwargs)
        body = response.content.decode("utf-8")
        assert response.status_code == status, (fmt, response.status_code, body)
        expected_type = "application/json; charset=utf-8" if fmt == "json" else "text/xml; charset=utf-8"
        assert response["Content-Type"] == expected_type
        if name is not None:
            golden(f"{name}.{fmt}", response.status_code, response["Content-Type"], body)
        results[fmt] = body
    data = json.loads(results["json"])
    validate(schema, data)
    _root, from_xml = check_xml(results["xml"], extensions)
    assert normalise(json.dumps(from_xml, ensure_ascii=False)) == normalise(
        json.dumps(as_strings(data), ensure_ascii=False)
    ), "the XML and JSON answers differ"
    return data
