"""The committed OpenAPI schema must match the code; regenerate with `make schema`."""

from pathlib import Path

from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parents[2] / "openapi.yaml"


def test_committed_schema_matches_code(tmp_path: Path) -> None:
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(fresh), "--validate")
    assert fresh.read_text() == SCHEMA.read_text(), "OpenAPI schema drifted: run `make schema` and commit it"
