from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wspolpraca.core import uploads
from wspolpraca.core.admin import AuditedAdminMixin, PlatformAdminOnlyMixin
from wspolpraca.core.widgets import MapPointWidget

from . import services
from .forms import OrganizationForm
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


class OrganizationAdminForm(OrganizationForm):
    """The site's organization form with every field the back office shows.

    It inherits the site's rules (KRS, NIP, REGON and postal code in ASCII digits, the
    KRS duplicate check, single-line names, the logo upload policy) and its widgets: the
    point is set on a map, the areas are chosen from grouped, searchable options."""

    class Meta(OrganizationForm.Meta):
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose the fields

    @property
    def TYPED_LENGTHS(self):  # noqa: N802 -- the name OrganizationForm.__init__ reads
        # Staff who may only view the organization get a form without these fields.
        return {k: v for k, v in OrganizationForm.TYPED_LENGTHS.items() if k in self.fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latitude = self.fields.get("latitude")
        if latitude is not None and isinstance(latitude.widget, MapPointWidget):
            # One map for the pair of fields, labelled for what the person does with it.
            latitude.label = latitude.widget.field_label
            latitude.help_text = latitude.widget.field_help_text

    @property
    def media(self):
        # Django's admin puts the form's media in the page's head, before the form, and the
        # widgets' scripts look for their boxes once, when they run: deferred, they run
        # after the page is parsed, in the same order (Leaflet before the map picker).
        media = super().media
        return forms.Media(
            css=media._css,
            js=[forms.Script(js, defer=True) if isinstance(js, str) else js for js in media._js],
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
    # The areas use the site's grouped, searchable widget (OrganizationForm.Meta.widgets).
    filter_horizontal = ["target_groups"]
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
    # The public benefit (OPP) status and the status in the register come from the KRS
    # (the register watch writes them), not from a checkbox.
    PLATFORM_ADMIN_FIELDS = [
        "verification",
        "source",
        "data_confirmed_at",
        "is_public_benefit",
        "register_status",
    ]

    class Media:
        # The map picker's box and the grouped areas, laid out as on the site.
        css = {"all": ["organizations/admin_form.css"]}

    def save_model(self, request, obj, form, change):
        stored = Organization.objects.filter(pk=obj.pk).first() if change else None
        request._organization_before = services.identity_of(stored) if stored else None
        super().save_model(request, obj, form, change)
        uploads.delete_replaced(stored.logo.name if stored else None, obj.logo)

    def save_related(self, request, form, formsets, change):
        # After the change's own audit entry, as on the site (services.update_organization).
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_organization_before", None)
        if before and services.reverify_if_identity_changed(form.instance, before, by=request.user):
            self.message_user(
                request,
                _(
                    "The data has been saved. Because the name, legal form or a register "
                    "number changed, the platform team will verify the organization again; "
                    "until then it is shown as unverified."
                ),
                messages.WARNING,
            )

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
