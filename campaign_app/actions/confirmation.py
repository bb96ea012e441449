"""The supporter's confirmation email: what they did for the alert, listed when it is sent
(the outbox asks for it: delivery.messages.register_builder, in create_app)."""

from email.message import EmailMessage

from flask import render_template
from sqlalchemy import select

from ..core.db import db
from ..delivery.mailer import build_message
from ..delivery.models import Delivery
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
    return build_message(
        to=supporter.email,
        subject=f"Thank you for taking action: {alert.title}",
        text=render_template("email/confirmation.txt", **context),
        html=render_template("email/confirmation.html", **context),
    )
