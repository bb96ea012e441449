"""The alert of a staff page under /staff/alerts/<slug>/…: loaded the same way for each."""

from functools import wraps

from sqlalchemy import select

from ..core.db import db
from .models import Alert


def alert_from_slug(view):
    """The view gets the alert named by the URL's slug, whatever its status, instead of the
    slug; an unknown slug is the 404 page. Place it under `role_required`, so that a visitor
    without the role is sent away before the slug is looked up."""

    @wraps(view)
    def with_alert(slug, **kwargs):
        return view(db.first_or_404(select(Alert).where(Alert.slug == slug)), **kwargs)

    return with_alert
