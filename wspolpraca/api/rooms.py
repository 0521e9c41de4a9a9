"""Rooms for NGOs in the API: /api/v1/rooms/ (list and detail), with the filters of the
rooms' page and, with ?from=YYYY-MM-DD&to=YYYY-MM-DD (at most 31 days), each room's busy
intervals in that range.

Only what the public pages show: a busy interval says when the room is taken (booked,
waiting for approval, or blocked), never by whom or for what.
"""

from datetime import date, datetime, timedelta

import django_filters
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wspolpraca.venues import services
from wspolpraca.venues.forms import aware
from wspolpraca.venues.models import Equipment, Room, RoomHours

from .consultations import NamedPagination, _absolute, _listing
from .filters import YES_NO, OneValueEachMixin
from .views import FILTER_ERRORS, NO_SUCH_PAGE, ErrorSerializer, LicensedDataMixin

MAX_DAYS = 31
ACCESSIBILITY = ("step_free_entry", "lift", "accessible_toilet", "induction_loop", "parking")


# --- filters ---------------------------------------------------------------------------


class IntegerFilter(django_filters.NumberFilter):
    """A whole number ("0.5" is a 400; NumberFilter would take any decimal)."""

    field_class = forms.IntegerField


class YesNoFilter(django_filters.ChoiceFilter):
    """true or false, and nothing else ("null" or "1" is a 400, not "no filter")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=YES_NO, **kwargs)

    def filter(self, queryset, value):
        if value in ("", None):
            return queryset
        return queryset.filter(**{self.field_name: value == "true"})


class RoomFilter(OneValueEachMixin, django_filters.FilterSet):
    """Every value is checked before the database sees it: a parameter given twice (but
    equipment) or given empty is a 400 naming it, as the schema promises one value."""

    district = IntegerFilter(
        field_name="building__district__number",
        min_value=1,
        label=_("District (its number, 1–18 in Kraków)."),
    )
    min_capacity = IntegerFilter(
        field_name="capacity", lookup_expr="gte", min_value=1, label=_("At least this many people.")
    )
    equipment = django_filters.MultipleChoiceFilter(
        choices=Equipment.choices,
        method="filter_equipment",
        label=_listing(
            _("Equipment the room has (repeat for several): %(values)s."), Equipment.choices
        ),
    )
    step_free_entry = YesNoFilter(
        field_name="building__step_free_entry", label=_("Step-free entry.")
    )
    lift = YesNoFilter(field_name="building__lift", label=_("A lift."))
    accessible_toilet = YesNoFilter(
        field_name="building__accessible_toilet", label=_("An accessible toilet.")
    )
    induction_loop = YesNoFilter(
        field_name="building__induction_loop", label=_("An induction loop.")
    )
    parking = YesNoFilter(field_name="building__parking", label=_("Parking."))
    is_free = YesNoFilter(field_name="is_free", label=_("Free of charge."))
    free_on = django_filters.DateFilter(
        method="filter_free", label=_("Free on this day (with free_from and free_until).")
    )
    free_from = django_filters.TimeFilter(
        method="filter_free", label=_("Free from this local time (HH:MM).")
    )
    free_until = django_filters.TimeFilter(
        method="filter_free", label=_("Free until this local time (HH:MM).")
    )

    class Meta:
        model = Room
        fields = []

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and "" in self.data.getlist(name):
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
                valid = False
        return valid

    def filter_equipment(self, queryset, name, value):
        return queryset.with_equipment(value)

    def filter_free(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        day, start, end = data.get("free_on"), data.get("free_from"), data.get("free_until")
        if day or start or end:
            if not (day and start and end) or end <= start:
                raise ValidationError(
                    {
                        "free_on": [
                            _(
                                "Give free_on, free_from and free_until together, the end after the start."
                            )
                        ]
                    }
                )
            queryset = queryset.free_between(aware(day, start), aware(day, end))
        return queryset


# --- serializers -----------------------------------------------------------------------


# A wall-clock time without seconds or offset, which OpenAPI's "time" format (RFC 3339
# full-time) does not allow: described as a string of that shape instead.
@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:00"})
class LocalTimeField(serializers.TimeField):
    pass


class HoursSerializer(serializers.ModelSerializer):
    weekday = serializers.IntegerField(help_text=_("Day of the week, 0 Monday … 6 Sunday."))
    opens = LocalTimeField(format="%H:%M", help_text=_("Local time (Europe/Warsaw), HH:MM."))
    closes = LocalTimeField(format="%H:%M", help_text=_("Local time (Europe/Warsaw), HH:MM."))

    class Meta:
        model = RoomHours
        fields = ["weekday", "opens", "closes"]


class BusySerializer(serializers.Serializer):
    starts = serializers.DateTimeField(help_text=_("Start of the busy time."))
    ends = serializers.DateTimeField(help_text=_("End of the busy time."))
    # A string with its values described, not an enum: another choice set named "kind"
    # would make drf-spectacular rename the organizations' KindEnum (see api/calls.py).
    kind = serializers.CharField(
        help_text=_(
            "booked: a booking holds it (confirmed or waiting for approval); blocked: not available."
        ),
    )


class BuildingSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Name of the building."))
    owner_unit = serializers.CharField(help_text=_("The unit that runs it."))
    address = serializers.CharField(help_text=_("Street, postal code and town."))
    district = serializers.IntegerField(source="district.number", help_text=_("District number."))
    district_name = serializers.CharField(source="district.name", help_text=_("District name."))
    latitude = serializers.FloatField(allow_null=True, help_text=_("Latitude (WGS 84)."))
    longitude = serializers.FloatField(allow_null=True, help_text=_("Longitude (WGS 84)."))
    step_free_entry = serializers.BooleanField(help_text=_("Step-free entry."))
    lift = serializers.BooleanField(help_text=_("A lift."))
    accessible_toilet = serializers.BooleanField(help_text=_("An accessible toilet."))
    induction_loop = serializers.BooleanField(help_text=_("An induction loop."))
    parking = serializers.BooleanField(help_text=_("Parking."))


class RoomSerializer(serializers.ModelSerializer):
    """A room that organizations may book."""

    slug = serializers.CharField(help_text=_("The room's code (used in addresses)."))
    name = serializers.CharField(help_text=_("Name of the room."))
    building = BuildingSerializer(help_text=_("The building the room is in."))
    capacity = serializers.IntegerField(help_text=_("How many people it holds."))
    area = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, help_text=_("Area in m²; null: not given.")
    )
    equipment = serializers.ListField(
        child=serializers.ChoiceField(choices=Equipment.choices),
        help_text=_listing(_("Its equipment: %(values)s."), Equipment.choices),
    )
    is_free = serializers.BooleanField(help_text=_("Free of charge for non-commercial use."))
    fee_text = serializers.CharField(help_text=_("The fees, when not free (else empty)."))
    for_verified_organizations = serializers.BooleanField(
        help_text=_("Verified organizations may book it.")
    )
    for_informal_groups = serializers.BooleanField(help_text=_("Informal groups may book it."))
    for_others = serializers.BooleanField(help_text=_("Others may book it."))
    needs_approval = serializers.BooleanField(
        help_text=_("A manager approves each request (else a free time is confirmed at once).")
    )
    bookable_hours = serializers.SerializerMethodField(
        help_text=_("When it can be booked, per weekday.")
    )
    url = serializers.SerializerMethodField(help_text=_("Its page."))
    ical_url = serializers.SerializerMethodField(help_text=_("Its public bookings as iCal."))
    busy = serializers.SerializerMethodField(
        help_text=_("With ?from and ?to: the busy times in that range; else null.")
    )

    class Meta:
        model = Room
        fields = [
            "slug",
            "name",
            "building",
            "capacity",
            "area",
            "equipment",
            "is_free",
            "fee_text",
            "for_verified_organizations",
            "for_informal_groups",
            "for_others",
            "needs_approval",
            "bookable_hours",
            "url",
            "ical_url",
            "busy",
        ]
        read_only_fields = fields

    @extend_schema_field(HoursSerializer(many=True))
    def get_bookable_hours(self, obj):
        return HoursSerializer(obj.bookable_hours(), many=True).data

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())

    def get_ical_url(self, obj) -> str:
        return _absolute(self, reverse("venues:room_ical", args=[obj.slug]))

    @extend_schema_field(BusySerializer(many=True, allow_null=True))
    def get_busy(self, obj):
        busy = self.context.get("busy")
        if busy is None:
            return None
        return [{"starts": s, "ends": e, "kind": k} for s, e, k in busy.get(obj.pk, [])]


# --- the view --------------------------------------------------------------------------


class RoomPagination(NamedPagination):
    noun = _("rooms")


RANGE_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description=_("First day of the free/busy range (with `to`)."),
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description=_("Last day of the free/busy range, at most 31 days after `from`."),
    ),
]
NO_SUCH_ROOM = OpenApiResponse(ErrorSerializer, description=_("No such room."))


def busy_range(params):
    """(start, end) datetimes of ?from and ?to, None when neither is given; a 400 for a
    bad or too long range."""
    if "from" not in params and "to" not in params:
        return None  # an empty value is there, and refused below: "?to=" is not a date
    first, last = params.get("from"), params.get("to")
    try:
        first_day, last_day = date.fromisoformat(first or ""), date.fromisoformat(last or "")
    except ValueError:
        raise ValidationError({"from": [_("Give from and to as dates, YYYY-MM-DD.")]}) from None
    if last_day < first_day:
        raise ValidationError({"to": [_("to must not be before from.")]})
    if (last_day - first_day).days >= MAX_DAYS:
        raise ValidationError({"to": [_("The range is at most 31 days.")]})
    start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), datetime.min.time()))
    return start, end


@extend_schema_view(
    list=extend_schema(
        summary=_("List rooms"),
        description=_(
            "Rooms in city buildings that organizations may book, with the filters of the "
            "rooms' page, 50 per page. With from and to, each room's busy times in that range."
        ),
        parameters=RANGE_PARAMETERS,
        responses={200: RoomSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One room"),
        description=_("A room by its code; with from and to, its busy times in that range."),
        parameters=RANGE_PARAMETERS,
        responses={200: RoomSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_ROOM},
    ),
)
class RoomViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    serializer_class = RoomSerializer
    filterset_class = RoomFilter
    pagination_class = RoomPagination
    queryset = Room.objects.none()
    busy = None

    def get_queryset(self):
        return (
            Room.objects.active()
            .select_related("building__district")
            .prefetch_related("hours", "building__hours")
            .defer("description", "house_rules")
            .order_by("building__name", "name", "id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "busy": self.busy}

    def list(self, request, *args, **kwargs):
        window = busy_range(request.query_params)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rooms = list(page if page is not None else queryset)
        if window:
            self.busy = services.busy_intervals([r.pk for r in rooms], *window)
        serializer = self.get_serializer(rooms, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        window = busy_range(request.query_params)
        room = self.get_object()
        if window:
            self.busy = services.busy_intervals([room.pk], *window)
        return Response(self.get_serializer(room).data)
