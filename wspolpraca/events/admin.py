"""The back office of events. Events are submitted, moderated, registered for and
cancelled on the site's own pages, where the rules of each status are enforced and each
decision is audited; here platform administrators may correct an event's texts (the
change is audited too), and everyone with access may look things up."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, NamedAdminMixin, PlatformAdminOnlyMixin

from .models import Event, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["user", "status", "created_at", "cancelled_at", "reminded_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("registrations")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Event)
class EventAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "event"
    name_accusative = pgettext_lazy("accusative", "event")
    list_display = ["title", "kind", "status", "starts_at", "organization", "department"]
    list_filter = ["status", "kind", "district"]
    search_fields = ["title", "organization__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["organization", "department"]
    raw_id_fields = ["organization", "submitted_by", "moderated_by"]
    filter_horizontal = ["areas"]
    # What the site's services decide is shown, not edited: a status changed here would
    # skip the e-mails and the audit entries of moderation and cancellation.
    readonly_fields = [
        "kind",
        "status",
        "rejection_reason",
        "cancellation_reason",
        "submitted_by",
        "submitted_at",
        "moderated_by",
        "moderated_at",
        "created_at",
        "published_at",
        "cancelled_at",
    ]
    inlines = [RegistrationInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(NamedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "registration")
    list_display = ["event", "user", "status", "created_at", "reminded_at"]
    list_filter = ["status"]
    search_fields = ["event__title", "user__email", "user__full_name"]
    list_select_related = ["event", "user"]
    readonly_fields = ["event", "user", "status", "created_at", "cancelled_at", "reminded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
