"""Strategies and programmes in the API: /api/v1/strategies/ and /api/v1/strategies/<slug>/,
read only, with the filters of the strategies' page and each strategy's indicators (the
baseline, targets and values by year), reports and, for the yearly cooperation
programme, when the report on its execution is due (art. 5a sec. 3 of the public benefit
act).

Only what the strategy's page shows: the monitoring team's members are named, but never
who entered a value.
"""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from wspolpraca.library.strategy_forms import search_strategies
from wspolpraca.library.strategy_models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MonitoringTeamMember,
    Strategy,
    StrategyReport,
)
from wspolpraca.organizations.models import PublicBenefitArea

from .consultations import NamedPagination, _absolute, _listing
from .filters import OneValueEachMixin
from .schedule import _department_choices
from .serializers import BlankAsNullMixin
from .views import FILTER_ERRORS, NO_SUCH_PAGE, ErrorSerializer, LicensedDataMixin

# --- filters ---------------------------------------------------------------------------


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class StrategyFilter(OneValueEachMixin, django_filters.FilterSet):
    """The filters of /strategie/; every value is checked before the database sees it."""

    kind = django_filters.ChoiceFilter(
        choices=Strategy.Kind.choices,
        label=_listing(_("Kind: %(values)s."), Strategy.Kind.choices),
    )
    status = django_filters.ChoiceFilter(
        choices=Strategy.Status.choices,
        field_name="current_status",
        label=_listing(_("Status today: %(values)s."), Strategy.Status.choices),
    )
    department = django_filters.ChoiceFilter(
        field_name="department_id",
        choices=_department_choices,
        label=_("Owner department (its id)."),
    )
    area = django_filters.ModelChoiceFilter(
        field_name="areas",
        to_field_name="code",
        queryset=PublicBenefitArea.objects.all(),
        label=_("Code of a public benefit area (see /api/v1/areas/)."),
    )
    year = YearFilter(
        method="filter_year",
        min_value=1990,
        max_value=2100,
        label=_("In force in this year: its period covers it."),
    )
    q = django_filters.CharFilter(
        method="filter_q", label=_("Words of the title, summary or resolution.")
    )

    class Meta:
        model = Strategy
        fields = ["kind", "status", "department", "area", "year", "q"]

    def filter_year(self, queryset, name, value):
        return queryset.in_force_in(value)

    def filter_q(self, queryset, name, value):
        return search_strategies(queryset, value)


def public_strategies():
    """Every strategy with what its page shows, in a constant number of queries a page."""
    return (
        Strategy.objects.with_status()
        .select_related("department")
        .prefetch_related(
            "areas",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("year")),
                    Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
                ),
            ),
            Prefetch("reports", queryset=StrategyReport.objects.order_by("-year", "-published_on")),
            Prefetch("team", queryset=MonitoringTeamMember.objects.select_related("organization")),
        )
        .order_by("-year_to", "title", "pk")
        .distinct()
    )


# --- serializers -----------------------------------------------------------------------


class YearValueSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("The year."))
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, help_text=_("The number.")
    )


class IndicatorValueSerializer(YearValueSerializer):
    source = serializers.CharField(allow_null=True, help_text=_("Where the number comes from."))
    note = serializers.CharField(allow_null=True, help_text=_("A note on the number."))


class IndicatorSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    name = serializers.CharField(help_text=_("Name of the indicator."))
    unit = serializers.CharField(help_text=_("Unit of its numbers."))
    direction = serializers.CharField(
        help_text=_listing(_("Which way is progress: %(values)s."), Indicator.Direction.choices)
    )
    description = serializers.CharField(
        allow_null=True, help_text=_("How it is measured; null: not described.")
    )
    baseline = serializers.SerializerMethodField(
        help_text=_("The value before the strategy began, with its year; null: none given.")
    )
    targets = serializers.SerializerMethodField(help_text=_("Targets by year."))
    values = serializers.SerializerMethodField(help_text=_("Values by year."))

    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "description", "baseline", "targets", "values"]
        read_only_fields = fields
        blank_as_null = ["description"]

    @extend_schema_field(YearValueSerializer(allow_null=True))
    def get_baseline(self, obj):
        if obj.baseline_value is None or obj.baseline_year is None:
            return None
        return YearValueSerializer({"year": obj.baseline_year, "value": obj.baseline_value}).data

    @extend_schema_field(YearValueSerializer(many=True))
    def get_targets(self, obj):
        return YearValueSerializer(obj.targets.all(), many=True).data

    @extend_schema_field(IndicatorValueSerializer(many=True))
    def get_values(self, obj):
        return [
            {**row, "source": row["source"] or None, "note": row["note"] or None}
            for row in IndicatorValueSerializer(obj.values.all(), many=True).data
        ]


class StrategyReportSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    kind = serializers.CharField(
        help_text=_listing(_("Kind: %(values)s."), StrategyReport.Kind.choices)
    )
    title = serializers.CharField(help_text=_("Title."))
    year = serializers.IntegerField(help_text=_("The year it covers."))
    summary = serializers.CharField(allow_null=True, help_text=_("Its main findings."))
    published_on = serializers.DateField(help_text=_("When it was published."))
    url = serializers.SerializerMethodField(help_text=_("The report's file or page."))

    class Meta:
        model = StrategyReport
        fields = ["kind", "title", "year", "summary", "published_on", "url"]
        read_only_fields = fields
        blank_as_null = ["summary"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj):
        if obj.file:
            return _absolute(self, obj.file.url)
        return obj.url or None


class TeamMemberSerializer(serializers.Serializer):
    full_name = serializers.CharField(help_text=_("Full name."))
    role = serializers.CharField(allow_null=True, help_text=_("Role in the team."))
    organization = serializers.SerializerMethodField(
        help_text=_("The organization's slug (see /api/v1/organizations/); null: none.")
    )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_organization(self, member):
        return member.organization.slug if member.organization_id else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["role"] = data["role"] or None
        return data


class ReportDueSerializer(serializers.Serializer):
    deadline = serializers.DateField(help_text=_("The report is due by this day."))
    # A string with its values described, not an enum: other "state" enums may exist.
    state = serializers.CharField(
        help_text=_(
            "due: not published, the deadline not passed; overdue: not published, the "
            "deadline passed; published: published on published_on."
        )
    )
    published_on = serializers.DateField(
        allow_null=True, help_text=_("When it was published; null: not yet.")
    )


class StrategySerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A strategy or programme, as its page shows it."""

    slug = serializers.CharField(help_text=_("Its code (used in addresses)."))
    # A string with its values described, not an enum: other "kind" enums exist already.
    kind = serializers.CharField(help_text=_listing(_("Kind: %(values)s."), Strategy.Kind.choices))
    title = serializers.CharField(help_text=_("Title."))
    year_from = serializers.IntegerField(help_text=_("First year of its period."))
    year_to = serializers.IntegerField(help_text=_("Last year of its period."))
    status = serializers.CharField(
        source="current_status",
        help_text=_listing(_("Status today: %(values)s."), Strategy.Status.choices),
    )
    department = serializers.SerializerMethodField(help_text=_("The owner department."))
    areas = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    summary = serializers.CharField(allow_null=True, help_text=_("Summary."))
    resolution = serializers.CharField(
        allow_null=True, help_text=_("The resolution that adopted it.")
    )
    adopted_on = serializers.DateField(allow_null=True, help_text=_("When it was adopted."))
    document_url = serializers.SerializerMethodField(help_text=_("Its document."))
    report_due = serializers.SerializerMethodField(
        help_text=_(
            "For a yearly cooperation programme: the report on its execution, due by 31 May "
            "of the next year (art. 5a sec. 3); null for other kinds."
        )
    )
    indicators = IndicatorSerializer(many=True, read_only=True, help_text=_("Its indicators."))
    reports = StrategyReportSerializer(
        many=True, read_only=True, help_text=_("Monitoring, evaluation and execution reports.")
    )
    team = TeamMemberSerializer(many=True, read_only=True, help_text=_("The monitoring team."))
    url = serializers.SerializerMethodField(help_text=_("Its page on this site."))

    class Meta:
        model = Strategy
        fields = [
            "slug",
            "kind",
            "title",
            "year_from",
            "year_to",
            "status",
            "department",
            "areas",
            "summary",
            "resolution",
            "adopted_on",
            "document_url",
            "report_due",
            "indicators",
            "reports",
            "team",
            "url",
        ]
        read_only_fields = fields
        blank_as_null = ["summary", "resolution"]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "description": "Id of the department."},
                "name": {"type": "string", "description": "Its name."},
            },
            "required": ["id", "name"],
        }
    )
    def get_department(self, obj):
        return {"id": obj.department_id, "name": str(obj.department)}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document_url(self, obj):
        if obj.document:
            return _absolute(self, obj.document.url)
        return obj.document_url or None

    @extend_schema_field(ReportDueSerializer(allow_null=True))
    def get_report_due(self, obj):
        obj.execution_reports = [
            r for r in obj.reports.all() if r.kind == StrategyReport.Kind.EXECUTION
        ]
        flag = obj.report_flag(self.context.get("today"))
        if flag is None:
            return None
        state, day = flag
        return {
            "deadline": obj.report_deadline,
            "state": state,
            "published_on": day if state == "published" else None,
        }

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


# --- the view --------------------------------------------------------------------------


class StrategyPagination(NamedPagination):
    noun = _("strategies")


NO_SUCH_STRATEGY = OpenApiResponse(ErrorSerializer, description=_("No such strategy."))


@extend_schema_view(
    list=extend_schema(
        summary=_("List strategies and programmes"),
        description=_(
            "The city's strategies and programmes, the latest period first, 50 per page, "
            "with the filters of the strategies' page; each with its indicators (baseline, "
            "targets and values by year), reports and monitoring team."
        ),
        responses={200: StrategySerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One strategy or programme"),
        description=_("A strategy or programme by its slug."),
        responses={200: StrategySerializer, 404: NO_SUCH_STRATEGY},
    ),
)
class StrategyViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    """Not cached: a strategy's status and report flag change with the date."""

    lookup_field = "slug"
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"
    serializer_class = StrategySerializer
    filterset_class = StrategyFilter
    pagination_class = StrategyPagination
    queryset = Strategy.objects.none()

    def get_queryset(self):
        return public_strategies()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}
