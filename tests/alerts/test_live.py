"""The alert kept per process for its public pages (alerts.live): read from memory while its
stamp holds, read again the moment staff change it, and never shared between sessions."""

from flask import g

from campaign_app.alerts.live import read_alert
from campaign_app.alerts.operations import save_translation, set_merge_defaults, update_alert
from campaign_app.core.db import db
from tests.factories import add_alert
from tests.races import statements_seen


def _request(app, slug):
    """A request of its own, as each page view is. (The test's app context, and so `g`,
    outlives it: the merge defaults a request keeps in `g` are dropped here.)"""
    with app.test_request_context(f"/a/{slug}"):
        g.pop("merge_defaults", None)
        with statements_seen(db.session.connection()) as seen:
            alert = read_alert(slug)
            title, languages = alert.title, [t.language for t in alert.translations]
            attached = alert in db.session
            defaults = g.merge_defaults
        return title, languages, attached, defaults, seen


def test_a_kept_alert_costs_only_its_stamp_and_is_read_again_once_changed(app, db_session):
    alert = add_alert(title="Stop the cuts")
    first = _request(app, alert.slug)
    assert first[0] == "Stop the cuts" and first[2]
    kept = _request(app, alert.slug)
    # The stamp's one light query, and nothing for the alert, its translations or defaults.
    assert kept[:3] == first[:3] and kept[4] == ["SELECT"]
    assert kept[3] == first[3]

    update_alert(alert, {"title": "Save the clinics"})
    db.session.commit()
    changed = _request(app, alert.slug)
    assert changed[0] == "Save the clinics"
    assert len(changed[4]) > 1  # read again, not from memory

    save_translation(alert, "es", {"title": "Salven las clínicas", "appeal": "Llame hoy."})
    db.session.commit()
    translated = _request(app, alert.slug)
    assert "es" in translated[1]


def test_a_request_that_changes_its_copy_leaves_the_kept_alert_alone(app, db_session):
    alert = add_alert(title="Stop the cuts")
    _request(app, alert.slug)
    with app.test_request_context(f"/a/{alert.slug}"):
        mine = read_alert(alert.slug)
        mine.title = "Scribbled"  # never flushed: this request's own copy
        db.session.expunge(mine)
    assert _request(app, alert.slug)[0] == "Stop the cuts"


def test_a_spanish_default_set_or_cleared_is_read_at_once(app, db_session):
    """Issue 15: the kept alert carries each language's defaults, and each edit of either
    language changes the stamp. Clearing the Spanish default removes its row while a newer
    English row keeps the newest edit time as it was: only the number of rows tells (the
    stamp without its row count keeps the old Spanish default)."""
    alert = add_alert(title="Stop the cuts")
    assert _request(app, alert.slug)[3]["es"]["first_name"] == "Amigo/a"
    edits = [({"first_name": "Vecina"}, "es", ("es", "first_name", "Vecina")),
             ({"rep_name": "your congressperson"}, "en",
              ("en", "rep_name", "your congressperson")),
             ({"first_name": ""}, "es", ("es", "first_name", "Amigo/a"))]
    for fallbacks, language, (reader, field, expected) in edits:
        _request(app, alert.slug)  # kept
        set_merge_defaults(fallbacks, language=language)
        db.session.commit()
        changed = _request(app, alert.slug)
        assert changed[3][reader][field] == expected
        assert len(changed[4]) > 1  # read again, not from memory
    assert changed[3]["en"]["first_name"] == "Friend"
