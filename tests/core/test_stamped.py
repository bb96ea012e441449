"""The per-process cache behind the kept alerts and the stored alert pages."""

from campaign_app.core.stamped import StampedCache


def test_a_value_is_handed_out_only_under_the_stamp_it_was_kept_with():
    cache = StampedCache(size=4)
    cache.put("alert", "v1", "page at v1")
    assert cache.get("alert", "v1") == "page at v1"
    assert cache.get("alert", "v2") is None  # staff saved: the old page is never served
    assert cache.get("other", "v1") is None


def test_a_new_stamp_replaces_the_old_value_and_the_same_stamp_keeps_it():
    cache = StampedCache(size=4)
    first = cache.get_or_put("alert", "v1", dict)
    first["en"] = "page"
    assert cache.get_or_put("alert", "v1", dict) is first
    second = cache.get_or_put("alert", "v2", dict)
    assert second == {} and second is not first
    assert cache.get("alert", "v1") is None


def test_the_least_recently_used_key_goes_first_when_full():
    cache = StampedCache(size=2)
    cache.put("a", "s", 1)
    cache.put("b", "s", 2)
    assert cache.get("a", "s") == 1  # a is now the most recently used
    cache.put("c", "s", 3)
    assert cache.get("b", "s") is None
    assert (cache.get("a", "s"), cache.get("c", "s")) == (1, 3)
