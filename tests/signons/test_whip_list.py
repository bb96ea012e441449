"""The whip list: signed or not, constituent pressure per member, sorted and filtered."""

import re

import pytest

from campaign_app.auth.operations import get_user_by_email
from campaign_app.signons.operations import record_member_signon
from tests.factories import add_action, add_alert, add_supporter

pytestmark = pytest.mark.full_data

# Two New York House members and one Alabama member of the reference data.
OCASIO_CORTEZ, NADLER, ADERHOLT = "O000172", "N000002", "A000055"


def _rows(html):
    return re.findall(r'<tr id="whip-(\w+)" class="([\w-]+)">', html)


def test_whip_list_counts_pressure_and_sorts_by_it(client, login, full_data):
    alert = add_alert(target_rule="house")
    for _ in range(3):
        supporter = add_supporter(state="NY")
        add_action(alert, supporter, OCASIO_CORTEZ, kind="call")
        add_action(alert, supporter, OCASIO_CORTEZ, kind="email", outcome=None)
    add_action(alert, add_supporter(state="NY"), NADLER, kind="call")
    login("organizer")
    from flask_login import current_user  # noqa: F401  (the logged-in organizer records)

    record_member_signon(alert, NADLER, by=get_user_by_email("organizer@example.org"),
                         source="Letter text")

    page = client.get(f"/staff/alerts/{alert.slug}/signons/whip")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert len(rows) > 400  # every current House member is a target
    assert rows[0] == (OCASIO_CORTEZ, "not-signed")
    assert rows[1] == (NADLER, "signed")
    top = re.search(rf'id="whip-{OCASIO_CORTEZ}".*?</tr>', page.text, re.S).group(0)
    assert '<td class="constituents">3</td>' in top
    assert '<td class="calls">3</td>' in top and '<td class="emails">3</td>' in top

    not_signed_ny = client.get(f"/staff/alerts/{alert.slug}/signons/whip"
                               "?state=NY&signed=no&sort=name&dir=asc").text
    ids = [bioguide for bioguide, _ in _rows(not_signed_ny)]
    assert NADLER not in ids and OCASIO_CORTEZ in ids and ADERHOLT not in ids
    democrats = client.get(f"/staff/alerts/{alert.slug}/signons/whip?party=Republican").text
    assert OCASIO_CORTEZ not in [bioguide for bioguide, _ in _rows(democrats)]


def test_whip_list_ignores_unknown_filters_and_sorts(client, login, full_data):
    alert = add_alert(target_rule="listed", target_ids=[ADERHOLT])
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}/signons/whip"
                      "?state=%27;--&party=<x>&sort=drop&dir=up&signed=maybe")
    assert page.status_code == 200
    assert _rows(page.text) == [(ADERHOLT, "not-signed")]
