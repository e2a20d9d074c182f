"""The English catalogues: complete, compiled, on Django's search path, and used by the API and the workbench."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import translation

from lianxin.web.tests.helpers import dispatched_to

CATALOGUES = sorted((Path(settings.BASE_DIR) / "lianxin").glob("**/locale/en/LC_MESSAGES/django.po"))
PERCENT = re.compile(r"%(?:\(\w+\))?[sdif]")
BRACES = re.compile(r"\{\w*\}")


@dataclass
class Entry:
    """One message of a .po file: its keywords (msgctxt, msgid, msgid_plural, msgstr, msgstr[n]) and flags."""

    line: int = 0
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> dict[str, str]:
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader (polib is not a dependency); obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry, key = Entry(), ""

    def flush() -> None:
        nonlocal entry
        if entry.fields:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry.translations:
                flush()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")', line)
        if keyword:
            key = keyword.group(1)
            if key in ("msgctxt", "msgid") and entry.translations:
                flush()
            entry.line = entry.line or number
            entry.fields[key] = ast.literal_eval(keyword.group(2))
        elif line.startswith('"') and key:
            entry.fields[key] += ast.literal_eval(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    flush()
    return entries


def messages(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid]  # without the header


@pytest.fixture(autouse=True)
def _back_to_default_language() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect the default."""
    yield
    translation.deactivate()


def test_the_catalogues_are_where_django_looks() -> None:
    searched = {Path(p).resolve() for p in settings.LOCALE_PATHS}
    searched |= {Path(app.path, "locale").resolve() for app in apps.get_app_configs()}
    assert Path(settings.BASE_DIR, "lianxin", "locale", "en", "LC_MESSAGES", "django.po") in CATALOGUES
    for po in CATALOGUES:
        assert po.parents[2].resolve() in searched, f"{po} is not on LOCALE_PATHS or in an app's locale dir"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_english_message_is_translated(po: Path) -> None:
    entries = messages(po)
    assert len(entries) > 100
    untranslated = [str(e) for e in entries if not all(e.translations.values()) or not e.translations]
    fuzzy = [str(e) for e in parse_po(po) if "fuzzy" in e.flags]
    assert not untranslated, f"{po}: {len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{po}: {len(fuzzy)} fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_placeholders_are_kept(po: Path) -> None:
    wrong = []
    for e in messages(po):
        patterns = [p for flag, p in (("python-format", PERCENT), ("python-brace-format", BRACES)) if flag in e.flags]
        for name, text in e.translations.items():
            source = e.fields.get("msgid_plural", e.msgid) if name not in ("msgstr", "msgstr[0]") else e.msgid
            for pattern in patterns:
                found, expected = sorted(pattern.findall(text)), sorted(pattern.findall(source))
                # A singular may spell out its number ("one order") instead of %d.
                if found != expected and not (name == "msgstr[0]" and set(found) <= set(expected)):
                    wrong.append(f"{e} {name}: {found} != {expected}")
    assert not wrong, wrong


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_the_committed_mo_matches_the_po(po: Path) -> None:
    """The .mo files are committed so English works without gettext; they must not lag the .po."""
    with po.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    stale = []
    for e in messages(po):
        context = e.fields.get("msgctxt")
        if "msgid_plural" in e.fields:
            got = [compiled.ngettext(e.msgid, e.fields["msgid_plural"], n) for n in (1, 2)]
            want = [e.fields["msgstr[0]"], e.fields.get("msgstr[1]", "")]
        else:
            got = [compiled.pgettext(context, e.msgid) if context else compiled.gettext(e.msgid)]
            want = [e.fields["msgstr"]]
        if got != want:
            stale.append(str(e))
    assert not stale, f"{po.with_suffix('.mo')} is stale, run compilemessages: {stale[:20]}"


@pytest.mark.django_db
def test_the_api_speaks_the_accept_language(api: Any, users: dict[str, Any]) -> None:
    order = dispatched_to(users)
    url = f"/api/v1/orders/{order.pk}"
    english = api("dispatcher").get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["status_display"] == "Dispatched"
    assert english["channel_display"] == "12345 hotline" and english["appeal_type_display"] == "Complaint"
    assert api("dispatcher").get(url).json()["status_display"] == "已派单"
    refused = api("calltaker").post(f"{url}/accept", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Not possible while the order is “Dispatched”: Send to dispatch"


@pytest.mark.django_db
def test_the_workbench_speaks_english_after_the_switch(users: dict[str, Any]) -> None:
    order = dispatched_to(users)
    client = Client()
    assert client.login(username="zjj", password="lianxin2026")
    assert "已派单" in client.get(f"/orders/{order.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"})
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert "Dispatched" in page and "Timeline" in page
    for chinese in ("已派单", "办理轨迹", "主办", "诉求类型", "投诉"):
        assert chinese not in page, chinese
    inbox = client.get("/inbox/").content.decode()
    assert "Unit inbox" in inbox and "承办工单" not in inbox
