"""Which way an email to Congress goes: through CWC, or the office's own contact form."""

from . import cwc

#: District sources that place a supporter for certain; a district the supporter picked
#: by hand could be wrong, and an office answers only its own constituents.
CERTAIN_DISTRICT_SOURCES = ("zip-unique", "geocoder")


def cwc_offices():
    """The offices on CWC now (None when CWC can't say); call once per request."""
    return cwc.active_offices() if cwc.is_ready() else None


def goes_through_cwc(alert, supporter, target, offices) -> bool:
    """CWC takes the message: it is configured with settings it accepts, the alert has a
    topic it knows, the office is on CWC, and we know the House district for sure.
    Everything else goes through the office's contact form, so nothing is refused later."""
    if not cwc.is_ready() or alert.topic not in cwc.TOPICS:
        return False
    if target.chamber == "house" and supporter.district_source not in CERTAIN_DISTRICT_SOURCES:
        return False
    code = cwc.office_code(target.chamber, target.state, target.district, target.senate_class)
    return offices is None or code in offices


def email_routes(alert, supporter, targets) -> dict[str, bool]:
    """Per target's bioguide id, whether the email goes through CWC (else the office's
    contact form); reads CWC's office list once."""
    offices = cwc_offices()
    return {t.bioguide_id: goes_through_cwc(alert, supporter, t, offices) for t in targets}
