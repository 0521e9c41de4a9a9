"""The calendar's own events in the API: /api/v1/events/ and /api/v1/events/<id>/.

Only what the public pages show: published NGO events, trainings and sector meetings;
never drafts, events awaiting moderation, rejected or cancelled ones, and never who
registered. A link to join online is given only for events that need no registration
(otherwise it is sent to the people registered).
"""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from wspolpraca.events.models import Event, Registration
from wspolpraca.organizations.models import District, PublicBenefitArea

from .consultations import NamedPagination, _absolute, _listing
from .filters import OneValueEachMixin
from .serializers import BlankAsNullMixin
from .views import FILTER_ERRORS, NO_SUCH_PAGE, ErrorSerializer, LicensedDataMixin


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# --- filters ---------------------------------------------------------------------------


class GivenDateField(forms.DateField):
    """A date that, when the parameter is there, must be one: "?to=" is not "no limit"
    (the schema says YYYY-MM-DD); a missing parameter still means no limit."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError(_("Give a date, YYYY-MM-DD."), code="required")
        return super().clean(value)


class GivenDateFilter(django_filters.DateFilter):
    field_class = GivenDateField


class EventFilter(OneValueEachMixin, django_filters.FilterSet):
    """Every value is checked before the database sees it (a 400 names the parameter)."""

    area = django_filters.ModelChoiceFilter(
        field_name="areas",
        to_field_name="code",
        queryset=PublicBenefitArea.objects.all(),
        label=_("Code of a public benefit area (see /api/v1/areas/)."),
    )
    kind = django_filters.ChoiceFilter(
        choices=Event.Kind.choices,
        label=_listing(_("Kind: %(values)s."), Event.Kind.choices),
    )
    district = django_filters.ModelChoiceFilter(
        field_name="district",
        to_field_name="number",
        queryset=District.objects.all(),
        label=_("Number of a district."),
    )
    # "from" is a Python keyword: the filter is put into the class's namespace by name.
    locals()["from"] = GivenDateFilter(
        method="filter_from",
        label=_("Events that end on this day (YYYY-MM-DD) or later."),
    )
    to = GivenDateFilter(
        method="filter_to", label=_("Events that start on this day (YYYY-MM-DD) or earlier.")
    )

    class Meta:
        model = Event
        fields = ["area", "kind", "district", "from", "to"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(ends_at__gte=_start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_start_of(value + timedelta(days=1)))


def published_events():
    """Published events, soonest first, each with its places taken counted in the same
    query; a page in three queries (count, rows, areas)."""
    return (
        Event.objects.published()
        .select_related("organization", "department", "district")
        .prefetch_related("areas")
        .annotate(
            taken=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.REGISTERED),
            )
        )
        .order_by("starts_at", "id")
    )


# --- serializers -----------------------------------------------------------------------


class EventOrganizerSerializer(serializers.Serializer):
    # A string with its values described, not an enum: a "TypeEnum" would be too
    # general a name among the schema's components.
    type = serializers.CharField(
        help_text=_(
            "Who runs it: organization (an NGO), department (a department of the city) or "
            "city (the city, no department named)."
        ),
    )
    name = serializers.CharField(help_text=_("Its name."))
    slug = serializers.CharField(
        allow_null=True,
        help_text=_("The organization's slug (see /api/v1/organizations/); null otherwise."),
    )


class EventSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A published event, as its page shows it."""

    id = serializers.IntegerField(help_text=_("Number of the event."))
    # A string with its values described, not an enum: other "kind" enums exist already.
    kind = serializers.CharField(help_text=_listing(_("Kind: %(values)s."), Event.Kind.choices))
    title = serializers.CharField(help_text=_("Title."))
    description = serializers.CharField(help_text=_("What happens, for whom."))
    organizer = serializers.SerializerMethodField(help_text=_("Who runs it."))
    areas = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    district = serializers.SlugRelatedField(
        read_only=True,
        slug_field="number",
        allow_null=True,
        help_text=_("Number of its district; null: not tied to one."),
    )
    place = serializers.CharField(allow_null=True, help_text=_("Where; null: online only."))
    online = serializers.BooleanField(help_text=_("Whether it takes place online (too)."))
    online_link = serializers.SerializerMethodField(
        help_text=_(
            "Link to join online; null when it is not online or when registration is needed "
            "(the link is then sent to the people registered)."
        )
    )
    starts_at = serializers.DateTimeField(help_text=_("When it starts."))
    ends_at = serializers.DateTimeField(help_text=_("When it ends."))
    capacity = serializers.IntegerField(
        allow_null=True, help_text=_("Number of places; null: no registration, anyone may come.")
    )
    places_left = serializers.SerializerMethodField(
        help_text=_("Places not yet taken; null when there is no registration.")
    )
    registration_closes_at = serializers.SerializerMethodField(
        help_text=_("When registration closes; null when there is no registration.")
    )
    published_at = serializers.DateTimeField(help_text=_("When it was published."))
    url = serializers.SerializerMethodField(help_text=_("The event's page on this site."))

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "organizer",
            "areas",
            "district",
            "place",
            "online",
            "online_link",
            "starts_at",
            "ends_at",
            "capacity",
            "places_left",
            "registration_closes_at",
            "published_at",
            "url",
        ]
        read_only_fields = fields
        blank_as_null = ["place"]

    @extend_schema_field(EventOrganizerSerializer)
    def get_organizer(self, obj):
        if obj.organization_id:
            return {
                "type": "organization",
                "name": obj.organization.name,
                "slug": obj.organization.slug,
            }
        if obj.department_id:
            return {"type": "department", "name": str(obj.department), "slug": None}
        return {"type": "city", "name": str(_("The city")), "slug": None}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_online_link(self, obj):
        if not obj.online or not obj.online_link or obj.has_registration:
            return None
        return obj.online_link

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_places_left(self, obj):
        if not obj.has_registration:
            return None
        return max(obj.capacity - obj.taken, 0)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_registration_closes_at(self, obj):
        if not obj.has_registration:
            return None
        return serializers.DateTimeField().to_representation(obj.registration_closes_at)

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


# --- views -----------------------------------------------------------------------------


class EventPagination(NamedPagination):
    noun = _("events")


NO_SUCH_EVENT = OpenApiResponse(ErrorSerializer, description=_("No such published event."))


@extend_schema_view(
    list=extend_schema(
        summary=_("List events"),
        description=_(
            "Published NGO events, trainings and workshops, and sector meetings of the city "
            "and NGOs, soonest first, 50 per page; never drafts, events awaiting "
            "moderation, rejected or cancelled ones. Deadlines, consultations and room "
            "bookings are in the calendar's iCal feed (/kalendarz/ical/)."
        ),
        responses={200: EventSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One event"),
        description=_("A published event by its number."),
        responses={200: EventSerializer, 404: NO_SUCH_EVENT},
    ),
)
class EventViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    """Not cached: places left change with every registration."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    pagination_class = EventPagination
    queryset = Event.objects.none()
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return published_events()

    def get_object(self):
        # A number only: anything else is no event (a 404), not a database error.
        if not str(self.kwargs.get("pk", "")).isdigit():
            raise NotFound
        return super().get_object()
