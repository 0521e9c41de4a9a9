from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.utils.translation import get_language

from wspolpraca.core.caching import public_page
from wspolpraca.core.search import name_hits_first
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
