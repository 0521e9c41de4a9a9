"""The public side of small grants (art. 19a): the offers published for comments, each
offer's page with its comments, and the comment form for signed-in people."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from wspolpraca.competitions.models import LegalRules
from wspolpraca.core.pagination import CappedPaginator

from . import small_grants
from .models import Offer
from .small_grant_forms import CommentForm

PAGE_SIZE = 20
COMMENTS_PAGE_SIZE = 50
NUMBER_MAX_LENGTH = Offer._meta.get_field("number").max_length
# The two lists, in the order of their tabs: (key, URL name, label, queryset function).
TABS = [
    (
        "open",
        "small_grants:list",
        gettext_lazy("Open for comments"),
        small_grants.open_for_comments,
    ),
    (
        "closed",
        "small_grants:after_comments",
        gettext_lazy("After comments"),
        small_grants.after_comments,
    ),
]


def _offer_list(request, key):
    now = timezone.now()
    tabs = [
        {"key": tab_key, "url_name": url_name, "label": label, "rows": rows(now)}
        for tab_key, url_name, label, rows in TABS
    ]
    for tab in tabs:
        tab["count"] = tab["rows"].count()
    current = next(tab for tab in tabs if tab["key"] == key)
    # The tab's count is known already: the paginator need not count the rows again.
    rows = current["rows"].defer("submitted_content", "step_revisions")
    paginator = CappedPaginator(rows, PAGE_SIZE, known_count=current["count"])
    rules = LegalRules.current()
    context = {
        "tabs": tabs,
        "tab": current,
        "page": paginator.get_page(request.GET.get("page")),
        "comment_days": rules.small_grant_comment_days,
        "rules": rules,
    }
    return render(request, "offers/small_grants/list.html", context)


def offer_list(request):
    """Offers within their comment window now."""
    return _offer_list(request, "open")


def offer_list_after_comments(request):
    """Offers whose comment window has passed."""
    return _offer_list(request, "closed")


def _public_offer(number):
    # No number is that long or holds a NUL (which PostgreSQL refuses to compare).
    if len(number) > NUMBER_MAX_LENGTH or "\x00" in number:
        raise Http404("No published small-grant offer has this number.")
    offer = small_grants.public_offers().filter(number=number).first()
    if offer is None:
        raise Http404("No published small-grant offer has this number.")
    return offer


@require_http_methods(["GET", "POST"])
def offer_detail(request, number):
    """The offer as submitted, its comment window and comments; POST adds a comment."""
    offer = _public_offer(number)
    form = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = small_grants.add_comment(
                    offer,
                    request.user,
                    form.cleaned_data["author_name"],
                    form.cleaned_data["text"],
                )
            except small_grants.CommentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your comment has been published."))
                return redirect(f"{small_grants.offer_url(offer)}#uwaga-{comment.pk}")
    elif request.user.is_authenticated:
        form = CommentForm(initial={"author_name": request.user.full_name})
    comments = offer.comments.order_by("created_at", "id")
    page = CappedPaginator(comments, COMMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "offer": offer,
        "sections": small_grants.content_sections(offer),
        "costs": small_grants.cost_summary(offer),
        "phase": small_grants.comment_phase(offer),
        "accepts_comments": small_grants.accepts_comments(offer),
        "comments": page,
        "form": form,
        "comment_days": LegalRules.current().small_grant_comment_days,
    }
    return render(request, "offers/small_grants/detail.html", context)
