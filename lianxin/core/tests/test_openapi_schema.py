"""The committed OpenAPI schema must match the code; regenerate with `make schema`."""

from pathlib import Path

from django.core.management import call_command
from django.utils import translation

SCHEMA = Path(__file__).resolve().parents[2] / "openapi.yaml"


def test_committed_schema_matches_code(tmp_path: Path) -> None:
    fresh = tmp_path / "openapi.yaml"
    # Choice descriptions are translated: generate in the default language whatever a test before left active.
    with translation.override("zh-hans"):
        call_command("spectacular", "--file", str(fresh), "--validate")
    assert fresh.read_text() == SCHEMA.read_text(), "OpenAPI schema drifted: run `make schema` and commit it"
