"""The published schedules of calls in the API: /api/v1/schedule/."""

import django_filters
from django import forms
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department
from wspolpraca.competitions.models import FundingMode, PlannedCall
from wspolpraca.organizations.models import PublicBenefitArea

from .filters import OneValueEachMixin


def _department_choices():
    try:
        return [(str(pk), str(pk)) for pk in Department.objects.values_list("pk", flat=True)]
    except DatabaseError:  # the system checks build the schema before `migrate`
        return []


def _area_choices():
    try:
        codes = PublicBenefitArea.objects.current().values_list("code", flat=True)
        return [(code, code) for code in codes]
    except DatabaseError:
        return []


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ScheduleFilter(OneValueEachMixin, django_filters.FilterSet):
    """Every value is checked against a list or a range before the database sees it, so a
    wrong one is a 400 naming the parameter, never a database error."""

    year = WholeNumberFilter(
        field_name="schedule__year",
        min_value=2000,
        max_value=2100,
        label=_("Year of the schedule."),
    )
    department = django_filters.ChoiceFilter(
        field_name="department_id", choices=_department_choices, label=_("Department (its id).")
    )
    area = django_filters.ChoiceFilter(
        field_name="areas__code", choices=_area_choices, label=_("Public benefit area (its code).")
    )
    mode = django_filters.ChoiceFilter(
        field_name="funding_mode", choices=FundingMode.choices, label=_("Funding mode.")
    )

    class Meta:
        model = PlannedCall
        fields = ["year", "department", "area", "mode"]


def published_planned_calls():
    """The planned calls of published schedules, in the order of the schedule's page."""
    return (
        PlannedCall.objects.filter(schedule__published_at__isnull=False)
        .select_related("schedule", "department")
        .prefetch_related("areas")
        .order_by("schedule__year", "planned_announcement", "title", "id")
    )
