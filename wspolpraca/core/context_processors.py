from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from wspolpraca.core.templatetags.core_tags import nav_current


@lru_cache(maxsize=4)
def _layout_urls(urlconf):
    """The layout's links that can be marked as current; reversed once per process."""
    names = [
        ("pages:plane", ["polityki"]),
        ("pages:plane", ["zadania-publiczne"]),
        ("pages:plane", ["infrastruktura"]),
        ("organizations:list", []),
        ("city:coordinators", []),
        ("account_login", []),
        ("account_signup", []),
    ]
    return tuple(reverse(name, args=args, urlconf=urlconf) for name, args in names)


def site(request):
    context = {"request": request}
    urls = _layout_urls(getattr(request, "urlconf", None))
    # Which layout link the page marks, and how: the cache key of the layout's navigation
    # (base.html), so that a cached fragment never marks the wrong link.
    marked = ""
    for index, url in enumerate(urls):
        if current := nav_current(context, url):
            marked = f"{index}{current.strip()}"
            break
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CONTACT_PHONE": settings.CONTACT_PHONE,
        "DATA_LICENCE_NAME": settings.DATA_LICENCE_NAME,
        "DATA_LICENCE_URL": settings.DATA_LICENCE_URL,
        "LAYOUT_CACHE_SECONDS": settings.LAYOUT_CACHE_SECONDS,
        "LAYOUT_NAV": marked,
        "LANGUAGE_SWITCH_URL": _language_switch_url(),
    }


@lru_cache(maxsize=1)
def _language_switch_url():
    return reverse("set_language")
