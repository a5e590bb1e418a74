"""Fixed-window rate limits kept in the shared cache, so they hold across web workers."""

from django.core.cache import cache


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; return False once `limit` attempts were made in the window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def is_blocked(key: str, limit: int) -> bool:
    return (cache.get(f"ratelimit:{key}") or 0) >= limit


def reset(key: str) -> None:
    cache.delete(f"ratelimit:{key}")


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")
