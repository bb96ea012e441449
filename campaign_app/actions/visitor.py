"""The browser on an alert's pages: the submission it made, and whom it may be greeted as.

What a browser may see of a supporter is `Submission.profile` (the stored supporter once the
browser proved who it is, else only what it typed); the pages pass that, never the stored
supporter, to the merge fields and templates.
"""

from flask import session

from ..alerts.models import Alert
from ..core.db import db
from ..supporters.models import Submission, Supporter
from ..supporters.proof import last_proven_id

#: The session remembers, per alert, the submission this browser made (a new name: the old
#: key held supporter ids).
SESSION_KEY = "submissions"


def remember_submission(alert: Alert, submission: Submission) -> None:
    acting = dict(session.get(SESSION_KEY, {}))
    acting[str(alert.id)] = submission.id
    session[SESSION_KEY] = acting


def current_submission(alert: Alert) -> Submission | None:
    submission_id = session.get(SESSION_KEY, {}).get(str(alert.id))
    submission = db.session.get(Submission, submission_id) if submission_id else None
    return submission if submission is not None and submission.alert_id == alert.id else None


def known_profile(alert: Alert, link: Supporter | None = None):
    """Whom this browser may be greeted as on any page of the alert: the personal link's
    supporter, what it submitted for this alert, or the supporter it last proved to be."""
    if link is not None:
        return link
    submission = current_submission(alert)
    if submission is not None:
        return submission.profile
    proven_id = last_proven_id()
    return db.session.get(Supporter, proven_id) if proven_id else None
