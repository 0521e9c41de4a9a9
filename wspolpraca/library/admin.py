"""The back office of the library: studies and research topics.

Studies are submitted, moderated, hidden and shown on the site's own pages, where the
rules are enforced and people are told; the back office corrects a study's description
(a typo in the title, a missing district) with the change audited, and shows its trail.
Research topics are answered on the site; here they are read only, and a platform
administrator may delete one that breaks the rules.
"""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin

from .models import ResearchTopic, Study


@admin.register(Study)
class StudyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "study")
    list_display = ["title", "publisher_type", "year", "status", "licence", "published_at"]
    list_filter = ["status", "publisher_type", "licence", "year"]
    search_fields = ["title", "authors", "publisher_name", "organization__name"]
    list_select_related = ["organization"]
    date_hierarchy = "created_at"
    raw_id_fields = ["organization"]
    filter_horizontal = ["areas", "districts"]
    fields = [
        "title",
        "authors",
        "publisher_type",
        "publisher_name",
        "organization",
        "year",
        "areas",
        "districts",
        "abstract",
        "link",
        "licence",
        "licence_other",
        "status",
        "rejection_reason",
        "hidden_reason",
        "submitted_by",
        "submitted_at",
        "moderated_by",
        "moderated_at",
        "published_at",
    ]
    # The state and who decided it change on the site, where the rules and e-mails are.
    readonly_fields = [
        "status",
        "rejection_reason",
        "hidden_reason",
        "submitted_by",
        "submitted_at",
        "moderated_by",
        "moderated_at",
        "published_at",
    ]

    def has_add_permission(self, request):
        return False  # added on the site (library:study_new), with its check step


@admin.register(ResearchTopic)
class ResearchTopicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "research topic")
    list_display = ["title", "status", "support_count", "created_at", "answered_at"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    date_hierarchy = "created_at"
    exclude = ["proposed_by"]
    readonly_fields = [
        "title",
        "description",
        "areas",
        "status",
        "answer",
        "answered_by",
        "answered_at",
        "study",
        "support_count",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A topic that breaks the rules (offensive, an advertisement) is removed by a
        # platform administrator; the deletion is audited.
        return request.user.is_superuser
