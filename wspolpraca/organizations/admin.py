from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wspolpraca.core import uploads
from wspolpraca.core.admin import AuditedAdminMixin, PlatformAdminOnlyMixin

from . import services
from .models import (
    ClaimRequest,
    District,
    Invitation,
    KrsWatchRun,
    Membership,
    Organization,
    PublicBenefitArea,
    TargetGroup,
)


@admin.register(PublicBenefitArea)
class PublicBenefitAreaAdmin(AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "public benefit area")
    list_display = ["code", "label_pl", "label_en", "valid_from", "valid_to"]
    search_fields = ["code", "label_pl", "label_en"]
    ordering = ["position", "code"]


@admin.register(District)
class DistrictAdmin(AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "district")
    list_display = ["number", "roman", "name"]


@admin.register(TargetGroup)
class TargetGroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "target group")
    list_display = ["name_pl", "name_en"]
    search_fields = ["name_pl", "name_en"]


class MembershipInline(PlatformAdminOnlyMixin, admin.TabularInline):
    """Staff see who belongs to the organization; only platform admins change it here
    (the organization's own admins do it on the site)."""

    model = Membership
    name_accusative = pgettext_lazy("accusative", "membership")
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]
    # Written beside a changed row's changes in the audit trail: whose membership it was.
    audit_identity = ["user"]


class OrganizationAdminForm(forms.ModelForm):
    """The back office takes logos under the same upload policy as the site's forms."""

    class Meta:
        model = Organization
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose the fields

    def clean_logo(self):
        return uploads.accept_upload(
            self.cleaned_data.get("logo"),
            types=uploads.IMAGE_TYPES,
            max_size=settings.LOGO_MAX_SIZE,
        )


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = OrganizationAdminForm
    name_accusative = pgettext_lazy("accusative", "organization")
    list_display = [
        "name",
        "kind",
        "krs",
        "district",
        "verification",
        "is_public_benefit",
        "register_status",
        "source",
        "is_hidden",
        "created_at",
    ]
    list_filter = [
        "verification",
        "source",
        "is_hidden",
        "kind",
        "is_public_benefit",
        "register_status",
        "district",
    ]
    search_fields = ["name", "short_name", "krs", "nip", "regon", "email"]
    list_select_related = ["district"]
    filter_horizontal = ["areas", "target_groups"]
    readonly_fields = ["created_at", "updated_at", "verified_at", "register_checked_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]
    actions = ["verify_selected", "reject_selected"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "description", "logo"]}),
        (
            _("Register"),
            {
                "fields": [
                    "krs",
                    "nip",
                    "regon",
                    "other_register",
                    "registration_date",
                    "is_public_benefit",
                    "register_status",
                    "register_checked_at",
                    "statutory_goals",
                ]
            },
        ),
        (
            _("Address and contact"),
            {
                "fields": [
                    "street",
                    "postal_code",
                    "city",
                    "district",
                    "latitude",
                    "longitude",
                    "website",
                    "email",
                    "phone",
                ]
            },
        ),
        (_("Activity"), {"fields": ["areas", "target_groups"]}),
        (
            _("State"),
            {
                "fields": [
                    "verification",
                    "verified_at",
                    "data_confirmed_at",
                    "source",
                    "is_hidden",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (_("Audit"), {"fields": ["audit_trail"]}),
    ]

    # What only platform administrators set: the verification decision (taken with the
    # actions below, which notify the organization), where the record came from, and the
    # date on which the organization itself last confirmed its data.
    PLATFORM_ADMIN_FIELDS = ["verification", "source", "data_confirmed_at"]

    def save_model(self, request, obj, form, change):
        old_logo = Organization.objects.filter(pk=obj.pk).values_list("logo", flat=True).first()
        super().save_model(request, obj, form, change)
        uploads.delete_replaced(old_logo, obj.logo)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_verify_permission(request):
            fields += [f for f in self.PLATFORM_ADMIN_FIELDS if f not in fields]
        return fields

    def has_verify_permission(self, request):
        return request.user.has_perm("organizations.verify_organization")

    @admin.action(description=_("Verify the selected organizations"), permissions=["verify"])
    def verify_selected(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected registrations"), permissions=["verify"])
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, approve):
        done = 0
        for organization in queryset:
            try:
                services.verify(organization, by=request.user, approve=approve)
                done += 1
            except services.OrganizationError as error:
                self.message_user(request, f"{organization}: {error}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(n)d organization updated.", "%(n)d organizations updated.", done)
            % {"n": done},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "membership")
    list_display = ["organization", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["organization__name", "user__email"]
    raw_id_fields = ["organization", "user"]
    list_select_related = ["organization", "user"]


@admin.register(Invitation)
class InvitationAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "invitation")
    list_display = [
        "organization",
        "email",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "cancelled_at",
    ]
    search_fields = ["organization__name", "email"]
    raw_id_fields = ["organization", "invited_by"]
    list_select_related = ["organization"]


@admin.register(ClaimRequest)
class ClaimRequestAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "claim request")
    list_display = ["organization", "user", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__name", "user__email"]
    raw_id_fields = ["organization", "user", "decided_by"]
    list_select_related = ["organization", "user"]


@admin.register(KrsWatchRun)
class KrsWatchRunAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "KRS watch run")
    list_display = [
        "day",
        "status",
        "numbers_in_bulletin",
        "refreshed_count",
        "new_count",
        "started_at",
        "finished_at",
    ]
    list_filter = ["status"]
    readonly_fields = [f.name for f in KrsWatchRun._meta.fields]

    def has_add_permission(self, request):
        return False
