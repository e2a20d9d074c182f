"""Run the app under gunicorn (several worker processes) for the duration of a benchmark."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lianxin.testing.local import free_port


@dataclass(frozen=True)
class ServerOptions:
    workers: int = 3
    threads: int = 1
    worker_class: str = "sync"
    port: int = 0  # 0: pick a free one


def _wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            # Unauthenticated: 401/403 proves Django answers.
            urllib.request.urlopen(f"{base_url}/api/v1/units", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


@contextmanager
def running_server(database_url: str, options: ServerOptions, log_path: Path) -> Iterator[tuple[str, int]]:
    """Yields (base URL, gunicorn master pid); stops the server (and only it) on exit."""
    if importlib.util.find_spec("gunicorn") is None:
        raise SystemExit("gunicorn is not installed: .venv/bin/pip install -r requirements-dev.txt")
    port = options.port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="lianxin-bench-var-") as var_dir:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "lianxin.settings",
            "LIANXIN_DEBUG": "0",
            # Keep the bench server's queue file and media away from the developer's var/.
            "LIANXIN_VAR_DIR": var_dir,
            "LIANXIN_LOG_LEVEL": "ERROR",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "lianxin.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--worker-class",
            options.worker_class,
            "--threads",
            str(options.threads),
            "--backlog",
            "2048",
            "--keep-alive",
            "30",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        with log_path.open("ab") as log:
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                _wait_ready(base_url, process)
                yield base_url, process.pid
            finally:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
