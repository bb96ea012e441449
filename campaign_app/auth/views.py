"""Login, logout and password change for staff; user management for admins."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..audit.operations import record_event
from ..core.db import db
from ..core.forms import ButtonForm
from ..core.permissions import role_required
from ..core.ratelimit import clear_hits, is_limited, limit_key, record_hit
from ..extensions import login_manager
from ..i18n.staff import staff_gettext
from .forms import EnabledForm, LoginForm, NewUserForm, PasswordChangeForm, RoleForm
from .models import User
from .operations import (
    UserChangeRefused,
    authenticate,
    change_role,
    create_user,
    get_user_by_email,
    set_enabled,
    set_password,
)
from .queries import list_users

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see staff pages."

TOO_MANY = "Too many failed attempts. Please wait 15 minutes and try again."


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


def _login_keys(email: str) -> list[tuple[str, int]]:
    config = current_app.config
    return [(limit_key("login-account", email), config["LOGIN_LIMIT_PER_ACCOUNT"]),
            (limit_key("login-ip", request.remote_addr or "unknown"), config["LOGIN_LIMIT_PER_IP"])]


def _limited(keys) -> bool:
    window = current_app.config["LOGIN_LIMIT_WINDOW"]
    return any(is_limited(key, limit, window) for key, limit in keys)


def _count_failure(keys, email: str) -> None:
    window = current_app.config["LOGIN_LIMIT_WINDOW"]
    for key, _ in keys:
        record_hit(key, window)
    known = get_user_by_email(email)
    record_event("auth.login_failed", f"user {known.id}" if known else "unknown account")
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        keys = _login_keys(form.email.data)
        # A limited account or address is refused before the password is even checked.
        if _limited(keys):
            form.password.errors.append(TOO_MANY)
            status = 429
        else:
            user = authenticate(form.email.data, form.password.data)
            if user is not None:
                clear_hits(keys[0][0])
                record_event("auth.login", f"user {user.id}", user=user)
                db.session.commit()
                login_user(user)
                return redirect(_safe_next(request.args.get("next")))
            _count_failure(keys, form.email.data)
            form.password.errors.append(staff_gettext("That email and password don't match an "
                                                      "account."))
    if form.errors and status == 200:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    if ButtonForm().validate_on_submit():
        logout_user()
        flash(staff_gettext("You are logged out."))
    return redirect(url_for("auth.login"))


@bp.route("/staff/account/password", methods=["GET", "POST"])
@role_required("viewer")
def change_password():
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        keys = _login_keys(current_user.email)
        if _limited(keys):
            form.current_password.errors.append(TOO_MANY)
            status = 429
        elif not current_user.check_password(form.current_password.data):
            _count_failure(keys, current_user.email)
            form.current_password.errors.append(staff_gettext("That is not your current "
                                                              "password."))
        else:
            set_password(current_user, form.new_password.data)
            record_event("user.password_changed", f"user {current_user.id}")
            db.session.commit()
            flash(staff_gettext("Your password is changed."))
            return redirect(url_for("dashboard.index"))
    if form.errors and status == 200:
        status = 422
    return render_template("auth/password.html", form=form), status


@bp.get("/staff/users/")
@role_required("admin")
def users():
    return render_template("auth/users.html", users=list_users(), role_form=RoleForm,
                           enabled_form=EnabledForm)


@bp.route("/staff/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        if get_user_by_email(form.email.data) is not None:
            form.email.errors.append(staff_gettext("A user with this email already exists."))
        else:
            user = create_user(form.email.data, form.password.data, form.role.data,
                               form.name.data or "")
            record_event("user.created", f"user {user.id} ({user.email})",
                         {"role": user.role})
            db.session.commit()
            flash(staff_gettext("Created %(email)s as %(role)s.", email=user.email, role=user.role))
            return redirect(url_for(".users"))
    return render_template("auth/user_new.html", form=form), 422 if form.errors else 200


@bp.post("/staff/users/<int:user_id>/role")
@role_required("admin")
def set_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(staff_gettext("That change could not be read; please try again."))
        return redirect(url_for(".users"))
    try:
        change_role(user, form.role.data, by=current_user)
    except UserChangeRefused as refused:
        db.session.rollback()
        flash(str(refused))
        return redirect(url_for(".users"))
    db.session.commit()
    flash(staff_gettext("%(email)s is now %(role)s.", email=user.email, role=user.role))
    return redirect(url_for(".users"))


@bp.post("/staff/users/<int:user_id>/enabled")
@role_required("admin")
def set_user_enabled(user_id):
    user = db.get_or_404(User, user_id)
    form = EnabledForm()
    if not form.validate_on_submit():
        flash(staff_gettext("That change could not be read; please try again."))
        return redirect(url_for(".users"))
    try:
        set_enabled(user, form.is_enabled.data == "1", by=current_user)
    except UserChangeRefused as refused:
        db.session.rollback()
        flash(str(refused))
        return redirect(url_for(".users"))
    db.session.commit()
    flash(staff_gettext("%(email)s is enabled.", email=user.email) if user.is_enabled
          else staff_gettext("%(email)s is disabled.", email=user.email))
    return redirect(url_for(".users"))
