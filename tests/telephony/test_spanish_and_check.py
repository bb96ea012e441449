"""A Spanish-speaking supporter's call speaks Spanish with the es-US voice; `flask telephony
check` verifies the settings against the provider (the stand-in, as strict as Twilio)."""

import pytest
from sqlalchemy import select

from campaign_app.alerts.demo import demo_spanish_texts
from campaign_app.alerts.operations import save_translation
from campaign_app.core.db import db
from campaign_app.telephony.models import PhoneCall
from campaign_app.telephony.tasks import place_call
from tests.factories import add_alert
from tests.helpers import form_for, submit_form
from tests.twilio_server import Callee

from .conftest import AUTH_TOKEN

pytestmark = [pytest.mark.full_data]


def test_a_spanish_speaking_supporter_hears_spanish_prompts_in_the_es_us_voice(
        app, full_data, committed_data, phone_network):
    with app.app_context():
        alert = add_alert()
        save_translation(alert, "es", demo_spanish_texts())
        db.session.commit()
        slug = alert.slug
    supporter = app.test_client()
    supporter.get(f"/a/{slug}?lang=es")
    submit_form(supporter, f"/a/{slug}", {"first_name": "Lupe", "last_name": "Ruiz",
                                          "email": "lupe@example.org", "zip_code": "82001",
                                          "phone": "307-555-0150"})
    page = supporter.get(f"/a/{slug}/call").text
    form = form_for(page, action=f"/a/{slug}/call-me")
    assert "Llámeme" in page
    phone_network.callees["+13075550150"] = Callee(keys=["1", None, "1", "*", "*"],
                                                   dials=[("completed", 50)])
    answer = supporter.post(form["action"], data=form["fields"], follow_redirects=True)
    assert "Le estamos llamando" in answer.text
    with app.app_context():
        call_id = db.session.scalars(select(PhoneCall.id)).one()
    place_call(call_id)  # what the worker runs (the worker itself: test_patch_through_worker)
    assert phone_network.wait_for_calls(1, timeout=60)
    [call] = phone_network.calls
    assert call.errors == []
    said = call.said()
    assert said and {language for _text, language in said} == {"es-US"}
    texts = " ".join(text for text, _language in said)
    assert "Oprima 1 para comenzar" in texts
    assert "Lo comunicamos con la Representante Harriet M. Hageman" in texts  # title, article
    assert "¡Gracias por llamar al Congreso! Adiós." in texts
    assert "Press" not in texts


def test_flask_telephony_check_verifies_the_settings_against_the_provider(app, twilio,
                                                                         monkeypatch):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["telephony", "check"])
    assert result.exit_code == 0, result.output
    assert "caller id +13075550100 are ready" in result.output

    monkeypatch.setitem(app.config, "TWILIO_CALLER_ID", "+13075550111")
    result = runner.invoke(args=["telephony", "check"])
    assert result.exit_code == 1
    assert "+13075550111 is not a number of this Twilio account" in result.output

    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", AUTH_TOKEN[::-1])
    result = runner.invoke(args=["telephony", "check"])
    assert result.exit_code == 1
    assert "refused the account SID and auth token (20003)" in result.output

    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", "")
    result = runner.invoke(args=["telephony", "check"])
    assert result.exit_code == 1 and "telephony is off: set TWILIO_AUTH_TOKEN" in result.output


def test_the_provider_refuses_a_call_it_would_refuse_and_the_call_is_marked_failed(
        app, full_data, committed_data, twilio, monkeypatch):
    """A From number the account doesn't own: Twilio's 21210, recorded as the call's error."""
    with app.app_context():
        alert = add_alert()
        from tests.factories import add_supporter

        supporter = add_supporter(state="WY", district=0, zip_code="82001")
        call = PhoneCall(alert_id=alert.id, supporter_id=supporter.id, direction="outbound",
                         phone="+13075550160")
        db.session.add(call)
        db.session.commit()
        call_id = call.id
    monkeypatch.setitem(app.config, "TWILIO_CALLER_ID", "+13075550111")
    place_call(call_id)
    with app.app_context():
        call = db.session.get(PhoneCall, call_id)
        assert call.status == "failed" and call.call_sid is None
        assert "(21210)" in call.error
    assert twilio.calls == [] and twilio.refusals[-1]["code"] == 21210
