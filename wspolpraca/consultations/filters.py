"""The filters of the consultations' list and of the postulate tracker, shared by the
pages, the CSV export and the API. Every filter is a URL parameter, so a filtered list can
be shared and works without JavaScript."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department
from wspolpraca.core.search import search
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import District, PublicBenefitArea

from .models import Consultation, TrackedPostulate


def _areas(request):
    return PublicBenefitArea.objects.current()


class TrackedPostulateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    plane = django_filters.ChoiceFilter(
        label=_("Plane"),
        choices=TrackedPostulate.Plane.choices,
        empty_label=_("all planes"),
        widget=PlainSelect,
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"),
        choices=TrackedPostulate.Sector.choices,
        empty_label=_("all sectors"),
        widget=PlainSelect,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.all(),
        to_field_name="short_name",
        empty_label=_("all departments"),
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=TrackedPostulate.Status.choices,
        empty_label=_("all statuses"),
        widget=PlainSelect,
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Public benefit area"),
        queryset=_areas,
        field_name="areas",
        to_field_name="code",
        empty_label=_("all areas"),
        widget=PlainSelect,
    )

    class Meta:
        model = TrackedPostulate
        fields = ["q", "plane", "sector", "department", "status", "area"]

    def filter_search(self, queryset, name, value):
        # The tracker keeps its order (by code) when searched: nothing to rank, and the
        # page is read along the index of codes.
        return search(queryset, value, rank_names=False)


class ConsultationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    phase = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=[
            ("upcoming", _("announced, not open yet")),
            ("open", _("open for postulates")),
            ("closed", _("closed")),
        ],
        empty_label=_("all stages"),
        widget=PlainSelect,
        method="filter_phase",
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Public benefit area"),
        queryset=_areas,
        field_name="areas",
        to_field_name="code",
        empty_label=_("all areas"),
        widget=PlainSelect,
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="number",
        empty_label=_("all districts"),
        widget=PlainSelect,
        field_name="districts",
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.all(),
        to_field_name="short_name",
        empty_label=_("all departments"),
        widget=PlainSelect,
    )

    class Meta:
        model = Consultation
        fields = ["q", "phase", "area", "district", "department"]

    def filter_search(self, queryset, name, value):
        words = value.split()[:8]
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(summary__icontains=word)
        return queryset.filter(condition)

    def filter_phase(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            return queryset.filter(opens_on__gt=today)
        if value == "open":
            return queryset.filter(opens_on__lte=today, closes_on__gte=today)
        if value == "closed":
            return queryset.filter(closes_on__lt=today)
        return queryset
