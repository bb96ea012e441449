"""A local stand-in for Twilio: its REST API (Calls, Accounts, IncomingPhoneNumbers) as
strict as Twilio's (Basic auth with the account SID and auth token; Twilio's JSON errors),
and a call flow driver that plays the phone network: it fetches TwiML with requests signed
as Twilio signs them (X-Twilio-Signature, computed here from Twilio's documented algorithm,
not with the app's library), "presses" keys at each <Gather>, completes or fails each <Dial>
as told, and posts the signed status callback at the end."""

import base64
import hashlib
import hmac
import http.server
import itertools
import json
import re
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

API = "/2010-04-01"
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
KNOWN_VERBS = {"Say", "Play", "Gather", "Dial", "Redirect", "Hangup", "Pause", "Reject"}


def twilio_signature(auth_token: str, url: str, params: dict) -> str:
    """Twilio's documented algorithm: the URL, then each POST parameter's name and value
    in name order, HMAC-SHA1 with the auth token, base64."""
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


@dataclass
class Callee:
    """How the person (and the offices) behave on one call: the keys pressed at each
    <Gather> in turn (None: wait until it times out), and how each <Dial> ends:
    (DialCallStatus, seconds)."""

    keys: list = field(default_factory=list)
    dials: list = field(default_factory=list)
    answers: bool = True


@dataclass
class CallRecord:
    sid: str
    to: str
    from_: str
    url: str
    status_callback: str | None
    direction: str
    status: str = "queued"
    events: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dialed: list = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def said(self) -> list[tuple[str, str]]:
        return [(text, language) for kind, text, language in
                (e for e in self.events if e[0] == "say")]


class TwilioServer:
    """`numbers`: the account's own numbers (a call must come From one of them).
    `callees`: phone → Callee. `proxy`: public base URL → where it is really served (the
    app behind a proxy): requests are signed for the public URL and sent to the real one."""

    def __init__(self, account_sid: str, auth_token: str, numbers: set[str]):
        self.account_sid, self.auth_token, self.numbers = account_sid, auth_token, numbers
        self.callees: dict[str, Callee] = {}
        self.proxy: dict[str, str] = {}
        self.calls: list[CallRecord] = []
        self.refusals: list[dict] = []
        self._threads: list[threading.Thread] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, code: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, code: int, message: str):
                body = {"code": code, "message": message, "status": status,
                        "more_info": f"https://www.twilio.com/docs/errors/{code}"}
                server.refusals.append(body)
                self._json(status, body)

            def _authorized(self) -> bool:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    self._error(401, 20003, "Authenticate")
                    return False
                try:
                    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                except ValueError:
                    self._error(401, 20003, "Authenticate")
                    return False
                if (user, password) != (server.account_sid, server.auth_token):
                    self._error(401, 20003, "Authentication Error - invalid username")
                    return False
                return True

            def _account_path(self, path: str) -> str | None:
                prefix = f"{API}/Accounts/{server.account_sid}"
                if not path.startswith(prefix):
                    self._error(404, 20404, f"The requested resource {path} was not found")
                    return None
                return path[len(prefix):]

            def do_GET(self):  # noqa: N802
                if not self._authorized():
                    return None
                parts = urlsplit(self.path)
                rest = self._account_path(parts.path)
                if rest is None:
                    return None
                if rest == ".json":
                    return self._json(200, {
                        "sid": server.account_sid, "friendly_name": "Test account",
                        "status": "active", "type": "Full", "owner_account_sid":
                        server.account_sid, "date_created": "Mon, 30 Nov 2026 10:00:00 +0000",
                        "uri": f"{API}/Accounts/{server.account_sid}.json"})
                if rest == "/IncomingPhoneNumbers.json":
                    wanted = parse_qs(parts.query).get("PhoneNumber", [None])[0]
                    numbers = [n for n in sorted(server.numbers) if wanted in (None, n)]
                    uri = f"{API}/Accounts/{server.account_sid}/IncomingPhoneNumbers.json"
                    return self._json(200, {
                        "incoming_phone_numbers": [
                            {"sid": "PN" + hashlib.md5(n.encode()).hexdigest(),  # noqa: S324
                             "account_sid": server.account_sid, "phone_number": n,
                             "friendly_name": n} for n in numbers],
                        "first_page_uri": uri + "?PageSize=50&Page=0", "next_page_uri": None,
                        "previous_page_uri": None, "page": 0, "page_size": 50, "start": 0,
                        "end": max(len(numbers) - 1, 0), "uri": uri})
                return self._error(404, 20404, f"The requested resource {parts.path} was "
                                               "not found")

            def do_POST(self):  # noqa: N802
                if not self._authorized():
                    return None
                rest = self._account_path(urlsplit(self.path).path)
                if rest is None:
                    return None
                if rest != "/Calls.json":
                    return self._error(404, 20404, f"The requested resource {self.path} was "
                                                   "not found")
                if "application/x-www-form-urlencoded" not in self.headers.get(
                        "Content-Type", ""):
                    return self._error(400, 20001, "Content-Type must be form-encoded")
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                to, from_, url = form.get("To"), form.get("From"), form.get("Url")
                if not to:
                    return self._error(400, 21201, "No 'To' number is specified")
                if not from_:
                    return self._error(400, 21213, "No 'From' number is specified")
                if not url and not form.get("Twiml"):
                    return self._error(400, 21205, "Url parameter is required.")
                if not E164.match(to):
                    return self._error(400, 21211, f"Invalid 'To' Phone Number: {to}")
                if from_ not in server.numbers:
                    return self._error(400, 21210, f"The source phone number provided, "
                                                   f"{from_}, is not yet verified for your "
                                                   "account.")
                for name in ("Url", "StatusCallback"):
                    if form.get(name) and not form[name].startswith(("http://", "https://")):
                        return self._error(400, 21205, f"{name} is not a valid URL: "
                                                       f"{form[name]}")
                call = CallRecord(_sid("CA"), to, from_, url, form.get("StatusCallback"),
                                  "outbound-api")
                server.calls.append(call)
                self._json(201, {
                    "sid": call.sid, "account_sid": server.account_sid, "to": to,
                    "from": from_, "status": "queued", "direction": "outbound-api",
                    "api_version": "2010-04-01", "date_created": None,
                    "uri": f"{API}/Accounts/{server.account_sid}/Calls/{call.sid}.json"})
                server._start(call, server.callees.get(to, Callee()))
                return None

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self._serving = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._serving.start()
        return self

    def __exit__(self, *exc):
        for thread in self._threads:
            thread.join(timeout=30)
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for_calls(self, count: int, timeout: float) -> bool:
        """Whether `count` calls were placed and ended within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.calls) >= count and all(c.done.is_set() for c in self.calls):
                return True
            time.sleep(0.1)
        return False

    # The phone network ---------------------------------------------------------------------

    def call_in(self, from_: str, to: str, voice_url: str, callee: Callee) -> CallRecord:
        """Someone dials the account's number `to`: Twilio requests its voice URL."""
        call = CallRecord(_sid("CA"), to, from_, voice_url, None, "inbound")
        self.calls.append(call)
        self._start(call, callee)
        return call

    def _start(self, call: CallRecord, callee: Callee) -> None:
        thread = threading.Thread(target=self._run, args=(call, callee), daemon=True)
        self._threads.append(thread)
        thread.start()

    def post_signed(self, url: str, params: dict, *, signature: str | None = None
                    ) -> httpx.Response:
        """POST as Twilio does: form-encoded, signed for the public URL."""
        headers = {"X-Twilio-Signature": signature if signature is not None
                   else twilio_signature(self.auth_token, url, params),
                   "User-Agent": "TwilioProxy/1.1"}
        real = url
        for public, served in self.proxy.items():
            if url.startswith(public):
                real = served + url[len(public):]
        return httpx.post(real, data=params, headers=headers, timeout=30)

    def _params(self, call: CallRecord, **extra) -> dict:
        return {"AccountSid": self.account_sid, "ApiVersion": "2010-04-01",
                "CallSid": call.sid, "CallStatus": call.status, "Direction": call.direction,
                "From": call.from_, "To": call.to, "Caller": call.from_, "Called": call.to,
                **{k: str(v) for k, v in extra.items()}}

    def _fetch(self, call: CallRecord, url: str, **extra) -> ET.Element | None:
        response = self.post_signed(url, self._params(call, **extra))
        if response.status_code != 200:
            call.errors.append(f"11200 HTTP retrieval failure: {response.status_code} {url}")
            return None
        if "xml" not in response.headers.get("Content-Type", ""):
            call.errors.append(f"12300 Invalid Content-Type: {url}")
            return None
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError as error:
            call.errors.append(f"12100 Document parse failure: {error}")
            return None
        if root.tag != "Response":
            call.errors.append(f"12100 Document parse failure: root <{root.tag}>")
            return None
        for element in root.iter():
            if element is not root and element.tag not in KNOWN_VERBS | {"Number"}:
                call.errors.append(f"12200 Schema validation warning: <{element.tag}>")
                return None
        return root

    def _run(self, call: CallRecord, callee: Callee) -> None:
        seconds = 0
        try:
            if not callee.answers:
                call.status = "no-answer"
                return
            call.status = "in-progress"
            keys, dials = iter(callee.keys), iter(callee.dials)
            url = call.url
            document = self._fetch(call, url)
            for _step in itertools.count():
                if document is None or _step > 100:
                    break
                next_url, extra = self._play(call, document, url, keys, dials)
                if next_url is None:
                    break
                seconds += 5 + extra.pop("_seconds", 0)
                url = next_url
                document = self._fetch(call, url, **extra)
            call.status = "completed"
        finally:
            seconds += 5
            call.events.append(("end", call.status, ""))
            if call.status_callback:
                params = self._params(call, CallDuration=seconds if call.status == "completed"
                                      else 0, Timestamp="Mon, 30 Nov 2026 16:00:00 +0000",
                                      CallbackSource="call-progress-events",
                                      SequenceNumber=0)
                self.post_signed(call.status_callback, params)
            call.done.set()

    def _play(self, call, document, url, keys, dials):
        """Run one TwiML document; (the next URL to fetch, its extra parameters), or
        (None, {}) when the call ends."""
        for verb in document:
            language = verb.get("language", "en-US")
            if verb.tag == "Say":
                call.events.append(("say", (verb.text or "").strip(), language))
            elif verb.tag == "Play":
                call.events.append(("play", (verb.text or "").strip(), ""))
            elif verb.tag == "Gather":
                for prompt in verb:
                    call.events.append(("say", (prompt.text or "").strip(),
                                        prompt.get("language", "en-US")))
                pressed = next(keys, None)
                if pressed is None:
                    call.events.append(("timeout", "", ""))
                    continue
                call.events.append(("press", pressed, ""))
                return urljoin(url, verb.get("action") or url), {"Digits": pressed}
            elif verb.tag == "Dial":
                number = (verb.text or "").strip()
                status, seconds = next(dials, ("completed", 30))
                call.dialed.append((number, status, seconds))
                call.events.append(("dial", number, status))
                extra = {"DialCallStatus": status, "DialCallSid": _sid("CA"),
                         "DialCallDuration": seconds if status == "completed" else 0,
                         "_seconds": seconds}
                if verb.get("action"):
                    return urljoin(url, verb.get("action")), extra
            elif verb.tag == "Redirect":
                return urljoin(url, (verb.text or "").strip()), {}
            elif verb.tag in ("Hangup", "Reject"):
                call.events.append(("hangup", "", ""))
                return None, {}
        return None, {}
