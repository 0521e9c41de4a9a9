"""The back office of the exchange: posts and the reports about them, read-only.

Posts are published, changed, closed and hidden on the site's own pages, where the rules
are enforced and the authors are told; the back office shows them with their audit trail
and the reports to look into. Conversations are private to their two sides: the back
office does not show them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditTrailMixin, NamedAdminMixin

from .models import AbuseReport, Post


class ReadOnlyAdmin(NamedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportInline(admin.TabularInline):
    model = AbuseReport
    fields = ["created_at", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("report of a post")
    verbose_name_plural = _("reports of posts")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(AuditTrailMixin, ReadOnlyAdmin):
    name_accusative = pgettext_lazy("accusative", "exchange post")
    list_display = [
        "title",
        "side",
        "category",
        "author_name",
        "status",
        "expires_on",
        "is_hidden",
        "created_at",
    ]
    list_filter = ["side", "category", "author_kind", "status", "is_hidden"]
    search_fields = ["title", "company_name", "organization__name"]
    list_select_related = ["organization"]
    date_hierarchy = "created_at"
    exclude = ["search_name", "search_document"]
    inlines = [ReportInline]

    @admin.display(description=_("posted by"))
    def author_name(self, obj):
        return obj.author_name


@admin.register(AbuseReport)
class AbuseReportAdmin(ReadOnlyAdmin):
    name_accusative = pgettext_lazy("accusative", "report of a post")
    list_display = ["post", "created_at", "reason"]
    list_select_related = ["post"]
    date_hierarchy = "created_at"
    # Who reported stays with the platform: the admins read what, not who.
    exclude = ["reporter"]
