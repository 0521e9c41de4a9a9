"""The filters of the schedule page (and of its CSV and iCal feed): in the URL, shareable."""

import django_filters
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import PublicBenefitArea

from .models import FundingMode, PlannedCall


class PlannedCallFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.all(),
        empty_label=_("all departments"),
        widget=PlainSelect,
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Public benefit area"),
        field_name="areas",
        to_field_name="code",
        queryset=PublicBenefitArea.objects.current(),
        empty_label=_("all areas"),
        widget=PlainSelect,
    )
    mode = django_filters.ChoiceFilter(
        label=_("Funding mode"),
        field_name="funding_mode",
        choices=FundingMode.choices,
        empty_label=_("both modes"),
        widget=PlainSelect,
    )

    class Meta:
        model = PlannedCall
        fields = ["department", "area", "mode"]
