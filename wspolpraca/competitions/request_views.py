"""The site's pages of requests to the city, for an organization's people.

Any member sees the organization's requests; its administrators file new ones in four
steps that work without JavaScript — the kind (`new`), the kind's questions (`answers`),
check your answers (`check`), the confirmation with the day the answer is due
(`submitted`) — and withdraw a waiting one on a page of its own. What was typed is kept
in the session between the steps, so "Change" on the check page returns to it. The
rules are in `city_requests`; officials answer in the back office.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import Membership, Organization

from . import city_requests
from .city_requests import KIND_BY_SLUG, KINDS, RequestError
from .models import CityRequest, LegalRules
from .request_forms import ChooseKindForm, RequestForm

PAGE_SIZE = 20
ORG_PARAM = "organizacja"
KIND_PARAM = "rodzaj"
DRAFT_KEY = "competitions.city_request_draft"
# Questions every kind asks: answers typed for one kind fill them in when the kind changes.
SHARED_FIELDS = ("department", "title", "description")


def _organizations(user, *, admin_only=False):
    found = Organization.objects.filter(memberships__user=user)
    if admin_only:
        found = found.filter(memberships__role=Membership.Role.ADMIN)
    return list(found.order_by("name", "pk"))


def _chosen(request, organizations):
    """The organization named by ?organizacja=, the only one there is, or None (the page
    then asks which). A name the person is not a member of is not found."""
    slug = request.GET.get(ORG_PARAM, "")
    if slug:
        for organization in organizations:
            if organization.slug == slug:
                return organization
        raise Http404
    return organizations[0] if len(organizations) == 1 else None


def _visible_request(request, pk):
    """A request the person may see; anyone else is told it does not exist."""
    city_request = get_object_or_404(
        CityRequest.objects.select_related("organization", "department").prefetch_related("areas"),
        pk=pk,
    )
    if not request.user.has_perm("competitions.see_city_request", city_request):
        raise Http404
    return city_request


def _not_allowed(request, organizations):
    """Why the person cannot file a request: not an administrator, or in no organization."""
    return render(
        request,
        "competitions/requests/not_allowed.html",
        {"organizations": organizations},
        status=403,
    )


@login_required
def request_list(request):
    organizations = _organizations(request.user)
    organization = _chosen(request, organizations)
    context = {"organizations": organizations, "organization": organization, "page": None}
    if organization is not None:
        found = organization.city_requests.select_related("department").order_by(
            "-submitted_at", "-id"
        )
        paginator = CappedPaginator(found, PAGE_SIZE)
        context["page"] = paginator.get_page(request.GET.get("page"))
        context["can_file"] = request.user.has_perm("competitions.file_city_request", organization)
    return render(request, "competitions/requests/list.html", context)


# Filing a request.


def _draft(request):
    return request.session.get(DRAFT_KEY) or {}


def _save_draft(request, **changes):
    request.session[DRAFT_KEY] = {**_draft(request), **changes}


def _draft_organization(request, draft):
    """The draft's organization, while the person still administers it."""
    for organization in _organizations(request.user, admin_only=True):
        if organization.pk == draft.get("organization"):
            return organization
    return None


def _typed(post):
    """What a person typed, kept as lists of strings so that it binds the form again."""
    return {name: post.getlist(name) for name in post if name != "csrfmiddlewaretoken"}


def _as_query_dict(typed):
    data = QueryDict(mutable=True)
    for name, values in (typed or {}).items():
        data.setlist(name, values)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """Step 1: what to ask for (and, for a person who administers several organizations,
    for which one)."""
    organizations = _organizations(request.user, admin_only=True)
    if not organizations:
        return _not_allowed(request, _organizations(request.user))
    draft = _draft(request)
    initial = {"kind": draft.get("kind") or request.GET.get(KIND_PARAM)}
    named = request.GET.get(ORG_PARAM)
    for organization in organizations:
        if organization.pk == draft.get("organization") or organization.slug == named:
            initial["organization"] = organization.slug
    form = ChooseKindForm(
        request.POST or None,
        initial=initial,
        organizations=organizations,
        legal_rules=LegalRules.current(),
    )
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data.get("organization") or organizations[0]
        kind = form.cleaned_data["kind"]
        if draft.get("organization") != organization.pk:
            draft = {}
        _save_draft(request, organization=organization.pk, kind=kind, data=draft.get("data", {}))
        return redirect("city_requests:answers", kind=KINDS[kind].slug)
    return render(request, "competitions/requests/new.html", {"form": form})


def _draft_for_kind(request, kind_slug):
    """The draft's organization and kind for step 2 and 3, or None when step 1 has to be
    taken (again)."""
    info = KIND_BY_SLUG.get(kind_slug)
    if info is None:
        raise Http404
    draft = _draft(request)
    organization = _draft_organization(request, draft)
    if organization is None or draft.get("kind") != info.kind:
        return None, info, draft
    return organization, info, draft


@login_required
@require_http_methods(["GET", "POST"])
def answers(request, kind):
    """Step 2: the kind's questions. Shown again with what was typed when the check page's
    "Change" links back here."""
    organization, info, draft = _draft_for_kind(request, kind)
    if organization is None:
        return redirect(reverse("city_requests:new") + f"?{KIND_PARAM}={info.kind}")
    if request.method == "POST":
        form = RequestForm(request.POST, kind=info.kind)
        if form.is_valid():
            _save_draft(request, data=_typed(request.POST), data_kind=info.kind)
            return redirect("city_requests:check")
    elif draft.get("data") and draft.get("data_kind") == info.kind:
        form = RequestForm(_as_query_dict(draft["data"]), kind=info.kind)
    else:
        # Answers typed for another kind fill the questions all kinds ask, unchecked.
        typed = draft.get("data") or {}
        initial = {name: typed[name][0] for name in SHARED_FIELDS if typed.get(name)}
        if typed.get("areas"):
            initial["areas"] = typed["areas"]
        form = RequestForm(kind=info.kind, initial=initial)
    context = {
        "form": form,
        "organization": organization,
        "kind": info,
        "kind_label": CityRequest.Kind(info.kind).label,
        "answer_term": city_requests.answer_term(info.kind),
    }
    return render(request, "competitions/requests/answers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    """Step 3: check your answers, each with a "Change" link; the button files it."""
    draft = _draft(request)
    organization = _draft_organization(request, draft)
    if organization is None or draft.get("kind") not in KINDS:
        return redirect("city_requests:new")
    info = KINDS[draft["kind"]]
    form = RequestForm(_as_query_dict(draft.get("data")), kind=info.kind)
    if draft.get("data_kind") != info.kind or not form.is_valid():
        return redirect("city_requests:answers", kind=info.slug)
    problem = None
    if request.method == "POST":
        try:
            city_request = city_requests.submit_request(
                organization, by=request.user, kind=info.kind, data=form.cleaned_data
            )
        except RequestError as error:
            problem = error.message
        else:
            request.session.pop(DRAFT_KEY, None)
            return redirect("city_requests:submitted", pk=city_request.pk)
    context = {
        "organization": organization,
        "kind": info,
        "kind_label": CityRequest.Kind(info.kind).label,
        "answers": form.answers(),
        "change_url": reverse("city_requests:answers", kwargs={"kind": info.slug}),
        "answer_term": city_requests.answer_term(info.kind),
        "problem": problem,
    }
    return render(request, "competitions/requests/check.html", context)


@login_required
def submitted(request, pk):
    """Step 4: the confirmation, with the request's number and the day the answer is due."""
    city_request = _visible_request(request, pk)
    return render(request, "competitions/requests/submitted.html", {"city_request": city_request})


# A filed request.


@login_required
def detail(request, pk):
    city_request = _visible_request(request, pk)
    context = {
        "city_request": city_request,
        "can_withdraw": city_requests.withdrawal_problem(city_request, request.user) is None,
        "is_member": city_request.organization.memberships.filter(user=request.user).exists(),
    }
    return render(request, "competitions/requests/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    city_request = _visible_request(request, pk)
    detail_url = reverse("city_requests:detail", args=[pk])
    if request.method == "POST":
        try:
            city_requests.withdraw_request(city_request, by=request.user)
        except RequestError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The request has been withdrawn."))
        return redirect(detail_url)
    problem = city_requests.withdrawal_problem(city_request, request.user)
    context = {
        "confirm_title": _("Withdraw the request “%(title)s”?") % {"title": city_request.title},
        "consequences": [
            _("The department will no longer consider it, and it will not be answered."),
            _("The department's officials are told by e-mail."),
            _("The withdrawal is recorded; the request stays in your list as withdrawn."),
            _("To ask again, file a new request."),
        ],
        "confirm_button": _("Withdraw the request"),
        "cancel_url": detail_url,
        "cancel_label": _("Keep the request"),
        "obstacles": [problem] if problem else [],
    }
    return render(request, "core/confirm.html", context)
