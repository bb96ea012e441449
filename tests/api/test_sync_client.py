"""Issue 16: a sync client written against the served description alone pages through
10,000 people and 30,000 outreaches, then fetches only what changed since its last sync."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from campaign_app.actions.models import Action
from campaign_app.core.time import utcnow
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert, add_supporters

PEOPLE, OUTREACHES = 10_000, 30_000


class SyncClient:
    """Knows only the OpenAPI description's URL and its key: finds each collection there,
    follows `next` links, and keeps what it has seen by identifier."""

    def __init__(self, client, token):
        self.client, self.headers = client, {"OSDI-API-Token": token}
        spec = client.get("/api/v1/openapi.json").json
        self.collections = {}
        for path, operations in spec["paths"].items():
            schema = operations.get("get", {}).get("responses", {}).get("200", {})
            content = schema.get("content", {}).get("application/hal+json", {})
            reference = content.get("schema", {}).get("$ref", "")
            if "{" not in path and reference.endswith("Collection"):
                self.collections[path.rsplit("/", 1)[-1]] = path
        self.records: dict[str, dict[str, dict]] = {}
        self.requests = 0

    def sync(self, name: str, since: datetime | None = None) -> list[dict]:
        url = f"{self.collections[name]}?per_page=100"
        if since is not None:
            url += f"&filter=modified_date gt '{since.strftime('%Y-%m-%dT%H:%M:%SZ')}'"
        fetched = []
        while url:
            answer = self.client.get(url, headers=self.headers)
            self.requests += 1
            assert answer.status_code == 200, answer.json
            page = answer.json
            fetched += page["_embedded"][f"osdi:{name}"]
            url = page["_links"].get("next", {}).get("href")
        for record in fetched:
            self.records.setdefault(name, {})[record["identifiers"][0]] = record
        return fetched


@pytest.fixture
def many(db_session, full_data):
    alert = add_alert()
    add_supporters(PEOPLE)
    ids = db_session.scalars(select(Supporter.id).order_by(Supporter.id)).all()
    now = utcnow()
    db_session.execute(insert(Action), [
        {"alert_id": alert.id, "supporter_id": ids[n % PEOPLE], "bioguide_id": "H001096",
         "kind": "call", "outcome": "talked", "submission_key": f"bulk-{n}",
         "created_at": now, "is_message_edited": False, "is_response_requested": False,
         "is_newsletter_opt_in": False} for n in range(OUTREACHES)])
    db_session.commit()
    return alert, ids


def test_a_sync_client_pages_through_everything_then_only_what_changed(
        client, api_key, app, monkeypatch, many, db_session):
    monkeypatch.setitem(app.config, "API_LIMIT_PER_KEY", 100_000)
    alert, ids = many
    sync = SyncClient(client, api_key("read"))
    assert {"people", "outreaches"} <= set(sync.collections)
    # The filter is in whole seconds: the sync starts in a second after the one the data was
    # made in (a row made in the same second is "changed since" by the filter: seen in CI).
    time.sleep(1 - datetime.now(UTC).microsecond / 1_000_000)
    started = datetime.now(UTC)
    assert len(sync.sync("people")) == PEOPLE
    assert len(sync.sync("outreaches")) == OUTREACHES
    assert len(sync.records["people"]) == PEOPLE
    assert len(sync.records["outreaches"]) == OUTREACHES
    assert sync.requests == (PEOPLE + OUTREACHES) // 100

    later = utcnow() + timedelta(minutes=5)
    db_session.execute(update(Supporter).where(Supporter.id.in_(ids[:3]))
                       .values(updated_at=later, last_name="Changed"))
    db_session.execute(insert(Action), [
        {"alert_id": alert.id, "supporter_id": ids[-1], "bioguide_id": "H001096",
         "kind": "call", "outcome": "voicemail", "submission_key": f"late-{n}",
         "created_at": later, "is_message_edited": False, "is_response_requested": False,
         "is_newsletter_opt_in": False} for n in range(5)])
    db_session.commit()
    changed = sync.sync("people", since=started)
    assert sorted(p["identifiers"][0] for p in changed) == sorted(
        f"alerta:person-{i}" for i in ids[:3])
    assert {p["family_name"] for p in changed} == {"Changed"}
    new = sync.sync("outreaches", since=started)
    assert [o["custom_fields"]["outcome"] for o in new] == ["voicemail"] * 5
    assert len(sync.records["outreaches"]) == OUTREACHES + 5
