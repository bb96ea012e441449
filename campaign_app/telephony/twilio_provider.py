"""Twilio as the provider: REST calls through the `twilio` package (over the project's one
HTTP client), TwiML replies, and X-Twilio-Signature checks with its RequestValidator."""

import logging

from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from ..core import http
from .provider import Dial, Gather, Hangup, Play, ProviderError, Redirect, Reply, Say

log = logging.getLogger(__name__)


class SharedHttpClient(HttpClient):
    """The twilio package's requests go through core/http (timeouts, connection reuse)."""

    def __init__(self, timeout: float):
        super().__init__(logger=log, is_async=False, timeout=timeout)

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        try:
            answer = http.request(method, uri, timeout=timeout or self.timeout, params=params,
                                  data=data, headers=headers, auth=auth)
        except http.HttpError as error:
            raise ProviderError(f"Twilio could not be reached: {error}") from error
        return Response(answer.status_code, answer.text, headers=dict(answer.headers))


class TwilioProvider:
    name = "twilio"

    def __init__(self, config):
        self.account_sid = config["TWILIO_ACCOUNT_SID"]
        self.auth_token = config["TWILIO_AUTH_TOKEN"]
        self.caller_id = config["TWILIO_CALLER_ID"]
        self.api_base_url = config["TWILIO_API_BASE_URL"].rstrip("/")
        self.timeout = config["TWILIO_TIMEOUT"]

    def _client(self) -> Client:
        client = Client(self.account_sid, self.auth_token,
                        http_client=SharedHttpClient(self.timeout))
        client.api.base_url = self.api_base_url
        return client

    def place_call(self, to: str, *, answer_url: str, status_url: str) -> str:
        try:
            call = self._client().api.v2010.account.calls.create(
                to=to, from_=self.caller_id, url=answer_url, method="POST",
                status_callback=status_url, status_callback_method="POST")
        except TwilioRestException as error:
            raise ProviderError(f"Twilio refused the call ({error.code}): "
                                f"{error.msg}") from error
        return call.sid

    def check(self) -> list[str]:
        client = self._client()
        try:
            account = client.api.v2010.accounts(self.account_sid).fetch()
        except TwilioRestException as error:
            return [f"Twilio refused the account SID and auth token ({error.code}): "
                    f"{error.msg}"]
        problems = []
        if account.status != "active":
            problems.append(f"The Twilio account is {account.status}, not active.")
        try:
            numbers = client.api.v2010.account.incoming_phone_numbers.list(
                phone_number=self.caller_id, limit=1)
        except TwilioRestException as error:
            return [*problems, f"Twilio refused the number lookup ({error.code}): {error.msg}"]
        if not numbers:
            problems.append(f"TWILIO_CALLER_ID {self.caller_id} is not a number of this "
                            "Twilio account.")
        return problems

    def is_signed(self, url: str, params: dict, signature: str) -> bool:
        return bool(signature) and RequestValidator(self.auth_token).validate(
            url, params, signature)

    def render(self, reply: Reply) -> tuple[str, str]:
        response = VoiceResponse()
        for step in reply.steps:
            _add(response, step, reply.voice_language)
        return str(response), "text/xml"


def _add(parent, step, language: str) -> None:
    if isinstance(step, Say):
        parent.say(step.text, language=language)
    elif isinstance(step, Play):
        parent.play(step.url)
    elif isinstance(step, Gather):
        gather = parent.gather(num_digits=step.digits, action=step.action, method="POST",
                               timeout=step.timeout_seconds, finish_on_key="#")
        for prompt in step.prompts:
            _add(gather, prompt, language)
    elif isinstance(step, Dial):
        parent.dial(step.number, action=step.action, method="POST",
                    caller_id=step.caller_id)
    elif isinstance(step, Redirect):
        parent.redirect(step.url, method="POST")
    elif isinstance(step, Hangup):
        parent.hangup()
