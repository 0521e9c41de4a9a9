"""Consultations, their postulates and the postulate tracker in the API:
/api/v1/consultations/, /api/v1/postulates/ and /api/v1/tracker/.

Only what the public pages show: announced consultations (never drafts), postulates that
are not hidden, the city's answers once they are published. A postulate is signed by its
organization or by the name of its author; never by an e-mail address or a user id.

The department filters take the department's id, as everywhere else in the API (the
schema lists the ids; see views.add_filter_values), not the symbol the pages use.
"""

import django_filters
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from wspolpraca.city.models import Department
from wspolpraca.consultations.filters import ConsultationFilter, TrackedPostulateFilter
from wspolpraca.consultations.models import (
    Consultation,
    Meeting,
    Postulate,
    ProgressNote,
    Response,
    Section,
    TrackedPostulate,
    TrackerLink,
)

from .filters import OneValueEachMixin
from .schedule import _department_choices
from .serializers import BlankAsNullMixin
from .views import FILTER_ERRORS, NO_SUCH_PAGE, ErrorSerializer, LicensedDataMixin, Pagination

# The largest value of a PositiveSmallIntegerField (a section's number).
MAX_SECTION = 32767


def _absolute(serializer, path):
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


def _listing(text, choices):
    """`text` with its %(values)s replaced by the choices' values and labels, lazily: the
    schema is rendered in English whatever the language at import."""

    def render():
        return str(text) % {"values": "; ".join(f"{value}: {label}" for value, label in choices)}

    return lazy(render, str)()


def _documented(filter_, schema):
    """The filter's parameter in the schema exactly as `schema` says (with its description)."""
    return extend_schema_field(schema)(filter_)


# --- filters ---------------------------------------------------------------------------


def _department_filter(field_name, label):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=_department_choices, label=label
    )


class ApiConsultationFilter(OneValueEachMixin, ConsultationFilter):
    """The consultations' page's filters; the department by its id."""

    department = _department_filter("department_id", _("Owning department (its id)."))

    class Meta(ConsultationFilter.Meta):
        pass


class DigitsField(forms.IntegerField):
    """A whole number written in digits only: " 5", "5.0" and "+5" are refused, as the
    schema's integer would refuse them."""

    def to_python(self, value):
        if value not in self.empty_values and not (
            isinstance(value, str) and value.isascii() and value.isdigit()
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DigitsFilter(django_filters.NumberFilter):
    field_class = DigitsField


class PostulateFilter(OneValueEachMixin, django_filters.FilterSet):
    """Every value is checked before the database sees it (a 400 names the parameter)."""

    consultation = _documented(
        django_filters.CharFilter(field_name="consultation__slug"),
        {
            "type": "string",
            # Django refuses NUL characters in form input (a 400); any other text is a
            # slug that matches a consultation or none.
            "pattern": "^[^\\x00]*$",
            "description": _("The consultation (its slug)."),
        },
    )
    section = _documented(
        DigitsFilter(field_name="section__number", min_value=0, max_value=MAX_SECTION),
        {
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_SECTION,
            "description": _("Number of the section the postulate is about."),
        },
    )
    outcome = django_filters.ChoiceFilter(
        choices=Response.Outcome.choices,
        method="filter_outcome",
        label=_("The city's answer; matches only once the answers are published."),
    )

    class Meta:
        model = Postulate
        fields = ["consultation", "section", "outcome"]

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(
            consultation__answers_published_at__isnull=False, response__outcome=value
        )


class ApiTrackedPostulateFilter(OneValueEachMixin, TrackedPostulateFilter):
    """The tracker page's filters; the department by its id."""

    department = _department_filter("department_id", _("Owner department (its id)."))

    class Meta(TrackedPostulateFilter.Meta):
        pass


# --- querysets -------------------------------------------------------------------------


def public_consultations():
    """Announced consultations, newest opening first (the order of the list page)."""
    return (
        Consultation.objects.public()
        .select_related("department")
        .prefetch_related("areas", "districts")
        .defer("report_summary", "infographic_text")
        .order_by("-opens_on", "-id")
    )


def public_postulates():
    """Postulates that are not hidden, of announced consultations, by consultation and
    number; a page in two queries (count and rows)."""
    return (
        Postulate.objects.filter(
            is_hidden=False, consultation__in=Consultation.objects.public().values("pk")
        )
        .select_related("consultation", "section", "organization", "author", "response", "tracked")
        .defer(
            "terms",
            "hidden_reason",
            "consultation__summary",
            "consultation__report_summary",
            "consultation__infographic_text",
            "section__text",
        )
        .order_by("-consultation__opens_on", "-consultation_id", "number")
    )


def tracked_postulates():
    return (
        TrackedPostulate.objects.select_related("department", "catalogue", "consultation")
        .prefetch_related("areas", "notes", "links")
        .defer(
            "search_document",
            "search_name",
            "consultation__summary",
            "consultation__report_summary",
            "consultation__infographic_text",
        )
        .order_by("code", "id")
    )


# --- serializers -----------------------------------------------------------------------


class OwnerDepartmentSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(
        help_text=_("Identifier of the department (the department filter's value).")
    )
    name = serializers.CharField(help_text=_("Name of the department."))
    symbol = serializers.CharField(
        source="short_name", allow_null=True, help_text=_("Office symbol.")
    )

    class Meta:
        model = Department
        fields = ["id", "name", "symbol"]
        blank_as_null = ["symbol"]


class ConsultationSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """An announced consultation, as the consultations' list shows it."""

    slug = serializers.SlugField(help_text=_("Identifier used in addresses."))
    title = serializers.CharField(help_text=_("Subject of the consultation."))
    summary = serializers.CharField(help_text=_("Summary of the draft in plain language."))
    document_title = serializers.CharField(help_text=_("Title of the draft document."))
    department = OwnerDepartmentSerializer(help_text=_("The department that consults."))
    areas = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    districts = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="number",
        help_text=_("Numbers of the districts it concerns; empty: the whole city."),
    )
    forms = serializers.ListField(
        child=serializers.CharField(),
        help_text=_listing(_("Forms of participation: %(values)s."), Consultation.Form.choices),
    )
    information_from = serializers.DateField(
        help_text=_("Information about the draft is given from this day.")
    )
    opens_on = serializers.DateField(help_text=_("Postulates are taken from this day."))
    closes_on = serializers.DateField(help_text=_("Postulates are taken until this day."))
    report_due = serializers.DateField(help_text=_("The report is due by this day."))
    # A string with its values described, not an enum: another choice set under the name
    # "phase" (the calls') would make drf-spectacular rename both enums.
    phase = serializers.CharField(
        help_text=_listing(
            _("Phase now, by the server's clock: %(values)s."), Consultation.Phase.choices
        )
    )
    url = serializers.SerializerMethodField(help_text=_("The consultation's page on this site."))
    postulate_count = serializers.IntegerField(help_text=_("Postulates made and not hidden."))
    answers_published_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the city's answers were published; null: not yet.")
    )
    report_published_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the report was published; null: not yet.")
    )
    report_url = serializers.SerializerMethodField(
        help_text=_("The report's page; null until the report is published.")
    )
    report_pdf_url = serializers.SerializerMethodField(
        help_text=_("The report as a PDF; null until the file is made.")
    )
    report_overdue = serializers.BooleanField(
        help_text=_("Whether the report is past its due date and not yet published.")
    )

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "summary",
            "document_title",
            "department",
            "areas",
            "districts",
            "forms",
            "information_from",
            "opens_on",
            "closes_on",
            "report_due",
            "phase",
            "url",
            "postulate_count",
            "answers_published_at",
            "report_published_at",
            "report_url",
            "report_pdf_url",
            "report_overdue",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_report_url(self, obj):
        if obj.report_published_at is None:
            return None
        return _absolute(self, reverse("consultations:report", args=[obj.slug]))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_report_pdf_url(self, obj):
        if not obj.report_pdf:
            return None
        return _absolute(self, reverse("consultations:report_pdf", args=[obj.slug]))


class ConsultationSectionSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(help_text=_("Number of the section."))
    title = serializers.CharField(help_text=_("Title of the section."))
    text = serializers.CharField(help_text=_("Text of the section of the draft."))

    class Meta:
        model = Section
        fields = ["number", "title", "text"]


class ConsultationMeetingSerializer(serializers.ModelSerializer):
    # A string, not an enum: the organizations' "kind" enum has the name already.
    kind = serializers.CharField(help_text=_listing(_("Kind: %(values)s."), Meeting.Kind.choices))
    title = serializers.CharField(help_text=_("Topic of the meeting."))
    starts_at = serializers.DateTimeField(help_text=_("When it starts."))
    ends_at = serializers.DateTimeField(help_text=_("When it ends."))
    place = serializers.CharField(help_text=_("Where it takes place."))
    capacity = serializers.IntegerField(
        allow_null=True, help_text=_("Number of places; null: no limit.")
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "place", "capacity"]


class ConsultationDetailSerializer(ConsultationSerializer):
    """An announced consultation with the sections of its draft and its meetings."""

    sections = ConsultationSectionSerializer(
        many=True, help_text=_("Sections of the draft, in order.")
    )
    meetings = ConsultationMeetingSerializer(
        many=True, help_text=_("Open meetings and workshops, in order.")
    )

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "sections", "meetings"]
        read_only_fields = fields


class PostulateAnswerSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    # A string, not an enum: the grants' results have an "outcome" enum already.
    outcome = serializers.CharField(
        help_text=_listing(_("The city's answer: %(values)s."), Response.Outcome.choices)
    )
    reason = serializers.CharField(allow_null=True, help_text=_("Reason for the answer."))

    class Meta:
        model = Response
        fields = ["outcome", "reason"]
        blank_as_null = ["reason"]


class PostulateTrackerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text=_("Code in the tracker (see /api/v1/tracker/)."))
    status = serializers.CharField(
        help_text=_listing(_("Where it stands: %(values)s."), TrackedPostulate.Status.choices)
    )
    url = serializers.SerializerMethodField(help_text=_("Its page in the tracker."))

    class Meta:
        model = TrackedPostulate
        fields = ["code", "status", "url"]

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


class PostulateSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A postulate made in an announced consultation, and the city's answer once published."""

    consultation = serializers.CharField(
        source="consultation.slug", help_text=_("The consultation (its slug).")
    )
    number = serializers.IntegerField(help_text=_("Number of the postulate in the consultation."))
    section = serializers.IntegerField(
        source="section.number",
        allow_null=True,
        help_text=_("Number of the section it is about; null: the whole document."),
    )
    proposal = serializers.CharField(help_text=_("The proposed change."))
    justification = serializers.CharField(allow_null=True, help_text=_("Its justification."))
    source = serializers.ChoiceField(
        choices=Postulate.Source.choices, help_text=_("How it was received.")
    )
    signed = serializers.SerializerMethodField(
        help_text=_(
            "Who made it: the organization, else the author's name; null when no name is given."
        )
    )
    created_at = serializers.DateTimeField(help_text=_("When it was made or entered."))
    support_count = serializers.IntegerField(help_text=_("How many people support it."))
    answer = serializers.SerializerMethodField(
        help_text=_("The city's answer; null until the answers are published.")
    )
    tracker = serializers.SerializerMethodField(
        help_text=_("The postulate's entry in the tracker; null if it has none.")
    )

    class Meta:
        model = Postulate
        fields = [
            "consultation",
            "number",
            "section",
            "proposal",
            "justification",
            "source",
            "signed",
            "created_at",
            "support_count",
            "answer",
            "tracker",
        ]
        read_only_fields = fields
        blank_as_null = ["justification"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_signed(self, obj):
        # The organization, or the sender named on a remark received elsewhere; a
        # resident's name (and e-mail, and account) is known to the department only.
        if obj.organization_id:
            return obj.organization.name
        return obj.author_name or None

    @extend_schema_field(PostulateAnswerSerializer(allow_null=True))
    def get_answer(self, obj):
        if obj.consultation.answers_published_at is None or obj.response_id is None:
            return None
        return PostulateAnswerSerializer(obj.response, context=self.context).data

    @extend_schema_field(PostulateTrackerSerializer(allow_null=True))
    def get_tracker(self, obj):
        tracked = getattr(obj, "tracked", None)
        if tracked is None:
            return None
        return PostulateTrackerSerializer(tracked, context=self.context).data


class ProgressNoteSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    date = serializers.DateField(help_text=_("When it happened."))
    text = serializers.CharField(help_text=_("What happened."))
    status = serializers.CharField(
        allow_null=True, help_text=_("The status it set; null: the status did not change.")
    )

    class Meta:
        model = ProgressNote
        fields = ["date", "text", "status"]
        blank_as_null = ["status"]


class TrackerLinkSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        help_text=_listing(_("What it is: %(values)s."), TrackerLink.Kind.choices)
    )
    title = serializers.CharField(help_text=_("Its title."))
    url = serializers.SerializerMethodField(help_text=_("Its address."))

    class Meta:
        model = TrackerLink
        fields = ["kind", "title", "url"]

    def get_url(self, obj) -> str:
        return _absolute(self, obj.url) if obj.url.startswith("/") else obj.url


class TrackedPostulateSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A postulate followed up by the city."""

    code = serializers.CharField(help_text=_("Code of the postulate (used in addresses)."))
    title = serializers.CharField(help_text=_("Title."))
    description = serializers.CharField(help_text=_("What is postulated."))
    plane = serializers.ChoiceField(
        choices=TrackedPostulate.Plane.choices,
        allow_null=True,
        help_text=_("Plane of the cooperation programme; null: none."),
    )
    sector = serializers.ChoiceField(
        choices=TrackedPostulate.Sector.choices, allow_null=True, help_text=_("Sector; null: none.")
    )
    department = OwnerDepartmentSerializer(
        allow_null=True, help_text=_("The department that owns it; null: not assigned yet.")
    )
    areas = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    # A string, not an enum: the grants' agreements have a "status" enum already.
    status = serializers.CharField(
        help_text=_listing(_("Where it stands: %(values)s."), TrackedPostulate.Status.choices)
    )
    status_reason = serializers.CharField(
        allow_null=True, help_text=_("Reason for the status, if given.")
    )
    catalogue = serializers.SlugRelatedField(
        read_only=True,
        slug_field="code",
        allow_null=True,
        help_text=_("Code of the catalogue it came in; null: none."),
    )
    consultation = serializers.SerializerMethodField(
        help_text=_("The consultation it came from (its slug); null: none.")
    )
    url = serializers.SerializerMethodField(help_text=_("Its page in the tracker."))
    history = ProgressNoteSerializer(
        source="notes", many=True, help_text=_("What was done, oldest first.")
    )
    links = TrackerLinkSerializer(many=True, help_text=_("What answers it."))
    updated_at = serializers.DateTimeField(help_text=_("When it last changed."))

    class Meta:
        model = TrackedPostulate
        fields = [
            "code",
            "title",
            "description",
            "plane",
            "sector",
            "department",
            "areas",
            "status",
            "status_reason",
            "catalogue",
            "consultation",
            "url",
            "history",
            "links",
            "updated_at",
        ]
        read_only_fields = fields
        blank_as_null = ["plane", "sector", "status_reason"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_consultation(self, obj):
        # As Consultation.objects.public(): a consultation not announced yet is not named.
        consultation = obj.consultation
        if (
            consultation is None
            or consultation.announced_at is None
            or consultation.information_from > timezone.localdate()
        ):
            return None
        return consultation.slug

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


# --- views -----------------------------------------------------------------------------


class NamedPagination(Pagination):
    """The API's pagination, its count_is_exact described with the right noun."""

    noun = ""

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_is_exact"]["description"] = _(
            "False when more than %(cap)s %(noun)s match: count is then %(cap)s and the "
            "pages end there."
        ) % {"cap": f"{self.COUNT_CAP:,}", "noun": self.noun}
        return result


class ConsultationPagination(NamedPagination):
    noun = _("consultations")


class PostulatePagination(NamedPagination):
    noun = _("postulates")


class TrackerPagination(NamedPagination):
    noun = _("tracked postulates")


NO_SUCH_CONSULTATION = OpenApiResponse(
    ErrorSerializer, description=_("No such announced consultation.")
)
NO_SUCH_TRACKED = OpenApiResponse(ErrorSerializer, description=_("No such tracked postulate."))


@extend_schema_view(
    list=extend_schema(
        summary=_("List consultations"),
        description=_(
            "The city's announced consultations with organizations, newest opening first, "
            "50 per page; never drafts."
        ),
        responses={200: ConsultationSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One consultation"),
        description=_("An announced consultation with the sections of its draft and meetings."),
        responses={200: ConsultationDetailSerializer, 404: NO_SUCH_CONSULTATION},
    ),
)
class ConsultationViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    """Not cached: a consultation's phase changes with the clock."""

    lookup_field = "slug"
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"
    filterset_class = ApiConsultationFilter
    pagination_class = ConsultationPagination
    queryset = Consultation.objects.none()

    def get_queryset(self):
        queryset = public_consultations()
        if self.action == "retrieve":
            return queryset.prefetch_related("sections", "meetings")
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ConsultationDetailSerializer
        return ConsultationSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("List postulates"),
        description=_(
            "The postulates made in announced consultations, except those hidden by "
            "moderation, by consultation and number, 50 per page; with the city's answer "
            "once the answers are published."
        ),
        responses={200: PostulateSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
)
class PostulateViewSet(LicensedDataMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PostulateSerializer
    filterset_class = PostulateFilter
    pagination_class = PostulatePagination
    queryset = Postulate.objects.none()

    def get_queryset(self):
        return public_postulates()


@extend_schema_view(
    list=extend_schema(
        summary=_("List tracked postulates"),
        description=_(
            "The postulate tracker: postulates the city follows up, with who owns them, "
            "where they stand and what was done, by code, 50 per page."
        ),
        responses={200: TrackedPostulateSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One tracked postulate"),
        description=_("A tracked postulate by its code."),
        responses={200: TrackedPostulateSerializer, 404: NO_SUCH_TRACKED},
    ),
)
class TrackedPostulateViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "code"
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"
    serializer_class = TrackedPostulateSerializer
    filterset_class = ApiTrackedPostulateFilter
    pagination_class = TrackerPagination
    queryset = TrackedPostulate.objects.none()

    def get_queryset(self):
        return tracked_postulates()
