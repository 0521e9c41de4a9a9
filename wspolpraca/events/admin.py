"""The back office of events. Events are submitted, moderated, registered for and
cancelled on the site's own pages, where the rules of each status are enforced and each
decision is audited; here platform administrators may correct an event's texts (the
change is audited too), and everyone with access may look things up."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, NamedAdminMixin, PlatformAdminOnlyMixin

from .models import Event, Mentor, MentoringBooking, MentoringSlot, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["user", "status", "created_at", "cancelled_at", "reminded_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("registrations")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Event)
class EventAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "event"
    name_accusative = pgettext_lazy("accusative", "event")
    list_display = ["title", "kind", "status", "starts_at", "organization", "department"]
    list_filter = ["status", "kind", "district"]
    search_fields = ["title", "organization__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["organization", "department"]
    raw_id_fields = ["organization", "submitted_by", "moderated_by"]
    filter_horizontal = ["areas", "topics"]
    # What the site's services decide is shown, not edited: a status changed here would
    # skip the e-mails and the audit entries of moderation and cancellation.
    readonly_fields = [
        "kind",
        "status",
        "rejection_reason",
        "cancellation_reason",
        "submitted_by",
        "submitted_at",
        "moderated_by",
        "moderated_at",
        "created_at",
        "published_at",
        "cancelled_at",
    ]
    inlines = [RegistrationInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(NamedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "registration")
    list_display = ["event", "user", "status", "created_at", "reminded_at"]
    list_filter = ["status"]
    search_fields = ["event__title", "user__email", "user__full_name"]
    list_select_related = ["event", "user"]
    readonly_fields = ["event", "user", "status", "created_at", "cancelled_at", "reminded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MentorAdminForm(forms.ModelForm):
    """A new mentor is named by the e-mail address of their account: staff do not browse
    the accounts (only platform administrators do)."""

    email = forms.EmailField(
        label=_("E-mail address of the account"),
        help_text=_("The person must have an account on the platform."),
    )

    class Meta:
        model = Mentor
        fields = ["note", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["email"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this e-mail address."))
        if Mentor.objects.filter(user=user).exists():
            raise forms.ValidationError(_("This person is on the list of mentors already."))
        self.instance.user = user
        return email


@admin.register(Mentor)
class MentorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """City staff list the accounts that may publish consultation slots as mentors (an
    official or coordinator may without being listed). Taking a mentor off the list:
    untick "active"; their published slots stay, with their bookings."""

    audit_prefix = "mentor"
    name_accusative = pgettext_lazy("accusative", "mentor")
    form = MentorAdminForm
    list_display = ["user", "note", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["user__email", "user__full_name", "note"]
    list_select_related = ["user"]

    def get_fields(self, request, obj=None):
        return ["user", "note", "is_active"] if obj else ["email", "note", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


class MentoringBookingInline(admin.TabularInline):
    model = MentoringBooking
    extra = 0
    fields = ["organization", "booked_by", "need", "status", "created_at", "cancelled_at"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("bookings")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "booked_by")


@admin.register(MentoringSlot)
class MentoringSlotAdmin(NamedAdminMixin, admin.ModelAdmin):
    """Slots are published, booked, cancelled and withdrawn on the site (with e-mails and
    audit entries); here they are looked up."""

    name_accusative = pgettext_lazy("accusative", "mentoring slot")
    list_display = ["starts_at", "mentor", "topic", "topic_text", "withdrawn_at"]
    list_filter = ["topic"]
    search_fields = ["mentor__email", "mentor__full_name", "topic_text"]
    date_hierarchy = "starts_at"
    list_select_related = ["mentor", "topic"]
    inlines = [MentoringBookingInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
