"""The rate limiter's two stores: the database (embedded default) and Redis (a cluster)."""

import os
import uuid

import pytest
import redis

from campaign_app.core.ratelimit import DatabaseCounts, RedisCounts, init_ratelimit

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


def test_action_posts_are_limited_across_processes_through_redis(redis_app, client,
                                                                 make_alert, redis_store):
    alert = make_alert()
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
