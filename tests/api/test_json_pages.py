"""Issue 16: outreach pages whose JSON PostgreSQL builds (api/json_pages.py) say exactly what
the Python resources say, for every kind of row; and the walk by next links is the same."""

import orjson
import pytest

from campaign_app.api import json_pages, queries
from campaign_app.api.paging import PageRequest
from campaign_app.api.views import outreach_items
from tests.factories import add_action, add_alert, add_supporter

#: A representative at large, a senator, a delegate, the resident commissioner.
MEMBERS = ("H001096", "B001261", "N000147", "H001103")


@pytest.fixture
def outreaches(app, full_data, db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("JSON is built in the database on PostgreSQL only")
    alert = add_alert(channels=["call", "email"])
    one = add_supporter(state="WY", district=0, zip_code="82001", source_code="news-1")
    two = add_supporter(first_name='Zoë "Z"', last_name="O'Neil\\", state="DC", district=0)
    made = []
    for n, bioguide_id in enumerate(MEMBERS):
        made.append(add_action(alert, one, bioguide_id, outcome=None if n == 3 else "talked",
                               referral_code=f"ref{n}" if n % 2 else None))
        made.append(add_action(alert, two, bioguide_id, kind="thank", status="sent"))
    email = add_action(alert, two, "H001096", kind="email", status="delivered")
    email.message_subject = 'Vote "no" on H.R. 1 \\ ñ'
    email.channel, email.source_code = "cwc", "mailing-3"
    made.append(email)
    signature = add_action(alert, one, None, kind="signon")  # not an outreach
    db_session.flush()
    return alert, made, signature


def _both(request, **scope):
    page = queries.outreaches_page(request, as_json=True, **scope)
    rows = queries.outreaches_page(request, **scope)
    return page, rows


def test_the_database_builds_each_outreach_as_python_does(app, outreaches):
    alert, made, signature = outreaches
    with app.test_request_context("/api/v1/outreaches", base_url="https://crm.example.org"):
        page, rows = _both(PageRequest(per_page=100))
        items, self_links = (orjson.loads(part) for part in page.json)
        expected = outreach_items(rows.rows)
    assert items == expected
    assert len(items) == len(made) and signature.id not in [row.id for row in rows.rows]
    # same keys in the same order, down to the nested objects
    assert [list(item) for item in items] == [list(item) for item in expected]
    assert [list(item["targets"][0]) for item in items] == \
        [list(item["targets"][0]) for item in expected]
    assert self_links == [item["_links"]["self"] for item in expected]
    assert self_links[0]["href"].startswith("https://crm.example.org/api/v1/outreaches/")
    titles = {item["targets"][0]["identifiers"][0]: (item["targets"][0]["title"],
                                                      item["targets"][0]["ocdid"])
              for item in items}
    assert titles == {
        "bioguide:H001096": ("Rep.", "ocd-division/country:us/state:wy/cd:at-large"),
        "bioguide:B001261": ("Sen.", "ocd-division/country:us/state:wy"),
        "bioguide:N000147": ("Del.", "ocd-division/country:us/state:dc/cd:at-large"),
        "bioguide:H001103": ("Res. Comm.", "ocd-division/country:us/state:pr/cd:at-large")}
    subjects = [item.get("subject") for item in items]
    assert subjects.count('Vote "no" on H.R. 1 \\ ñ') == 1 and subjects.count(None) == 8


def test_pages_by_next_key_and_by_number_match_and_end_alike(app, outreaches):
    alert, made, _ = outreaches
    with app.test_request_context("/api/v1/outreaches"):
        first, first_rows = _both(PageRequest(per_page=4), alert_id=alert.id)
        assert first.keys == [first_rows.keys[-1]] and first.total_records == len(made)
        assert first.next_after == first_rows.next_after
        after = PageRequest(page=2, per_page=4, after=first.keys[-1], total=len(made))
        second, second_rows = _both(after)
        assert orjson.loads(second.json[0]) == outreach_items(second_rows.rows)
        by_number, _ = _both(PageRequest(page=3, per_page=4))
        assert [item["identifiers"] for item in orjson.loads(by_number.json[0])] == \
            [[f"alerta:outreach-{made[-1].id}"]]
        assert by_number.next_after is None
        past_the_end, _ = _both(PageRequest(page=9, per_page=4))
        assert past_the_end.json == ("[]", "[]") and past_the_end.keys == []


def test_the_api_serves_the_database_built_page(api, outreaches):
    alert, made, _ = outreaches
    call = api("viewer")
    answer = call("GET", f"/api/v1/advocacy_campaigns/{alert.id}/outreaches?per_page=5")
    assert answer.status_code == 200
    body = answer.json
    assert body["total_records"] == len(made) and body["total_pages"] == 2
    assert [link["href"] for link in body["_links"]["osdi:outreaches"]] == \
        [item["_links"]["self"]["href"] for item in body["_embedded"]["osdi:outreaches"]]
    rest = call("GET", body["_links"]["next"]["href"]).json
    ids = [item["identifiers"][0] for page in (body, rest)
           for item in page["_embedded"]["osdi:outreaches"]]
    assert ids == [f"alerta:outreach-{action.id}" for action in made]
    assert json_pages.in_database()
