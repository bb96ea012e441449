"""The staff pages' blueprint, /staff/alerts/<slug>/signons: members (views.py),
organizations (views_organizations.py) and the supporters' letter (views_letter.py)."""

from flask import Blueprint, redirect, url_for

from ..alerts.models import Alert

bp = Blueprint("signons", __name__, url_prefix="/staff/alerts/<slug>/signons")


def back(alert: Alert, endpoint: str = ".members", **values):
    return redirect(url_for(endpoint, slug=alert.slug, **values))
