"""Issue 16: API keys (scopes, revocation, rate limit, audit) and the OSDI reads."""

from sqlalchemy import select

from campaign_app.audit.models import AuditEvent
from tests.api.conftest import PERSON
from tests.factories import add_alert, add_supporters


def test_no_key_or_an_unknown_key_gets_401(client, api):
    assert client.get("/api/v1/people").status_code == 401
    answer = client.get("/api/v1/people", headers={"OSDI-API-Token": "alerta_nope"})
    assert answer.status_code == 401
    assert answer.json["errors"][0]["field"] == "OSDI-API-Token"


def test_every_api_route_refuses_a_request_without_a_key(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        url = rule.build({name: "1" for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = client.open(url, method=method, json={})
            assert answer.status_code == 401, (method, url, answer.status_code)
            checked += 1
    assert checked >= 15


def test_a_revoked_key_gets_401_and_revoking_is_audited(login, db_session, api_key):
    token = api_key("read")
    client = login("admin")
    assert client.get("/api/v1/people", headers={"OSDI-API-Token": token}).status_code == 200
    from campaign_app.api.models import ApiKey

    key = db_session.scalars(select(ApiKey)).one()
    assert key.last_used_at is not None
    import re

    page = client.get("/staff/api-keys/")
    assert key.prefix in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post(f"/staff/api-keys/{key.id}/revoke",
                       data={"csrf_token": csrf}).status_code == 302
    assert client.get("/api/v1/people", headers={"OSDI-API-Token": token}).status_code == 401
    actions = db_session.scalars(select(AuditEvent.action)).all()
    assert "api_key.created" in actions and "api_key.revoked" in actions


def test_the_key_is_shown_once_and_stored_hashed(login, db_session):
    from campaign_app.api.models import ApiKey
    from tests.helpers import submit_form

    client = login("admin")
    answer = submit_form(client, "/staff/api-keys/", {"name": "Action Network",
                                                      "scope": "read_write"})
    assert answer.status_code == 201
    token = answer.text.split('id="api-token">')[1].split("<")[0]
    key = db_session.scalars(select(ApiKey)).one()
    assert token.startswith("alerta_") and token not in (key.key_hash, key.prefix)
    assert token not in client.get("/staff/api-keys/").text
    assert client.get("/api/v1/people", headers={"OSDI-API-Token": token}).status_code == 200


def test_only_admins_manage_keys(login):
    assert login("organizer").get("/staff/api-keys/").status_code == 403


def test_a_read_key_cannot_write(api):
    call = api("read")
    answer = call("POST", "/api/v1/people", json={"person": PERSON})
    assert answer.status_code == 403
    assert answer.json["errors"][0]["field"] == "OSDI-API-Token"


def test_a_viewer_key_sees_no_contact_data(api, db_session):
    add_supporters(3, phone="307-555-0101", street="1 Main St", city="Cheyenne")
    for scope, sees in (("viewer", False), ("read", True)):
        people = api(scope)("GET", "/api/v1/people").json["_embedded"]["osdi:people"]
        assert len(people) == 3
        text = str(people)
        for private in ("@example.org", "307-555-0101", "1 Main St", "First"):
            assert (private in text) is sees, (scope, private)


def test_a_person_speaks_the_language_they_acted_in(api, db_session):
    [spanish] = add_supporters(1, prefix="es", language="es")
    [unknown] = add_supporters(1, prefix="unknown")
    people = api("read")("GET", "/api/v1/people").json["_embedded"]["osdi:people"]
    spoken = {p["email_addresses"][0]["address"]: p["languages_spoken"] for p in people}
    assert spoken == {spanish: ["es"], unknown: []}


def test_the_rate_limit_answers_429_with_retry_after(api, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_LIMIT_PER_KEY", 3)
    call = api("read")
    assert [call("GET", "/api/v1/people").status_code for _ in range(3)] == [200] * 3
    answer = call("GET", "/api/v1/people")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "60"


def test_people_pages_follow_next_links_and_keep_page_numbers(api, db_session):
    add_supporters(25)
    call = api("read")
    first = call("GET", "/api/v1/people?per_page=10").json
    assert (first["page"], first["total_pages"], first["total_records"]) == (1, 3, 25)
    assert first["_links"]["self"]["href"].endswith("per_page=10")
    seen = [p["identifiers"][0] for p in first["_embedded"]["osdi:people"]]
    page = first
    while "next" in page["_links"]:
        page = call("GET", page["_links"]["next"]["href"]).json
        seen += [p["identifiers"][0] for p in page["_embedded"]["osdi:people"]]
    assert len(seen) == len(set(seen)) == 25
    assert page["page"] == 3 and "previous" in page["_links"]
    # page 2 asked for by number alone is the page the next link led to
    by_number = call("GET", "/api/v1/people?per_page=10&page=2").json
    assert [p["identifiers"][0] for p in by_number["_embedded"]["osdi:people"]] == seen[10:20]


def test_modified_date_filter_gives_only_what_changed(api, db_session):
    from datetime import timedelta

    from campaign_app.core.time import utcnow
    from campaign_app.supporters.models import Supporter

    add_supporters(4)
    later = utcnow() + timedelta(hours=1)
    changed = db_session.scalars(select(Supporter).limit(1)).one()
    changed.updated_at = later + timedelta(minutes=5)
    db_session.commit()
    since = later.strftime("%Y-%m-%dT%H:%M:%SZ")
    answer = api("read")("GET", f"/api/v1/people?filter=modified_date gt '{since}'").json
    assert [p["identifiers"][0] for p in answer["_embedded"]["osdi:people"]] == [
        f"alerta:person-{changed.id}"]


def test_bad_paging_and_filters_are_4xx_naming_the_field(api):
    call = api("read")
    for query, field in (("per_page=101", "per_page"), ("page=0", "page"),
                         ("page=x", "page"), ("filter=name eq 'x'", "filter"),
                         ("filter=modified_date gt 'yesterday'", "filter"),
                         ("after=1.2", "after"), ("after=x", "after")):
        answer = call("GET", f"/api/v1/people?{query}")
        assert 400 <= answer.status_code < 500, query
        assert field in str(answer.json["errors"]), (query, answer.json)
    assert call("GET", "/api/v1/people/99999999999").status_code == 404
    assert call("GET", "/api/v1/nowhere").json["response_code"] == 404


def test_campaigns_outreaches_petitions_and_signatures(api, full_data, db_session):
    alert = add_alert(channels=["call", "signon"], letter_text="We ask you to sign.")
    writer = api("read_write")
    body = {"person": PERSON, "type": "phone",
            "targets": [{"identifiers": ["bioguide:H001096"]}],
            "custom_fields": {"outcome": "talked", "note": "Friendly staffer"}}
    answer = writer("POST", f"/api/v1/advocacy_campaigns/{alert.id}/outreaches", json=body)
    assert answer.status_code == 201, answer.json
    assert answer.json["targets"][0]["family_name"] == "Hageman"
    signed = writer("POST", f"/api/v1/petitions/{alert.id}/signatures", json={"person": PERSON})
    assert signed.status_code == 201, signed.json
    call = api("viewer")
    campaign = call("GET", f"/api/v1/advocacy_campaigns/{alert.id}").json
    assert campaign["total_outreaches"] == 1 and campaign["type"] == ["phone"]
    for path in (f"/api/v1/advocacy_campaigns/{alert.id}/outreaches", "/api/v1/outreaches"):
        outreaches = call("GET", path).json["_embedded"]["osdi:outreaches"]
        assert [o["custom_fields"]["outcome"] for o in outreaches] == ["talked"]
    petition = call("GET", f"/api/v1/petitions/{alert.id}").json
    assert petition["total_signatures"] == 1
    signatures = call("GET", f"/api/v1/petitions/{alert.id}/signatures").json
    assert signatures["total_records"] == 1
    href = signatures["_embedded"]["osdi:signatures"][0]["_links"]["self"]["href"]
    assert call("GET", href).status_code == 200


def test_collection_links_are_what_url_for_writes(app, api, db_session):
    """The links are built from a path kept per host and the query encoded as werkzeug's
    router does: byte for byte what url_for gives, quotes, spaces and a view's argument
    included, and for each host a request names."""
    from flask import url_for

    alert = add_alert()
    call = api("read")
    since = "modified_date gt '2000-01-01T00:00:00Z'"
    for host in ("localhost", "crm.example.org:8443"):
        for path, endpoint, view_args in (
                ("/api/v1/advocacy_campaigns", "api.list_advocacy_campaigns", {}),
                (f"/api/v1/advocacy_campaigns/{alert.id}/outreaches",
                 "api.campaign_outreaches", {"campaign_id": alert.id})):
            answer = call("GET", f"{path}?per_page=1&filter={since}&page=2",
                          base_url=f"https://{host}").json
            with app.test_request_context(path, base_url=f"https://{host}"):
                expected = url_for(endpoint, _external=True, **view_args, per_page=1,
                                   filter=since, page=2)
                previous = url_for(endpoint, _external=True, **view_args, per_page=1,
                                   filter=since, page=1)
            assert answer["_links"]["self"]["href"] == expected
            assert answer["_links"]["previous"]["href"] == previous


def test_pages_of_the_same_shape_take_each_request_s_own_values(api, full_data, db_session):
    """Statements are kept per shape of conditions, their values bound on each request: two
    people's outreaches, two campaigns', and one filter at two times, each asked in turn,
    give each request its own rows (a value kept with a statement would give the first's)."""
    from datetime import timedelta

    from campaign_app.core.time import utcnow
    from tests.factories import add_action, add_supporter

    alerts = [add_alert(), add_alert()]
    people = [add_supporter(state="WY", district=0, zip_code="82001") for _ in range(2)]
    now = utcnow()
    made = {(a, p): add_action(alerts[a], people[p], "H001096",
                               created_at=now - timedelta(hours=a * 2 + p))
            for a in range(2) for p in range(2)}
    db_session.commit()
    call = api("read")

    def ids(path):
        answer = call("GET", path)
        assert answer.status_code == 200, answer.json
        return {item["identifiers"][0] for item in answer.json["_embedded"]["osdi:outreaches"]}

    def named(*keys):
        return {f"alerta:outreach-{made[key].id}" for key in keys}

    for _ in range(2):  # the second round runs the statements the first one kept
        for p in range(2):
            assert ids(f"/api/v1/people/{people[p].id}/outreaches") == named((0, p), (1, p))
        for a in range(2):
            assert ids(f"/api/v1/advocacy_campaigns/{alerts[a].id}/outreaches") == \
                named((a, 0), (a, 1))
        for hours, expected in ((0.5, named((0, 0))), (1.5, named((0, 0), (0, 1)))):
            since = (now - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert ids(f"/api/v1/advocacy_campaigns/{alerts[0].id}/outreaches?filter="
                       f"created_date gt '{since}'") == expected
