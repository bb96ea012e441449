"""Communicating with Congress (CWC 2.0): the XML message to a House or Senate office.

Element order follows the CWC 2.0 example message; the required elements are those the public
clients agree on (see shared/data/README.md). POST {base}/v2/message?apikey=… delivers,
POST {base}/v2/validate checks without delivering, GET {base}/offices lists the offices that
take CWC messages.
"""

import hashlib
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET  # noqa: S405 - we build XML; replies are parsed below
from dataclasses import dataclass
from datetime import date

from flask import current_app

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
OFFICES_CACHE_SECONDS = 3600


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


def is_configured() -> bool:
    config = current_app.config
    return bool(config.get("CWC_BASE_URL") and config.get("CWC_API_KEY"))


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
        element.text = text
    return element


def build_message(*, delivery_key: str, campaign: str, office: str, constituent: Constituent,
                  subject: str, message: str, topic: str, today: date | None = None) -> bytes:
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
    _add(delivery, "Organization", config["ORG_NAME"])
    _add(delivery, "CampaignId", campaign)
    recipient = _add(root, "Recipient")
    _add(recipient, "MemberOffice", office)
    _add(recipient, "IsResponseRequested", "N")
    _add(recipient, "NewsletterOptIn", "N")
    person = _add(root, "Constituent")
    _add(person, "Prefix", constituent.prefix)
    _add(person, "FirstName", constituent.first_name)
    _add(person, "LastName", constituent.last_name)
    _add(person, "Address1", constituent.address1)
    _add(person, "City", constituent.city)
    _add(person, "StateAbbreviation", constituent.state)
    _add(person, "Zip", constituent.zip_code)
    if constituent.phone:
        _add(person, "Phone", constituent.phone)
    _add(person, "Email", constituent.email)
    body = _add(root, "Message")
    _add(body, "Subject", subject)
    topics = _add(body, "LibraryOfCongressTopics")
    _add(topics, "LibraryOfCongressTopic", topic)
    _add(body, "ConstituentMessage", message)
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
    query = urllib.parse.urlencode({"apikey": config["CWC_API_KEY"]})
    url = f"{config['CWC_BASE_URL'].rstrip('/')}{path}?{query}"
    request = urllib.request.Request(  # noqa: S310 - the configured https endpoint
        url, data=data, method=method, headers={"Content-Type": "application/xml"})
    try:
        with urllib.request.urlopen(request, timeout=config["CWC_TIMEOUT"]) as response:  # noqa: S310
            return response.read(1024 * 1024)
    except urllib.error.HTTPError as error:
        body = error.read(64 * 1024)
        reasons = "; ".join(parse_errors(body)) or error.reason
        if error.code >= 500 or error.code == 429:
            raise TransientDeliveryError(f"CWC {error.code}: {reasons}") from error
        raise PermanentDeliveryError(f"CWC {error.code}: {reasons}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise TransientDeliveryError(f"CWC unreachable: {error}") from error


def send_message(xml: bytes) -> None:
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


def active_offices() -> frozenset[str] | None:
    """Office codes that take CWC messages (cached an hour); None when CWC can't say."""
    base = current_app.config["CWC_BASE_URL"]
    with _offices_lock:
        cached = _offices_cache.get(base)
        if cached and time.monotonic() - cached[0] < OFFICES_CACHE_SECONDS:
            return cached[1]
    try:
        data = json.loads(_request("GET", "/offices"))
    except (TransientDeliveryError, PermanentDeliveryError, ValueError) as error:
        log.warning("CWC office list unavailable: %s", error)
        return cached[1] if cached else None
    codes = frozenset(
        (item.get("office_code") if isinstance(item, dict) else item) for item in data
        if isinstance(item, dict | str))
    with _offices_lock:
        _offices_cache[base] = (time.monotonic(), codes)
    return codes
