"""The published schedules of calls in the API: /api/v1/schedule/."""

import django_filters
from django import forms
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department
from wspolpraca.competitions.filters import PlannedCallFilter
from wspolpraca.competitions.models import PlannedCall

from .filters import OneValueEachMixin


def _department_choices():
    try:
        return [(str(pk), str(pk)) for pk in Department.objects.values_list("pk", flat=True)]
    except DatabaseError:  # the system checks build the schema before `migrate`
        return []


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ScheduleFilter(OneValueEachMixin, PlannedCallFilter):
    """The schedule page's filters, with the year, and the department checked against the
    list of ids (a number too large for the column would be a database error, not a 400).
    Every value is checked before the database sees it."""

    year = WholeNumberFilter(
        field_name="schedule__year",
        min_value=2000,
        max_value=2100,
        label=_("Year of the schedule."),
    )
    department = django_filters.ChoiceFilter(
        field_name="department_id", choices=_department_choices, label=_("Department (its id).")
    )

    class Meta(PlannedCallFilter.Meta):
        fields = ["year", "department", "area", "mode"]


def published_planned_calls():
    """The planned calls of published schedules, in the order of the schedule's page."""
    return (
        PlannedCall.objects.filter(schedule__published_at__isnull=False)
        .select_related("schedule", "department")
        .prefetch_related("areas")
        .order_by("schedule__year", "planned_announcement", "title", "id")
    )
