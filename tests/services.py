"""Real services for end-to-end tests: an aiosmtpd server in-process, a Celery worker process."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parent.parent


class SMTPSink:
    """Keeps every message it receives; can refuse for a while to simulate an outage."""

    def __init__(self):
        self.messages = []
        #: An SMTP reply code to refuse recipients with (451: try later, 550: never), or None.
        self.refuse_code: int | None = None
        #: The refusal's text; a real server's often quotes the address ('<ana@…>: …').
        self.refuse_text = "Refused by the test"
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_code:
            return f"{self.refuse_code} {self.refuse_text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)} in {timeout}s")


class ClosingController(Controller):
    """An aiosmtpd controller that closes the connections it accepted before it stops.

    aiosmtpd's own stop leaves a client still connected to the garbage collector, which
    warns of an unclosed socket: an error in this suite, raised by whichever test is running.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._servers = []

    def factory(self):
        server = super().factory()
        self._servers.append(server)
        return server

    async def _close_connections(self):
        # Stop accepting first, and let the connections already accepted get their transport:
        # a server closed in between leaks them (asyncio refuses to attach a transport to it).
        for sock in self.server.sockets:
            self.loop.remove_reader(sock.fileno())
        for _ in range(5):
            await asyncio.sleep(0)
        for server in self._servers:
            if server.transport is not None:
                server.transport.close()
        handlers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if handlers:
            await asyncio.wait(handlers, timeout=5)
        self.server.close()

    def stop(self, no_assert: bool = False):
        if self._thread is not None:
            asyncio.run_coroutine_threadsafe(self._close_connections(), self.loop).result(10)
        self._servers.clear()
        super().stop(no_assert)


def start_smtp(port: int) -> tuple[Controller, SMTPSink]:
    sink = SMTPSink()
    controller = ClosingController(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink


class WorkerProcess:
    """`celery -A worker worker` in a subprocess, with the tests' environment; or another
    command that starts `nodes` Celery workers (e.g. `flask worker`)."""

    def __init__(self, extra_env: dict | None = None, command: list[str] | None = None,
                 nodes: int = 1):
        self.env = {**os.environ, **(extra_env or {})}
        self.command = command or [
            sys.executable, "-m", "celery", "-A", "worker", "worker", "--loglevel", "INFO",
            "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        self.nodes = nodes
        self.process = None
        self.output: list[str] = []
        self._ready = threading.Event()

    def start(self, timeout: float = 60.0) -> "WorkerProcess":
        command = self.command
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=REPO, env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise AssertionError("worker did not start:\n" + "".join(self.output[-50:]))
        return self

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            if sum(" ready." in seen for seen in self.output) >= self.nodes:
                self._ready.set()

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        self.process.stdout.close()


def census_answer(state_fips: str | None, district_code: str = "12", congress: int = 119,
                  matched: str = "350 5TH AVE, NEW YORK, NY, 10118") -> dict:
    """An answer in the documented shape of the Census Geocoder's geographies/onelineaddress.

    `state_fips=None` gives the no-match answer (an empty addressMatches list).
    """
    answer = {"result": {
        "input": {"address": {"address": "as sent"},
                  "benchmark": {"id": "4", "benchmarkName": "Public_AR_Current",
                                "benchmarkDescription": "Public Address Ranges - Current "
                                                        "Benchmark", "isDefault": True},
                  "vintage": {"id": "4", "vintageName": "Current_Current",
                              "vintageDescription": "Current Vintage - Current Benchmark",
                              "isDefault": True}},
        "addressMatches": [],
    }}
    if state_fips is None:
        return answer
    answer["result"]["addressMatches"].append({
        "matchedAddress": matched,
        "coordinates": {"x": -73.98, "y": 40.75},
        "tigerLine": {"tigerLineId": "59653655", "side": "L"},
        "addressComponents": {"zip": matched[-5:], "streetName": "5TH", "preType": "",
                              "city": "NEW YORK", "preDirection": "", "suffixDirection": "",
                              "fromAddress": "300", "state": "NY", "suffixType": "AVE",
                              "toAddress": "398", "suffixQualifier": "",
                              "preQualifier": ""},
        "geographies": {
            "States": [{"STATE": state_fips, "BASENAME": "New York", "STUSAB": "NY",
                        "GEOID": state_fips, "NAME": "New York"}],
            f"{congress}th Congressional Districts": [{
                "GEOID": f"{state_fips}{district_code}", "STATE": state_fips,
                "BASENAME": district_code.lstrip("0") or "0",
                f"CD{congress}": district_code, "CDSESSN": str(congress),
                "NAME": f"Congressional District {district_code}", "FUNCSTAT": "N",
                "MTFCC": "G5200", "LSY": "2024",
            }],
        },
    })
    return answer


class GeocoderStub:
    """A local HTTP server that answers as the Census Geocoder does, as the test tells it.

    `reply` is a dict (sent as JSON), bytes (sent as they are), or a number of seconds to
    stall before answering (to outlast the client's timeout).
    """

    def __init__(self):
        import json
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlsplit

        stub = self
        self.reply: dict | bytes | float = census_answer(None)
        self.requests: list[dict] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                stub.requests.append({k: v[0] for k, v in
                                      parse_qs(urlsplit(self.path).query).items()})
                reply = stub.reply
                if isinstance(reply, int | float):
                    time.sleep(reply)
                    reply = census_answer(None)
                body = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout): nothing to do

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = (f"http://127.0.0.1:{self.server.server_address[1]}"
                    "/geocoder/geographies/onelineaddress")
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


def _data_dir() -> Path:
    configured = os.environ.get("ALERTA_CONGRESS_DATA")
    return Path(configured) if configured else REPO.parent / "shared" / "data"


#: CWC 2.0's field rules, written here once and independently of the app's builder, so a test
#: that sends what the real service refuses fails.
CWC_TOPICS = frozenset(
    line.strip() for line in
    (_data_dir() / "cwc" / "library-of-congress-topics.txt").read_text().splitlines()
    if line.strip())
CWC_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI"))
CWC_BILL_TYPES = frozenset(("hamdt", "hconres", "hjres", "hr", "hres", "s", "samdt", "sconres",
                            "sjres", "sres"))
_EMAIL = r"[^@]+@[^.]+\..+"
_PHONE = r"\d{3}-\d{3}-\d{4}"
_YES_NO = r"[YyNn]"
#: (path, required, min length, max length, pattern). Lengths count the whitespace-collapsed
#: value for the minimum and the raw one for the maximum: the schema's types are tokens in
#: places, strings in others, and the stand-in takes the stricter reading of each.
CWC_FIELDS = [
    ("CWCVersion", True, 1, 10, r"2\.0"),
    ("Delivery/DeliveryId", True, 32, 32, r"[A-Za-z0-9]{32}"),
    ("Delivery/DeliveryDate", True, 8, 8, r"\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"),
    ("Delivery/DeliveryAgent", True, 4, 500, None),
    ("Delivery/DeliveryAgentAckEmailAddress", True, 1, 500, _EMAIL),
    ("Delivery/DeliveryAgentContact/DeliveryAgentContactName", True, 6, 500, None),
    ("Delivery/DeliveryAgentContact/DeliveryAgentContactEmail", True, 1, 500, _EMAIL),
    ("Delivery/DeliveryAgentContact/DeliveryAgentContactPhone", True, 12, 12, _PHONE),
    ("Delivery/Organization", False, 6, 500, None),
    ("Delivery/OrganizationContact/OrganizationContactName", False, 2, 500, None),
    ("Delivery/OrganizationContact/OrganizationContactEmail", False, 1, 500, _EMAIL),
    ("Delivery/OrganizationContact/OrganizationContactPhone", False, 12, 12, _PHONE),
    ("Delivery/OrganizationAbout", False, 6, 500, None),
    ("Delivery/CampaignId", True, 2, 500, None),
    ("Recipient/MemberOffice", True, 5, 5, r"H[A-Z]{2}\d{2}|S[A-Z]{2}0[123]"),
    ("Recipient/IsResponseRequested", False, 1, 1, _YES_NO),
    ("Recipient/NewsletterOptIn", False, 1, 1, _YES_NO),
    ("Constituent/Prefix", True, 1, 500, None),
    ("Constituent/FirstName", True, 1, 500, None),
    ("Constituent/MiddleName", False, 1, 500, None),
    ("Constituent/LastName", True, 1, 500, None),
    ("Constituent/Suffix", False, 1, 500, None),
    ("Constituent/Title", False, 1, 500, None),
    ("Constituent/ConstituentOrganization", False, 3, 500, None),
    ("Constituent/Address1", True, 3, 500, None),
    ("Constituent/Address2", False, 3, 500, None),
    ("Constituent/Address3", False, 3, 500, None),
    ("Constituent/City", True, 3, 500, None),
    ("Constituent/StateAbbreviation", True, 2, 2, None),
    ("Constituent/Zip", True, 5, 10, r"\d{5}(-\d{4})?"),
    ("Constituent/Phone", False, 12, 12, _PHONE),
    ("Constituent/AddressValidation", False, 1, 1, _YES_NO),
    ("Constituent/Email", True, 1, 500, _EMAIL),
    ("Constituent/EmailValidation", False, 1, 1, _YES_NO),
    ("Message/Subject", True, 6, 500, None),
    ("Message/ProOrCon", False, 3, 3, r"[Pp][Rr][Oo]|[Cc][Oo][Nn]"),
    ("Message/MoreInfo", False, 1, 2000, r"https?://[^\s]+"),
    ("Message/OrganizationStatement", False, 6, 10_000, None),
    ("Message/ConstituentMessage", False, 6, 10_000, None),
]


def _field_errors(path: str, value: str | None, required: bool, low: int, high: int,
                  pattern: str | None) -> list[str]:
    import re

    if value is None:
        return [f"{path} is required"] if required else []
    collapsed = " ".join(value.split())
    if len(collapsed) < low or len(value) > high:
        return [f"{path} must be {low}–{high} characters (got {len(collapsed)})"]
    if pattern and not re.fullmatch(pattern, value):
        return [f"{path} has an invalid value"]
    return []


def cwc_rule_errors(body: bytes, offices=None) -> list[str]:
    """Every CWC 2.0 rule the message breaks, as CWC would list them; [] when accepted."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        return [f"Malformed XML: {error}"]
    if root.tag != "CWC":
        return ["The root element must be CWC"]
    errors = []
    for path, required, low, high, pattern in CWC_FIELDS:
        found = root.findall(path)
        if len(found) > 1:
            errors.append(f"{path} may appear once")
        value = found[0].text or "" if found else None
        errors += _field_errors(path, value, required, low, high, pattern)
    state = root.findtext("Constituent/StateAbbreviation")
    if state is not None and state not in CWC_STATES:
        errors.append("Constituent/StateAbbreviation is not a state, DC or a territory")
    office = root.findtext("Recipient/MemberOffice") or ""
    if len(office) == 5 and office[1:3] not in CWC_STATES:
        errors.append(f"MemberOffice {office} names no state")
    if offices is not None and office and office not in offices:
        errors.append(f"MemberOffice {office} is not an active office")
    topics = root.findall("Message/LibraryOfCongressTopics/LibraryOfCongressTopic")
    if not topics:
        errors.append("Message/LibraryOfCongressTopics needs at least one topic")
    errors += [f"Unknown LibraryOfCongressTopic: {t.text}" for t in topics
               if (t.text or "") not in CWC_TOPICS]
    for bill in root.findall("Message/Bills/Bill"):
        congress, kind = bill.findtext("BillCongress"), bill.findtext("BillTypeAbbreviation")
        number = bill.findtext("BillNumber")
        if congress is not None and not (congress.isdigit() and int(congress) > 0):
            errors.append("BillCongress must be a positive integer")
        if kind is not None and kind not in CWC_BILL_TYPES:
            errors.append(f"Unknown BillTypeAbbreviation: {kind}")
        if number is not None and not number.strip():
            errors.append("BillNumber is empty")
    if root.find("Message/Bill") is not None:
        errors.append("Message/Bill belongs in Message/Bills")
    if root.find("Message/OrganizationStatement") is None and \
            root.find("Message/ConstituentMessage") is None:
        errors.append("Message needs an OrganizationStatement or a ConstituentMessage")
    return errors


#: Delivery-agent settings CWC accepts (the stand-in's API key is test-key).
CWC_SETTINGS = {"CWC_API_KEY": "test-key", "CWC_DELIVERY_AGENT": "Alerta e2e",
                "CWC_DELIVERY_AGENT_EMAIL": "cwc@alerta.example.org",
                "CWC_DELIVERY_AGENT_CONTACT_NAME": "Alerta Ops",
                "CWC_DELIVERY_AGENT_PHONE": "202-555-0143"}


class CwcServer:
    """A local stand-in for the House/Senate CWC API, speaking its documented format.

    POST /v2/message and /v2/validate take a CWC 2.0 XML body and answer 200, or 400 with
    <Errors><Error>…</Error></Errors>, one Error per broken rule (cwc_rule_errors), or 401
    when the API key is wrong; GET /offices lists the office codes that take messages.
    `fail_next` makes the next POSTs answer 503, as an overloaded service does.
    """

    def __init__(self, api_key="test-key", offices=None):
        import http.server
        import xml.etree.ElementTree as ET

        self.api_key = api_key
        self.offices = offices
        self.received: list = []  # (path, parsed XML root)
        self.fail_next = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, code, body, content_type="application/xml"):
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _errors(self, code, messages):
                from xml.sax.saxutils import escape

                items = "".join(f"<Error>{escape(m)}</Error>" for m in messages)
                self._answer(code, f"<Errors>{items}</Errors>")

            def do_GET(self):  # noqa: N802
                from urllib.parse import parse_qs, urlsplit

                parts = urlsplit(self.path)
                if parse_qs(parts.query).get("apikey") != [server.api_key]:
                    return self._errors(401, ["Invalid API key"])
                if parts.path == "/offices" and server.offices is not None:
                    import json
                    return self._answer(200, json.dumps(
                        [{"office_code": code} for code in sorted(server.offices)]),
                        "application/json")
                return self._errors(404, ["Not found"])

            def do_POST(self):  # noqa: N802
                from urllib.parse import parse_qs, urlsplit

                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if parse_qs(parts.query).get("apikey") != [server.api_key]:
                    return self._errors(401, ["Invalid API key"])
                if parts.path not in ("/v2/message", "/v2/validate"):
                    return self._errors(404, ["Not found"])
                if server.fail_next > 0:
                    server.fail_next -= 1
                    return self._errors(503, ["Service temporarily unavailable"])
                errors = cwc_rule_errors(body, server.offices)
                if errors:
                    return self._errors(400, errors)
                root = ET.fromstring(body)
                if parts.path == "/v2/message":
                    server.received.append(root)
                return self._answer(200, "<Response><Status>OK</Status></Response>")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
