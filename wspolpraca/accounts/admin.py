from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, PlatformAdminOnlyMixin
from wspolpraca.core.audit import record

from .models import User
from .roles import apply_role

# The staff groups are kept in step with accounts/roles.py by `manage.py sync_roles` and
# given by the role (apply_role): an edit in the back office would be undone, so they are
# not offered there.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, BaseUserAdmin):
    name_accusative = pgettext_lazy("accusative", "user")
    audit_prefix = "account"
    # Never copied into the trail: the password hash, and the sign-in time nobody edits.
    audit_exclude = ("password", "last_login")
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "requires_mfa"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "language"]}),
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
    # Back-office access, superuser status and the staff group follow the role (apply_role);
    # the dates are written by the site.
    readonly_fields = ["is_staff", "is_superuser", "groups", "last_login", "date_joined"]
    actions = ["reset_two_factor"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "role" in form.changed_data:
            apply_role(obj)

    @admin.action(
        description=_("Reset two-factor sign-in of the selected users"), permissions=["change"]
    )
    def reset_two_factor(self, request, queryset):
        """For a person who lost their phone: they set up the second factor again at the
        next sign-in (staff must). Asked on a page of its own first, as every destructive
        action is."""
        from allauth.mfa.models import Authenticator

        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/accounts/user/reset_two_factor.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reset two-factor sign-in?"),
                    "users": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        done = 0
        for user in queryset:
            deleted, _rows = Authenticator.objects.filter(user=user).delete()
            if deleted:
                record(request.user, "account.two_factor_reset", user)
                done += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(n)d user.",
                "Two-factor sign-in was reset for %(n)d users.",
                done,
            )
            % {"n": done},
            messages.SUCCESS,
        )
