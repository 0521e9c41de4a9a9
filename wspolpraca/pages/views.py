import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language

from wspolpraca.core import markdown
from wspolpraca.core.caching import public_page
from wspolpraca.core.search import fold, name_hits_first
from wspolpraca.core.search import search as search_organizations
from wspolpraca.organizations.filters import Vocabulary
from wspolpraca.organizations.models import Organization, PublicBenefitArea
from wspolpraca.organizations.services import directory_stats

from .models import PLANE_SLUGS, AccessibilityDeclaration, Page

SEARCH_LIMIT = 20


@public_page("directory")
def home(request):
    # Counts kept up to date on every change; the newest few read from their own index.
    stats = directory_stats()
    newest = (
        Organization.objects.filter(
            verification=Organization.Verification.VERIFIED, is_hidden=False
        )
        .select_related("district")
        .order_by("-verified_at", "-created_at")[:5]
    )
    return render(
        request,
        "pages/home.html",
        {
            "organization_count": stats.public_count,
            "verified_count": stats.verified_count,
            "area_count": PublicBenefitArea.objects.current().count(),
            "newest": newest,
        },
    )


def _visible_pages(request):
    """The public sees published pages; staff also preview unpublished ones."""
    if request.user.is_staff:
        return Page.objects.all()
    return Page.objects.published()


@public_page("pages")
def plane(request, slug):
    if slug not in PLANE_SLUGS.values():
        raise Http404
    page = get_object_or_404(_visible_pages(request), slug=slug)
    related = (
        Page.objects.published().filter(plane=page.plane, show_in_plane=True).exclude(pk=page.pk)
    )
    return render(request, "pages/plane.html", {"page": page, "related": related})


@public_page("pages")
def detail(request, slug):
    page = get_object_or_404(_visible_pages(request), slug=slug)
    return render(request, "pages/detail.html", {"page": page})


@public_page("pages")
def accessibility(request):
    declaration = AccessibilityDeclaration.current()
    if declaration is None:
        raise Http404
    context = {
        "declaration": declaration,
        "entity_html": format_html('<span id="a11y-podmiot">{}</span>', declaration.entity_name),
        "url_html": format_html(
            '<a id="a11y-url" href="{}">{}</a>', declaration.site_url, declaration.site_url
        ),
    }
    return render(request, "pages/accessibility.html", context)


def _matching_pages(query):
    suffix = "en" if get_language() == "en" else "pl"
    condition = Q(**{f"title_{suffix}__icontains": query}) | Q(
        **{f"body_{suffix}__icontains": query}
    )
    condition |= (
        Q(summary_pl__icontains=query) if suffix == "pl" else Q(summary_en__icontains=query)
    )
    if suffix == "en":
        # Pages not yet translated are shown in Polish, so search their Polish text too.
        condition |= Q(title_en="") & (Q(title_pl__icontains=query) | Q(body_pl__icontains=query))
    return Page.objects.published().filter(condition)[:SEARCH_LIMIT]


@public_page("directory", "pages")
def search(request):
    # NUL cannot be stored nor searched for in PostgreSQL text; no one types it.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    organizations = pages = []
    if query:
        # The directory's vocabulary: "seniorzy" finds work for older people here too.
        # Name matches first, each part walked in name order and read only to the limit.
        organizations = list(
            name_hits_first(
                search_organizations(
                    Organization.objects.public(), query, aliases=Vocabulary().aliases
                ).select_related("district")
            )[:SEARCH_LIMIT]
        )
        pages = list(_matching_pages(query))
    return render(
        request,
        "pages/search.html",
        {"query": query, "organizations": organizations, "pages": pages, "limit": SEARCH_LIMIT},
    )


# User guides: Markdown files kept with the code in docs/guides/ (written in Polish),
# rendered on the site. Only these names are ever read; the address never names a file.
GUIDES = {
    "oferta": "oferta.md",
    "konkurs": "konkurs.md",
    "komisja": "komisja.md",
    "ocena-i-rozliczenie": "ocena-i-rozliczenie.md",
    "umowa-i-sprawozdania": "umowa-i-sprawozdania.md",
    "konsultacje": "konsultacje.md",
    "udzial-w-konsultacjach": "udzial-w-konsultacjach.md",
    "sale": "sale.md",
    "zarzadzanie-salami": "zarzadzanie-salami.md",
    "gielda": "gielda.md",
    "newsletter": "newsletter.md",
    "wydarzenia": "wydarzenia.md",
    "moderacja-wydarzen": "moderacja-wydarzen.md",
    "biblioteka": "biblioteka.md",
    "strategie": "strategie.md",
    "ankiety": "ankiety.md",
    "ciala-dialogu": "ciala-dialogu.md",
    "szkolenia": "szkolenia.md",
}
# The file's first line, "# Title", is the page's h1, shown outside the rendered body.
_H1 = re.compile(r"\A\s*#[ \t]+(.+?)[ \t]*$", re.MULTILINE)
_H2 = re.compile(r"<h2>(.*?)</h2>", re.DOTALL)


@dataclass(frozen=True)
class Guide:
    title: str
    html: str
    # (anchor, heading text) of each "##" section, for the table of contents.
    contents: tuple


def _guide_path(slug):
    return Path(settings.BASE_DIR) / "docs" / "guides" / GUIDES[slug]


def _with_anchors(body):
    """Give each section heading an id made from its text; return the HTML and the
    table of contents. The HTML is already cleaned, and the ids hold only [a-z0-9-]."""
    contents = []
    used = set()

    def anchor(match):
        text = html.unescape(strip_tags(match.group(1))).strip()
        base = slugify(fold(text)) or "czesc"
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        contents.append((name, text))
        return f'<h2 id="{name}">{match.group(1)}</h2>'

    return _H2.sub(anchor, body), tuple(contents)


@lru_cache(maxsize=16)
def _rendered(path, mtime_ns):
    """The guide at `path` as it was at `mtime_ns`: a changed file has a new mtime, so it
    is read and rendered again; an unchanged one is rendered once per process."""
    text = Path(path).read_text(encoding="utf-8")
    title = ""
    found = _H1.search(text)
    if found:
        title, text = found.group(1), text[found.end() :]
    body, contents = _with_anchors(str(markdown.render(text)))
    return Guide(title=title, html=mark_safe(body), contents=contents)


def guide(request, slug):
    """A user guide (/przewodniki/oferta/, /przewodniki/konkurs/), in Polish in every
    language of the site. Rendered per request: the layout shows who is signed in."""
    if slug not in GUIDES:
        raise Http404
    path = _guide_path(slug)
    try:
        mtime_ns = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise Http404 from None
    return render(request, "pages/guide.html", {"guide": _rendered(str(path), mtime_ns)})
