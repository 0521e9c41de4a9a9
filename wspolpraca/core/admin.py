from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .audit import diff, record, snapshot
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_label", "object_repr", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditTrailMixin:
    """Shows an object's audit trail, read-only, on its admin change page."""

    @admin.display(description=_("Audit trail"))
    def audit_trail(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        entries = AuditEntry.objects.for_object(obj)[:200]
        return render_to_string("core/audit_trail.html", {"entries": entries})

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "audit_trail"]


class AuditedAdminMixin(AuditTrailMixin):
    """Writes an audit entry with the changed fields whenever the admin saves an object.

    The entry is written after the related objects (many-to-many) are saved, so the
    diff includes them.
    """

    audit_prefix = None

    def _audit_action(self, obj, change):
        prefix = self.audit_prefix or obj._meta.model_name
        return f"{prefix}.{'updated' if change else 'created'}"

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None:
                before = snapshot(stored)
        request._audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        changes = diff(getattr(request, "_audit_before", {}), snapshot(obj))
        if changes or not change:
            record(request.user, self._audit_action(obj, change), obj, changes)

    def delete_model(self, request, obj):
        record(request.user, f"{self.audit_prefix or obj._meta.model_name}.deleted", obj)
        super().delete_model(request, obj)
