"""The dialogue bodies in the API: /api/v1/bodies/ and /api/v1/bodies/<slug>/.

The Public Benefit Council and the Civic Dialogue Commissions that still work, each with
its current members (name, role, whom they represent, the nominating organization; never
an e-mail address or an account) and its latest published opinions and resolutions
(never drafts).
"""

import django_filters
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

from wspolpraca.city.models import BodyMember, DialogueBody, Opinion
from wspolpraca.organizations.models import PublicBenefitArea

from .consultations import NamedPagination, _absolute, _listing
from .filters import OneValueEachMixin
from .serializers import BlankAsNullMixin
from .views import FILTER_ERRORS, NO_SUCH_PAGE, ErrorSerializer, LicensedDataMixin

# How many of a body's latest documents each row carries.
LATEST_OPINIONS = 5


# --- filters ---------------------------------------------------------------------------


class BodyFilter(OneValueEachMixin, django_filters.FilterSet):
    """Every value is checked before the database sees it (a 400 names the parameter)."""

    kind = django_filters.ChoiceFilter(
        choices=DialogueBody.Kind.choices,
        label=_listing(_("Kind: %(values)s."), DialogueBody.Kind.choices),
    )
    area = django_filters.ModelChoiceFilter(
        field_name="areas",
        to_field_name="code",
        queryset=PublicBenefitArea.objects.all(),
        label=_("Code of a public benefit area (see /api/v1/areas/)."),
    )

    class Meta:
        model = DialogueBody
        fields = ["kind", "area"]


def public_bodies():
    """Bodies that still work, the council first; a page in five queries (count, rows,
    areas, current members with their organizations, latest documents)."""
    today = timezone.localdate()
    return (
        DialogueBody.objects.active()
        .select_related("department")
        .prefetch_related(
            "areas",
            Prefetch(
                "members",
                queryset=BodyMember.objects.current(today)
                .select_related("organization")
                .only(
                    "body_id",
                    "full_name",
                    "role",
                    "representing",
                    "term_start",
                    "term_end",
                    "organization__name",
                    "organization__slug",
                )
                .order_by("term_start", "full_name"),
                to_attr="current_members",
            ),
            Prefetch(
                "opinions",
                queryset=Opinion.objects.published()
                .defer("text")
                .order_by("-adopted_on", "-id")[:LATEST_OPINIONS],
                to_attr="latest_opinions",
            ),
        )
        .order_by("kind", "position", "name")
    )


# --- serializers -----------------------------------------------------------------------


class NominatingOrganizationSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Its name."))
    slug = serializers.CharField(
        help_text=_("The organization's slug (see /api/v1/organizations/).")
    )


class BodyMemberSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(help_text=_("The member's full name."))
    role = serializers.CharField(
        help_text=_listing(_("Role: %(values)s."), BodyMember.Role.choices)
    )
    representing = serializers.CharField(
        help_text=_listing(
            _("Whom the member represents: %(values)s."), BodyMember.Representing.choices
        )
    )
    nominated_by = serializers.SerializerMethodField(
        help_text=_("The organization that nominated the member; null when none did.")
    )
    term_start = serializers.DateField(help_text=_("First day of the term."))
    term_end = serializers.DateField(
        allow_null=True, help_text=_("Last day of the term; null: no set end.")
    )

    class Meta:
        model = BodyMember
        fields = ["full_name", "role", "representing", "nominated_by", "term_start", "term_end"]
        read_only_fields = fields

    @extend_schema_field(NominatingOrganizationSerializer(allow_null=True))
    def get_nominated_by(self, obj):
        if obj.organization_id is None:
            return None
        return {"name": obj.organization.name, "slug": obj.organization.slug}


class BodyOpinionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=_listing(_("Kind: %(values)s."), Opinion.Kind.choices))
    number = serializers.CharField(help_text=_("Its number, as the body numbers it."))
    title = serializers.CharField(help_text=_("Title."))
    adopted_on = serializers.DateField(help_text=_("The day the body adopted it."))
    url = serializers.SerializerMethodField(help_text=_("Its page on this site."))

    class Meta:
        model = Opinion
        fields = ["kind", "number", "title", "adopted_on", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


class DialogueBodySerializer(BlankAsNullMixin, serializers.ModelSerializer):
    slug = serializers.CharField(help_text=_("The body's address on this site."))
    kind = serializers.CharField(
        help_text=_listing(_("Kind: %(values)s."), DialogueBody.Kind.choices)
    )
    name = serializers.CharField(help_text=_("Name."))
    description = serializers.CharField(
        allow_null=True, help_text=_("What the body does (Markdown); null when not given.")
    )
    areas = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    department = serializers.SerializerMethodField(
        help_text=_("The city department that services the body.")
    )
    contact = serializers.CharField(
        allow_null=True, help_text=_("The body's public contact; null when not given.")
    )
    regulations = serializers.SerializerMethodField(
        help_text=_("Address of its regulations (a file or a link); null when not given.")
    )
    current_members = BodyMemberSerializer(
        many=True, read_only=True, help_text=_("Members whose term runs today.")
    )
    latest_opinions = BodyOpinionSerializer(
        many=True,
        read_only=True,
        help_text=_("Its latest published opinions, resolutions and positions, newest first."),
    )
    url = serializers.SerializerMethodField(help_text=_("The body's page on this site."))

    class Meta:
        model = DialogueBody
        fields = [
            "slug",
            "kind",
            "name",
            "description",
            "areas",
            "department",
            "contact",
            "regulations",
            "current_members",
            "latest_opinions",
            "url",
        ]
        read_only_fields = fields
        blank_as_null = ["description", "contact"]

    def get_department(self, obj) -> str:
        return str(obj.department)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_regulations(self, obj):
        if obj.regulations_file:
            return _absolute(self, obj.regulations_file.url)
        return obj.regulations_url or None

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


# --- views -----------------------------------------------------------------------------


class BodyPagination(NamedPagination):
    noun = _("dialogue bodies")


NO_SUCH_BODY = OpenApiResponse(ErrorSerializer, description=_("No such dialogue body."))


@extend_schema_view(
    list=extend_schema(
        summary=_("List dialogue bodies"),
        description=_(
            "The Public Benefit Council and the Civic Dialogue Commissions that still work, "
            "the council first, 50 per page; each with its current members and its latest "
            "published opinions and resolutions. All of a body's documents are on its page."
        ),
        responses={200: DialogueBodySerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One dialogue body"),
        description=_("A body that still works, by its slug."),
        responses={200: DialogueBodySerializer, 404: NO_SUCH_BODY},
    ),
)
class DialogueBodyViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    """Not cached: who is a current member changes with the date."""

    serializer_class = DialogueBodySerializer
    filterset_class = BodyFilter
    pagination_class = BodyPagination
    lookup_field = "slug"
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"
    queryset = DialogueBody.objects.none()

    def get_queryset(self):
        return public_bodies()
