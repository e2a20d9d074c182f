"""`manage.py` must start in a fresh interpreter, where import order differs from the test run's
(a circular import between DRF's settings and our API plumbing once broke `make run` with every test green)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_manage_py_check_starts_in_a_fresh_process(tmp_path: Path) -> None:
    env = {**os.environ, "LIANXIN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "lianxin.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
