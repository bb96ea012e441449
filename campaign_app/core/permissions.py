"""Route guards: login and a minimum role (the role names and their order live on auth's User)."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(role: str):
    """Only logged-in users with `role` or a higher one."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorator
