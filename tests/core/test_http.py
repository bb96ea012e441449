"""The shared HTTP client (issue 14, item 9): retries only where a retry is safe, a cap on
the answer, connection reuse and a User-Agent, against a local HTTP server."""

import http.server
import threading

import pytest

from campaign_app.core import http as shared_http


class Server:
    """Answers each request with the next status of `statuses` (then 200), and records the
    method, User-Agent and client port of every request."""

    def __init__(self, statuses=(), body=b"ok"):
        self.statuses = list(statuses)
        self.body = body
        self.seen = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                outer.seen.append((self.command, self.headers["User-Agent"],
                                   self.client_address[1]))
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            do_GET = do_POST = _answer  # noqa: N815

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    made = []

    def make(*args, **kwargs):
        made.append(Server(*args, **kwargs))
        return made[-1]

    yield make
    for each in made:
        each.stop()


def test_a_get_is_retried_on_5xx_and_reuses_its_connection(server):
    service = server(statuses=[503, 502])
    answer = shared_http.request("GET", service.url, timeout=5, retries=2)
    assert answer.status_code == 200 and answer.content == b"ok"
    assert [method for method, _, _ in service.seen] == ["GET"] * 3
    assert len({port for _, _, port in service.seen}) == 1  # one kept-alive connection
    assert all(agent.startswith("Alerta/") for _, agent, _ in service.seen)


def test_a_post_is_not_repeated_on_5xx(server):
    service = server(statuses=[503])
    answer = shared_http.request("POST", service.url, content=b"x", timeout=5, retries=2)
    assert answer.status_code == 503
    assert len(service.seen) == 1


def test_retries_give_up_with_the_last_answer(server):
    service = server(statuses=[500, 500, 500])
    assert shared_http.request("GET", service.url, timeout=5, retries=1).status_code == 500
    assert len(service.seen) == 2


def test_a_refused_connection_is_an_http_error(server):
    service = server()
    url = service.url
    service.stop()
    with pytest.raises(shared_http.HttpError, match="connect"):
        shared_http.request("POST", url, timeout=2, retries=1)


def test_an_answer_over_the_cap_is_refused(server):
    service = server(body=b"x" * 2000)
    with pytest.raises(shared_http.ResponseTooLarge):
        shared_http.request("GET", service.url, timeout=5, max_bytes=1000)


def test_only_http_urls_are_requested():
    with pytest.raises(shared_http.HttpError, match="http"):
        shared_http.request("GET", "file:///etc/passwd", timeout=1)
