"""The Redis cache the app servers share (tracker.pagecache.backends) behaves as Django's, with less work per call."""

import os
import secrets

import pytest

from tracker.pagecache.backends import RedisCache


@pytest.fixture
def redis_cache():
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip(f"needs Redis at {url} (TEST_REDIS_URL)")
    cache = RedisCache(url, {"KEY_PREFIX": f"backend-test-{secrets.token_hex(4)}"})
    yield cache
    cache.delete_many([f"pv:{number}" for number in range(500)] + ["piece", "a key with spaces"])


def test_values_written_are_read_back_one_at_a_time_and_many_at_once(redis_cache):
    redis_cache.set_many({f"pv:{number}": f"v{number}" for number in range(500)}, None)
    assert redis_cache.get("pv:7") == "v7"
    assert redis_cache.get_many([f"pv:{number}" for number in range(500)]) == {
        f"pv:{number}": f"v{number}" for number in range(500)
    }
    assert redis_cache.add("pv:7", "other") is False
    redis_cache.set("piece", {"html": "<p>cached</p>"})
    assert redis_cache.get("piece") == {"html": "<p>cached</p>"}
    redis_cache.delete("piece")
    assert redis_cache.get("piece") is None


def test_any_key_redis_takes_is_taken_without_memcached_warnings(redis_cache, recwarn):
    redis_cache.set("a key with spaces", 1)
    assert redis_cache.get("a key with spaces") == 1
    assert not recwarn.list


def test_calls_share_one_client_instead_of_building_one_each(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is redis_cache._cache.get_client(write=True)
