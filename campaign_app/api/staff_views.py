"""The admins' page of API keys: create (the key is shown once), revoke, see the last use."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..core.db import db
from ..core.permissions import role_required
from ..i18n.staff import staff_gettext
from .forms import ApiKeyForm
from .models import SCOPE_LABELS, ApiKey
from .operations import create_api_key, revoke_api_key

bp = Blueprint("api_keys", __name__, url_prefix="/staff/api-keys")


def _page(form: ApiKeyForm, token: str | None = None, status: int = 200):
    keys = db.session.scalars(select(ApiKey).order_by(ApiKey.id.desc())).all()
    return render_template("api/keys.html", form=form, keys=keys, token=token,
                           scopes=SCOPE_LABELS), status


@bp.get("/")
@role_required("admin")
def index():
    return _page(ApiKeyForm())


@bp.post("/")
@role_required("admin")
def create():
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    key, token = create_api_key(form.name.data, form.scope.data, by=current_user)
    db.session.commit()
    # Shown in this answer only: the key is not stored, and the page is not cached.
    response = _page(ApiKeyForm(formdata=None), token=token)
    return response[0], 201, {"Cache-Control": "no-store"}


@bp.post("/<int:key_id>/revoke")
@role_required("admin")
def revoke(key_id):
    form = ApiKeyForm()  # for its CSRF check only
    key = db.session.get(ApiKey, key_id)
    if key is None:
        abort(404)
    form.validate_on_submit()
    if form.errors.get("csrf_token"):
        abort(400)
    if revoke_api_key(key, by=current_user):
        db.session.commit()
        flash(staff_gettext("The key “%(name)s” is revoked: it gets 401 from now on.",
                            name=key.name))
    return redirect(url_for(".index"))
