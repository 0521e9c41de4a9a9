from django import template
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from wspolpraca.core import markdown

register = template.Library()


@register.filter
def render_markdown(text):
    return markdown.render(text)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced; keeps filters in links."""
    params = context["request"].GET.copy() if "request" in context else QueryDict(mutable=True)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def nav_current(context, url):
    """aria-current for a navigation link: "page" on the page itself, "true" inside its section.

    The section is the URL's path prefix, so the directory's link stays marked on an
    organization's page. The home page ("/") is only ever marked on itself.
    """
    request = context.get("request")
    if request is None:
        return ""
    path = request.path
    if path == url:
        return mark_safe(' aria-current="page"')
    if url != "/" and path.startswith(url):
        return mark_safe(' aria-current="true"')
    return ""


@register.simple_tag(takes_context=True)
def active_filter_count(context, form, ignore="q sort"):
    """How many of a filter form's fields are set in the request (the "Filtry (n)" count).

    `ignore` names, separated by spaces, the fields that are not counted: the search box
    stays outside the fold and the order is not a filter.
    """
    request = context.get("request")
    if request is None:
        return 0
    ignored = set(ignore.split())
    names = [name for name in form.fields if name not in ignored]
    return sum(1 for name in names if request.GET.get(name, "").strip())


@register.filter
def money(value):
    """An amount as people read it: "1 234,56 zł" in Polish (grouped, two decimals)."""
    if value in (None, ""):
        return ""
    return f"{number_format(value, decimal_pos=2, force_grouping=True)}\xa0zł"
