"""A Salesforce-compatible REST API on loopback, over TLS with a test certificate (Salesforce speaks https only).

It answers what the Salesforce adapter sends, the way Salesforce does: SOQL queries on Contact (the
LastModifiedDate bound, ORDER BY, LIMIT are honoured) paged by ``nextRecordsUrl`` query locators, and
sObject Collections updates (at most 200 records, one result per record). It can be told to answer
REQUEST_LIMIT_EXCEEDED, 500 or garbage; a wrong bearer token gets INVALID_SESSION_ID. The SOAP login
(``/services/Soap/u/...``) hands out a new session for ``USERNAME`` and ``PASSWORD + TOKEN``.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme

VERSION = "59.0"
SESSION = "00Dstub!session"
USERNAME, PASSWORD, TOKEN = "sync@example.com", "pa55word", "T0KEN"
_ENVELOPE = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
    ' xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:fault.partner.soap.sforce.com">'
)
_LOGIN_FAULT = (
    _ENVELOPE + "<soapenv:Body><soapenv:Fault><faultcode>INVALID_LOGIN</faultcode><detail>"
    "<sf:LoginFault><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, "
    "password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail>"
    "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
).encode()
_QUERY = re.compile(
    r"SELECT (?P<fields>.+?) FROM Contact(?: WHERE LastModifiedDate >= (?P<since>\S+))?"
    r" ORDER BY LastModifiedDate, Id(?: LIMIT (?P<limit>\d+))?$"
)
_MORE = re.compile(r"/services/data/v[\d.]+/query/(?P<locator>[A-Za-z0-9]+)-(?P<offset>\d+)")
_LIMIT_ANSWER = [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
_SESSION_ANSWER = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def contact_id(n: int) -> str:
    return f"003{n:015d}"  # 18 characters, like Salesforce's case-safe ids


def salesforce_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


class _Handler(BaseHTTPRequestHandler):
    server: SalesforceStub  # type: ignore[assignment]

    def log_message(self, *_args: Any) -> None:
        return

    def _respond(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, body = self.server.answer(self.command, self.path, self.headers.get("Authorization", ""), raw)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PATCH = do_POST = _respond  # noqa: N815 (http.server's hook names)


class SalesforceStub(ThreadingHTTPServer):
    daemon_threads = True
    batch_size = 200  # Salesforce's smallest query batch, so a few hundred contacts make several pages

    def __init__(self, ca: trustme.CA) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.lock = threading.Lock()
        self.contacts: dict[str, dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []  # method, path, soql (for queries), body (for updates)
        self.patches: list[list[dict[str, Any]]] = []
        self.locators: dict[str, list[dict[str, Any]]] = {}
        self.sessions = {SESSION}  # the bearer tokens currently valid
        self.mode = "ok"  # "limit", "500", "garbage" or "odd": how every request is answered until changed
        self.thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"

    def add_contacts(self, count: int, start: datetime, **extra: Any) -> list[dict[str, Any]]:
        """``count`` contacts modified one minute apart from ``start``, inserted in a shuffled id order."""
        made = []
        for n in range(count):
            number = len(self.contacts) + 1
            record = {
                "Id": contact_id(number),
                "Email": f"sf{number}@example.com",
                "Phone": f"+3361234{number:04d}",
                # Modified order differs from id order: odd and even halves interleave.
                "LastModifiedDate": salesforce_date(start + timedelta(minutes=(n * 7) % count)),
                **extra,
            }
            self.contacts[record["Id"]] = record
            made.append(record)
        return made

    def answer(self, method: str, path: str, auth: str, raw: bytes) -> tuple[int, Any]:
        with self.lock:
            entry: dict[str, Any] = {"method": method, "path": path}
            self.requests.append(entry)
            if self.mode == "limit":
                return 403, _LIMIT_ANSWER
            if self.mode == "500":
                return 500, [{"message": "An unexpected error occurred.", "errorCode": "UNKNOWN_EXCEPTION"}]
            if self.mode == "garbage":
                return 200, b"<html>maintenance</html>"
            if self.mode == "odd":  # JSON, but not the shape Salesforce answers
                return 200, {"done": False, "records": [{"Id": 3, "LastModifiedDate": "yesterday"}]}
            if method == "POST" and path.startswith("/services/Soap/u/"):
                return self._login(raw)
            if auth.removeprefix("Bearer ") not in self.sessions:
                return 401, _SESSION_ANSWER
            url = urlsplit(path)
            if method == "GET" and url.path == f"/services/data/v{VERSION}/query/":
                entry["soql"] = parse_qs(url.query).get("q", [""])[0]
                return self._query(entry["soql"])
            if method == "GET" and (more := _MORE.fullmatch(url.path)):
                return self._page(more["locator"], int(more["offset"]))
            if method == "PATCH" and url.path == f"/services/data/v{VERSION}/composite/sobjects":
                entry["body"] = json.loads(raw)
                return self._update(entry["body"])
            return 404, [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]

    def _login(self, raw: bytes) -> tuple[int, Any]:
        text = raw.decode()
        user = re.search(r"<n1:username>(.*?)</n1:username>", text)
        secret = re.search(r"<n1:password>(.*?)</n1:password>", text)
        if not (user and secret and user[1] == USERNAME and secret[1] == PASSWORD + TOKEN):
            return 500, _LOGIN_FAULT
        session = f"00Dstub!{uuid.uuid4().hex}"
        self.sessions.add(session)
        server_url = f"{self.url}/services/Soap/u/{VERSION}/00Dstub"
        return 200, (
            _ENVELOPE + "<soapenv:Body><loginResponse><result>"
            f"<serverUrl>{server_url}</serverUrl><sessionId>{session}</sessionId>"
            "</result></loginResponse></soapenv:Body></soapenv:Envelope>"
        ).encode()

    def _query(self, soql: str) -> tuple[int, Any]:
        parsed = _QUERY.fullmatch(soql)
        if not parsed:
            return 400, [{"message": "unexpected token", "errorCode": "MALFORMED_QUERY"}]
        fields = [f.strip() for f in parsed["fields"].split(",")]
        known = set().union(*(c.keys() for c in self.contacts.values())) | {"Id", "Email", "Phone"}
        if unknown := [f for f in fields if f not in known]:
            said = f"No such column '{unknown[0]}' on entity 'Contact'"
            return 400, [{"message": said, "errorCode": "INVALID_FIELD"}]
        since = parsed["since"]
        bound = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
        rows = [
            c for c in self.contacts.values() if bound is None or datetime.fromisoformat(c["LastModifiedDate"]) >= bound
        ]
        rows.sort(key=lambda c: (c["LastModifiedDate"], c["Id"]))
        if parsed["limit"]:
            rows = rows[: int(parsed["limit"])]
        locator = "01g" + uuid.uuid4().hex[:15]
        self.locators[locator] = [
            {"attributes": {"type": "Contact", "url": f"/services/data/v{VERSION}/sobjects/Contact/{c['Id']}"}}
            | {f: c.get(f) for f in fields}
            for c in rows
        ]
        return self._page(locator, 0)

    def _page(self, locator: str, offset: int) -> tuple[int, Any]:
        rows = self.locators.get(locator)
        if rows is None:
            return 400, [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]
        batch = rows[offset : offset + self.batch_size]
        body: dict[str, Any] = {"totalSize": len(rows), "done": offset + len(batch) >= len(rows), "records": batch}
        if not body["done"]:
            body["nextRecordsUrl"] = f"/services/data/v{VERSION}/query/{locator}-{offset + len(batch)}"
        return 200, body

    def _update(self, body: dict[str, Any]) -> tuple[int, Any]:
        records = body.get("records") or []
        if len(records) > 200:
            return 400, [{"message": "Maximum number of records is 200", "errorCode": "EXCEEDED_ID_LIMIT"}]
        self.patches.append(records)
        results = []
        for record in records:
            stored = self.contacts.get(record.get("id"))
            if stored is None:
                error = {"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []}
                results.append({"id": record.get("id"), "success": False, "errors": [error]})
                continue
            stored.update({k: v for k, v in record.items() if k not in {"attributes", "id"}})
            results.append({"id": record["id"], "success": True, "errors": []})
        return 200, results


@contextmanager
def running_stub(tmp_path: Path) -> Iterator[tuple[SalesforceStub, str]]:
    """A started stub and the path of the CA bundle a client must trust to reach it."""
    ca = trustme.CA()
    bundle = tmp_path / "salesforce-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    stub = SalesforceStub(ca)
    stub.thread.start()
    try:
        yield stub, str(bundle)
    finally:
        stub.shutdown()
        stub.server_close()
