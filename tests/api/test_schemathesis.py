"""Issue 16: Schemathesis against the served OpenAPI description: generated requests to every
operation (positive and negative data) get no server error, and every answer conforms to
its documented status, content type and schema."""

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import add_alert, add_supporters

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
#: Examples per operation and mode: about 25 operations × 2 modes within a minute.
EXAMPLES = 12


def test_served_spec_is_openapi_3_1_and_has_a_reference_page(client, api):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/people", "/api/v1/advocacy_campaigns/{campaign_id}/outreaches",
            "/api/v1/petitions/{petition_id}/signatures"} <= set(spec["paths"])
    page = client.get("/api/v1/reference")
    assert page.status_code == 200 and "GET /api/v1/people" in page.text


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors_and_answers_conform(app, api_key, mode, full_data, monkeypatch,
                                              db_session):
    monkeypatch.setitem(app.config, "API_LIMIT_PER_KEY", 100_000)  # 429 would hide the rest
    add_supporters(5)
    add_alert(channels=["call", "signon"], letter_text="Please sign.")
    token = api_key("read_write")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, statuses = [], Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            response = case.call_and_validate(headers={"OSDI-API-Token": token},
                                              checks=CHECKS)
            statuses[response.status_code // 100] += 1

        try:
            check()
        except Exception as error:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert failures == [], "\n\n".join(failures)
    # valid requests got answers (most ids name nothing: 404), invalid ones refusals: the
    # run reached the views, not only the key check
    assert statuses[2 if mode == GenerationMode.POSITIVE else 4] >= 10, statuses
