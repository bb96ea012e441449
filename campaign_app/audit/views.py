"""The staff page that reads the audit log."""

import re

from flask import Blueprint, render_template, request

from ..core.permissions import role_required
from .queries import PAGE_SIZE, recent_events

bp = Blueprint("audit", __name__, url_prefix="/staff/audit")


@bp.get("/")
@role_required("admin")
def index():
    action = request.args.get("action", "")
    if not re.fullmatch(r"[a-z_.]{0,50}", action):
        action = ""
    before = request.args.get("before", "")
    before_id = int(before) if before.isdigit() and len(before) < 12 else None
    events = recent_events(action_prefix=action, before_id=before_id)
    next_before = events[-1].id if len(events) == PAGE_SIZE else None
    return render_template("audit/index.html", events=events, action=action,
                           next_before=next_before)
