"""Submitted offers in the back office: the addressed department's officials read them
(evaluation comes next); nobody changes them here, and drafts stay the organization's."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.city.models import department_of
from wspolpraca.core.admin import NamedAdminMixin, RecordOnlyMixin

from .models import Offer, OfferComment


class OfferCommentInline(admin.TabularInline):
    model = OfferComment
    fields = ["created_at", "author_name", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(RecordOnlyMixin, NamedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "offer")
    list_display = ["number", "title", "organization", "call", "status", "submitted_at", "signed"]
    list_filter = ["status", "kind", "department", "call"]
    list_select_related = ["organization", "call"]
    search_fields = ["number", "title", "organization__name"]
    date_hierarchy = "submitted_at"
    fields = [
        "number",
        "kind",
        "status",
        "call",
        "department",
        "organization",
        "title",
        "requested_grant",
        "submitted_at",
        "submitted_by",
        "content_sha256",
        "documents",
        "signed_by",
        "signed_at",
        "replaces",
        "withdrawn_at",
        "comments_open_until",
    ]
    readonly_fields = fields
    inlines = [OfferCommentInline]

    def get_queryset(self, request):
        offers = super().get_queryset(request).exclude(status=Offer.Status.DRAFT)
        if request.user.is_superuser:
            return offers
        department = department_of(request.user)
        return offers.filter(department=department) if department else offers.none()

    @admin.display(description=_("signed confirmation"), boolean=True)
    def signed(self, obj):
        return bool(obj.signed_by)

    @admin.display(description=_("documents"))
    def documents(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("offers:pdf", args=[obj.pk]),
            _("offer (PDF)"),
            reverse("offers:receipt_pdf", args=[obj.pk]),
            _("receipt (PDF)"),
        )
