"""Login and logout for staff."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..core.db import db
from ..extensions import login_manager
from .forms import LoginForm, LogoutForm
from .models import User
from .operations import authenticate

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see staff pages."


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not bounce people to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.netloc and not parts.scheme:
            return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("That email and password don't match an account.")
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
def logout():
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("You are logged out.")
    return redirect(url_for("auth.login"))
