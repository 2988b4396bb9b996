"""Webhooks cannot reach inside: internal addresses are refused at publish and at send, after DNS."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from nicegui.testing import User

from app.authoring import service as journey_service
from app.core.context import current
from app.delivery import webhook_config
from app.delivery.dispatch import Dispatcher
from app.delivery.outbound import address_problem, build_guard
from app.delivery.providers.webhook import WebhookProvider
from journeys import document
from journeys.validation import validate
from tests.auth_helpers import login
from tests.engine_support import add_contacts, journey, outbox, run, track
from tests.stub_servers import RecordingServer


@pytest.fixture
def receiver() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    yield server
    server.stop()


def hook_journey(url: str, headers: dict[str, str] | None = None) -> dict:
    config = {"url": url, "body": '{"user": "{{ contact.external_id }}"}', "headers": headers or {}}
    return journey(
        [("entry", "entry.event", {"event": "go"}), ("hook", "webhook", config), ("done", "exit", {})],
        [("entry", "next", "hook"), ("hook", "next", "done")],
    )


def imported(ctx, doc: dict) -> int:
    return journey_service.import_journey(ctx, json.dumps(doc))


def send_all(ctx, providers: dict | None = None) -> None:
    dispatcher = Dispatcher(ctx, providers)
    try:
        dispatcher.run()
    finally:
        dispatcher.close()


def enter_one(ctx, journey_id: int, **attributes: str) -> None:
    journey_service.publish(ctx, journey_id)
    track(ctx, add_contacts(ctx, 1, attributes=attributes), "go")
    run(ctx)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "169.254.169.254", "10.1.2.3", "2130706433"])
def test_publishing_a_webhook_to_an_internal_address_is_refused_naming_the_step(ctx, host) -> None:
    journey_id = imported(ctx, hook_journey(f"http://{host}:8080/admin"))
    with pytest.raises(journey_service.InvalidJourney) as refused:
        journey_service.publish(ctx, journey_id)
    [violation] = refused.value.violations
    assert (violation.code, violation.node_id) == ("webhook_address", "hook")
    assert "refused" in violation.message and "Settings" in violation.message


def test_an_admin_allowed_host_can_be_published_and_receives_the_call(ctx, receiver) -> None:
    webhook_config.save_allowlist(ctx, "127.0.0.1", actor="admin@example.com")
    enter_one(ctx, imported(ctx, hook_journey(receiver.url + "/hook")))
    send_all(ctx)
    assert len(receiver.requests) == 1 and outbox(ctx)[0].status == "sent"


def test_malformed_allowlist_entry_is_refused_by_name(ctx) -> None:
    with pytest.raises(ValueError, match="http://x"):
        webhook_config.save_allowlist(ctx, "good.example.com\nhttp://x/y", actor="admin@example.com")
    assert webhook_config.stored_allowlist(ctx) == []


def test_templated_url_rendering_to_loopback_is_refused_at_send_and_not_retried(ctx, receiver) -> None:
    enter_one(ctx, imported(ctx, hook_journey("{{ contact.hook_url }}")), hook_url=receiver.url + "/hook")
    send_all(ctx)
    [message] = outbox(ctx)
    assert receiver.requests == []
    assert message.status == "failed" and message.attempts == 1
    assert message.last_error.startswith("address_refused: 127.0.0.1 refused: 127.0.0.1 is a loopback address")


def test_allowlist_removed_after_publish_still_stops_the_send(ctx, receiver) -> None:
    webhook_config.save_allowlist(ctx, "127.0.0.1", actor="admin@example.com")
    enter_one(ctx, imported(ctx, hook_journey(receiver.url + "/hook")))
    webhook_config.save_allowlist(ctx, "", actor="admin@example.com")
    send_all(ctx)
    assert receiver.requests == [] and outbox(ctx)[0].status == "failed"


def test_dns_rebinding_to_loopback_between_publish_and_send_is_refused(ctx, receiver) -> None:
    """The name resolves to a public address when published, then to 127.0.0.1 when the message leaves."""
    port = receiver.server_address[1]
    doc = document.parse(hook_journey(f"http://hooks.partner.test:{port}/hook"))
    assert webhook_config.publish_problems(ctx, doc, resolver=lambda host, port: ["93.184.216.34"]) == []
    enter_one(ctx, imported(ctx, hook_journey(f"http://hooks.partner.test:{port}/hook")))
    rebound = build_guard(ctx.settings, [], resolver=lambda host, port: ["93.184.216.34", "127.0.0.1"])
    provider = WebhookProvider(ctx.settings, config=lambda: (["k" * 32], rebound))
    send_all(ctx, {"webhook": provider})
    [message] = outbox(ctx)
    assert receiver.requests == []
    assert message.status == "failed" and "127.0.0.1 is a loopback address" in message.last_error


def test_the_connection_goes_to_the_checked_address_with_the_original_host(ctx, receiver) -> None:
    port = receiver.server_address[1]
    enter_one(ctx, imported(ctx, hook_journey(f"http://hooks.partner.test:{port}/hook")))
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a second lookup would be refused (and unreachable)
    guard = build_guard(ctx.settings, ["hooks.partner.test"], resolver=lambda host, port: next(answers))
    send_all(ctx, {"webhook": WebhookProvider(ctx.settings, config=lambda: (["k" * 32], guard))})
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"hooks.partner.test:{port}"
    assert outbox(ctx)[0].status == "sent"


@pytest.mark.parametrize("header", ["Host", "host", "Transfer-Encoding", "Connection", "Proxy-Connection", "TE"])
def test_routing_and_hop_by_hop_headers_are_refused_at_validation(header) -> None:
    doc = document.parse(hook_journey("https://hooks.example.com/x", {header: "internal.local"}))
    [violation] = validate(doc)
    assert violation.node_id == "hook" and violation.code == "invalid_config"
    assert repr(header) in violation.message


def test_header_values_with_line_breaks_are_refused() -> None:
    doc = document.parse(hook_journey("https://hooks.example.com/x", {"X-Tag": "a\r\nHost: evil"}))
    assert [v.code for v in validate(doc)] == ["invalid_config"]


@pytest.mark.parametrize("url", ["ftp://hooks.example.com/x", "file:///etc/passwd", "https://user:pw@h.example/"])
def test_only_plain_http_and_https_urls_are_accepted(url) -> None:
    [violation] = validate(document.parse(hook_journey(url)))
    assert violation.node_id == "hook" and violation.message.startswith("url:")


def answered(ctx, receiver: RecordingServer, mode: str):
    """The outbox row of one webhook to the (allowed) receiver, after it answered with ``mode``."""
    ctx.settings.webhook_allow_hosts = "127.0.0.1"
    enter_one(ctx, imported(ctx, hook_journey(receiver.url + "/hook")))
    receiver.then(mode)
    send_all(ctx)
    [message] = outbox(ctx)
    return message


def test_a_redirect_is_a_failure_and_is_not_followed(ctx, receiver) -> None:
    message = answered(ctx, receiver, "redirect")
    assert len(receiver.requests) == 1
    assert message.status == "failed"
    assert message.last_error == "redirect_refused: http_302 to http://169.254.169.254/latest/meta-data/"


def test_a_huge_error_body_is_cut_before_it_is_stored(ctx, receiver) -> None:
    message = answered(ctx, receiver, "huge_error")
    assert message.status == "failed" and message.last_error.startswith("http_400: xxx")
    assert len(message.last_error) <= 512 and "SECRET-AT-THE-END" not in message.last_error


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "fc00::1",
     "fe80::1", "224.0.0.1", "ff02::1", "0.0.0.0", "::", "240.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
     "64:ff9b::a9fe:a9fe"],
)  # fmt: skip
def test_internal_addresses_are_refused(address) -> None:
    assert address_problem(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_are_allowed(address) -> None:
    assert address_problem(address) is None


def test_the_servers_own_public_address_is_refused(ctx) -> None:
    ctx.settings.public_url = "https://parcours.example.com"
    addresses = {"parcours.example.com": ["93.184.216.34"], "alias.example.com": ["93.184.216.34"]}
    guard = build_guard(ctx.settings, [], resolver=lambda host, port: addresses.get(host, ["8.8.4.4"]))
    for url in ("https://parcours.example.com/api/v1/contacts", "https://alias.example.com/api/v1/contacts"):
        with pytest.raises(ValueError, match="this Parcours server"):
            guard.check(url)
    assert guard.check("https://other.example.com/hook").ip == "8.8.4.4"
    allowed = build_guard(ctx.settings, ["alias.example.com"], resolver=lambda host, port: ["93.184.216.34"])
    assert allowed.check("https://alias.example.com/hook").ip == "93.184.216.34"


async def test_the_builder_says_why_a_webhook_address_blocks_publishing(user: User) -> None:
    await login(user, "marketer")
    await user.open("/")
    journey_id = imported(current(), hook_journey("http://169.254.169.254/latest/meta-data/"))
    await user.open(f"/journeys/{journey_id}")
    user.find(marker="publish").click()
    user.find(marker="review-confirm").click()
    await user.should_see("Not published: 1 problem to fix first")
    await user.should_see("node hook: [webhook_address] url: 169.254.169.254 refused: 169.254.169.254 is a link-local")


def self_signed(tmp_path, name: str) -> tuple[str, str]:
    """A certificate for ``name`` (its own CA) and its key, as PEM files: a partner's HTTPS endpoint."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_path), str(key_path)


def test_https_goes_to_the_checked_address_and_verifies_the_original_name(ctx, tmp_path, monkeypatch) -> None:
    import ssl

    cert, key = self_signed(tmp_path, "hooks.partner.test")
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the client trusts this partner's certificate, nothing else
    server = RecordingServer()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.start()
    try:
        port = server.server_address[1]
        enter_one(ctx, imported(ctx, hook_journey(f"https://hooks.partner.test:{port}/hook")))
        guard = build_guard(ctx.settings, ["hooks.partner.test"], resolver=lambda host, port: ["127.0.0.1"])
        send_all(ctx, {"webhook": WebhookProvider(ctx.settings, config=lambda: (["k" * 32], guard))})
    finally:
        server.stop()
    [request] = server.requests
    assert request["headers"]["Host"] == f"hooks.partner.test:{port}"
    assert outbox(ctx)[0].status == "sent"
