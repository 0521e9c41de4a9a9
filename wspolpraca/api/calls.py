"""The published calls in the API: /api/v1/calls/ and /api/v1/calls/<id>/."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wspolpraca.competitions.filters import PlannedCallFilter, in_phase
from wspolpraca.competitions.models import Call, Criterion, FundingMode

from .filters import OneValueEachMixin
from .grants import ResultSerializer, call_results
from .schedule import _department_choices
from .serializers import BlankAsNullMixin, DepartmentSerializer

STATES = [
    (Call.Phase.UPCOMING.value, _("published; offers not yet taken")),
    (Call.Phase.OPEN.value, _("taking offers")),
    (Call.Phase.EVALUATION.value, _("deadline passed; offers being evaluated")),
    (Call.Phase.DECIDED.value, _("results published")),
    (Call.Phase.ANNULLED.value, _("annulled")),
]


class ApiCallFilter(OneValueEachMixin, PlannedCallFilter):
    """The calls' page's department, area and mode (the schedule's filters), with the
    phase as `state`. Every value is checked before the database sees it."""

    state = django_filters.ChoiceFilter(
        label=_("Phase of the call, by the server's clock."),
        choices=STATES,
        method="filter_state",
    )
    department = django_filters.ChoiceFilter(
        field_name="department_id", choices=_department_choices, label=_("Department (its id).")
    )

    class Meta:
        model = Call
        fields = ["state", "department", "area", "mode"]

    def filter_state(self, queryset, name, value):
        return in_phase(queryset, value)


def public_calls():
    """Every call but drafts, newest deadline first (the order of the calls' page)."""
    return (
        Call.objects.public()
        .select_related("department")
        .prefetch_related("areas", "criteria")
        .order_by("-deadline", "id")
    )


class CriterionSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    # A string with its values described, not an enum: another choice set under the name
    # "kind" would make drf-spectacular rename the organizations' KindEnum, unless
    # ENUM_NAME_OVERRIDES in SPECTACULAR_SETTINGS names both.
    kind = serializers.CharField(
        help_text=_(
            "Kind of criterion: statutory (named by art. 15 of the act), own (the city's) or bonus."
        ),
    )
    name = serializers.CharField(help_text=_("The criterion."))
    description = serializers.CharField(allow_null=True, help_text=_("How it is scored."))
    max_points = serializers.IntegerField(help_text=_("The most points it gives."))
    weight = serializers.DecimalField(
        max_digits=4, decimal_places=2, help_text=_("Its weight in the total.")
    )

    class Meta:
        model = Criterion
        fields = ["kind", "name", "description", "max_points", "weight"]
        blank_as_null = ["description"]


def _money(help_text, **kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, help_text=help_text, **kwargs)


def _percent(help_text, **kwargs):
    return serializers.DecimalField(max_digits=5, decimal_places=2, help_text=help_text, **kwargs)


class CallSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A published call, as the calls' list shows it and with what the law requires of
    its announcement in numbers and dates."""

    id = serializers.IntegerField(help_text=_("Identifier of the call."))
    url = serializers.SerializerMethodField(help_text=_("The call's page on this site."))
    title = serializers.CharField(help_text=_("The public task."))
    department = DepartmentSerializer(help_text=_("The department that runs the call."))
    areas = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        read_only=True,
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    funding_mode = serializers.ChoiceField(
        choices=FundingMode.choices,
        help_text=_("support: the grant co-finances the task; entrustment: it finances it."),
    )
    budget = _money(_("Public money for the task in zł."))
    min_grant = _money(_("Smallest grant in zł; null: no minimum."), allow_null=True)
    max_grant = _money(
        _("Largest grant in zł; null: up to the whole amount for the task."), allow_null=True
    )
    min_own_contribution_percent = _percent(
        _("Required own contribution, % of all costs (support mode).")
    )
    admin_cost_cap_percent = _percent(
        _("Administrative costs at most, % of all costs; null: no cap."), allow_null=True
    )
    eligible_kinds = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Legal forms that may apply: values of an organization's kind (foundation, "
            "association, ...; see /api/v1/organizations/)."
        ),
    )
    task_starts = serializers.DateField(help_text=_("The task may start on."))
    task_ends = serializers.DateField(help_text=_("The task must end by."))
    offers_from = serializers.DateTimeField(
        allow_null=True, help_text=_("Offers accepted from; null: from publication.")
    )
    deadline = serializers.DateTimeField(help_text=_("Deadline for offers, to the minute."))
    phase = serializers.ChoiceField(
        choices=STATES, help_text=_("Phase of the call now, by the server's clock.")
    )
    published_bip_on = serializers.DateField(
        allow_null=True, help_text=_("Published in the Public Information Bulletin (BIP) on.")
    )
    published_board_on = serializers.DateField(
        allow_null=True, help_text=_("Put on the office's notice board on.")
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Published on this site at.")
    )
    annulment_reason = serializers.CharField(
        allow_null=True, help_text=_("Why the call was annulled; null unless annulled.")
    )
    criteria = CriterionSerializer(many=True, help_text=_("Evaluation criteria, in order."))

    class Meta:
        model = Call
        fields = [
            "id",
            "url",
            "title",
            "department",
            "areas",
            "funding_mode",
            "budget",
            "min_grant",
            "max_grant",
            "min_own_contribution_percent",
            "admin_cost_cap_percent",
            "eligible_kinds",
            "task_starts",
            "task_ends",
            "offers_from",
            "deadline",
            "phase",
            "published_bip_on",
            "published_board_on",
            "published_at",
            "annulment_reason",
            "criteria",
        ]
        read_only_fields = fields
        blank_as_null = ["annulment_reason"]

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CallDetailSerializer(CallSerializer):
    """A published call with the texts of its announcement."""

    reference = serializers.CharField(
        allow_null=True, help_text=_("The department's case reference.")
    )
    description = serializers.CharField(help_text=_("Kind of task and what it should achieve."))
    award_rules = serializers.CharField(help_text=_("Rules of awarding grants."))
    task_conditions = serializers.CharField(
        help_text=_("Dates and conditions of carrying out the task.")
    )
    selection_procedure = serializers.CharField(
        help_text=_("Procedure and dates of choosing offers.")
    )
    selection_date = serializers.DateField(help_text=_("Offers chosen by."))
    previous_funding = serializers.CharField(
        help_text=_("Tasks of this kind funded this year and last year, with their cost.")
    )
    other_information = serializers.CharField(allow_null=True, help_text=_("Other information."))
    contact = serializers.CharField(allow_null=True, help_text=_("Contact for questions."))
    results = serializers.SerializerMethodField(
        help_text=_(
            "The published results, in rank order: every offer decided on, with its grant "
            "or none. Empty until the results are published."
        )
    )

    class Meta(CallSerializer.Meta):
        fields = [
            *CallSerializer.Meta.fields,
            "reference",
            "description",
            "award_rules",
            "task_conditions",
            "selection_procedure",
            "selection_date",
            "previous_funding",
            "other_information",
            "contact",
            "results",
        ]
        read_only_fields = fields
        blank_as_null = [
            *CallSerializer.Meta.blank_as_null,
            "reference",
            "other_information",
            "contact",
        ]

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, obj):
        return ResultSerializer(call_results(obj), many=True).data
