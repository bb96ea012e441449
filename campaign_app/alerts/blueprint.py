"""The alert editor's blueprint, /staff/alerts: the editor's pages are in views.py, the
preview's in views_preview.py."""

from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/staff/alerts")
