"""The one HTTP client every external service goes through (CWC, the geocoder, the congress
data files, webhooks): timeouts, retries with backoff where a retry is safe, connection reuse,
a User-Agent, and a cap on how much of an answer is read."""

import os
import random
import threading
import time
from dataclasses import dataclass

from .unused_imports import keep_out_unused_modules

keep_out_unused_modules()  # before httpx: not its command-line client
import httpx  # noqa: E402

USER_AGENT = "Alerta/0.1 (+https://github.com/alerta-advocacy)"
#: Statuses worth asking again: the service says it is overloaded or briefly down.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Methods that change nothing when repeated, so a 5xx answer may be retried.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
BACKOFF_SECONDS = 0.25
DEFAULT_MAX_BYTES = 1024 * 1024


class HttpError(Exception):
    """The service could not be reached, was too slow, or answered too much."""


class ResponseTooLarge(HttpError):
    pass


@dataclass(frozen=True)
class Answer:
    """A response read in full (up to the cap): its status, headers and body."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    elapsed: float

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


_lock = threading.Lock()
_clients: dict[int, httpx.Client] = {}


def client() -> httpx.Client:
    """This process's client (its pool of keep-alive connections). Keyed by process id:
    a pool inherited through fork (a Celery prefork child) would share sockets."""
    pid = os.getpid()
    with _lock:
        shared = _clients.get(pid)
        if shared is None:
            shared = _clients[pid] = httpx.Client(
                headers={"User-Agent": USER_AGENT}, follow_redirects=False,
                limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))
        return shared


def _read(response: httpx.Response, max_bytes: int) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise ResponseTooLarge(f"the answer is larger than {max_bytes} bytes")
    return bytes(body)


def request(method: str, url: str, *, timeout: float, retries: int = 2,
            max_bytes: int = DEFAULT_MAX_BYTES, retry_statuses: bool | None = None,
            **kwargs) -> Answer:
    """Send and read the answer (any status: the caller judges it).

    A failed connection is retried up to `retries` times, with backoff: nothing reached the
    service. A timeout after sending and an overloaded status (429, 5xx) are retried only
    when `retry_statuses` says so, by default for idempotent methods; a POST is retried by
    its caller's own outbox, which knows whether the message may go twice.
    Raises HttpError when no answer came.
    """
    method = method.upper()
    if retry_statuses is None:
        retry_statuses = method in IDEMPOTENT_METHODS
    if not url.startswith(("http://", "https://")):
        raise HttpError(f"not an http(s) URL: {url[:100]}")
    attempt = 0
    while True:
        started = time.monotonic()
        try:
            with client().stream(method, url, timeout=timeout, **kwargs) as response:
                content = _read(response, max_bytes)
            answer = Answer(response.status_code, response.headers, content,
                            time.monotonic() - started)
        except httpx.ConnectError as error:
            failure: HttpError | None = HttpError(f"could not connect: {error}")
            answer = None
            retryable = True
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            failure = HttpError(f"{type(error).__name__}: {error}" if str(error)
                                else type(error).__name__)
            answer = None
            retryable = retry_statuses
        else:
            failure = None
            retryable = retry_statuses and answer.status_code in RETRY_STATUSES
        if not retryable or attempt >= retries:
            if failure:
                raise failure
            return answer
        attempt += 1
        time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * (0.5 + random.random()))
