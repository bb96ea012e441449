"""Issue 16: with limits counted in Redis each web process keeps the keys it has seen (no key
query per request), and a key revoked by another process gets 401 at once: the keys'
version stamp, read in the rate limit's round trip, moved on."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import redis
from sqlalchemy import event, select

from campaign_app.api.models import ApiKey
from campaign_app.api.operations import create_api_key
from campaign_app.auth.operations import create_user
from campaign_app.core.db import db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REPO = Path(__file__).resolve().parents[2]
REVOKE = textwrap.dedent("""
    import sys
    from sqlalchemy import select
    from campaign_app import create_app
    from campaign_app.api.models import ApiKey
    from campaign_app.api.operations import revoke_api_key
    from campaign_app.core.db import db
    app = create_app({"RATELIMIT_STORAGE_URL": sys.argv[1]})
    with app.app_context():
        key = db.session.scalars(select(ApiKey).where(ApiKey.id == int(sys.argv[2]))).one()
        assert revoke_api_key(key, by=None)
        db.session.commit()
""")


@pytest.fixture
def redis_limits():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return {"RATELIMIT_STORAGE_URL": REDIS_URL}


def _key_queries(app, client, token) -> tuple[int, list[str]]:
    """The answer's status and the statements it ran that read api_keys."""
    seen = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        status = client.get("/api/v1/people", headers={"OSDI-API-Token": token}).status_code
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return status, [s for s in seen if "FROM api_keys" in s]


def test_a_key_revoked_in_another_process_gets_401_at_once(app, committed_data, other_app,
                                                           redis_limits):
    with app.app_context():
        admin = create_user("admin@example.org", "correct horse battery", "admin")
        key, token = create_api_key("CRM", "read", by=admin)
        db.session.commit()
        key_id = key.id
    web = other_app(redis_limits)
    client = web.test_client()
    status, reads = _key_queries(web, client, token)
    assert status == 200 and len(reads) == 1  # read once, then kept
    status, reads = _key_queries(web, client, token)
    assert status == 200 and reads == []
    revoked = subprocess.run([sys.executable, "-c", REVOKE, REDIS_URL, str(key_id)],  # noqa: S603
                             cwd=REPO, env=dict(os.environ), capture_output=True, text=True,
                             timeout=120)
    assert revoked.returncode == 0, revoked.stderr[-2000:]
    status, reads = _key_queries(web, client, token)
    assert status == 401 and len(reads) == 1
    assert _key_queries(web, client, token)[0] == 401
    with app.app_context():
        assert db.session.scalars(select(ApiKey.revoked_at)).one() is not None


def test_kept_keys_are_per_token_and_a_changed_stamp_reads_them_again(
        app, committed_data, other_app, redis_limits):
    with app.app_context():
        admin = create_user("admin@example.org", "correct horse battery", "admin")
        _, reader = create_api_key("CRM", "read", by=admin)
        _, viewer = create_api_key("Board", "viewer", by=admin)
        db.session.commit()
    web = other_app(redis_limits)
    client = web.test_client()
    for token in (reader, viewer, reader, viewer):
        assert _key_queries(web, client, token)[0] == 200
    assert len(web.extensions["alerta_api_keys"]) == 2
    # another key's revocation (in a process configured alike) moves the stamp: kept keys
    # are read again, and still pass
    with web.app_context():
        from campaign_app.api.operations import revoke_api_key

        other, _ = create_api_key("Old", "read", by=None)
        db.session.commit()
        revoke_api_key(other, by=None)
        db.session.commit()
    status, reads = _key_queries(web, client, reader)
    assert status == 200 and len(reads) == 1
    assert _key_queries(web, client, reader) == (200, [])
    assert client.get("/api/v1/people", headers={"OSDI-API-Token": "alerta_nope"}
                      ).status_code == 401
