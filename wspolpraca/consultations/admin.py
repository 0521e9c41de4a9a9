"""The back office of consultations: the rules (one row) and the tracker's catalogues.

Consultations, postulates and answers are run on the site's own pages, where the rules of
their phases are enforced; the back office only shows them, and deletes nothing: a
postulate is hidden with a reason, never removed."""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, PlatformAdminOnlyMixin

from .models import Catalogue, Consultation, ConsultationRules, TrackedPostulate


@admin.register(ConsultationRules)
class ConsultationRulesAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "consultation_rules"
    name_accusative = pgettext_lazy("accusative", "consultation rules")
    list_display = ["__str__", "information_days", "open_days", "min_forms", "report_days"]

    def has_add_permission(self, request):  # one row
        return not ConsultationRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Catalogue)
class CatalogueAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "catalogue"
    name_accusative = pgettext_lazy("accusative", "catalogue of postulates")
    list_display = ["code", "title", "consultation"]
    raw_id_fields = ["consultation"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "department", "opens_on", "closes_on", "postulate_count"]
    list_filter = ["department"]
    search_fields = ["title"]


@admin.register(TrackedPostulate)
class TrackedPostulateAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "department", "status"]
    list_filter = ["status", "plane", "sector", "department"]
    search_fields = ["code", "title"]
