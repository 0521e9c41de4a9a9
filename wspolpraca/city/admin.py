from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, PlatformAdminOnlyMixin
from wspolpraca.organizations.forms import IdMultipleChoiceField
from wspolpraca.organizations.widgets import AreaChoiceWidget

from .models import Coordinator, Department, Official, TrainingTopic


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    name_accusative = pgettext_lazy("accusative", "coordinator")
    # Written beside a changed row's changes in the audit trail: whose row it was.
    audit_identity = ["full_name"]
    fields = ["full_name", "role", "email", "phone", "is_active", "position"]
    extra = 0
    show_change_link = True


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "department"
    name_accusative = pgettext_lazy("accusative", "department")
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


class CoordinatorForm(forms.ModelForm):
    class Meta:
        model = Coordinator
        fields = [
            "department",
            "full_name",
            "role",
            "email",
            "phone",
            "areas",
            "is_active",
            "position",
        ]
        field_classes = {"areas": IdMultipleChoiceField}
        # The site's grouped, searchable areas (as on the organization form).
        widgets = {"areas": AreaChoiceWidget}


@admin.register(Coordinator)
class CoordinatorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CoordinatorForm
    audit_prefix = "coordinator"
    name_accusative = pgettext_lazy("accusative", "coordinator")
    list_display = ["full_name", "role", "department", "email", "phone", "is_active", "position"]
    list_filter = ["is_active", "department", "areas"]
    list_select_related = ["department"]
    search_fields = ["full_name", "role", "email", "department__name", "department__short_name"]
    autocomplete_fields = ["department"]


@admin.register(Official)
class OfficialAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Platform administrators say which department each staff account acts for."""

    audit_prefix = "official"
    name_accusative = pgettext_lazy("accusative", "official of a department")
    list_display = ["user", "department", "position"]
    list_filter = ["department"]
    list_select_related = ["user", "department"]
    search_fields = ["user__email", "user__full_name", "department__name"]
    autocomplete_fields = ["user", "department"]


@admin.register(TrainingTopic)
class TrainingTopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "training_topic"
    name_accusative = pgettext_lazy("accusative", "training topic")
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
