"""A small HTTP/1.1 client with keep-alive per thread, and a closed-loop load driver."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    body: Any
    elapsed_ms: float


class Api:
    """One connection to the server; not shared between threads."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 60.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, decode: bool = True
    ) -> Reply:
        sent = {"Accept": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            sent["Content-Type"] = "application/json"
        url = path if path.startswith("/") else f"/{path}"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, self.prefix + url, body=data, headers=sent)
                response = self.conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once, not counted.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.will_close:
                self.conn.close()
            parsed = json.loads(raw) if decode and raw else raw
            return Reply(response.status, parsed, elapsed)
        raise AssertionError("unreachable")

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Reply:
        return self.request("POST", path, body, headers)

    def close(self) -> None:
        self.conn.close()


def login(base_url: str, username: str, password: str) -> str:
    api = Api(base_url)
    reply = api.post("/api/v1/auth/token", {"username": username, "password": password})
    api.close()
    if reply.status != 200:
        raise RuntimeError(f"login as {username} failed: {reply.status} {reply.body}")
    return str(reply.body["token"])


@dataclass
class LoadResult:
    requests: int
    errors: int
    wall_s: float
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.wall_s if self.wall_s else 0.0


# One request of the load: given the thread's Api and the request's index, returns (ok, note).
Job = Callable[[Api, int], tuple[Reply, bool, str]]


def run_load(base_url: str, token: str, total: int, concurrency: int, job: Job) -> LoadResult:
    """Closed loop: `concurrency` threads each send the next request as soon as the last one answered."""
    counter = iter(range(total))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    start_gate = threading.Barrier(concurrency + 1)

    def worker() -> None:
        api = Api(base_url, token)
        start_gate.wait()
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            reply, ok, note = job(api, index)
            with lock:
                if ok:
                    latencies.append(reply.elapsed_ms)
                    seen[note] = seen.get(note, 0) + 1
                else:
                    errors.append(f"{reply.status} {str(reply.body)[:200]}")
        api.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return LoadResult(
        requests=len(latencies),
        errors=len(errors),
        wall_s=wall,
        latencies_ms=latencies,
        error_samples=errors[:5],
        seen=seen,
    )
