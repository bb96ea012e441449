"""The rate limiter's two stores: the database (embedded default) and Redis (a cluster)."""

import os
import uuid

import pytest
import redis

from campaign_app.core.ratelimit import DatabaseCounts, RedisCounts, init_ratelimit
from tests.factories import add_alert

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_store():
    store = RedisCounts(REDIS_URL)
    try:
        store.redis.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield store
    for pattern in ("test-*", "action-ip:*"):  # this module's keys, and the app's it made
        for key in store.redis.scan_iter(RedisCounts.PREFIX + pattern):
            store.redis.delete(key)


@pytest.fixture
def redis_app(app, redis_store):
    """The app with its limits counted in Redis, as on a cluster."""
    app.config["RATELIMIT_STORAGE_URL"] = REDIS_URL
    init_ratelimit(app)
    yield app
    app.config["RATELIMIT_STORAGE_URL"] = ""
    init_ratelimit(app)


def _key() -> str:
    return f"test-{uuid.uuid4().hex}"


@pytest.mark.parametrize("store_name", ["database", "redis"])
def test_a_key_is_limited_after_its_limit_and_only_that_key(store_name, db_session, request):
    store = DatabaseCounts() if store_name == "database" else request.getfixturevalue(
        "redis_store")
    key, other = _key(), _key()
    for _ in range(3):
        assert store.count(key, 60) < 3
        store.add(key, 60)
    assert store.count(key, 60) == 3
    assert store.count(other, 60) == 0
    store.clear(key)
    assert store.count(key, 60) == 0


def test_redis_hits_leave_the_window_and_the_key_expires(redis_store):
    key = _key()
    redis_store.add(key, 1)
    ttl = redis_store.redis.ttl(RedisCounts.PREFIX + key)
    assert 0 < ttl <= 1
    # A hit older than the window no longer counts.
    redis_store.redis.zadd(RedisCounts.PREFIX + key, {"old": 1.0})
    assert redis_store.count(key, 1) == 1


def test_an_unreachable_redis_lets_supporters_through():
    store = RedisCounts("redis://127.0.0.1:1/0")
    store.add("test-x", 60)
    assert store.count("test-x", 60) == 0


def test_action_posts_are_limited_across_processes_through_redis(redis_app, client, redis_store):
    alert = add_alert()
    redis_app.config["ACTION_LIMIT_PER_IP"] = 2
    try:
        statuses = [client.post(f"/a/{alert.slug}", data={}).status_code for _ in range(3)]
    finally:
        redis_app.config["ACTION_LIMIT_PER_IP"] = 60
    assert statuses == [422, 422, 429]
    keys = list(redis_store.redis.scan_iter(RedisCounts.PREFIX + "action-ip:*"))
    assert keys, "the hits were not counted in Redis"


def test_behind_a_trusted_proxy_supporters_are_counted_by_their_own_address(other_app,
                                                                           redis_store):
    proxied = other_app({"PROXY_COUNT": 1, "ACTION_LIMIT_PER_IP": 1,
                          "RATELIMIT_STORAGE_URL": REDIS_URL})
    client = proxied.test_client()

    def post(address):
        return client.post("/a/no-such-alert", headers={"X-Forwarded-For": address},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code

    # Two supporters behind the same proxy each get their own allowance.
    assert [post("198.51.100.7"), post("203.0.113.9")] == [404, 404]
    assert post("198.51.100.7") == 429


@pytest.mark.parametrize("store_name", ["database", "redis"])
def test_hit_counts_until_the_limit_and_not_beyond(store_name, db_session, request):
    store = DatabaseCounts() if store_name == "database" else request.getfixturevalue(
        "redis_store")
    key = _key()
    assert [store.hit(key, 3, 60) for _ in range(5)] == [False, False, False, True, True]
    assert store.count(key, 60) == 3  # refused hits are not counted


# The rules below each kill mutants of campaign_app/core/ratelimit.py (bench/mutation.py).

@pytest.mark.parametrize("store_name", ["database", "redis"])
def test_only_hits_within_the_window_count(store_name, db_session, request):
    """A hit 2 minutes old counts in a 5-minute window, not in a 1-minute one (kills
    `now - window` → `now + window` and dropping the expiry of old hits)."""
    from datetime import timedelta

    from campaign_app.core.ratelimit import RateLimitHit
    from campaign_app.core.time import utcnow

    key = _key()
    if store_name == "database":
        store = DatabaseCounts()
        db_session.add(RateLimitHit(key=key, created_at=utcnow() - timedelta(minutes=2)))
        db_session.flush()
    else:
        import time

        store = request.getfixturevalue("redis_store")
        store.redis.zadd(RedisCounts.PREFIX + key, {"two-minutes-ago": time.time() - 120})
    assert store.count(key, 300) == 1
    assert store.count(key, 60) == 0


def test_the_database_forgets_hits_outside_the_window_and_after_a_day(db_session):
    """Recording a hit removes that key's hits older than the window, and anyone's older
    than a day, so the table stays small; other keys' recent hits stay."""
    from datetime import timedelta

    from sqlalchemy import select

    from campaign_app.core.ratelimit import KEEP_SECONDS, RateLimitHit
    from campaign_app.core.time import utcnow

    key, other = _key(), _key()
    now = utcnow()
    db_session.add_all([
        RateLimitHit(key=key, created_at=now - timedelta(minutes=2)),
        RateLimitHit(key=other, created_at=now - timedelta(minutes=2)),
        RateLimitHit(key=other, created_at=now - timedelta(seconds=KEEP_SECONDS + 60))])
    db_session.flush()
    DatabaseCounts().add(key, 60)
    left = db_session.execute(select(RateLimitHit.key, RateLimitHit.created_at)).all()
    assert sorted(k for k, _ in left) == sorted([key, other])
    assert all(created > now - timedelta(minutes=3) for _, created in left)


def test_a_redis_key_lives_as_long_as_its_window(redis_store):
    """Redis forgets a quiet address: each recorded hit, and each counted request, sets the
    key to expire with its window."""
    key = _key()
    redis_store.add(key, 300)
    assert 290 < redis_store.redis.ttl(RedisCounts.PREFIX + key) <= 300
    other = _key()
    redis_store.hit(other, 5, 120)
    assert 110 < redis_store.redis.ttl(RedisCounts.PREFIX + other) <= 120


def test_a_refused_redis_hit_is_not_counted_but_earlier_ones_stay(redis_store):
    key = _key()
    assert [redis_store.hit(key, 2, 60) for _ in range(4)] == [False, False, True, True]
    assert redis_store.redis.zcard(RedisCounts.PREFIX + key) == 2


def test_clearing_a_key_in_redis_removes_it_and_only_it(redis_store):
    key, other = _key(), _key()
    redis_store.add(key, 60)
    redis_store.add(other, 60)
    redis_store.clear(key)
    assert not redis_store.redis.exists(RedisCounts.PREFIX + key)
    assert redis_store.count(other, 60) == 1


def test_an_unreachable_redis_never_refuses_and_never_raises():
    store = RedisCounts("redis://127.0.0.1:1/0")
    assert store.hit("test-x", 0, 60) is False
    store.clear("test-x")


@pytest.mark.parametrize(("url", "kind"), [
    ("", DatabaseCounts), ("redis://127.0.0.1:6379/0", RedisCounts),
    ("rediss://cache.example.org:6380/0", RedisCounts), ("unix:///run/redis.sock", RedisCounts),
    ("memcached://127.0.0.1", DatabaseCounts)])
def test_the_store_follows_the_storage_url(app, url, kind):
    app.config["RATELIMIT_STORAGE_URL"] = url
    try:
        init_ratelimit(app)
        assert type(app.extensions["alerta_ratelimit"]) is kind
    finally:
        app.config["RATELIMIT_STORAGE_URL"] = ""
        init_ratelimit(app)


def test_limit_keys_hash_the_value_case_and_space_insensitively():
    from campaign_app.core.ratelimit import limit_key

    key = limit_key("login", " Ana@Example.org ")
    assert key == limit_key("login", "ana@example.org")
    assert key.startswith("login:") and "ana" not in key and len(key) == len("login:") + 40
    assert key != limit_key("login", "eve@example.org")


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers: Redis hung, or a network that
    drops replies."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_a_redis_that_never_answers_lets_supporters_through(silent_redis):
    """A hung Redis costs a request half a second, never the request: the limiter gives up on
    its reply and lets it through (kills socket_timeout dropped, which would wait forever,
    and each timeout changed from half a second)."""
    store = RedisCounts(silent_redis)
    kwargs = store.redis.connection_pool.connection_kwargs
    assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (0.5, 0.5)
    assert store.hit("test-x", 0, 60) is False
    assert store.count("test-x", 60) == 0


def test_a_redis_outage_is_logged_with_its_cause(caplog):
    """Each operation that gives up names the outage and its cause in the log, so an operator
    sees why nothing is limited (kills the log calls' message and argument mutants)."""
    store = RedisCounts("redis://127.0.0.1:1/0")
    with caplog.at_level("WARNING", logger="campaign_app.core.ratelimit"):
        store.count("test-x", 60)
        store.add("test-x", 60)
        store.hit("test-x", 1, 60)
        assert store.hit_and_read("test-x", 0, 60, "test-stamp") == (False, None)
        store.bump("test-stamp")
        store.clear("test-x")
    messages = [record.getMessage() for record in caplog.records]
    assert [m.split(":", 1)[0] for m in messages] == [
        "rate limit store unavailable, not limiting",
        "rate limit store unavailable, hit not counted",
        "rate limit store unavailable, not limiting",
        "rate limit store unavailable, not limiting",
        "rate limit store unavailable, stamp test-stamp not bumped",
        "rate limit store unavailable, hits not cleared"]
    assert all("127.0.0.1:1" in m and "Connection refused" in m for m in messages), messages


def test_the_apps_limiter_counts_and_clears_the_key_it_is_given(app, db_session):
    """clear_hits, is_limited and record_hit act on the key they are given in the app's store
    (kills clear_hits(None) and the like)."""
    from campaign_app.core.ratelimit import clear_hits, is_limited, record_hit

    key, other = _key(), _key()
    for name in (key, key, other):
        record_hit(name, 60)
    assert is_limited(key, 2, 60) and not is_limited(other, 2, 60)
    clear_hits(key)
    assert not is_limited(key, 1, 60) and is_limited(other, 1, 60)


@pytest.mark.parametrize("store_name", ["database", "redis"])
def test_hit_and_read_limits_as_hit_and_reads_the_stamp_where_one_is_kept(store_name,
                                                                          db_session, request):
    """hit_and_read counts and refuses exactly as hit, and gives the version stamp read with
    it: in Redis "0" before the stamp's first bump, then the bumped value; the database keeps
    no stamp (None, and bump does nothing). Kills the stamp's mutants in RedisCounts._hit
    (not read, read under another name, another default) and hit_and_read's arguments."""
    store = DatabaseCounts() if store_name == "database" else request.getfixturevalue(
        "redis_store")
    key, stamp = _key(), _key()
    try:
        results = [store.hit_and_read(key, 2, 60, stamp) for _ in range(2)]
        store.bump(stamp)
        results += [store.hit_and_read(key, 2, 60, stamp)]
        assert store.count(key, 60) == 2
    finally:
        if store_name == "redis":
            store.redis.delete(RedisCounts.STAMPS + stamp)
    if store_name == "database":
        assert results == [(False, None), (False, None), (True, None)]
    else:
        assert results == [(False, "0"), (False, "0"), (True, "1")]


def test_the_apps_limiter_reads_and_bumps_the_stamp_it_is_given(redis_app, db_session):
    """hit_and_read and bump_stamp act on the key and stamp they are given in the app's store
    (kills the mutants of the two module-level functions: arguments dropped or None)."""
    from campaign_app.core.ratelimit import bump_stamp, hit_and_read

    store = redis_app.extensions["alerta_ratelimit"]
    key, stamp = _key(), _key()
    try:
        assert hit_and_read(key, 1, 60, stamp) == (False, "0")
        bump_stamp(stamp)
        assert hit_and_read(key, 1, 60, stamp) == (True, "1")
        assert store.redis.ttl(RedisCounts.PREFIX + key) > 50
    finally:
        store.redis.delete(RedisCounts.STAMPS + stamp)
