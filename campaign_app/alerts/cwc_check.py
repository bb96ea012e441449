"""Staff's dry run of an alert's email to Congress: CWC's /v2/validate, office by office.

Organizers learn before launch that a subject is too long or the topic unknown, instead of
from failed deliveries after thousands of supporters have written.
"""

import secrets
from collections.abc import Collection
from dataclasses import dataclass, field

from ..congress.models import Legislator
from ..delivery import cwc
from ..delivery.errors import TransientDeliveryError
from ..delivery.messages import alert_letter
from .models import Alert
from .personalize import merge_values, render_text
from .preview import SampleSupporter
from .targets import select_targets


@dataclass
class OfficeCheck:
    member: Legislator
    office: str
    #: What CWC found wrong; empty when it would accept the message.
    errors: list[str] = field(default_factory=list)
    #: The office takes no CWC messages: supporters use its contact form.
    contact_form_only: bool = False


def check_with_cwc(alert: Alert, sample: SampleSupporter, lookup, *, street: str,
                   email: str, signed: Collection[str]) -> list[OfficeCheck]:
    """The sample's message to each target, validated by CWC (nothing is delivered)."""
    offices = cwc.active_offices()
    checks = []
    for target in select_targets(alert, lookup, signed):
        code = cwc.office_code(target.chamber, target.state, target.district,
                               target.senate_class)
        check = OfficeCheck(member=target, office=code)
        checks.append(check)
        if offices is not None and code not in offices:
            check.contact_form_only = True
            continue
        values = merge_values(alert, sample, lookup=lookup, target=target)
        constituent = cwc.Constituent(
            prefix="Mx.", first_name=sample.first_name, last_name=sample.last_name,
            address1=street, city=sample.city or "", state=target.state,
            zip_code=sample.zip_code, email=email)
        xml = cwc.build_message(
            delivery_key=f"validate:{alert.id}:{secrets.token_hex(8)}",
            campaign=cwc.campaign_id(alert.slug, alert.id), office=code,
            constituent=constituent, letter=alert_letter(
                alert, subject=render_text(alert, "email_subject", values),
                statement=render_text(alert, "email_body", values)))
        try:
            check.errors = cwc.validate_message(xml)
        except TransientDeliveryError as error:
            check.errors = [f"CWC did not answer ({error}); try again in a minute."]
    return checks
