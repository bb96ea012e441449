"""Placing a requested call: after the request's commit, in the worker."""

import logging

from celery import shared_task
from flask import current_app, url_for

from ..core.db import db
from .models import PhoneCall
from .operations import mark_placed
from .provider import ProviderError
from .providers import provider

log = logging.getLogger(__name__)


def public_url(endpoint: str, **values) -> str:
    """The URL the provider is told to use: on PUBLIC_BASE_URL, the address behind the proxy
    that its signatures are computed on."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


@shared_task(acks_late=True, ignore_result=True)
def place_call(call_id: int) -> None:
    """Ask the provider to ring the supporter; once only (a call with an id is placed)."""
    call = db.session.get(PhoneCall, call_id)
    if call is None or call.call_sid is not None or call.status != "queued":
        return
    try:
        sid = provider().place_call(
            call.phone, answer_url=public_url("telephony_hooks.answer", call_id=call.id),
            status_url=public_url("telephony_hooks.status", call_id=call.id))
    except ProviderError as error:
        log.warning("call %s not placed: %s", call.id, error)
        mark_placed(call, None, error=str(error))
    else:
        mark_placed(call, sid)
        call.status = "placed"
    db.session.commit()
