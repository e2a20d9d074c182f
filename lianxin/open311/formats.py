"""XML and JSON renderings of one neutral document, after the spec's Spark convention.

A document is (root element name, data). JSON drops the root: a list becomes a top-level array, a
dict an object. XML keeps the root; a list's items become repeated children named by CHILD, booleans
are written true/false and None an empty element.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
FORMATS = ("xml", "json")
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'

# Container element → the name of each repeated child.
CHILD = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "notes": "note",
}
# Characters XML 1.0 cannot carry at all.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _XML_INVALID.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        child_name = CHILD.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, child_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> str:
    element = ET.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode", short_empty_elements=True)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(to_json(data), content_type=JSON_TYPE, status=status)
    return HttpResponse(to_xml(root, data), content_type=XML_TYPE, status=status)


def errors(fmt: str, status: int, *messages: str, code: int | None = None) -> HttpResponse:
    """The spec's error document: one <error> per message, code = the HTTP status unless given."""
    body = [{"code": code or status, "description": message} for message in messages]
    return render(fmt if fmt in FORMATS else "xml", "errors", body, status=status)
