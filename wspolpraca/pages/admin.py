from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin

from .models import AccessibilityDeclaration, Page


@admin.register(Page)
class PageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "page"
    name_accusative = pgettext_lazy("accusative", "page")
    list_display = [
        "title_pl",
        "slug",
        "plane",
        "show_in_plane",
        "is_published",
        "has_english",
        "updated_at",
        "preview",
    ]
    list_filter = ["is_published", "plane", "show_in_plane"]
    search_fields = ["slug", "title_pl", "title_en", "body_pl", "body_en"]
    readonly_fields = ["preview", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "is_published",
                    "plane",
                    "show_in_plane",
                    "position",
                    "preview",
                    "updated_at",
                ]
            },
        ),
        (_("Polish"), {"fields": ["title_pl", "summary_pl", "body_pl"]}),
        (
            _("English"),
            {
                "fields": ["title_en", "summary_en", "body_en"],
                "description": _("Leave empty to show the Polish text to English readers."),
            },
        ),
    ]

    @admin.display(description=_("English version"), boolean=True)
    def has_english(self, obj):
        return bool(obj.title_en and obj.body_en)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        label = _("Open the page") if obj.is_published else _("Preview (not published)")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label
        )


@admin.register(AccessibilityDeclaration)
class AccessibilityDeclarationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "accessibility_declaration"
    name_accusative = pgettext_lazy("accusative", "accessibility declaration")
    list_display = ["entity_name", "status", "updated_on", "reviewed_on", "preview"]
    readonly_fields = ["preview"]
    fieldsets = [
        (None, {"fields": ["preview", "entity_name", "site_url", "published_on", "updated_on"]}),
        (_("Compliance"), {"fields": ["status", "non_accessible_content"]}),
        (_("Preparation"), {"fields": ["prepared_on", "reviewed_on", "assessment", "auditor"]}),
        (_("Contact"), {"fields": ["contact_person", "email", "phone", "complaint_procedure"]}),
        (_("Other information"), {"fields": ["architectural_accessibility", "mobile_apps"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AccessibilityDeclaration.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return {
            **AccessibilityDeclaration.defaults(),
            **super().get_changeform_initial_data(request),
        }

    @admin.display(description=_("preview"))
    def preview(self, obj):
        from django.urls import reverse

        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("pages:accessibility"),
            _("Open the declaration"),
        )
