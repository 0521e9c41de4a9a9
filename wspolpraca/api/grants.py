"""The awarded grants in the API (/api/v1/grants/) and the public results of a decided call
(the `results` of /api/v1/calls/<id>/).

A grant is public once the results of its call are published
(`agreements.statistics.public_grants`): a decision entered before that, or anything of
an annulled call, is in neither.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wspolpraca.agreements.models import Agreement
from wspolpraca.agreements.statistics import public_grants, year_bounds
from wspolpraca.competitions.models import Call
from wspolpraca.evaluations.decisions import results_of
from wspolpraca.evaluations.models import Decision
from wspolpraca.organizations.models import PublicBenefitArea

from .filters import OneValueEachMixin
from .schedule import WholeNumberFilter, _department_choices
from .serializers import BlankAsNullMixin, DepartmentSerializer

# What a grant's row needs of the decision, the offer, the call, its department, the
# organization and the agreement: the offers' frozen content and the directory's search
# columns are large and never read here.
GRANT_FIELDS = (
    "id",
    "amount",
    "decided_at",
    "offer",
    "offer__call",
    "offer__call__department",
    "offer__organization",
    "offer__title",
    "offer__call__id",
    "offer__call__title",
    "offer__call__reference",
    "offer__call__department__id",
    "offer__call__department__name",
    "offer__call__department__short_name",
    "offer__organization__id",
    "offer__organization__name",
    "offer__organization__krs",
    "offer__agreement__id",
    "offer__agreement__number",
    "offer__agreement__status",
)


def api_grants():
    """The awarded grants, newest decision first, with everything a row shows in three
    queries a page (count, rows, the calls' areas)."""
    return (
        public_grants()
        .select_related("offer__call__department", "offer__organization", "offer__agreement")
        .only(*GRANT_FIELDS)
        .prefetch_related("offer__call__areas")
        .order_by("-decided_at", "-id")
    )


class GrantFilter(OneValueEachMixin, django_filters.FilterSet):
    """Every value is checked before the database sees it (a 400 names the parameter)."""

    year = WholeNumberFilter(
        min_value=2000,
        max_value=2100,
        method="filter_year",
        label=_("Year of the call's deadline for offers (as on the statistics page)."),
    )
    department = django_filters.ChoiceFilter(
        field_name="offer__call__department_id",
        choices=_department_choices,
        label=_("Department that ran the call (its id)."),
    )
    area = django_filters.ModelChoiceFilter(
        field_name="offer__call__areas",
        to_field_name="code",
        queryset=PublicBenefitArea.objects.current(),
        label=_("Public benefit area of the call (its code)."),
    )

    class Meta:
        model = Decision
        fields = ["year", "department", "area"]

    def filter_year(self, queryset, name, value):
        starts, ends = year_bounds(int(value))
        return queryset.filter(offer__call__deadline__gte=starts, offer__call__deadline__lt=ends)


class GrantCallSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(help_text=_("Identifier of the call (see /api/v1/calls/)."))
    title = serializers.CharField(help_text=_("The public task of the call."))
    reference = serializers.CharField(
        allow_null=True, help_text=_("The department's case reference of the call.")
    )

    class Meta:
        model = Call
        fields = ["id", "title", "reference"]
        blank_as_null = ["reference"]


class GrantOrganizationSerializer(BlankAsNullMixin, serializers.Serializer):
    name = serializers.CharField(help_text=_("Name of the organization that got the grant."))
    krs = serializers.CharField(allow_null=True, help_text=_("Its KRS number, if any."))

    class Meta:
        blank_as_null = ["krs"]


class GrantAgreementSerializer(serializers.ModelSerializer):
    number = serializers.CharField(help_text=_("Number of the agreement."))
    status = serializers.ChoiceField(
        choices=Agreement.Status.choices,
        help_text=_(
            "Where the agreement stands: budget_update and budget_review (the updated "
            "budget after a cut), ready (to sign), signed, settled, terminated."
        ),
    )

    class Meta:
        model = Agreement
        fields = ["number", "status"]


class GrantSerializer(serializers.ModelSerializer):
    """One awarded grant."""

    id = serializers.IntegerField(
        help_text=_("Identifier of the grant (of the decision that awarded it).")
    )
    call = GrantCallSerializer(source="offer.call", help_text=_("The call."))
    organization = GrantOrganizationSerializer(
        source="offer.organization", help_text=_("The organization that got the grant.")
    )
    title = serializers.CharField(source="offer.title", help_text=_("Title of the task."))
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("The grant in zł.")
    )
    decided_at = serializers.DateTimeField(help_text=_("When the grant was decided."))
    agreement = serializers.SerializerMethodField(
        help_text=_("The agreement for the grant; null until it is prepared.")
    )
    areas = serializers.SlugRelatedField(
        source="offer.call.areas",
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Codes of the call's public benefit areas (see /api/v1/areas/)."),
    )
    department = DepartmentSerializer(
        source="offer.call.department", help_text=_("The department that ran the call.")
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "call",
            "organization",
            "title",
            "amount",
            "decided_at",
            "agreement",
            "areas",
            "department",
        ]
        read_only_fields = fields

    @extend_schema_field(GrantAgreementSerializer(allow_null=True))
    def get_agreement(self, obj):
        agreement = getattr(obj.offer, "agreement", None)
        return GrantAgreementSerializer(agreement).data if agreement is not None else None


class ResultSerializer(serializers.Serializer):
    """One row of a decided call's published results."""

    applicant = serializers.CharField(help_text=_("The organization that made the offer."))
    title = serializers.CharField(source="task", help_text=_("Title of the task."))
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("The grant in zł; null when the offer got none."),
    )
    score = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text=_("The commission's score; null for an offer not scored."),
    )
    outcome = serializers.ChoiceField(
        choices=Decision.Outcome.choices,
        help_text=_("granted: the offer got a grant; rejected: it did not."),
    )


def call_results(call):
    """The published results of `call` (evaluations.decisions.results_of, in rank order),
    or none while they are not published."""
    if call.status != Call.Status.DECIDED:
        return []
    return results_of(call)
