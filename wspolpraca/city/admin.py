from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.admin import AuditTrailMixin
from wspolpraca.core.audit import diff, record

from .models import Coordinator, Department


def snapshot(obj):
    """The editable values of `obj`, many-to-many fields as sorted primary keys."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False):
            continue
        values[field.name] = field.value_from_object(obj)
    if obj.pk:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


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


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    fields = ["full_name", "role", "email", "phone", "is_active", "position"]
    extra = 0
    show_change_link = True


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "department"
    list_display = ["name", "short_name", "email", "phone", "coordinator_count", "position"]
    list_editable = ["position"]
    search_fields = ["name", "short_name", "email", "description"]
    inlines = [CoordinatorInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_coordinators=Count("coordinators"))

    @admin.display(description=_("coordinators"), ordering="_coordinators")
    def coordinator_count(self, obj):
        return obj._coordinators


@admin.register(Coordinator)
class CoordinatorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "coordinator"
    list_display = ["full_name", "role", "department", "email", "phone", "is_active", "position"]
    list_filter = ["is_active", "department", "areas"]
    list_select_related = ["department"]
    search_fields = ["full_name", "role", "email", "department__name", "department__short_name"]
    filter_horizontal = ["areas"]
    autocomplete_fields = ["department"]
