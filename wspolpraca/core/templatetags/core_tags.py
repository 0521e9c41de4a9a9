from django import template
from django.http import QueryDict

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
