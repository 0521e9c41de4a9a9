"""The directory's filters, shared by the pages, the CSV export, the map and the API."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .models import District, Organization, PublicBenefitArea


class OrganizationFilter(django_filters.FilterSet):
    SORTS = {
        "name": (_("name A–Z"), ["sort_name", "id"]),
        "-name": (_("name Z–A"), ["-sort_name", "-id"]),
        "-created": (_("newest on the platform"), ["-created_at", "-id"]),
        "-registered": (
            _("most recently registered"),
            [F("registration_date").desc(nulls_last=True), "-id"],
        ),
    }

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    area = django_filters.ModelChoiceFilter(
        label=_("Public benefit area"),
        # A callable, so that "current" is judged on the day of the request.
        queryset=lambda request: PublicBenefitArea.objects.current(),
        field_name="areas",
        to_field_name="code",
        empty_label=_("all areas"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="number",
        empty_label=_("all districts"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=Organization.Kind.choices, empty_label=_("all forms")
    )
    opp = django_filters.BooleanFilter(
        label=_("Public benefit status (OPP)"),
        field_name="is_public_benefit",
        widget=forms.Select(
            choices=[("", _("any")), ("true", _("OPP only")), ("false", _("without OPP"))]
        ),
    )
    verified = django_filters.BooleanFilter(
        label=_("Verification"),
        method="filter_verified",
        widget=forms.Select(
            choices=[("", _("any")), ("true", _("verified only")), ("false", _("not yet verified"))]
        ),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="filter_sort",
        empty_label=_("relevance or name"),
    )

    class Meta:
        model = Organization
        fields = ["q", "area", "district", "kind", "opp", "verified", "sort"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_verified(self, queryset, name, value):
        verified = Organization.Verification.VERIFIED
        return (
            queryset.filter(verification=verified)
            if value
            else queryset.exclude(verification=verified)
        )

    def filter_sort(self, queryset, name, value):
        return queryset  # applied in `qs` so that it comes after the search annotation

    @property
    def ranks_name_hits_first(self):
        """True when the results are a search in its natural order (no sort chosen)."""
        if not self.form.is_valid():
            return False
        data = self.form.cleaned_data
        return bool((data.get("q") or "").strip()) and data.get("sort") not in self.SORTS

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        if sort in self.SORTS:
            return queryset.order_by(*self.SORTS[sort][1])
        if self.ranks_name_hits_first:
            # Name matches first, then the rest, each by name: the same on both databases.
            return queryset.order_by("-name_hit", "sort_name", "id")
        return queryset.order_by("sort_name", "id")
