"""Stand-ins for the outside world, on loopback: a OneSignal-compatible API and a webhook receiver.

The OneSignal stub honours idempotency keys the way OneSignal does: a repeated key returns the first
answer and delivers nothing again. It can be told to answer 429, 500, garbage or slowly.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    server: RecordingServer  # type: ignore[assignment]

    def log_message(self, *_args: Any) -> None:
        return

    def _respond(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, body, delay = self.server.answer(self.command, self.path, dict(self.headers), raw)
        if delay:
            time.sleep(delay)  # a slow provider, in real time: the client's timeout must cut it
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if 300 <= status < 400:
                self.send_header("Location", self.server.redirect_to)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_POST = do_PUT = do_PATCH = _respond

    def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
        data = json.dumps(self.server.stats()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.script: deque[str] = deque()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.delay = 0.0  # seconds added to every answer, to keep a real worker busy mid-request
        self.redirect_to = "http://169.254.169.254/latest/meta-data/"  # where "redirect" answers point

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> RecordingServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def then(self, *modes: str) -> None:
        """Answer the next requests with these modes: ok, 429, 500, 400, garbage, slow, redirect, huge_error."""
        with self.lock:
            self.script.extend(modes)

    def answer(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any, float]:
        with self.lock:
            mode = self.script.popleft() if self.script else "ok"
            record = {"method": method, "path": path, "headers": headers, "raw": raw, "mode": mode}
            self.requests.append(record)
        if mode in {"429", "500", "400"}:
            return int(mode), {"errors": [f"stub answered {mode}"]}, 0.0
        if mode == "redirect":
            return 302, b"", 0.0
        if mode == "huge_error":  # an error page far larger than anything worth storing, secret at the end
            return 400, b"x" * 200_000 + b"SECRET-AT-THE-END", 0.0
        if mode == "garbage":
            return 200, b"<html>not json", 0.0
        if mode == "slow":
            return 200, {"id": "late"}, 3.0
        status, body, delay = self.success(record)
        return status, body, delay + self.delay

    def success(self, record: dict[str, Any]) -> tuple[int, Any, float]:
        return 200, {"ok": True}, 0.0

    def stats(self) -> dict[str, int]:
        return {"requests": len(self.requests)}


class OneSignalStub(RecordingServer):
    def __init__(self) -> None:
        super().__init__()
        self.by_key: dict[str, str] = {}
        self.deliveries: list[dict[str, Any]] = []

    def success(self, record: dict[str, Any]) -> tuple[int, Any, float]:
        body = json.loads(record["raw"] or b"{}")
        key = body.get("idempotency_key")
        with self.lock:
            if key and key in self.by_key:
                return 200, {"id": self.by_key[key], "external_id": None}, 0.0
            notification_id = str(uuid.uuid4())
            if key:
                self.by_key[key] = notification_id
            self.deliveries.append({**body, "id": notification_id})
        return 200, {"id": notification_id, "external_id": None}, 0.0

    def delivered_to(self) -> list[str]:
        """Every external id that received a notification, once per delivery."""
        with self.lock:
            return [x for d in self.deliveries for x in d.get("include_aliases", {}).get("external_id", [])]

    def stats(self) -> dict[str, int]:
        return {"requests": len(self.requests), "recipients": len(self.delivered_to())}


if __name__ == "__main__":
    # A stand-alone stub for benchmarks: prints its URL, serves until standard input closes.
    import sys

    stub = OneSignalStub().start()
    stub.requests_kept = False
    print(stub.url, flush=True)
    sys.stdin.read()
    stub.stop()
