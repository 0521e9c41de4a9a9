"""The back office of rooms: buildings with their opening hours, rooms with their
managers, bookable hours, photos and blocked periods, and the support places. Bookings
are shown read-only: requests are decided on the site's pages (the managers' queue), where
the rules and the e-mails are, and every decision is in the booking's audit trail."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, AuditTrailMixin
from wspolpraca.core.uploads import IMAGE_TYPES, accept_upload

from .models import (
    BlockedPeriod,
    Booking,
    Building,
    BuildingHours,
    Equipment,
    Room,
    RoomHours,
    RoomPhoto,
    SupportPlace,
    SupportPlaceHours,
)


class BuildingHoursInline(admin.TabularInline):
    model = BuildingHours
    extra = 0
    name_accusative = pgettext_lazy("accusative", "opening hours")


@admin.register(Building)
class BuildingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "building")
    list_display = ["name", "owner_unit", "district", "step_free_entry", "lift"]
    list_filter = ["district", "step_free_entry", "lift", "accessible_toilet", "induction_loop"]
    search_fields = ["name", "street", "owner_unit"]
    autocomplete_fields = ["department"]
    inlines = [BuildingHoursInline]
    fieldsets = [
        (None, {"fields": ["name", "owner_unit", "department"]}),
        (
            _("Address"),
            {"fields": ["street", "postal_code", "city", "district", "latitude", "longitude"]},
        ),
        (_("How to get there"), {"fields": ["directions"]}),
        (
            _("Accessibility"),
            {
                "fields": [
                    "step_free_entry",
                    "lift",
                    "accessible_toilet",
                    "induction_loop",
                    "parking",
                    "accessibility_notes",
                ]
            },
        ),
        (_("History"), {"fields": ["audit_trail"]}),
    ]


class RoomForm(forms.ModelForm):
    equipment = forms.MultipleChoiceField(
        label=_("equipment"),
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Room
        fields = [
            "building",
            "name",
            "description",
            "is_active",
            "capacity",
            "area",
            "equipment",
            "is_free",
            "fee_text",
            "for_verified_organizations",
            "for_informal_groups",
            "for_others",
            "needs_approval",
            "house_rules",
            "managers",
        ]


class RoomHoursInline(admin.TabularInline):
    model = RoomHours
    extra = 0
    name_accusative = pgettext_lazy("accusative", "bookable hours")


class RoomPhotoForm(forms.ModelForm):
    class Meta:
        model = RoomPhoto
        fields = ["image", "alt", "position"]

    def clean_image(self):
        return accept_upload(
            self.cleaned_data.get("image"),
            types=IMAGE_TYPES,
            max_size=getattr(settings, "ROOM_PHOTO_MAX_SIZE", settings.LOGO_MAX_SIZE),
        )


class RoomPhotoInline(admin.TabularInline):
    model = RoomPhoto
    form = RoomPhotoForm
    extra = 0
    name_accusative = pgettext_lazy("accusative", "photo")


class BlockedPeriodInline(admin.TabularInline):
    model = BlockedPeriod
    extra = 0
    fields = ["starts", "ends", "reason"]
    name_accusative = pgettext_lazy("accusative", "blocked period")


@admin.register(Room)
class RoomAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = RoomForm
    name_accusative = pgettext_lazy("accusative", "room")
    list_display = ["name", "building", "capacity", "is_free", "needs_approval", "is_active"]
    list_filter = ["is_active", "is_free", "needs_approval", "building__district"]
    search_fields = ["name", "building__name"]
    autocomplete_fields = ["building", "managers"]
    readonly_fields = ["slug"]
    inlines = [RoomHoursInline, RoomPhotoInline, BlockedPeriodInline]
    fieldsets = [
        (None, {"fields": ["building", "name", "slug", "description", "is_active"]}),
        (_("Size and equipment"), {"fields": ["capacity", "area", "equipment"]}),
        (_("Cost"), {"fields": ["is_free", "fee_text"]}),
        (
            _("Booking"),
            {
                "fields": [
                    "for_verified_organizations",
                    "for_informal_groups",
                    "for_others",
                    "needs_approval",
                    "house_rules",
                    "managers",
                ]
            },
        ),
        (_("History"), {"fields": ["audit_trail"]}),
    ]

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, BlockedPeriod) and instance.created_by_id is None:
                instance.created_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(Booking)
class BookingAdmin(AuditTrailMixin, admin.ModelAdmin):
    """Read-only: the decisions are taken in the managers' queue on the site."""

    list_display = ["number", "room", "starts", "ends", "who", "status"]
    list_filter = ["status", "requester_kind", "room__building"]
    search_fields = ["purpose", "group_name", "organization__name", "requested_by__email"]
    date_hierarchy = "starts"
    list_select_related = ["room__building", "organization"]

    @admin.display(description=pgettext_lazy("booking", "number"))
    def number(self, obj):
        return obj.number

    @admin.display(description=_("for"))
    def who(self, obj):
        return obj.who

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupportPlaceHoursInline(admin.TabularInline):
    model = SupportPlaceHours
    extra = 0
    name_accusative = pgettext_lazy("accusative", "opening hours")


@admin.register(SupportPlace)
class SupportPlaceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "support place")
    list_display = ["name", "operator", "district", "is_active"]
    list_filter = ["district", "is_active"]
    search_fields = ["name", "operator", "street"]
    inlines = [SupportPlaceHoursInline]
