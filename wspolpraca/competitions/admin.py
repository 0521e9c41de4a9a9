"""The back office of the schedule of calls and of the legal rules.

Officials and coordinators add and change their own department's planned calls (the
department field offers only theirs, and a save for another department is refused);
coordinators publish the year's schedule; platform administrators keep the legal rules.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wspolpraca.city.models import Department, department_of
from wspolpraca.core import workdays
from wspolpraca.core.admin import AuditedAdminMixin, PlatformAdminOnlyMixin
from wspolpraca.organizations.forms import IdMultipleChoiceField
from wspolpraca.organizations.widgets import AreaChoiceWidget

from .models import CallSchedule, LegalRules, PlannedCall
from .services import may_manage


@admin.register(LegalRules)
class LegalRulesAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "legal_rules"
    name_accusative = pgettext_lazy("accusative", "legal rules")
    list_display = ["__str__", "min_days_to_deadline", "small_grant_max_amount", "changed_at"]

    def has_add_permission(self, request):  # one row, made by the migration
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlannedCallInline(admin.TabularInline):
    model = PlannedCall
    fields = ["title", "department", "planned_announcement", "planned_deadline", "planned_amount"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CallSchedule)
class CallScheduleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "call_schedule"
    name_accusative = pgettext_lazy("accusative", "schedule of calls")
    list_display = ["year", "published_at", "planned_count"]
    fields = ["year", "note", "published_at"]
    readonly_fields = ["published_at"]
    inlines = [PlannedCallInline]
    actions = ["publish", "withdraw"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_planned=Count("planned_calls"))

    @admin.display(description=_("planned calls"), ordering="_planned")
    def planned_count(self, obj):
        return obj._planned

    @admin.action(description=_("Publish the selected schedules"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, timezone.now())

    @admin.action(
        description=_("Withdraw the selected schedules from the site"), permissions=["change"]
    )
    def withdraw(self, request, queryset):
        self._set_published(request, queryset, None)

    def _set_published(self, request, queryset, when):
        from wspolpraca.core.audit import record

        changed = 0
        for schedule in queryset:
            if (schedule.published_at is None) == (when is None):
                continue
            before = schedule.published_at
            schedule.published_at = when
            schedule.save(update_fields=["published_at"])
            record(
                request.user,
                "call_schedule.published" if when else "call_schedule.withdrawn",
                schedule,
                {"published_at": [str(before) if before else None, str(when) if when else None]},
            )
            changed += 1
        self.message_user(
            request,
            ngettext("%(n)d schedule changed.", "%(n)d schedules changed.", changed)
            % {"n": changed},
            messages.SUCCESS,
        )


class PlannedCallForm(forms.ModelForm):
    class Meta:
        model = PlannedCall
        fields = [
            "schedule",
            "department",
            "title",
            "description",
            "areas",
            "funding_mode",
            "planned_announcement",
            "planned_deadline",
            "planned_amount",
        ]
        field_classes = {"areas": IdMultipleChoiceField}
        # The site's grouped, searchable areas (as on the organization form).
        widgets = {"areas": AreaChoiceWidget}


@admin.register(PlannedCall)
class PlannedCallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = PlannedCallForm
    audit_prefix = "planned_call"
    name_accusative = pgettext_lazy("accusative", "planned call")
    list_display = [
        "title",
        "department",
        "schedule",
        "funding_mode",
        "planned_announcement",
        "planned_deadline",
        "planned_amount",
    ]
    list_filter = ["schedule", "department", "funding_mode", "areas"]
    list_select_related = ["department", "schedule"]
    search_fields = ["title", "description", "department__name"]
    date_hierarchy = "planned_announcement"
    fields = PlannedCallForm.Meta.fields

    def _own_department_only(self, request):
        return not request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department" and self._own_department_only(request):
            department = department_of(request.user)
            kwargs["queryset"] = Department.objects.filter(pk=department.pk if department else None)
            kwargs["initial"] = department
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        return allowed and (request.user.is_superuser or department_of(request.user) is not None)

    def save_model(self, request, obj, form, change):
        # The form offers only the person's department; this holds whatever is posted.
        if not may_manage(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        reason = workdays.non_working_reason(obj.planned_deadline)
        if reason:
            self.message_user(
                request,
                _(
                    "The planned deadline, %(date)s, is not a working day (%(reason)s). "
                    "Offers had better be due on a working day."
                )
                % {"date": date_format(obj.planned_deadline), "reason": reason},
                messages.WARNING,
            )
