"""Client addresses and a small rate limiter for the site's own limits.

`client_ip(request)` is the address of the person, not of our reverse proxy: it reads
`X-Forwarded-For` only as far as `TRUSTED_PROXY_COUNT` (setting `ALLAUTH_TRUSTED_PROXY_COUNT`,
environment `TRUSTED_PROXY_COUNT`, 0 by default) says our own proxies wrote it, exactly as
allauth does for its sign-in limits, so the two always agree. With 0 the header is ignored;
with 1 the last entry (the one our proxy appended) is taken, so a client that sends its own
header cannot pose as somebody else.

`hit(scope, key, limit, period_seconds)` counts one attempt in a fixed window of
`period_seconds` and says whether it is still allowed (at most `limit` per window)::

    if not ratelimit.hit("krs_lookup", f"user:{request.user.pk}", 20, 3600):
        form.add_error("krs", _("Too many look-ups..."))

Counters live in the default cache (shared when REDIS_URL is set; per process otherwise).
With `RATE_LIMITS_ENABLED = False` (the default under pytest) every hit is allowed; a test
that checks a limit sets it to True (see the `rate_limits` fixture in conftest.py).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


def client_ip(request):
    """The client's address, as allauth reads it; REMOTE_ADDR if the proxy header is short.

    A request that reached us with fewer X-Forwarded-For entries than trusted proxies did
    not come through all of them; its direct peer address is then the honest answer.
    """
    from allauth.core.internal.httpkit import clean_client_ip, get_client_ip

    try:
        ip = get_client_ip(request)
    except ImproperlyConfigured:
        ip = None
    if not ip:
        remote = request.META.get("REMOTE_ADDR")
        ip = clean_client_ip(remote) if remote else None
    return ip or "unknown"


def hit(scope: str, key: str, limit: int, period_seconds: int) -> bool:
    """Count one attempt of `key` in `scope`; True while at most `limit` per window."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return True
    window = int(time.time() // period_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"wspolpraca:rl:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=period_seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds + 1)
        count = 1
    return count <= limit
