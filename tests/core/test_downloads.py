"""Every staff download, read to its last byte the way a browser reads it: outside the test's
app context, so that the request's session is gone once the view has returned (issue 12,
item 14: the organizations' CSV stopped after its header row with a 200)."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from campaign_app.audit.models import AuditEvent
from campaign_app.core.db import db
from campaign_app.exports.queries import EXPORTS
from tests.staff_world import build_staff_world, logged_in_client

pytestmark = pytest.mark.full_data

DOWNLOAD = re.compile(r"\.(csv|txt|pdf)\Z")


def _rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))


def _check_export(world, body, name):
    rows = _rows(body)
    if name == "actions":
        assert sorted(row["kind"] for row in rows) == ["call", "call", "signon", "signon"]
        assert {row["member"] for row in rows} == {"Alexandria Ocasio-Cortez", ""}
    elif name == "supporters":
        assert sorted(row["email"] for row in rows) == ["ana.world@example.org",
                                                        "ben.world@example.org"]
    elif name == "deliveries":
        assert [row["kind"] for row in rows] == ["confirmation"]
    else:
        assert sorted(row["name"] for row in rows) == ["Alexandria Ocasio-Cortez",
                                                       "Derechos Ahora"]


def _check_organizations_csv(world, body):
    assert _rows(body) == [{"position": "1", "organization": "Derechos Ahora",
                            "country": "Mexico", "website": "https://derechos.example.org",
                            "signed_on": _rows(body)[0]["signed_on"]}]


def _check_organizations_text(world, body):
    assert body.decode() == "Derechos Ahora (Mexico)\n"


def _check_signers(world, body):
    rows = _rows(body)
    assert sorted((row["first_name"], row["state"]) for row in rows) == [("Ana", "NY"),
                                                                       ("Ben", "CA")]


def _check_office_signers(world, body, bioguide_id):
    rows = _rows(body)
    assert len(rows) == world.offices[bioguide_id] > 0
    assert {row["office_bioguide_id"] for row in rows} == {bioguide_id}


def _check_pdf(world, body):
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")


def _check_supporter_record(world, body, supporter_id):
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert ["supporter", str(supporter_id), "email", "ana.world@example.org"] in rows
    assert sum(row[0] == "actions" and row[2] == "id" for row in rows) == 2


CHECKS = {
    "exports.download": _check_export,
    "signons.export_csv": _check_organizations_csv,
    "signons.export_text": _check_organizations_text,
    "signons.letter_csv_all": _check_signers,
    "signons.letter_csv_office": _check_office_signers,
    "signons.letter_pdf_all": _check_pdf,
    "signons.letter_pdf_office": lambda world, body, bioguide_id: _check_pdf(world, body),
    "privacy.download_csv": _check_supporter_record,
}


def _download_urls(app, world):
    """(endpoint, url, argument) for every download route, with the world's values."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/staff/") and "GET" in rule.methods
                and DOWNLOAD.search(rule.rule)):
            continue
        if "name" in rule.arguments:
            choices = [("name", name) for name in EXPORTS]
        elif "bioguide_id" in rule.arguments:
            choices = [("bioguide_id", bioguide_id) for bioguide_id in world.offices]
        elif "supporter_id" in rule.arguments:
            choices = [("supporter_id", world.supporter_id)]
        else:
            choices = [(None, None)]
        for key, value in choices:
            values = {"slug": world.slug, **({key: value} if key else {})}
            values = {name: values[name] for name in rule.arguments}
            yield rule.endpoint, adapter.build(rule.endpoint, values), value


def test_every_download_is_read_in_full_outside_the_request(app, committed_data, full_data):
    """Issue 12, item 14: each download's whole body, rows checked, on the suite's database."""
    world = build_staff_world(app)
    assert len(world.offices) >= 2  # a House member for each signer's district at least
    client = logged_in_client(app)
    downloads = list(_download_urls(app, world))
    assert {endpoint for endpoint, _, _ in downloads} == set(CHECKS)
    for endpoint, url, argument in downloads:
        response = client.get(url, buffered=False)
        assert response.status_code == 200, url
        body = b"".join(response.response)  # iterated after the view returned, as served
        response.close()
        check = CHECKS[endpoint]
        if argument is None:
            check(world, body)
        else:
            check(world, body, argument)
    with app.app_context():
        audited = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("export.%")
            | (AuditEvent.action == "supporter.data_downloaded"))).all()
    assert len(audited) == len(downloads)
