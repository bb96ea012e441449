"""The supporter's confirmation email: what they did for the alert, listed when it is sent
(the outbox asks for it: delivery.messages.register_builder, in create_app)."""

from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from ..core.db import db
from ..delivery.mailer import build_message
from ..delivery.models import Delivery
from ..i18n.languages import default_language
from .models import Action


def build_confirmation(delivery: Delivery) -> EmailMessage:
    """The supporter's confirmation: what they did for the alert, listed at send time."""
    supporter, alert = delivery.supporter, delivery.alert
    actions = db.session.scalars(
        select(Action)
        .where(Action.alert_id == alert.id, Action.supporter_id == supporter.id)
        .order_by(Action.created_at)
    ).all()
    context = {"supporter": supporter, "alert": alert, "actions": actions}
    # In the language the supporter last acted in (a page of the alert, so the alert has it).
    language = next((action.language for action in reversed(actions) if action.language),
                    supporter.language or default_language())
    with force_locale(language):
        return build_message(
            to=supporter.email,
            subject=render_template("email/confirmation_subject.txt", **context),
            text=render_template("email/confirmation.txt", **context),
            html=render_template("email/confirmation.html", **context),
        )
