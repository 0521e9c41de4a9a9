"""The newsletter's back office: the news (staff with the permissions), the send log of the
digests (staff with the view permission see the counts), and the subscribers and each
delivery with its address, which only platform administrators ever see: officials are
refused those pages whatever permissions a group gives them."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wspolpraca.core.admin import AuditedAdminMixin, NamedAdminMixin, RecordOnlyMixin
from wspolpraca.organizations.widgets import AreaChoiceWidget

from . import services
from .models import Digest, DigestDelivery, News, Subscriber


class PlatformAdminsOnly:
    """Pages that show subscribers' addresses: platform administrators (superusers) only,
    also for viewing, so that no group permission can open them to an official."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Subscriber)
class SubscriberAdmin(PlatformAdminsOnly, NamedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "subscriber")
    list_display = [
        "email",
        "language",
        "confirmed_at",
        "unsubscribed_at",
        "bounce_count",
        "last_digest_at",
    ]
    list_filter = ["language", ("confirmed_at", admin.EmptyFieldListFilter), "unsubscribed_at"]
    search_fields = ["email"]
    show_full_result_count = False
    fields = [
        "email",
        "user",
        "areas",
        "kinds",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "bounce_count",
        "bounced_at",
        "last_digest_at",
    ]
    readonly_fields = [
        "email",
        "user",
        "areas",
        "kinds",
        "language",
        "created_at",
        "confirmed_at",
        "last_digest_at",
        "bounced_at",
    ]
    actions = ["mark_bounce"]

    @admin.action(description=_("Record a returned e-mail (bounce)"))
    def mark_bounce(self, request, queryset):
        count = 0
        for subscriber in queryset:
            services.mark_bounce(subscriber, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "A bounce was recorded for %(count)d subscriber.",
                "A bounce was recorded for %(count)d subscribers.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Digest)
class DigestAdmin(RecordOnlyMixin, NamedAdminMixin, admin.ModelAdmin):
    """The send log: staff with the view permission see the counts; the addresses are
    on the deliveries' page, open to platform administrators only."""

    name_accusative = pgettext_lazy("accusative", "digest")
    list_display = [
        "week",
        "status",
        "item_count",
        "subscriber_count",
        "sent_count",
        "skipped_count",
        "failed_count",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status"]
    fields = [
        "week",
        "period_start",
        "period_end",
        "status",
        "created_at",
        "finished_at",
        "item_count",
        "counts",
    ]
    readonly_fields = [*fields, "deliveries", "addresses_note"]

    @admin.display(description=_("deliveries by status"))
    def counts(self, obj):
        rows = (
            obj.deliveries.order_by().values_list("status").annotate(n=Count("id"))
            if obj.pk
            else []
        )
        labels = dict(DigestDelivery.Status.choices)
        return ", ".join(f"{labels.get(status, status)}: {n}" for status, n in rows) or "—"

    @admin.display(description=_("deliveries"))
    def deliveries(self, obj):
        url = reverse("admin:newsletter_digestdelivery_changelist") + f"?digest__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Show the deliveries of this digest"))

    @admin.display(description=_("deliveries"))
    def addresses_note(self, obj):
        return _("The addresses are shown to platform administrators only.")

    def get_fields(self, request, obj=None):
        # The link to the addresses only for those who may open it.
        extra = "deliveries" if request.user.is_superuser else "addresses_note"
        return [*self.fields, extra]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(PlatformAdminsOnly, NamedAdminMixin, admin.ModelAdmin):
    name_accusative = pgettext_lazy("accusative", "digest delivery")
    list_display = ["address", "digest", "status", "item_count", "sent_at", "email_status"]
    list_filter = ["status", "digest"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber", "digest", "outgoing_email"]
    show_full_result_count = False
    fields = ["digest", "address", "status", "item_count", "sent_at", "email_status", "error"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("e-mail address"), ordering="subscriber__email")
    def address(self, obj):
        return obj.subscriber.email

    @admin.display(description=_("e-mail status"))
    def email_status(self, obj):
        if obj.outgoing_email is None:
            return "—"
        return obj.outgoing_email.get_status_display()


@admin.register(News)
class NewsAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "news"
    name_accusative = pgettext_lazy("accusative", "news")
    list_display = ["title", "published_at", "author"]
    list_filter = [("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    fields = ["title", "lead", "body", "areas", "published_at", "slug", "author"]
    readonly_fields = ["author"]
    list_select_related = ["author"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "areas":
            kwargs["widget"] = AreaChoiceWidget
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
