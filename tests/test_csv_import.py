"""CSV import through the real CLI: streamed upserts, typed cells and a report of rejected lines."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage.db import Database
from storage.models import Contact
from tests.conftest import run_cli

CONTACTS = Contact.__table__
MAP = (
    "external_id=Id,email=Email,phone=Phone,time_zone=TZ,attr.city=City,age=Age,"
    "consent.email=Newsletter,lat=Lat,lon=Lon"
)
HEADER = "Id,Email,Phone,TZ,City,Age,Newsletter,Lat,Lon\n"


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def contacts(settings) -> dict[str, tuple]:
    db = Database(settings.database_url)
    with db.engine.connect() as conn:
        query = select(
            CONTACTS.c.external_id, CONTACTS.c.email, CONTACTS.c.phone, CONTACTS.c.attributes, CONTACTS.c.consent
        )
        out = {row[0] or row[1]: tuple(row[1:]) for row in conn.execute(query)}
    db.dispose()
    return out


def test_import_creates_and_updates_and_reports_broken_rows_with_line_numbers(tmp_path: Path, settings) -> None:
    csv_text = (
        "Id,Email,Phone,TZ,City,Age,Newsletter,Lat,Lon\n"
        "u1,ada@example.com,06 12 34 56 78,Europe/Paris,Lyon,36,oui,45.76,4.83\n"
        "u2,not-an-email,,,Paris,41,,,\n"
        ",grace@example.com,,Mars/Base,,,,,\n"
        ",grace@example.com,+1 650 253 0000,,Nantes,01234,non,,\n"
        ",,,,Orphan,,,,\n"
        "u3,linus@example.com,12,,,,,,\n"
    )
    result = run_cli("contacts", "import", write(tmp_path, csv_text), "--map", MAP)
    assert result.returncode == 0, result.stderr
    assert "created 2, updated 0, rejected 4" in result.stdout
    assert ":3: Email: not a valid email address" in result.stdout
    assert ":4: TZ: unknown time zone 'Mars/Base'" in result.stdout
    assert ":6: Id: an external id or an email is required" in result.stdout
    assert ":7: Phone: not a valid phone number" in result.stdout
    assert "100%" in result.stderr, "a progress bar is drawn on stderr"
    people = contacts(settings)
    assert people["u1"] == ("ada@example.com", "+33612345678", {"city": "Lyon", "age": 36}, {"email": "subscribed"})
    assert people["grace@example.com"][1:] == (
        "+16502530000",
        {"city": "Nantes", "age": "01234"},
        {"email": "unsubscribed"},
    )

    again = (
        "Id,Email,Phone,TZ,City,Age,Newsletter,Lat,Lon\nu1,ada@example.com,,,Paris,37,,,\n,grace@example.com,,,,,,,\n"
    )
    result = run_cli("contacts", "import", write(tmp_path, again), "--map", MAP)
    assert "created 0, updated 2, rejected 0" in result.stdout, result.stdout + result.stderr
    assert contacts(settings)["u1"][2] == {"city": "Paris", "age": 37}


def test_import_refuses_a_mapping_to_missing_columns(tmp_path: Path) -> None:
    result = run_cli("contacts", "import", write(tmp_path, "Email\na@example.com\n"), "--map", "email=Mail")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: line 1: column(s) not in the header: Mail"


def test_apikey_list_shows_only_the_prefix_and_revoke_marks_it(settings) -> None:
    created = run_cli("apikey", "create", "mobile app")
    key = created.stdout.strip()
    listed = run_cli("apikey", "list").stdout
    assert key not in listed and key[:11] in listed and "mobile app" in listed and "active" in listed
    assert run_cli("apikey", "revoke", "1").returncode == 0
    assert "revoked" in run_cli("apikey", "list").stdout
    missing = run_cli("apikey", "revoke", "99")
    assert missing.returncode == 1 and "no API key with id 99" in missing.stderr
