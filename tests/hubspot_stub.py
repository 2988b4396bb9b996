"""A HubSpot-compatible contacts API on loopback: the CRM search endpoint and batch update.

It holds generated contacts sorted by ``lastmodifieddate`` and pages them the way HubSpot does: a ``GTE``
filter, ascending sort, ``after`` offsets with ``paging.next.after``, and a 400 past 10,000 results per query.
It checks the bearer token (401 otherwise) and can be told to answer 429 with Retry-After. Each contact's JSON
is encoded once, so the stub stays cheap for the 100,000-contact benchmark.
"""

from __future__ import annotations

import bisect
import json
import socket
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SEARCH = "/crm/v3/objects/contacts/search"
BATCH_UPDATE = "/crm/v3/objects/contacts/batch/update"
START = datetime(2026, 1, 1, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class _Handler(BaseHTTPRequestHandler):
    server: HubSpotStub  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API

    def log_message(self, *_args: Any) -> None:
        return

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle plus delayed ACKs add 40 ms per answer.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, body, headers = self.server.answer(self.path, self.headers.get("Authorization") or "", raw)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


class HubSpotStub(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, count: int = 0, *, token: str = "pat-test-token") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.token = token
        self.lock = threading.Lock()
        self.script: deque[tuple[int, dict[str, str]]] = deque()  # answers for the next requests
        self.fail_after: int | None = None  # answer 429 once this many more searches have succeeded
        self.searches = 0
        self.updates: list[dict[str, Any]] = []  # inputs received by batch update, in order
        self.records: dict[str, dict[str, Any]] = {}
        self._order: list[tuple[int, str]] = []  # (modified ms, id), sorted
        self._encoded: dict[str, bytes] = {}
        for n in range(1, count + 1):
            self.put(
                str(n),
                {"email": f"person{n}@example.com", "firstname": f"First{n}", "company": f"Co {n % 7}"},
                at=START + timedelta(seconds=n),
            )
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> HubSpotStub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def put(self, crm_id: str, properties: dict[str, Any], *, at: datetime) -> None:
        """Create or modify a contact (merging properties), modified at ``at``."""
        with self.lock:
            old = self.records.get(crm_id)
            if old is not None:
                self._order.remove((old["ms"], crm_id))
            props = {**(old["properties"] if old else {}), **properties, "lastmodifieddate": iso(at)}
            ms = int(at.timestamp() * 1000)
            self.records[crm_id] = {"ms": ms, "properties": props}
            bisect.insort(self._order, (ms, crm_id))
            self._encoded[crm_id] = json.dumps(
                {"id": crm_id, "properties": props, "updatedAt": props["lastmodifieddate"], "archived": False}
            ).encode()

    def then(self, status: int, **headers: str) -> None:
        """Answer the next request with this status (e.g. 429 with ``Retry_After="30"``)."""
        self.script.append((status, {k.replace("_", "-"): v for k, v in headers.items()}))

    def answer(self, path: str, auth: str, raw: bytes) -> tuple[int, Any, dict[str, str]]:
        if auth != f"Bearer {self.token}":
            return (
                401,
                {
                    "status": "error",
                    "message": "Authentication credentials not found.",
                    "category": "INVALID_AUTHENTICATION",
                },
                {},
            )
        if self.script:
            status, headers = self.script.popleft()
            return status, {"status": "error", "message": f"stubbed {status}"}, headers
        body = json.loads(raw or b"{}")
        if path == SEARCH:
            return self._search(body)
        if path == BATCH_UPDATE:
            return self._update(body)
        return 404, {"status": "error", "message": "not found"}, {}

    def _search(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if self.fail_after is not None:
            if self.fail_after <= 0:
                self.fail_after = None
                return (
                    429,
                    {"status": "error", "message": "You have reached your secondly limit."},
                    {"Retry-After": "30"},
                )
            self.fail_after -= 1
        self.searches += 1
        after, limit = int(body.get("after") or 0), int(body.get("limit") or 10)
        if limit > 200 or after + limit > 10_000:
            return 400, {"status": "error", "message": "paging past 10,000 results is not allowed"}, {}
        since = 0
        for group in body.get("filterGroups") or []:
            for f in group.get("filters") or []:
                if f.get("propertyName") == "lastmodifieddate" and f.get("operator") == "GTE":
                    since = int(f["value"])
        with self.lock:
            start = bisect.bisect_left(self._order, (since, ""))
            total = len(self._order) - start
            ids = [crm_id for _ms, crm_id in self._order[start + after : start + after + limit]]
            parts = [self._encoded[crm_id] for crm_id in ids]
        page = b'{"total": %d, "results": [%s]' % (total, b",".join(parts))
        if after + limit < total:
            page += b', "paging": {"next": {"after": "%d"}}' % (after + limit)
        return 200, page + b"}", {}

    def _update(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        inputs = body.get("inputs") or []
        if len(inputs) > 100:
            return 400, {"status": "error", "message": "at most 100 inputs"}, {}
        missing = [i.get("id") for i in inputs if str(i.get("id")) not in self.records]
        if missing:
            return 400, {"status": "error", "message": f"unknown ids {missing}"}, {}
        with self.lock:
            self.updates.extend(inputs)
        return 200, {"status": "COMPLETE", "results": [{"id": i["id"]} for i in inputs]}, {}


@contextmanager
def running(count: int, *, token: str) -> Iterator[HubSpotStub]:
    """A stub holding ``count`` contacts, serving until the block ends."""
    server = HubSpotStub(count, token=token).start()
    try:
        yield server
    finally:
        server.stop()
