"""Fixed-window rate limits kept in the shared cache, so they hold across web workers."""

import hashlib

from django.core.cache import cache


def _cache_key(key: str) -> str:
    """A fixed-length key: what was typed (a username, a phone) may be long or hold any character."""
    return "ratelimit:" + hashlib.sha256(key.encode()).hexdigest()


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; return False once `limit` attempts were made in the window."""
    cache_key = _cache_key(key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def is_blocked(key: str, limit: int) -> bool:
    return (cache.get(_cache_key(key)) or 0) >= limit


def reset(key: str) -> None:
    cache.delete(_cache_key(key))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")
