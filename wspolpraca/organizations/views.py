"""The public directory and what an organization's people do with their record."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.core import exports, ratelimit, sections
from wspolpraca.core.caching import public_page
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.core.search import name_hits_first

from . import mapping, services
from .filters import OrganizationFilter, area_ids
from .forms import (
    ClaimForm,
    DecisionForm,
    InvitationForm,
    OrganizationForm,
    TransferAdminForm,
)
from .models import ClaimRequest, Invitation, Membership, Organization

PAGE_SIZE = 25
# The most points the map is sent at once, for the whole filtered set and for one tile.
MAP_POINTS = 300
TILE_POINTS = 60


def _filtered(request):
    return OrganizationFilter(request.GET or None, queryset=Organization.objects.public())


@public_page("directory")
def directory(request):
    filterset = _filtered(request)
    results = filterset.qs.for_listing()
    # A search that names a district is ranked in one query (the district first): it is
    # narrowed to that district and the places it names, so there is little to rank.
    if filterset.ranks_name_hits_first and not filterset.ranked_districts:
        results = name_hits_first(results)
    paginator = CappedPaginator(results, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    template = "organizations/_results.html" if request.htmx else "organizations/directory.html"
    return render(request, template, {"filter": filterset, "page": page})


@public_page("directory")
def directory_map(request):
    return render(request, "organizations/map.html", {"filter": _filtered(request)})


def _district_name(roman, name):
    return f"{roman or ''} {name}".strip() if name else ""


@public_page("directory")
def map_points(request):
    """The filtered set as GeoJSON for the map (see `mapping`).

    Without a tile: the points when there are at most MAP_POINTS, else no features and
    `"tiled": true`, which tells the map to ask per tile. With `z`, `x` and `y`: that
    tile's points, or its clusters when there are more than TILE_POINTS. A point carries
    its public fields and its district and area names for the popup. The queries are the
    same few however many points: a capped count, then the points (with their area ids
    aggregated in SQL) and the areas' names, or the clusters.
    """
    filterset = _filtered(request)
    located = filterset.qs.filter(latitude__isnull=False, longitude__isnull=False).order_by()
    try:
        tile = mapping.Tile.from_query(request.GET)
    except ValueError as error:
        return JsonResponse(error.args[0], status=400)
    if tile is None:
        if located[: MAP_POINTS + 1].count() > MAP_POINTS:
            return _geojson([], tiled=True)
        return _geojson(_point_features(located, filterset.vocabulary))
    located = mapping.in_tile(located, tile)
    if located[: TILE_POINTS + 1].count() > TILE_POINTS:
        return _geojson(mapping.cluster_features(located, tile))
    return _geojson(_point_features(located, filterset.vocabulary))


def _point_features(queryset, vocabulary):
    rows = queryset.values_list(
        "name",
        "slug",
        # Floats straight from the database: converting Decimals costs more than the query.
        Cast("latitude", FloatField()),
        Cast("longitude", FloatField()),
        "district__roman",
        "district__name",
        area_ids(),
    )
    prefix = reverse("organizations:list")
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "name": name,
                "url": f"{prefix}{slug}/",
                "district": _district_name(roman, district) or None,
                "areas": vocabulary.area_names(areas),
            },
        }
        for name, slug, lat, lon, roman, district, areas in rows
    ]


def _geojson(features, **members):
    body = json.dumps(
        {"type": "FeatureCollection", **members, "features": features}, ensure_ascii=False
    )
    return HttpResponse(body, content_type="application/geo+json")


CSV_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("kind", gettext_lazy("Legal form")),
    ("krs", "KRS"),
    ("nip", "NIP"),
    ("regon", "REGON"),
    ("street", gettext_lazy("Street")),
    ("postal_code", gettext_lazy("Postal code")),
    ("city", gettext_lazy("Town")),
    ("district", gettext_lazy("District")),
    ("areas", gettext_lazy("Public benefit areas")),
    ("is_public_benefit", "OPP"),
    ("verified", pgettext_lazy("organization", "Verified")),
    ("website", gettext_lazy("Website")),
    ("email", gettext_lazy("E-mail")),
    ("phone", gettext_lazy("Phone")),
    ("url", gettext_lazy("Page on the platform")),
]
# Downloads per client address and hour. The whole directory streams in seconds, so this
# only stops one client from keeping the workers busy with export after export.
EXPORT_LIMIT, EXPORT_PERIOD = 30, 3600


def export_csv(request):
    """The filtered directory for spreadsheets: CSV with `;` (UTF-8 with BOM), or XLSX
    with ?format=xlsx. Streamed, with cells neutralised (core.exports), area names rather
    than codes, and one query for the rows however many there are."""
    if not ratelimit.hit(
        "directory_export", ratelimit.client_ip(request), EXPORT_LIMIT, EXPORT_PERIOD
    ):
        response = HttpResponse(
            _("Too many downloads from your address. Please try again in an hour."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(EXPORT_PERIOD)
        return response
    filterset = _filtered(request)
    vocabulary = filterset.vocabulary
    # Everything that depends on the language is read now, not while the rows stream.
    header = [str(label) for _key, label in CSV_COLUMNS]
    kinds = {value: str(label) for value, label in Organization.Kind.choices}
    yes, no = _("yes"), _("no")
    vocabulary.area_labels  # noqa: B018 (read now, in the request's language)
    base = request.build_absolute_uri(reverse("organizations:list"))
    verified = Organization.Verification.VERIFIED
    rows = filterset.qs.values_list(
        "name",
        "kind",
        "krs",
        "nip",
        "regon",
        "street",
        "postal_code",
        "city",
        "district__roman",
        "district__name",
        area_ids(),
        "is_public_benefit",
        "verification",
        "website",
        "email",
        "phone",
        "slug",
    )

    def lines():
        for row in rows.iterator(chunk_size=2000):
            (name, kind, krs, nip, regon, street, postal_code, city, roman, district) = row[:10]
            (areas, opp, verification, website, email, phone, slug) = row[10:]
            yield [
                name,
                kinds.get(kind, kind),
                krs or "",
                nip,
                regon,
                street,
                postal_code,
                city,
                _district_name(roman, district),
                ", ".join(vocabulary.area_names(areas)),
                yes if opp else no,
                yes if verification == verified else no,
                website,
                email,
                phone,
                f"{base}{slug}/",
            ]

    filename = f"organizacje-{timezone.localdate():%Y-%m-%d}"
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(f"{filename}.xlsx", header, lines(), _("Organizations"))
    return exports.csv_response(f"{filename}.csv", header, lines())


@public_page("directory", sections.freshness_key("organization"))
def detail(request, slug):
    organization = get_object_or_404(
        Organization.objects.public()
        .select_related("district")
        .prefetch_related("areas", "target_groups"),
        slug=slug,
    )
    user = request.user
    context = {
        "organization": organization,
        "can_edit": user.has_perm("organizations.change_organization_data", organization),
        "is_member": user.is_authenticated and organization.memberships.filter(user=user).exists(),
        # What higher apps add to the page (the grants received, …): core.sections.
        "sections": sections.render("organization", request, organization),
    }
    return render(request, "organizations/detail.html", context)


def _org_for(request, slug, perm):
    organization = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm(perm, organization):
        raise PermissionDenied
    return organization


def _id_param(request, name):
    """A numeric id sent in a form or a link; anything else is a bad request (400)."""
    data = request.POST if request.method == "POST" else request.GET
    value = data.get(name, "")
    if not (value.isascii() and value.isdigit()):
        raise BadRequest(f"{name} must be a number")
    return int(value)


@login_required
def edit(request, slug):
    organization = _org_for(request, slug, "organizations.change_organization_data")
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        was_verified = organization.is_verified
        organization = services.update_organization(organization, form, by=request.user)
        if was_verified and not organization.is_verified:
            messages.warning(
                request,
                _(
                    "The data has been saved. Because the name, legal form or a register "
                    "number changed, the platform team will verify the organization again; "
                    "until then it is shown as unverified."
                ),
            )
        else:
            messages.success(request, _("The organization's data has been saved and confirmed."))
        return redirect(organization)
    return render(request, "organizations/edit.html", {"organization": organization, "form": form})


@login_required
@require_POST
def confirm_data(request, slug):
    organization = _org_for(request, slug, "organizations.change_organization_data")
    services.confirm_data(organization, by=request.user)
    messages.success(request, _("Thank you: the data is marked as current."))
    return redirect(organization)


@login_required
def members(request, slug):
    organization = _org_for(request, slug, "organizations.see_members")
    can_manage = request.user.has_perm("organizations.manage_members", organization)
    can_invite = request.user.has_perm("organizations.invite_member", organization)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invite(
                    organization,
                    form.cleaned_data["email"],
                    form.cleaned_data["role"],
                    by=request.user,
                )
            except services.OrganizationError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, _("The invitation has been sent."))
                return redirect("organizations:members", slug=slug)
    context = {
        "organization": organization,
        "memberships": organization.memberships.select_related("user").order_by(
            "role", "user__email"
        ),
        "invitations": organization.invitations.open() if can_manage else [],
        "claims": organization.claims.filter(status=ClaimRequest.Status.PENDING).select_related(
            "user"
        )
        if can_manage
        else [],
        "can_manage": can_manage,
        "can_invite": can_invite,
        "form": form,
        "decision_form": DecisionForm(),
    }
    return render(request, "organizations/members.html", context)


# Hand over administration, remove a member, leave, cancel an invitation: each asks on a
# page of its own that says what will happen (GET) and acts on the POST it sends.


def _person(user):
    """How a member is named on the confirmation pages: name and address."""
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


def _managed_membership(request, slug):
    organization = _org_for(request, slug, "organizations.manage_members")
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        pk=_id_param(request, "membership"),
        organization=organization,
    )
    return organization, membership


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, slug):
    organization, membership = _managed_membership(request, slug)
    members_url = reverse("organizations:members", args=[slug])
    if request.method == "POST":
        try:
            services.remove_member(membership, by=request.user)
        except services.OrganizationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The member has been removed."))
        return redirect(members_url)
    person = _person(membership.user)
    problem = services.remove_member_problem(membership, by=request.user)
    context = {
        "confirm_title": _("Remove %(person)s from %(name)s?")
        % {"person": person, "name": organization.name},
        "consequences": [
            _("The person stops being a member and can no longer see the members' page."),
            _("Invitations the person sent that are still waiting will be cancelled."),
            _("The removal is recorded in the organization's history."),
            _("The person can join again only with a new invitation."),
        ],
        "confirm_button": _("Remove the member"),
        "cancel_url": members_url,
        "hidden": {"membership": membership.pk},
        "obstacles": [problem] if problem else [],
    }
    return render(request, "core/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_admin(request, slug):
    organization, membership = _managed_membership(request, slug)
    members_url = reverse("organizations:members", args=[slug])
    form = TransferAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_admin(
                organization,
                membership,
                by=request.user,
                stay_admin=form.cleaned_data["stay_admin"],
            )
        except services.OrganizationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(person)s is now an administrator.") % {"person": membership.user}
            )
        return redirect(members_url)
    problem = services.transfer_admin_problem(organization, membership, by=request.user)
    if problem is None and membership.role == Membership.Role.ADMIN:
        problem = _("This person is already an administrator.")
    context = {
        "confirm_title": _("Hand over the administration of %(name)s to %(person)s?")
        % {"name": organization.name, "person": _person(membership.user)},
        "consequences": [
            _(
                "The person becomes an administrator: they can edit the organization's data, "
                "invite and remove members."
            ),
            _(
                "Unless you tick the box below, you become an ordinary member: you can no "
                "longer edit the data or manage members, and the invitations you sent that "
                "are still waiting will be cancelled."
            ),
            _("The change is recorded in the organization's history."),
        ],
        "form": form,
        "confirm_button": _("Hand over administration"),
        "cancel_url": members_url,
        "hidden": {"membership": membership.pk},
        "obstacles": [problem] if problem else [],
    }
    return render(request, "core/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    membership = get_object_or_404(
        Membership.objects.select_related("organization"),
        organization=organization,
        user=request.user,
    )
    if request.method == "POST":
        try:
            services.leave(organization, user=request.user)
        except services.OrganizationError as error:
            messages.error(request, str(error))
            return redirect("organizations:members", slug=slug)
        messages.success(request, _("You have left %(name)s.") % {"name": organization.name})
        return redirect("accounts:profile")
    problem = services.leave_problem(membership)
    consequences = [
        _("You stop being a member and can no longer see the members' page."),
        _("You can join again only with a new invitation or a new request."),
    ]
    if membership.role == Membership.Role.ADMIN:
        consequences.insert(
            1,
            _(
                "You stop being an administrator; the invitations you sent that are still "
                "waiting will be cancelled."
            ),
        )
    context = {
        "confirm_title": _("Leave %(name)s?") % {"name": organization.name},
        "consequences": consequences,
        "confirm_button": _("Leave the organization"),
        "cancel_url": reverse("organizations:members", args=[slug]),
        "obstacles": [problem] if problem else [],
    }
    return render(request, "core/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_invitation(request, slug, pk):
    organization = _org_for(request, slug, "organizations.manage_members")
    invitation = get_object_or_404(Invitation, pk=pk, organization=organization)
    members_url = reverse("organizations:members", args=[slug])
    if request.method == "POST":
        try:
            services.cancel_invitation(invitation, by=request.user)
        except services.OrganizationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The invitation for %(email)s has been cancelled.") % {"email": invitation.email},
            )
        return redirect(members_url)
    context = {
        "confirm_title": _("Cancel the invitation for %(email)s?") % {"email": invitation.email},
        "consequences": [
            _("The link in the invitation e-mail will stop working."),
            _("The cancellation is recorded in the organization's history."),
            _("You can invite the person again later."),
        ],
        "confirm_button": _("Cancel the invitation"),
        "cancel_url": members_url,
        "cancel_label": _("Keep the invitation"),
        "obstacles": []
        if invitation.is_open
        else [_("This invitation can no longer be cancelled.")],
    }
    return render(request, "core/confirm.html", context)


@login_required
def accept_invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organization"), token=token)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, user=request.user)
        except services.OrganizationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": invitation.organization.name}
            )
            return redirect(invitation.organization)
    context = {"invitation": invitation, "problem": services.invitation_problem(invitation)}
    return render(request, "organizations/accept_invitation.html", context)


@login_required
def claim(request, slug):
    organization = get_object_or_404(Organization.objects.public(), slug=slug)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_claim(
                organization, user=request.user, message=form.cleaned_data["message"]
            )
        except services.OrganizationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your request has been sent to the organization's administrators.")
            )
            return redirect(organization)
    return render(request, "organizations/claim.html", {"organization": organization, "form": form})


@login_required
@require_POST
def decide_claim(request, slug, pk):
    claim_request = get_object_or_404(ClaimRequest, pk=pk, organization__slug=slug)
    if not request.user.has_perm("organizations.decide_claim", claim_request.organization):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in {"approve", "reject"}:
        raise BadRequest("decision must be approve or reject")
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.decide_claim(
            claim_request,
            by=request.user,
            approve=decision == "approve",
            reason=form.cleaned_data.get("reason", ""),
        )
    except services.OrganizationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request has been decided."))
    return redirect("organizations:members", slug=slug)
