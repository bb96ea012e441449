"""The provider's webhooks (/telephony/…): each call step's instructions and the status
callbacks. Every request must carry the provider's signature over the public URL it was
sent to (behind the proxy), else 403 and nothing is read or written."""

import logging

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _

from ..alerts.models import Alert
from ..congress.index import District
from ..congress.queries import lookup_zip, normalize_zip
from ..core.db import db
from ..core.time import utcnow
from ..delivery.models import PENDING
from ..delivery.tasks import queue_deliveries
from ..supporters.models import Supporter
from . import flow
from .models import CallLeg, PhoneCall
from .operations import (
    CallRefused,
    answer_incoming,
    confirm_call,
    consent,
    office_to_dial,
    place_caller,
    record_keypad_outcome,
    record_leg,
    record_status,
)
from .provider import is_configured
from .providers import provider
from .queries import call_in_alert, call_targets

log = logging.getLogger(__name__)

bp = Blueprint("telephony_hooks", __name__, url_prefix="/telephony")


@bp.before_request
def _signed_only():
    if not is_configured():
        abort(404)
    # The URL the provider signed: the public one, as the proxy received it.
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + request.full_path.rstrip("?")
    params = request.form.to_dict(flat=True)
    if not provider().is_signed(url, params, request.headers.get("X-Twilio-Signature", "")):
        log.warning("unsigned telephony request refused: %s", request.path)
        abort(403)
    return None


def _send(reply) -> Response:
    body, content_type = provider().render(reply)
    return Response(body, content_type=content_type)


def _call(call_id: int) -> PhoneCall:
    """The call the URL names, only for the provider call it belongs to."""
    call = db.session.get(PhoneCall, call_id)
    sid = request.form.get("CallSid", "")
    if call is None or (call.call_sid is not None and call.call_sid != sid):
        abort(404)
    return call


def _digits() -> str:
    return request.form.get("Digits", "")[:10]


def _int_param(name: str) -> int:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else 0


def _place_of(call: PhoneCall) -> dict:
    supporter = db.session.get(Supporter, call.supporter_id) if call.supporter_id else None
    if call.zip_code is None and supporter is not None:
        return {"zip_code": supporter.zip_code, "latitude": supporter.latitude,
                "longitude": supporter.longitude}
    return {"zip_code": call.zip_code}


def _committed(reply) -> Response:
    response = _send(reply)
    db.session.commit()
    return response


@bp.post("/calls/<int:call_id>/answer")
def answer(call_id):
    """The supporter picked up a call Alerta placed."""
    call = _call(call_id)
    if call.call_sid is None:  # the provider rang before the worker stored its answer
        call.call_sid = request.form.get("CallSid", "")[:64] or None
    with force_locale(call.language):
        return _committed(flow.consent_prompt(call, db.session.get(Alert, call.alert_id)))


@bp.post("/calls/<int:call_id>/consent")
def consent_given(call_id):
    call = _call(call_id)
    with force_locale(call.language):
        if _digits() != "1":
            return _committed(flow.goodbye(call, thanks=False))
        consent(call)
        return _committed(flow.reply(call.language, flow.Redirect(
            flow.hook_url("target", call_id=call.id, position=0))))


@bp.post("/calls/<int:call_id>/targets/<int:position>")
def target(call_id, position):
    call = _call(call_id)
    with force_locale(call.language):
        targets = call_targets(call)
        if position >= len(targets):
            return _committed(flow.goodbye(call))
        member = targets[position]
        office = office_to_dial(member, utcnow(), **_place_of(call))
        if office is None:
            return _committed(flow.reply(call.language, flow.Redirect(
                flow.hook_url("target", call_id=call.id, position=position + 1))))
        alert = db.session.get(Alert, call.alert_id)
        supporter = db.session.get(Supporter, call.supporter_id) if call.supporter_id else None
        return _committed(flow.target_prompt(call, alert, supporter, member, position,
                                             office[0]))


@bp.post("/calls/<int:call_id>/targets/<int:position>/skip")
def skip(call_id, position):
    """A key pressed during the script: * skips this target, any other connects."""
    call = _call(call_id)
    if _digits() != "*":
        return _dial_now(call, position)
    return _committed(flow.reply(call.language, flow.Redirect(
        flow.hook_url("target", call_id=call.id, position=position + 1))))


def _dial_now(call: PhoneCall, position: int) -> Response:
    targets = call_targets(call)
    if position >= len(targets):
        with force_locale(call.language):
            return _committed(flow.goodbye(call))
    office = office_to_dial(targets[position], utcnow(), **_place_of(call))
    if office is None:
        return _committed(flow.reply(call.language, flow.Redirect(
            flow.hook_url("target", call_id=call.id, position=position + 1))))
    return _committed(flow.reply(call.language, flow.Dial(
        office[0], flow.hook_url("dialed", call_id=call.id, position=position))))


@bp.post("/calls/<int:call_id>/targets/<int:position>/dialed")
def dialed(call_id, position):
    """The office leg ended: recorded (once), then the keypad question."""
    call = _call(call_id)
    targets = call_targets(call)
    if position >= len(targets):
        abort(404)
    member = targets[position]
    status = request.form.get("DialCallStatus", "failed")[:20]
    office = office_to_dial(member, utcnow(), **_place_of(call))
    record_leg(call, position, member, number=office[0] if office else "",
               office=office[1] if office else "dc", dial_status=status,
               duration_seconds=_int_param("DialCallDuration"),
               dial_call_sid=request.form.get("DialCallSid", "")[:64] or None)
    with force_locale(call.language):
        return _committed(flow.outcome_prompt(call, position, status))


@bp.post("/calls/<int:call_id>/targets/<int:position>/outcome")
def outcome(call_id, position):
    call = _call(call_id)
    leg = db.session.query(CallLeg).filter_by(phone_call_id=call.id, position=position).first()
    if leg is not None:
        record_keypad_outcome(leg, _digits())
    return _committed(flow.reply(call.language, flow.Redirect(
        flow.hook_url("target", call_id=call.id, position=position + 1))))


@bp.post("/calls/<int:call_id>/status")
def status(call_id):
    """The provider's status callback: the final status and length, recorded once."""
    call = _call(call_id)
    if call.call_sid is None:
        call.call_sid = request.form.get("CallSid", "")[:64] or None
    duration = request.form.get("CallDuration", "")
    ended = record_status(call, request.form.get("CallStatus", "")[:20] or "unknown",
                          int(duration) if duration.isdigit() and len(duration) < 7 else None,
                          now=utcnow()) and call.ended_at is not None
    delivery = confirm_call(call) if ended else None
    to_queue = [delivery.id] if delivery is not None and delivery.status == PENDING else []
    db.session.commit()
    queue_deliveries(to_queue)
    return Response("", status=204)


@bp.post("/incoming")
def incoming():
    """A call to the organization's number: asked for a ZIP code."""
    alert = call_in_alert()
    call_sid = request.form.get("CallSid", "")[:64]
    if alert is None or not call_sid:
        return _send(flow.refused("en", _("Sorry, there is no campaign to call about right "
                                          "now. Goodbye.")))
    try:
        call = answer_incoming(alert, call_sid, request.form.get("From", ""), now=utcnow())
    except CallRefused as refusal:
        db.session.rollback()
        return _send(flow.refused("en", str(refusal)))
    with force_locale(call.language):
        return _committed(flow.zip_prompt(call))


@bp.post("/calls/<int:call_id>/zip")
def zip_code(call_id):
    call = _call(call_id)
    zip_value = normalize_zip(_digits())
    lookup = lookup_zip(zip_value) if zip_value else None
    with force_locale(call.language):
        if lookup is None or not lookup.found:
            return _committed(flow.zip_prompt(call))
        if lookup.is_ambiguous:
            place_caller(call, zip_value, None)
            return _committed(flow.district_prompt(call, _choices(zip_value)))
        place_caller(call, zip_value, lookup.districts[0])
        return _committed(flow.reply(call.language, flow.Redirect(
            flow.hook_url("target", call_id=call.id, position=0))))


def _choices(zip_value: str):
    lookup = lookup_zip(zip_value)
    choices = []
    for district in lookup.districts:
        members = [m for m in lookup.representatives
                   if m.state == district.state and m.district == district.number]
        choices.append((district, members[0] if members else None))
    return choices


@bp.post("/calls/<int:call_id>/district")
def district(call_id):
    call = _call(call_id)
    digits = _digits()
    choices = _choices(call.zip_code) if call.zip_code else []
    with force_locale(call.language):
        if not digits.isdigit() or not 1 <= int(digits) <= len(choices):
            return _committed(flow.district_prompt(call, choices))
        chosen: District = choices[int(digits) - 1][0]
        place_caller(call, call.zip_code, chosen)
        return _committed(flow.reply(call.language, flow.Redirect(
            flow.hook_url("target", call_id=call.id, position=0))))


@bp.post("/calls/<int:call_id>/zip-again")
def zip_again(call_id):
    call = _call(call_id)
    with force_locale(call.language):
        return _committed(flow.zip_prompt(call))
