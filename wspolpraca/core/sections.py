"""Sections that higher apps add to a lower app's page, without the lower app importing them.

An organization's public page belongs to `organizations`, yet it shows the grants the
organization received, which `agreements` knows. The higher app registers a *section*
once, in its AppConfig.ready()::

    from wspolpraca.core import sections

    sections.register("organization", grants_section)

where `grants_section(request, organization)` returns the section's HTML (a rendered
template) or "" when it has nothing to show. The page's view asks
`sections.render("organization", request, organization)` and loops over the result in its
template; each section makes its own few queries, whatever its data holds.

Pages that are cached for visitors (`core.caching.public_page`) add `freshness_key(page)`
to their keys, and an app whose section's data changed calls `changed(page)`, so a cached
page is never older than its sections.
"""

from django.utils.safestring import mark_safe

_sections = {}


def register(page, section):
    """Add `section(request, obj)` to `page` (once; sections render in the order added)."""
    found = _sections.setdefault(page, [])
    if section not in found:
        found.append(section)


def unregister(page, section):
    found = _sections.get(page, [])
    if section in found:
        found.remove(section)


def render(page, request, obj):
    """The HTML of each section of `page` about `obj` that has something to show."""
    rendered = []
    for section in _sections.get(page, ()):
        html = section(request, obj)
        if html and str(html).strip():
            rendered.append(mark_safe(html))  # noqa: S308  (a rendered, escaped template)
    return rendered


def freshness_key(page):
    """The `core.caching` key under which the sections of `page` change."""
    return f"sections:{page}"


def changed(page):
    """Tell cached copies of `page` that one of its sections' data changed."""
    from .caching import touch

    touch(freshness_key(page))
