"""The public directory and what an organization's people do with their record."""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wspolpraca.core.search import NameHitsFirst, name_hits_first

from . import services
from .filters import OrganizationFilter
from .forms import ClaimForm, DecisionForm, InvitationForm, OrganizationForm
from .models import ClaimRequest, Invitation, Membership, Organization

PAGE_SIZE = 25
MAP_LIMIT = 5000


class CappedPaginator(Paginator):
    """Counts at most CAP + 1 matches: counting every row of a broad search costs more
    than the page itself, and nobody pages past a thousand results."""

    CAP = 1000

    @cached_property
    def count(self):
        if isinstance(self.object_list, NameHitsFirst):
            return self.object_list.capped_count(self.CAP + 1)
        return self.object_list.order_by()[: self.CAP + 1].count()

    @property
    def is_capped(self):
        return self.count > self.CAP


def _filtered(request):
    return OrganizationFilter(request.GET or None, queryset=Organization.objects.public())


def directory(request):
    filterset = _filtered(request)
    results = filterset.qs.for_listing()
    if filterset.ranks_name_hits_first:
        results = name_hits_first(results)
    paginator = CappedPaginator(results, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    template = "organizations/_results.html" if request.htmx else "organizations/directory.html"
    return render(request, template, {"filter": filterset, "page": page})


def directory_map(request):
    return render(request, "organizations/map.html", {"filter": _filtered(request)})


def map_points(request):
    """The filtered set as GeoJSON for the map; only public fields, capped in size."""
    rows = (
        _filtered(request)
        .qs.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        # Floats straight from the database: converting thousands of Decimals costs more
        # than the query.
        .values_list(
            "name", "slug", Cast("latitude", FloatField()), Cast("longitude", FloatField())
        )[:MAP_LIMIT]
    )
    prefix = reverse("organizations:list")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name, "url": f"{prefix}{slug}/"},
        }
        for name, slug, lat, lon in rows
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/geo+json")


CSV_COLUMNS = [
    ("name", _("Name")),
    ("kind", _("Legal form")),
    ("krs", "KRS"),
    ("nip", "NIP"),
    ("regon", "REGON"),
    ("street", _("Street")),
    ("postal_code", _("Postal code")),
    ("city", _("Town")),
    ("district", _("District")),
    ("areas", _("Areas")),
    ("is_public_benefit", "OPP"),
    ("verified", _("Verified")),
    ("website", _("Website")),
    ("email", _("E-mail")),
    ("phone", _("Phone")),
    ("url", _("Page on the platform")),
]


def export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="organizacje-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # so that spreadsheet programs read the Polish letters right
    writer = csv.writer(response)
    writer.writerow([str(label) for _key, label in CSV_COLUMNS])
    base = request.build_absolute_uri("/")[:-1]
    for org in _filtered(request).qs.for_listing().iterator(chunk_size=2000):
        writer.writerow(
            [
                org.name,
                org.get_kind_display(),
                org.krs or "",
                org.nip,
                org.regon,
                org.street,
                org.postal_code,
                org.city,
                str(org.district or ""),
                "; ".join(a.code for a in org.areas.all()),
                _("yes") if org.is_public_benefit else _("no"),
                _("yes") if org.is_verified else _("no"),
                org.website,
                org.email,
                org.phone,
                base + org.get_absolute_url(),
            ]
        )
    return response


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
    }
    return render(request, "organizations/detail.html", context)


def _org_for(request, slug, perm):
    organization = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm(perm, organization):
        raise PermissionDenied
    return organization


@login_required
def edit(request, slug):
    organization = _org_for(request, slug, "organizations.change_organization_data")
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.update_organization(organization, form, by=request.user)
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
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("organizations.invite_member", organization):
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
        "invitations": organization.invitations.filter(accepted_at__isnull=True)
        if can_manage
        else [],
        "claims": organization.claims.filter(status=ClaimRequest.Status.PENDING).select_related(
            "user"
        )
        if can_manage
        else [],
        "can_manage": can_manage,
        "form": form,
        "decision_form": DecisionForm(),
    }
    return render(request, "organizations/members.html", context)


def _membership_action(request, slug, action):
    organization = get_object_or_404(Organization, slug=slug)
    membership = get_object_or_404(
        Membership, pk=request.POST.get("membership"), organization=organization
    )
    try:
        action(organization, membership)
    except services.OrganizationError as error:
        messages.error(request, str(error))
    return redirect("organizations:members", slug=slug)


@login_required
@require_POST
def remove_member(request, slug):
    def act(organization, membership):
        if not request.user.has_perm("organizations.manage_members", organization):
            raise PermissionDenied
        services.remove_member(membership, by=request.user)
        messages.success(request, _("The member has been removed."))

    return _membership_action(request, slug, act)


@login_required
@require_POST
def transfer_admin(request, slug):
    def act(organization, membership):
        if not request.user.has_perm("organizations.manage_members", organization):
            raise PermissionDenied
        services.transfer_admin(
            organization,
            membership,
            by=request.user,
            stay_admin=bool(request.POST.get("stay_admin")),
        )
        messages.success(
            request, _("%(person)s is now an administrator.") % {"person": membership.user}
        )

    return _membership_action(request, slug, act)


@login_required
@require_POST
def leave(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    try:
        services.leave(organization, user=request.user)
    except services.OrganizationError as error:
        messages.error(request, str(error))
        return redirect("organizations:members", slug=slug)
    messages.success(request, _("You have left %(name)s.") % {"name": organization.name})
    return redirect("accounts:profile")


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
    return render(request, "organizations/accept_invitation.html", {"invitation": invitation})


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
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.decide_claim(
            claim_request,
            by=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=form.cleaned_data.get("reason", ""),
        )
    except services.OrganizationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request has been decided."))
    return redirect("organizations:members", slug=slug)
