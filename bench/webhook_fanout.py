"""Webhook fan-out (issue 16): 10,000 events to a local receiver through the outbox and the
send task, against a plain httpx loop posting the same signed payloads, in the same run.

The receiver is a threaded local HTTP server answering 204. The task path runs in this
process (send_webhooks' body, in the batches queue_webhooks makes: claim, sign, post with the
shared client, log the tries, commit), one batch after another, as one worker process does.
Prints events per second of each and the ratio (goal ≥ 0.5).

    DATABASE_URL=postgresql://postgres@127.0.0.1/alerta_bench \
        .venv/bin/python bench/webhook_fanout.py
"""

import http.server
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

EVENTS = int(os.environ.get("BENCH_EVENTS", 10_000))
REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("ALERTA_INSTANCE_DIR", tempfile.mkdtemp(prefix="alerta-bench-"))
os.environ.setdefault("ALERTA_ENV", "testing")
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import common  # noqa: E402


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    name = url.rsplit("/", 1)[-1]
    if not url.startswith("postgres") or not ("bench" in name or "test" in name):
        sys.exit("needs DATABASE_URL of a PostgreSQL database named *bench* or *test* (wiped)")
    common.reset_schema(url)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", common.free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver = f"http://127.0.0.1:{server.server_port}/hooks"

    import httpx
    from flask_migrate import upgrade
    from sqlalchemy import select

    from campaign_app import create_app
    from campaign_app.core.db import db
    from campaign_app.webhooks import signing
    from campaign_app.webhooks.models import WebhookDelivery, WebhookEndpoint
    from campaign_app.webhooks.operations import body_of, register_endpoint
    from campaign_app.webhooks.outbox import add_event
    from campaign_app.webhooks.tasks import BATCH, send_webhooks

    app = create_app({"WEBHOOK_ALLOW_PRIVATE": True})
    with app.app_context():
        upgrade()
        endpoint, secret = register_endpoint(receiver, ["person.created"], by=None)
        for n in range(EVENTS):
            add_event(db.session, "person.created", {"identifiers": [f"alerta:person-{n}"],
                                                     "given_name": "Ana"}, [endpoint])
        db.session.commit()
        deliveries = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        payloads = [(d.event.message_id, body_of(d.event)) for d in deliveries]
        ids = db.session.scalars(select(WebhookDelivery.id).order_by(WebhookDelivery.id)).all()
        assert db.session.get(WebhookEndpoint, endpoint.id).is_active

    with httpx.Client() as plain:
        started = time.perf_counter()
        for message_id, body in payloads:
            headers = signing.headers(secret, message_id, int(time.time()), body)
            assert plain.post(receiver, content=body, headers=headers).status_code == 204
        plain_seconds = time.perf_counter() - started

    with app.app_context():
        started = time.perf_counter()
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            assert send_webhooks.run(batch) == {"delivered": len(batch)}
        task_seconds = time.perf_counter() - started
    server.shutdown()
    plain_rate, task_rate = EVENTS / plain_seconds, EVENTS / task_seconds
    print(f"plain httpx loop: {plain_rate:,.0f} events/s; outbox + task: {task_rate:,.0f} "
          f"events/s; ratio {task_rate / plain_rate:.2f} (goal ≥ 0.5)")


if __name__ == "__main__":
    main()
