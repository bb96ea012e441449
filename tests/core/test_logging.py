"""Structured logs (issue 19 item 2): one JSON line per request and per task, the request id
carried from the request to the tasks it queued, and no supporter data in any line."""

import io
import json
import logging
import re
import sys
import time

import pytest
from celery.signals import after_task_publish
from sqlalchemy import select

from campaign_app.core.db import db
from campaign_app.core.logging import configure_logging, make_formatter
from campaign_app.core.scrub import mask_emails, mask_patterns
from campaign_app.delivery.models import Delivery
from tests.helpers import form_for, submit_form
from tests.services import WorkerProcess


@pytest.fixture
def json_log(app):
    """The app's log as JSON lines in a buffer; the usual handler afterwards."""
    buffer = io.StringIO()
    configure_logging("json", "INFO", stream=buffer)
    yield buffer
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])


def _lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def _requests(lines) -> list[dict]:
    return [line for line in lines if line.get("event") == "request"]


def test_each_request_is_one_json_line_with_its_id(client, json_log):
    response = client.get("/healthz")
    given = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    [line] = _requests(_lines(json_log))
    assert line["method"] == "GET" and line["route"] == "/healthz" and line["status"] == 200
    assert line["request_id"] == given and line["remote_addr"] == "127.0.0.1"
    assert isinstance(line["duration_ms"], float) and line["level"] == "INFO"


def test_an_incoming_request_id_is_honored_and_a_hostile_one_replaced(client, json_log):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21"}).headers[
        "X-Request-ID"] == "lb-7f3a9c21"
    hostile = 'x" injected {"level": "ERROR"}'
    replaced = client.get("/healthz", headers={"X-Request-ID": hostile}).headers["X-Request-ID"]
    assert replaced != hostile and re.fullmatch(r"[0-9a-f]{32}", replaced)
    assert [line["request_id"] for line in _requests(_lines(json_log))] == [
        "lb-7f3a9c21", replaced]


def test_the_route_is_logged_as_its_pattern_never_its_path(client, json_log):
    client.get("/u/some-personal-token-value")
    [line] = _requests(_lines(json_log))
    assert line["route"] == "/u/<token>" and "personal-token" not in json_log.getvalue()
    client.get("/no/such/page/ana@example.org")
    assert _requests(_lines(json_log))[-1]["route"] == "(no route)"


def test_the_remote_address_is_the_one_the_proxy_rule_trusts(other_app, json_log):
    behind_proxy = other_app({"PROXY_COUNT": 1}).test_client()
    configure_logging("json", "INFO", stream=json_log)  # the new app set up its own
    behind_proxy.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.2"})
    assert _requests(_lines(json_log))[-1]["remote_addr"] == "198.51.100.2"


def test_text_stays_for_development_and_emails_are_masked_in_both():
    record = logging.LogRecord("campaign_app.x", logging.WARNING, __file__, 1,
                               "SMTP said: 550 <%s> unknown", ("ana.maria@example.org",), None)
    record.request_id = None
    text = make_formatter("text").format(record)
    assert "WARNING [campaign_app.x] SMTP said: 550 <[email]> unknown" in text
    as_json = json.loads(make_formatter("json").format(record))
    assert as_json["message"] == "SMTP said: 550 <[email]> unknown"
    assert mask_emails("a b.c+d@mail.example.co.uk c") == "a [email] c"
    assert mask_patterns("call (307) 555-0177 or +1 307.555.0177, not 2026-11-30 or "
                         "1764512345") == "call [phone] or [phone], not 2026-11-30 or 1764512345"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        configure_logging("xml")


# --- A full journey, with a real worker ----------------------------------------------------

PERSON = {"first_name": "Wilhelmina", "last_name": "Okonkwo-Barrington",
          "email": "wilhelmina.ob@example.org", "zip_code": "82001"}
STREET, PHONE = "4417 Larkspur Terrace", "307-555-0177"


@pytest.mark.e2e
@pytest.mark.full_data
def test_a_journey_logs_json_lines_sharing_the_request_id_and_no_supporter_data(
        app, full_data, committed_data, smtp, json_log):
    from campaign_app.alerts.demo import demo_alert_data
    from campaign_app.alerts.operations import create_alert

    with app.app_context():
        slug = create_alert({**demo_alert_data(), "channels": ["call", "email", "signon"],
                             "letter_text": "Dear [[Target_Name]], please sign."}).slug
        db.session.commit()
    app.extensions["celery"].control.purge()
    # Only this journey's tasks count: a message an earlier test left unacknowledged can
    # still reach the worker after the purge, carrying no request of ours.
    published: list[str] = []

    def remember(headers=None, **_):
        published.append(headers["id"])
    after_task_publish.connect(remember, weak=False)
    # -q: no start-up banner, which Celery prints as text, outside the log.
    worker = WorkerProcess({"LOG_FORMAT": "json"}, command=[
        sys.executable, "-m", "celery", "-q", "-A", "worker", "worker", "--loglevel", "INFO",
        "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle"]).start()
    try:
        browser = app.test_client()
        assert submit_form(browser, f"/a/{slug}", PERSON).status_code == 302
        call = form_for(browser.get(f"/a/{slug}/call").text, containing="bioguide_id")
        assert browser.post(call["action"], data={
            **call["fields"], "outcome": "talked",
            "note": f"{PERSON['first_name']} at {STREET}, call me at {PHONE}"}
        ).status_code == 302
        email = form_for(browser.get(f"/a/{slug}/call").text, containing="street")
        assert browser.post(email["action"], data={
            **email["fields"], "prefix": "Ms.", "street": STREET, "city": "Cheyenne",
            "phone": PHONE}).status_code == 302
        sign = form_for(browser.get(f"/a/{slug}/call").text, action=f"/a/{slug}/sign")
        assert browser.post(sign["action"], data={**sign["fields"]}).status_code == 302
        [(recipients, _)] = smtp.wait_for(1, timeout=60)
        assert recipients == [PERSON["email"]]
        deadline = time.monotonic() + 20
        while not any('"event": "task"' in line for line in worker.output) \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # the tasks queued after the first, if any
    finally:
        worker.stop()
        after_task_publish.disconnect(remember)

    web = _lines(json_log)
    # Celery writes its shutdown notice straight to the terminal, outside the log.
    worker_lines = [json.loads(line) for line in worker.output
                    if line.strip() and not line.startswith("worker: Warm shutdown")]
    tasks = [line for line in worker_lines
             if line.get("event") == "task" and line.get("task_id") in published]
    # Each action queues the confirmation while it is still pending (the later runs find it
    # sent): every task carries the id of the request that queued it, and the call's request
    # is the one whose task sent the email.
    posts = {line["request_id"]: line["route"] for line in _requests(web)
             if line["method"] == "POST"}
    assert 1 <= len(published) <= 3 and {task["task_id"] for task in tasks} == set(published)
    assert {task["request_id"] for task in tasks} <= posts.keys()
    assert all(task["task"] == "campaign_app.delivery.tasks.send_delivery" and task["task_id"]
               and task["outcome"] == "success" and task["retries"] == 0 for task in tasks)
    delivered = [line for line in worker_lines if "delivered" in line["message"]]
    assert len(delivered) == 1 and posts[delivered[0]["request_id"]] == "/a/<slug>/call"
    assert len(_requests(web)) >= 8

    with app.app_context():
        assert db.session.scalars(select(Delivery.status)).all() == ["delivered"]
    everything = json_log.getvalue() + "".join(worker.output)
    for value in (PERSON["email"], PERSON["first_name"], PERSON["last_name"], STREET, PHONE,
                  "[email]"):
        assert value.lower() not in everything.lower(), value
