"""The back office of the schedule of calls and of the legal rules.

Officials and coordinators add and change their own department's planned calls (the
department field offers only theirs, and a save for another department is refused);
coordinators publish the year's schedule; platform administrators keep the legal rules.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wspolpraca.city.models import Department, department_of
from wspolpraca.core import workdays
from wspolpraca.core.admin import AuditedAdminMixin, NamedAdminMixin, PlatformAdminOnlyMixin
from wspolpraca.organizations.forms import IdMultipleChoiceField
from wspolpraca.organizations.models import Organization
from wspolpraca.organizations.widgets import AreaChoiceWidget

from .models import (
    Call,
    CallAttachment,
    CallQuestion,
    CallSchedule,
    Criterion,
    LegalRules,
    PlannedCall,
)
from .services import may_manage, may_manage_call


@admin.register(LegalRules)
class LegalRulesAdmin(PlatformAdminOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "legal_rules"
    name_accusative = pgettext_lazy("accusative", "legal rules")
    list_display = ["__str__", "min_days_to_deadline", "small_grant_max_amount", "changed_at"]

    def has_add_permission(self, request):  # one row, made by the migration
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlannedCallInline(admin.TabularInline):
    model = PlannedCall
    fields = ["title", "department", "planned_announcement", "planned_deadline", "planned_amount"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CallSchedule)
class CallScheduleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_prefix = "call_schedule"
    name_accusative = pgettext_lazy("accusative", "schedule of calls")
    list_display = ["year", "published_at", "planned_count"]
    fields = ["year", "note", "published_at"]
    readonly_fields = ["published_at"]
    inlines = [PlannedCallInline]
    actions = ["publish", "withdraw"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_planned=Count("planned_calls"))

    @admin.display(description=_("planned calls"), ordering="_planned")
    def planned_count(self, obj):
        return obj._planned

    @admin.action(description=_("Publish the selected schedules"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, timezone.now())

    @admin.action(
        description=_("Withdraw the selected schedules from the site"), permissions=["change"]
    )
    def withdraw(self, request, queryset):
        self._set_published(request, queryset, None)

    def _set_published(self, request, queryset, when):
        from wspolpraca.core.audit import record

        changed = 0
        for schedule in queryset:
            if (schedule.published_at is None) == (when is None):
                continue
            before = schedule.published_at
            schedule.published_at = when
            schedule.save(update_fields=["published_at"])
            record(
                request.user,
                "call_schedule.published" if when else "call_schedule.withdrawn",
                schedule,
                {"published_at": [str(before) if before else None, str(when) if when else None]},
            )
            changed += 1
        self.message_user(
            request,
            ngettext("%(n)d schedule changed.", "%(n)d schedules changed.", changed)
            % {"n": changed},
            messages.SUCCESS,
        )


class PlannedCallForm(forms.ModelForm):
    class Meta:
        model = PlannedCall
        fields = [
            "schedule",
            "department",
            "title",
            "description",
            "areas",
            "funding_mode",
            "planned_announcement",
            "planned_deadline",
            "planned_amount",
        ]
        field_classes = {"areas": IdMultipleChoiceField}
        # The site's grouped, searchable areas (as on the organization form).
        widgets = {"areas": AreaChoiceWidget}


@admin.register(PlannedCall)
class PlannedCallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = PlannedCallForm
    audit_prefix = "planned_call"
    name_accusative = pgettext_lazy("accusative", "planned call")
    list_display = [
        "title",
        "department",
        "schedule",
        "funding_mode",
        "planned_announcement",
        "planned_deadline",
        "planned_amount",
    ]
    list_filter = ["schedule", "department", "funding_mode", "areas"]
    list_select_related = ["department", "schedule"]
    search_fields = ["title", "description", "department__name"]
    date_hierarchy = "planned_announcement"
    fields = PlannedCallForm.Meta.fields
    actions = ["draft_call"]

    @admin.action(description=_("Prepare a draft call from the selected planned call"))
    def draft_call(self, request, queryset):
        """A planned call becomes a draft call in one step (then the official completes it)."""
        from django.shortcuts import redirect

        from .services import CallError, draft_call_from_planned

        if queryset.count() != 1:
            self.message_user(request, _("Choose one planned call."), messages.ERROR)
            return None
        planned = queryset.get()
        if not may_manage(request.user, planned) or not request.user.has_perm(
            "competitions.add_call"
        ):
            raise PermissionDenied
        try:
            call = draft_call_from_planned(planned, by=request.user)
        except CallError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(
            request,
            _("A draft call was prepared from the plan. Complete it and publish it."),
            messages.SUCCESS,
        )
        return redirect("admin:competitions_call_change", call.pk)

    def _own_department_only(self, request):
        return not request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department" and self._own_department_only(request):
            department = department_of(request.user)
            kwargs["queryset"] = Department.objects.filter(pk=department.pk if department else None)
            kwargs["initial"] = department
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        return allowed and (request.user.is_superuser or department_of(request.user) is not None)

    def save_model(self, request, obj, form, change):
        # The form offers only the person's department; this holds whatever is posted.
        if not may_manage(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        reason = workdays.non_working_reason(obj.planned_deadline)
        if reason:
            self.message_user(
                request,
                _(
                    "The planned deadline, %(date)s, is not a working day (%(reason)s). "
                    "Offers had better be due on a working day."
                )
                % {"date": date_format(obj.planned_deadline), "reason": reason},
                messages.WARNING,
            )


# Calls: an official of the owning department prepares, publishes, changes and annuls them.


class LabelledSplitDateTime(AdminSplitDateTime):
    """The back office's date and time inputs, each named by a label of its own (Django's
    widget writes "Date:" and "Time:" as plain text, so the inputs have no name)."""

    template_name = "admin/widgets/labelled_split_datetime.html"


class CallForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("who may apply"),
        choices=Organization.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    change_note = forms.CharField(
        label=_("what changed and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Required for a published call: the change is published as a new version of "
            "the announcement, with this note."
        ),
    )

    class Meta:
        model = Call
        fields = [
            "department",
            "reference",
            "title",
            "description",
            "areas",
            "funding_mode",
            "budget",
            "min_grant",
            "max_grant",
            "min_own_contribution_percent",
            "admin_cost_cap_percent",
            "eligible_kinds",
            "task_starts",
            "task_ends",
            "offers_from",
            "deadline",
            "award_rules",
            "task_conditions",
            "selection_procedure",
            "selection_date",
            "previous_funding",
            "other_information",
            "contact",
            "results_table_required",
        ]
        field_classes = {"areas": IdMultipleChoiceField}
        widgets = {
            "areas": AreaChoiceWidget,
            "offers_from": LabelledSplitDateTime,
            "deadline": LabelledSplitDateTime,
        }

    def clean(self):
        cleaned = super().clean()
        published = self.instance.pk and self.instance.status == Call.Status.PUBLISHED
        if published and self.has_changed() and not cleaned.get("change_note", "").strip():
            self.add_error(
                "change_note", _("Say what changed and why: it is published as a new version.")
            )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The instance carries the typed values only after _post_clean; check them there.
        from .services import check_call, check_deadline

        if not self.errors:
            for field, message in check_call(self.instance).items():
                if field in self.fields:
                    self.add_error(field, message)
        call = self.instance
        if not self.errors and call.status == Call.Status.PUBLISHED and call.published_at:
            # A published deadline may move, but never closer than the law allows.
            too_early = check_deadline(call, *call.publication_dates)
            if too_early:
                self.add_error("deadline", too_early)


class CriterionForm(forms.ModelForm):
    """The statutory criteria are the act's: their kind stays, and no other row becomes
    one. The city's own and the bonus criteria are added freely."""

    class Meta:
        model = Criterion
        fields = ["order", "kind", "name", "description", "max_points", "weight"]

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        statutory = Criterion.Kind.STATUTORY
        was = self.instance.kind if self.instance.pk else None
        if was == statutory and kind != statutory:
            raise forms.ValidationError(_("A criterion the act names stays statutory."))
        if was != statutory and kind == statutory:
            raise forms.ValidationError(
                _("The act's criteria are added with the call; choose the city's own or bonus.")
            )
        return kind


# The call's rows are stacked, not tabular: a tabular inline's inputs have no labels (only
# the column headings name them) and its table is wider than the page at 1366 px.
class CriterionInline(admin.StackedInline):
    model = Criterion
    form = CriterionForm
    fields = ["order", "kind", "name", "description", "max_points", "weight"]
    extra = 0
    name_accusative = pgettext_lazy("accusative", "criterion")
    audit_identity = ("name",)


class CallAttachmentForm(forms.ModelForm):
    class Meta:
        model = CallAttachment
        fields = ["title", "file"]

    def clean_file(self):
        from django.conf import settings

        from wspolpraca.core.uploads import PDF, accept_upload

        file = self.cleaned_data.get("file")
        if file and file == self.initial.get("file"):
            return file
        return accept_upload(file, types=[PDF], max_size=settings.ATTACHMENT_MAX_SIZE)


class CallAttachmentInline(admin.StackedInline):
    model = CallAttachment
    form = CallAttachmentForm
    fields = ["title", "file"]
    extra = 0
    name_accusative = pgettext_lazy("accusative", "attachment")
    audit_identity = ("title",)


@admin.register(Call)
class CallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CallForm
    audit_prefix = "call"
    name_accusative = pgettext_lazy("accusative", "call")
    list_display = ["title", "department", "phase_label", "deadline", "budget"]
    list_filter = ["status", "department", "funding_mode", "areas"]
    list_select_related = ["department"]
    search_fields = ["title", "reference", "department__name"]
    date_hierarchy = "deadline"
    inlines = [CriterionInline, CallAttachmentInline]
    readonly_fields = [
        "status",
        "planned_call",
        "published_bip_on",
        "published_board_on",
        "published_at",
        "annulled_at",
        "annulment_reason",
        "created_by",
    ]
    change_form_template = "admin/competitions/call/change_form.html"

    def get_fieldsets(self, request, obj=None):
        main = [
            (None, {"fields": ["department", "reference", "title", "description", "areas"]}),
            (
                _("Money and who may apply"),
                {
                    "fields": [
                        "funding_mode",
                        "budget",
                        "min_grant",
                        "max_grant",
                        "min_own_contribution_percent",
                        "admin_cost_cap_percent",
                        "eligible_kinds",
                    ]
                },
            ),
            (
                _("Dates"),
                {
                    "fields": [
                        "task_starts",
                        "task_ends",
                        "offers_from",
                        "deadline",
                        "selection_date",
                    ]
                },
            ),
            (
                _("Rules of the call"),
                {
                    "fields": [
                        "award_rules",
                        "task_conditions",
                        "selection_procedure",
                        "previous_funding",
                        "other_information",
                        "contact",
                        "results_table_required",
                    ]
                },
            ),
        ]
        if obj is None:
            return main
        status = [(_("Publication"), {"fields": self.readonly_fields})]
        if obj.status == Call.Status.PUBLISHED:
            return main + [(_("Change of a published call"), {"fields": ["change_note"]})] + status
        return main + status

    @admin.display(description=_("phase"))
    def phase_label(self, obj):
        return obj.phase.label

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department" and not request.user.is_superuser:
            department = department_of(request.user)
            kwargs["queryset"] = Department.objects.filter(pk=department.pk if department else None)
            kwargs["initial"] = department
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            from .services import DEFAULT_ELIGIBLE_KINDS

            form.base_fields["eligible_kinds"].initial = list(DEFAULT_ELIGIBLE_KINDS)
        return form

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.status in (Call.Status.ANNULLED, Call.Status.DECIDED):
            return False  # what was decided stays as it was published
        return allowed and (obj is None or may_manage_call(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        # Only a draft goes away; a published call is annulled, with a reason.
        return allowed and (
            obj is None or (obj.status == Call.Status.DRAFT and may_manage_call(request.user, obj))
        )

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        return allowed and (request.user.is_superuser or department_of(request.user) is not None)

    def save_model(self, request, obj, form, change):
        if not may_manage_call(request.user, obj):
            raise PermissionDenied
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        from .services import add_statutory_criteria, deadline_warning, record_change

        super().save_related(request, form, formsets, change)
        call = form.instance
        if not change:
            add_statutory_criteria(call)
        if call.status == Call.Status.PUBLISHED and (
            form.has_changed() or any(f.has_changed() for f in formsets)
        ):
            record_change(
                call,
                request.user,
                request._audit_before,
                form.cleaned_data.get("change_note") or "",
            )
        warning = deadline_warning(call)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="competitions_call_publish",
            ),
            path(
                "<int:pk>/annul/",
                self.admin_site.admin_view(self.annul_view),
                name="competitions_call_annul",
            ),
        ] + super().get_urls()

    def _call_for(self, request, pk, status):
        from django.shortcuts import get_object_or_404

        call = get_object_or_404(Call, pk=pk)
        if not may_manage_call(request.user, call) or not request.user.has_perm(
            "competitions.publish_call"
        ):
            raise PermissionDenied
        if call.status != status:
            raise PermissionDenied
        return call

    def publish_view(self, request, pk):
        """Publishing asks on a page of its own: the dates of the BIP and notice-board
        publications, the 21-day rule shown with the earliest deadline, then confirm."""
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse

        from .services import (
            CallError,
            check_call,
            check_deadline,
            deadline_warning,
            earliest_deadline,
            publish_call,
        )

        call = self._call_for(request, pk, Call.Status.DRAFT)
        form = PublishCallForm(request.POST or None)
        today = timezone.localdate()
        problems = {}
        if request.method == "POST" and form.is_valid():
            try:
                warnings = publish_call(
                    call, request.user, form.cleaned_data["bip_on"], form.cleaned_data["board_on"]
                )
            except ValidationError as error:
                problems = error.message_dict
            except CallError as error:
                problems = {"__all__": [str(error)]}
            else:
                self.message_user(
                    request, _("The call is published on the site."), messages.SUCCESS
                )
                for warning in warnings:
                    self.message_user(request, warning, messages.WARNING)
                return redirect("admin:competitions_call_change", call.pk)
        else:
            problems = {k: [v] for k, v in check_call(call).items()}
            too_early = check_deadline(call, today, today, today)
            if too_early:
                problems["deadline"] = [too_early]
        labels = {f.name: f.verbose_name for f in Call._meta.fields}
        labels["criteria"] = _("criteria")
        return TemplateResponse(
            request,
            "admin/competitions/call/publish.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Publish the call?"),
                "opts": self.model._meta,
                "original": call,
                "call": call,
                "form": form,
                "problems": [
                    (labels.get(field, ""), message)
                    for field, messages_ in problems.items()
                    for message in messages_
                ],
                "rules": LegalRules.current(),
                "earliest_today": earliest_deadline(today),
                "warning": deadline_warning(call),
            },
        )

    def annul_view(self, request, pk):
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse

        from .services import annul_call

        call = self._call_for(request, pk, Call.Status.PUBLISHED)
        form = AnnulCallForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                annul_call(call, request.user, form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error("reason", error.message_dict.get("annulment_reason"))
            else:
                self.message_user(
                    request,
                    _("The call is annulled; the reason is published with it."),
                    messages.SUCCESS,
                )
                return redirect("admin:competitions_call_change", call.pk)
        return TemplateResponse(
            request,
            "admin/competitions/call/annul.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Annul the call?"),
                "opts": self.model._meta,
                "original": call,
                "call": call,
                "form": form,
            },
        )


class PublishCallForm(forms.Form):
    bip_on = forms.DateField(
        label=_("published in the BIP on"),
        help_text=_("The date the announcement appeared in the Public Information Bulletin."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    board_on = forms.DateField(
        label=_("put on the office's notice board on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AnnulCallForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the annulment"),
        help_text=_(
            "Published with the call. For example: no offer came in, or none met the requirements."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class CallQuestionForm(forms.ModelForm):
    class Meta:
        model = CallQuestion
        fields = ["answer"]

    def clean_answer(self):
        from .questions import MAX_LENGTH

        answer = self.cleaned_data.get("answer", "").strip()
        if not answer:
            raise forms.ValidationError(_("Write the answer: it is published with the question."))
        if len(answer) > MAX_LENGTH:
            raise forms.ValidationError(
                _("Shorten the answer to %(max)d characters (it has %(count)d).")
                % {"max": MAX_LENGTH, "count": len(answer)}
            )
        return answer


@admin.register(CallQuestion)
class CallQuestionAdmin(NamedAdminMixin, admin.ModelAdmin):
    """The department answers questions about its calls; the answer is public and the
    asker is told (competitions/questions.py records it)."""

    form = CallQuestionForm
    name_accusative = pgettext_lazy("accusative", "question about a call")
    list_display = ["question_start", "call", "asked_at", "answered_at"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter), "call__department"]
    list_select_related = ["call"]
    search_fields = ["question", "answer", "call__title"]
    fields = ["call", "question", "asked_at", "answer", "answered_at"]
    readonly_fields = ["call", "question", "asked_at", "answered_at"]

    @admin.display(description=_("question"))
    def question_start(self, obj):
        return str(obj)

    def get_queryset(self, request):
        questions = super().get_queryset(request)
        if request.user.is_superuser:
            return questions
        department = department_of(request.user)
        return questions.filter(call__department=department) if department else questions.none()

    def has_add_permission(self, request):
        return False  # questions are asked on the call's page

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage_call(request.user, obj.call))

    def save_model(self, request, obj, form, change):
        from .questions import answer_question

        answer_question(obj, request.user, form.cleaned_data["answer"])


from .request_admin import CityRequestAdmin  # noqa: E402,F401
