"""The filters of the public lists of the public tasks, in the URL and shareable: the
schedule page (and its CSV and iCal feed) and the calls' list (and the API's calls)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import Department
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import PublicBenefitArea

from .models import Call, FundingMode, PlannedCall


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


def in_phase(calls, phase, now=None):
    """The calls a visitor sees in `phase` (a `Call.Phase` value) at `now`.

    Results and annulments are apart here (the API's `state`); the page's tab of decided
    calls shows both (`Call.objects.decided()`).
    """
    now = now or timezone.now()
    match phase:
        case Call.Phase.UPCOMING:
            return calls.upcoming(now)
        case Call.Phase.OPEN:
            return calls.open(now)
        case Call.Phase.EVALUATION:
            return calls.in_evaluation(now)
        case Call.Phase.DECIDED:
            return calls.filter(status=Call.Status.DECIDED)
        case Call.Phase.ANNULLED:
            return calls.filter(status=Call.Status.ANNULLED)
    raise ValueError(f"not a public phase: {phase!r}")


class CallFilter(PlannedCallFilter):
    """The calls' list: the schedule's department, area and mode, a word of the title and
    the range of the money for the task."""

    q = django_filters.CharFilter(
        label=_("Words in the title"), field_name="title", lookup_expr="icontains"
    )
    budget_min = django_filters.NumberFilter(
        label=_("Money for the task, from (zł)"),
        field_name="budget",
        lookup_expr="gte",
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    budget_max = django_filters.NumberFilter(
        label=_("Money for the task, up to (zł)"),
        field_name="budget",
        lookup_expr="lte",
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    class Meta:
        model = Call
        fields = ["q", "department", "area", "mode", "budget_min", "budget_max"]
