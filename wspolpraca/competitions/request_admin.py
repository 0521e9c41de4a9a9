"""The back office of requests to the city: officials answer their department's.

An official sees only the requests to their own department (platform administrators see
all), with the day each answer is due and whether it is overdue. What the organization
wrote is read-only; the answer is given on a page of its own (accept or reject, the
reason, and for an accepted own-initiative offer the day the call will be announced),
checked on a confirmation page before it is saved and sent. `city_requests.decide_request`
does the deciding, the audit entry and the e-mail; the request's page shows its trail.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wspolpraca.city.models import department_of
from wspolpraca.core.admin import AuditedAdminMixin

from . import city_requests
from .models import CityRequest
from .request_forms import DecisionForm


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("answer overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))]

    def queryset(self, request, queryset):
        overdue = Q(status=CityRequest.Status.SUBMITTED, answer_due__lt=timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


@admin.register(CityRequest)
class CityRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "city_request"
    name_accusative = pgettext_lazy("accusative", "request to the city")
    list_display = [
        "title",
        "kind",
        "organization",
        "department",
        "submitted_at",
        "answer_due",
        "status",
        "overdue",
    ]
    list_filter = [OverdueFilter, "status", "kind", "department"]
    list_select_related = ["organization", "department"]
    search_fields = ["title", "organization__name"]
    date_hierarchy = "submitted_at"
    fieldsets = [
        (
            gettext_lazy("The answer"),
            {
                "fields": [
                    "answer",
                    "status",
                    "answer_due",
                    "decision_reason",
                    "call_planned_for",
                    "decided_by",
                    "decided_at",
                ]
            },
        ),
        (
            gettext_lazy("The request"),
            {
                "fields": [
                    "kind",
                    "organization",
                    "department",
                    "title",
                    "description",
                    "areas",
                    "estimated_cost",
                    "starts",
                    "ends",
                    "submitted_by",
                    "submitted_at",
                ]
            },
        ),
        (gettext_lazy("Audit"), {"fields": ["audit_trail"]}),
    ]
    readonly_fields = [
        name for _title, options in fieldsets for name in options["fields"] if name != "audit_trail"
    ]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        if request.user.is_superuser:
            return found
        department = department_of(request.user)
        return found.filter(department=department) if department else found.none()

    # Nobody adds, edits or deletes a request here: organizations file and withdraw them
    # on the site, and the answer is given on its own page (decide_view).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _may_answer(self, request):
        return request.user.has_perm("competitions.change_cityrequest")

    @admin.display(description=gettext_lazy("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    @admin.display(description=gettext_lazy("Answer"))
    def answer(self, obj):
        if obj.status != CityRequest.Status.SUBMITTED:
            return obj.get_status_display()
        url = reverse("admin:competitions_cityrequest_decide", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Answer the request"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/answer/",
                self.admin_site.admin_view(self.decide_view),
                name="competitions_cityrequest_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, object_id):
        """The answer in two steps: the form, then a page that shows it and asks to
        confirm; only the confirmed answer is saved and sent."""
        city_request = self.get_object(request, object_id)
        if city_request is None:
            raise Http404
        if not self._may_answer(request):
            raise PermissionDenied
        change_url = reverse("admin:competitions_cityrequest_change", args=[city_request.pk])
        problem = city_requests.decision_problem(city_request, request.user)
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return redirect(change_url)
        form = DecisionForm(request.POST or None, city_request=city_request)
        confirming = False
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if request.POST.get("confirmed") == "yes":
                try:
                    city_requests.decide_request(
                        city_request,
                        by=request.user,
                        accepted=data["decision"],
                        reason=data["reason"],
                        call_planned_for=data.get("call_planned_for"),
                    )
                except city_requests.RequestError as error:
                    for field, message in error.errors.items():
                        form.add_error(field if field in form.fields else None, message)
                    if not error.errors:
                        form.add_error(None, error.message)
                else:
                    self.message_user(
                        request,
                        _("The answer has been saved and sent to the organization."),
                        messages.SUCCESS,
                    )
                    return redirect(change_url)
            elif request.POST.get("edit") != "yes":
                confirming = True
        context = {
            **self.admin_site.each_context(request),
            "title": _("Answer the request “%(title)s”") % {"title": city_request.title},
            "opts": self.model._meta,
            "city_request": city_request,
            "form": form,
            "confirming": confirming,
            "change_url": change_url,
            "typed": {
                "decision": form.data.get("decision", ""),
                "reason": form.data.get("reason", ""),
                "call_planned_for": form.data.get("call_planned_for", ""),
            },
        }
        return TemplateResponse(request, "competitions/requests/admin_decide.html", context)
