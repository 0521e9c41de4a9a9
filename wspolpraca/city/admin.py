from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, NamedAdminMixin, PlatformAdminOnlyMixin
from wspolpraca.organizations.forms import IdMultipleChoiceField
from wspolpraca.organizations.widgets import AreaChoiceWidget

from .models import (
    BodyMeeting,
    BodyMember,
    Coordinator,
    Department,
    DialogueBody,
    Official,
    Opinion,
    OpinionRequest,
    TrainingTopic,
)


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


# ---------------------------------------------------------------------------------------
# Dialogue bodies. Their members, meetings and opinions are kept on the site by the
# bodies' secretaries (city/views.py); the back office sets a body up and corrects.


class BodyMemberInline(NamedAdminMixin, admin.TabularInline):
    model = BodyMember
    name_accusative = pgettext_lazy("accusative", "member of a dialogue body")
    audit_identity = ["full_name"]
    fields = ["full_name", "role", "representing", "organization", "term_start", "term_end"]
    autocomplete_fields = ["organization"]
    extra = 0


class DialogueBodyForm(forms.ModelForm):
    class Meta:
        model = DialogueBody
        fields = [
            "kind",
            "name",
            "slug",
            "description",
            "areas",
            "department",
            "secretaries",
            "regulations_file",
            "regulations_url",
            "contact",
            "opinion_min_days",
            "is_active",
            "position",
        ]
        field_classes = {"areas": IdMultipleChoiceField}
        widgets = {"areas": AreaChoiceWidget}


@admin.register(DialogueBody)
class DialogueBodyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = DialogueBodyForm
    audit_prefix = "dialogue_body"
    name_accusative = pgettext_lazy("accusative", "dialogue body")
    list_display = ["name", "kind", "department", "is_active", "position"]
    list_filter = ["kind", "is_active", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["department", "secretaries"]
    inlines = [BodyMemberInline]


@admin.register(BodyMeeting)
class BodyMeetingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "body_meeting"
    name_accusative = pgettext_lazy("accusative", "meeting of a dialogue body")
    list_display = ["starts_at", "body", "place", "status"]
    list_filter = ["status", "body"]
    list_select_related = ["body"]
    date_hierarchy = "starts_at"
    search_fields = ["body__name", "place", "agenda"]
    autocomplete_fields = ["body"]


@admin.register(Opinion)
class OpinionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "opinion"
    name_accusative = pgettext_lazy("accusative", "opinion or resolution")
    list_display = ["number", "title", "kind", "body", "adopted_on", "published_at"]
    list_filter = ["kind", "body"]
    list_select_related = ["body"]
    date_hierarchy = "adopted_on"
    search_fields = ["number", "title", "body__name"]
    autocomplete_fields = ["body", "request"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(OpinionRequest)
class OpinionRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "opinion_request"
    name_accusative = pgettext_lazy("accusative", "opinion request")
    list_display = ["title", "body", "deadline", "department", "created_at"]
    list_filter = ["body", "department"]
    list_select_related = ["body", "department"]
    search_fields = ["title", "body__name"]
    autocomplete_fields = ["body", "department"]
    readonly_fields = ["requested_by", "created_at"]
