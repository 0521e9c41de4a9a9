"""Public pages that everyone sees alike, served from a cache until their data changes.

A view decorated with `public_page("directory")` is, for visitors who are not signed in,
rendered once per URL, language and version of its data, and then served from the cache
(settings.PAGE_CACHE). The version is when the data last changed (`Freshness`, touched by
signals on every change), read in one query per request: a cached page is never older than
its data. The responses tell browsers and proxies that they may keep them for a while
(Cache-Control), when they last changed (Last-Modified), and answer If-Modified-Since with
304 without rendering anything; ETags and If-None-Match are ConditionalGetMiddleware's.

Signed-in people get their page rendered each time, marked private: it may show their own
links and forms.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from .models import Freshness

# Headers a view sets itself (e.g. the API's Link to the licence) are kept with the page.
_HEADERS_KEPT = ("Content-Type", "Link", "Content-Disposition", "Content-Language", "ETag")


def touch(*keys):
    """Mark the content under `keys` as changed now (called from signal receivers)."""
    now = timezone.now()
    for key in keys:
        if not Freshness.objects.filter(key=key).update(changed_at=now):
            Freshness.objects.update_or_create(key=key, defaults={"changed_at": now})


def last_changed(*keys):
    """When the content under `keys` last changed (each made now if never recorded)."""
    stamps = dict(Freshness.objects.filter(key__in=keys).values_list("key", "changed_at"))
    for key in set(keys) - set(stamps):
        stamps[key] = Freshness.objects.get_or_create(key=key)[0].changed_at
    return max(stamps.values())


def _shared(request):
    """Whether the request may get the page everyone gets: not signed in, and no message
    waiting to be shown to this visitor."""
    if request.method not in ("GET", "HEAD"):
        return False
    if "messages" in request.COOKIES:
        return False
    return not request.user.is_authenticated


def _cache_key(request, keys, changed):
    parts = [
        ",".join(keys),
        changed.isoformat(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _not_modified(request, changed):
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(changed.timestamp()) <= since


def public_page(*keys):
    """Serve the view's anonymous responses from the cache while the data under `keys` is
    unchanged."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _shared(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ("Cookie",))
                return response
            changed = last_changed(*keys)
            if _not_modified(request, changed):
                response = HttpResponseNotModified()
            else:
                response = _cached_response(request, keys, changed, view, args, kwargs)
            if response.status_code in (200, 304):
                response["Last-Modified"] = http_date(changed.timestamp())
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            patch_vary_headers(response, ("Cookie", "HX-Request"))
            return response

        return wrapped

    return decorator


def _cached_response(request, keys, changed, view, args, kwargs):
    if settings.PAGE_CACHE_SECONDS <= 0:  # turned off: every request renders the page
        return _rendered(view(request, *args, **kwargs))
    cache = caches[settings.PAGE_CACHE]
    cache_key = _cache_key(request, keys, changed)
    stored = cache.get(cache_key)
    if stored is not None:
        content, headers = stored
        response = HttpResponse(content)  # its ETag is among the headers kept
        for name, value in headers:
            response[name] = value
        return response
    response = _rendered(view(request, *args, **kwargs))
    # Only a plain, complete page is kept: never one that streams, sets a cookie or holds
    # a CSRF token (its cookie is set later, by the middleware) or changed the session.
    session = getattr(request, "session", None)
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    ):
        set_response_etag(response)  # once here, not on every request served from the cache
        headers = [(name, response[name]) for name in _HEADERS_KEPT if response.has_header(name)]
        cache.set(cache_key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
    return response


def _rendered(response):
    """A TemplateResponse or an API response, rendered now so that it can be stored."""
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response
