"""Communicating with Congress (CWC 2.0): the XML message to a House or Senate office.

Element order follows the CWC 2.0 example message; the required elements are those the public
clients agree on (see shared/data/README.md). POST {base}/v2/message?apikey=… delivers,
POST {base}/v2/validate checks without delivering, GET {base}/offices lists the offices that
take CWC messages.
"""

import hashlib
import json
import logging
import re
import threading
import time
import xml.etree.ElementTree as ET  # noqa: S405 - we build XML; replies are parsed below
from dataclasses import dataclass
from datetime import date

import phonenumbers
from flask import current_app

from ..core import http
from .errors import PermanentDeliveryError, TransientDeliveryError

log = logging.getLogger(__name__)

#: Congress.gov's policy areas, the values CWC takes as LibraryOfCongressTopic.
TOPICS = (
    "Agriculture and Food", "Animals", "Armed Forces and National Security",
    "Arts, Culture, Religion", "Civil Rights and Liberties, Minority Issues", "Commerce",
    "Congress", "Crime and Law Enforcement", "Economics and Public Finance", "Education",
    "Emergency Management", "Energy", "Environmental Protection", "Families",
    "Finance and Financial Sector", "Foreign Trade and International Finance",
    "Government Operations and Politics", "Health", "Housing and Community Development",
    "Immigration", "International Affairs", "Labor and Employment", "Law",
    "Native Americans", "Public Lands and Natural Resources",
    "Science, Technology, Communications", "Social Sciences and History", "Social Welfare",
    "Sports and Recreation", "Taxation", "Transportation and Public Works",
    "Water Resources Development",
)
PREFIXES = ("Mr.", "Mrs.", "Ms.", "Miss", "Mx.", "Dr.")
#: The bill types CWC takes as BillTypeAbbreviation.
BILL_TYPES = ("hamdt", "hconres", "hjres", "hr", "hres", "s", "samdt", "sconres", "sjres",
              "sres")
#: The organizer's position on the bills (ProOrCon).
POSITIONS = ("pro", "con")
OFFICES_CACHE_SECONDS = 3600

#: Characters XML 1.0 does not allow (C0 controls but tab, LF and CR; lone surrogates;
#: U+FFFE and U+FFFF). Python builds such XML without complaint, and CWC refuses it whole.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Vertical tab and form feed are line breaks to the person who typed them (Word's soft
#: line break pastes as a vertical tab): they become newlines, the rest is dropped.
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})
_CWC_EMAIL = re.compile(r"[^@]+@[^.]+\..+")
_CWC_PHONE = re.compile(r"\d{3}-\d{3}-\d{4}")


def clean_text(value: str | None) -> str | None:
    """The text with every character XML 1.0 forbids replaced (line breaks) or removed."""
    if value is None:
        return None
    return _NOT_XML.sub("", value.translate(_LINE_BREAKS))


def us_phone(raw: str | None) -> str | None:
    """A U.S. (NANP) number as CWC writes it, 307-555-0100; None when it isn't one."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 1 or not phonenumbers.is_valid_number(number):
        return None
    digits = f"{number.national_number:010d}"
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def _length_problem(name: str, value: str, low: int, high: int = 500) -> str | None:
    if not value:
        return f"{name} is not set (CWC needs {low} to {high} characters)."
    if not low <= len(value) <= high:
        return f"{name} “{value[:60]}” has {len(value)} characters; CWC takes {low} to {high}."
    return None


def settings_problems(config) -> list[str]:
    """What in the CWC settings would make CWC refuse every message, one line per setting."""
    problems = [
        _length_problem("CWC_DELIVERY_AGENT", config.get("CWC_DELIVERY_AGENT") or "", 4),
        _length_problem("CWC_DELIVERY_AGENT_CONTACT_NAME",
                        config.get("CWC_DELIVERY_AGENT_CONTACT_NAME") or "", 6),
    ]
    email = config.get("CWC_DELIVERY_AGENT_EMAIL") or ""
    if not _CWC_EMAIL.fullmatch(email):
        problems.append(f"CWC_DELIVERY_AGENT_EMAIL “{email[:60]}” is not an address CWC "
                        "accepts: it needs a dot in the domain, like cwc@example.org."
                        if email else "CWC_DELIVERY_AGENT_EMAIL is not set.")
    phone = config.get("CWC_DELIVERY_AGENT_PHONE") or ""
    if not _CWC_PHONE.fullmatch(phone):
        problems.append(f"CWC_DELIVERY_AGENT_PHONE “{phone[:30]}” is not written as CWC "
                        "wants it: 202-555-0143." if phone
                        else "CWC_DELIVERY_AGENT_PHONE is not set (like 202-555-0143).")
    legal_name = config.get("ORG_LEGAL_NAME") or ""
    if legal_name:
        problems.append(_length_problem("ORG_LEGAL_NAME", legal_name, 6))
    return [problem for problem in problems if problem]


def organization_name(config) -> str | None:
    """The organization's full name for CWC (6–500 characters), or None to leave it out.

    ORG_NAME is often an acronym ("EFF", "LAWG") that CWC refuses; ORG_LEGAL_NAME says it
    in full."""
    for name in (config.get("ORG_LEGAL_NAME"), config.get("ORG_NAME")):
        if name and 6 <= len(name) <= 500:
            return name
    return None


def is_configured() -> bool:
    """An endpoint and a key are set: the operator means to use CWC."""
    config = current_app.config
    return bool(config.get("CWC_BASE_URL") and config.get("CWC_API_KEY"))


def is_ready() -> bool:
    """Configured, with settings CWC accepts: only then do messages go through CWC."""
    return is_configured() and not settings_problems(current_app.config)


def staff_warnings(config) -> list[str]:
    """The bad CWC settings, for every staff page (none when CWC is not configured)."""
    if not (config.get("CWC_BASE_URL") and config.get("CWC_API_KEY")):
        return []
    return settings_problems(config)


def log_settings_problems(config) -> list[str]:
    """At start-up: name each bad CWC setting in the log (CWC stays off until fixed)."""
    problems = staff_warnings(config)
    for problem in problems:
        log.error("CWC is off until this setting is fixed: %s", problem)
    return problems


@dataclass(frozen=True)
class Constituent:
    prefix: str
    first_name: str
    last_name: str
    address1: str
    city: str
    state: str
    zip_code: str
    email: str
    phone: str | None = None
    #: The address was found by the geocoder (AddressValidation=Y).
    is_address_validated: bool = False


@dataclass(frozen=True)
class Bill:
    congress: int | None
    type: str | None
    number: int | None


def bills_from(rows) -> tuple[Bill, ...]:
    """An alert's bills (stored as JSON objects) for a message."""
    return tuple(Bill(row.get("congress"), row.get("type"), row.get("number"))
                 for row in rows or ())


@dataclass(frozen=True)
class Letter:
    """What the message says, and what the organizer chose to file it under."""

    subject: str
    topic: str
    #: The organizer's words (the suggested text as this supporter got it).
    organization_statement: str | None = None
    #: The supporter's own words: sent only when they edited the suggested text.
    constituent_message: str | None = None
    bills: tuple[Bill, ...] = ()
    position: str | None = None
    more_info: str | None = None
    is_response_requested: bool = False
    is_newsletter_opt_in: bool = False


def office_code(chamber: str, state: str, district: int | None,
                senate_class: int | None) -> str:
    """'HVA04', 'HWY00' (at-large), 'SCA03' (S + state + 0 + Senate class)."""
    if chamber == "senate":
        return f"S{state}0{senate_class}"
    return f"H{state}{district or 0:02d}"


def campaign_id(alert_slug: str, alert_id: int) -> str:
    """Stable per alert: CWC groups the messages of one campaign."""
    return hashlib.sha256(f"alerta:{alert_id}:{alert_slug}".encode()).hexdigest()


def delivery_id(idempotency_key: str) -> str:
    """32 alphanumeric characters, the same on every retry of the same delivery."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest()[:32].upper()


def _add(parent, tag: str, text: str | None = None):
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = clean_text(text)
    return element


def _yes_no(value: bool) -> str:
    return "Y" if value else "N"


def build_message(*, delivery_key: str, campaign: str, office: str, constituent: Constituent,
                  letter: Letter, today: date | None = None) -> bytes:
    """The CWC 2.0 XML. Every text is cleaned of what XML 1.0 forbids; optional elements
    without a valid value are left out rather than sent broken."""
    config = current_app.config
    root = ET.Element("CWC")
    _add(root, "CWCVersion", "2.0")
    delivery = _add(root, "Delivery")
    _add(delivery, "DeliveryId", delivery_id(delivery_key))
    _add(delivery, "DeliveryDate", (today or date.today()).strftime("%Y%m%d"))
    _add(delivery, "DeliveryAgent", config["CWC_DELIVERY_AGENT"])
    _add(delivery, "DeliveryAgentAckEmailAddress", config["CWC_DELIVERY_AGENT_EMAIL"])
    contact = _add(delivery, "DeliveryAgentContact")
    _add(contact, "DeliveryAgentContactName", config["CWC_DELIVERY_AGENT_CONTACT_NAME"])
    _add(contact, "DeliveryAgentContactEmail", config["CWC_DELIVERY_AGENT_EMAIL"])
    _add(contact, "DeliveryAgentContactPhone", config["CWC_DELIVERY_AGENT_PHONE"])
    organization = organization_name(config)
    if organization:
        _add(delivery, "Organization", organization)
    _add(delivery, "CampaignId", campaign)
    recipient = _add(root, "Recipient")
    _add(recipient, "MemberOffice", office)
    _add(recipient, "IsResponseRequested", _yes_no(letter.is_response_requested))
    _add(recipient, "NewsletterOptIn", _yes_no(letter.is_newsletter_opt_in))
    person = _add(root, "Constituent")
    _add(person, "Prefix", constituent.prefix)
    _add(person, "FirstName", constituent.first_name)
    _add(person, "LastName", constituent.last_name)
    _add(person, "Address1", constituent.address1)
    _add(person, "City", constituent.city)
    _add(person, "StateAbbreviation", constituent.state)
    _add(person, "Zip", constituent.zip_code)
    phone = us_phone(constituent.phone)
    if phone:
        _add(person, "Phone", phone)
    _add(person, "AddressValidation", _yes_no(constituent.is_address_validated))
    _add(person, "Email", constituent.email)
    body = _add(root, "Message")
    _add(body, "Subject", letter.subject)
    topics = _add(body, "LibraryOfCongressTopics")
    _add(topics, "LibraryOfCongressTopic", letter.topic)
    if letter.bills:
        bills = _add(body, "Bills")
        for bill in letter.bills:
            element = _add(bills, "Bill")
            if bill.congress:
                _add(element, "BillCongress", str(bill.congress))
            if bill.type:
                _add(element, "BillTypeAbbreviation", bill.type)
            if bill.number:
                _add(element, "BillNumber", str(bill.number))
    if letter.position:
        _add(body, "ProOrCon", letter.position.capitalize())  # as the House example: Pro
    if letter.organization_statement:
        _add(body, "OrganizationStatement", letter.organization_statement)
    if letter.constituent_message:
        _add(body, "ConstituentMessage", letter.constituent_message)
    if letter.more_info:  # last, as in the House example message
        _add(body, "MoreInfo", letter.more_info)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def parse_errors(body: bytes) -> list[str]:
    """The text of every Error element of a CWC reply (a non-XML reply is its own text)."""
    try:
        root = ET.fromstring(body)  # noqa: S314 - the reply of the configured CWC endpoint
    except ET.ParseError:
        text = body.decode("utf-8", errors="replace").strip()
        return [text[:500]] if text else []
    errors = []
    for element in root.iter():
        if element.tag.split("}")[-1] == "Error":
            text = " ".join(t.strip() for t in element.itertext() if t.strip())
            if text:
                errors.append(text)
    return errors


def _request(method: str, path: str, data: bytes | None = None) -> bytes:
    config = current_app.config
    url = f"{config['CWC_BASE_URL'].rstrip('/')}{path}"
    try:
        # A refused connection is retried (nothing reached CWC); an overloaded CWC is retried
        # by the outbox, which keeps the same DeliveryId.
        answer = http.request(method, url, params={"apikey": config["CWC_API_KEY"]},
                              content=data, headers={"Content-Type": "application/xml"},
                              timeout=config["CWC_TIMEOUT"], retries=1,
                              retry_statuses=False)
    except http.HttpError as error:
        raise TransientDeliveryError(f"CWC unreachable: {error}") from error
    if not answer.is_success:
        reasons = "; ".join(parse_errors(answer.content[:64 * 1024])) or answer.text[:200]
        if answer.status_code >= 500 or answer.status_code == 429:
            raise TransientDeliveryError(f"CWC {answer.status_code}: {reasons}")
        raise PermanentDeliveryError(f"CWC {answer.status_code}: {reasons}")
    return answer.content


def send_message(xml: bytes) -> None:
    """Deliver; while the settings are ones CWC would refuse (a restart with a bad setting),
    wait and retry rather than have CWC refuse the message for good."""
    problems = settings_problems(current_app.config)
    if problems or not is_configured():
        raise TransientDeliveryError("CWC is off until its settings are fixed: "
                                     + ("; ".join(problems) or "CWC_BASE_URL and CWC_API_KEY "
                                                               "are not set"))
    _request("POST", "/v2/message", xml)


def validate_message(xml: bytes) -> list[str]:
    """CWC's dry run: the errors it finds, [] when the message would be accepted."""
    try:
        _request("POST", "/v2/validate", xml)
    except PermanentDeliveryError as error:
        return [str(error)]
    return []


_offices_lock = threading.Lock()
_offices_cache: dict[str, tuple[float, frozenset[str]]] = {}


def _offices_from_service() -> frozenset[str]:
    """GET /offices, uncached. Raises the delivery errors, or ValueError for a bad answer."""
    data = json.loads(_request("GET", "/offices"))
    if not isinstance(data, list):
        raise ValueError("the office list is not a list")
    return frozenset(
        (item.get("office_code") if isinstance(item, dict) else item) for item in data
        if isinstance(item, dict | str))


def active_offices() -> frozenset[str] | None:
    """Office codes that take CWC messages (cached an hour); None when CWC can't say."""
    base = current_app.config["CWC_BASE_URL"]
    with _offices_lock:
        cached = _offices_cache.get(base)
        if cached and time.monotonic() - cached[0] < OFFICES_CACHE_SECONDS:
            return cached[1]
    try:
        codes = _offices_from_service()
    except (TransientDeliveryError, PermanentDeliveryError, ValueError) as error:
        log.warning("CWC office list unavailable: %s", error)
        return cached[1] if cached else None
    with _offices_lock:
        _offices_cache[base] = (time.monotonic(), codes)
    return codes
