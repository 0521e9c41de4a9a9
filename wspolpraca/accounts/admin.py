from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.admin import AuditTrailMixin
from wspolpraca.core.audit import record

from .models import User
from .roles import apply_role


@admin.register(User)
class UserAdmin(AuditTrailMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "requires_mfa"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone"]}),
        (
            _("Role and access"),
            {"fields": ["role", "requires_mfa", "is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
        (_("Audit"), {"fields": ["audit_trail"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2", "role"]})
    ]
    filter_horizontal = ["groups"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "role" in form.changed_data:
            apply_role(obj)
            before = form.initial.get("role")
            record(request.user, "account.role_changed", obj, {"role": [before, obj.role]})
