from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.admin import AuditedAdminMixin

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
    list_display = ["code", "label_pl", "label_en", "valid_from", "valid_to"]
    search_fields = ["code", "label_pl", "label_en"]
    ordering = ["position", "code"]


@admin.register(District)
class DistrictAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "roman", "name"]


@admin.register(TargetGroup)
class TargetGroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name_pl", "name_en"]
    search_fields = ["name_pl", "name_en"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        # Verification is a decision of platform administrators, taken with the actions
        # below (which notify the organization); officials see it but cannot set it.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("organizations.verify_organization", obj):
            fields.append("verification")
        return fields

    @admin.action(description=_("Verify the selected organizations"))
    def verify_selected(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected registrations"))
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
            request, _("%(n)d organizations updated.") % {"n": done}, messages.SUCCESS
        )


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["organization__name", "user__email"]
    raw_id_fields = ["organization", "user"]
    list_select_related = ["organization", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organization", "email", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["organization__name", "email"]
    raw_id_fields = ["organization", "invited_by"]
    list_select_related = ["organization"]


@admin.register(ClaimRequest)
class ClaimRequestAdmin(admin.ModelAdmin):
    list_display = ["organization", "user", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__name", "user__email"]
    raw_id_fields = ["organization", "user", "decided_by"]
    list_select_related = ["organization", "user"]


@admin.register(KrsWatchRun)
class KrsWatchRunAdmin(admin.ModelAdmin):
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
