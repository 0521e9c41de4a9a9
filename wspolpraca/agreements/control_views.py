"""Pages of controls and monitoring visits, ratings of cooperation, evaluation meetings and
the organization's "to do" list.

A control is seen by the supervising department and the organization's people; anyone
else is told it does not exist (404). What each side may do is offered on the control's
page: the official gives the findings and closes, an administrator of the organization
answers. Findings, answers and notices are final, so each goes through a check page
(values carried in hidden fields, "Change" returns to the form with them); closing asks
on a page of its own.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.city.models import department_of
from wspolpraca.core.pagination import CappedPaginator

from . import controls, feedback, obligations
from .control_forms import (
    AnswerForm,
    EvaluationMeetingForm,
    FindingsForm,
    PlanControlForm,
    RatingForm,
)
from .models import Agreement, Control, CooperationRating, EvaluationMeeting

PAGE_SIZE = 20
YEAR_PARAM = "rok"


def _agreement(request, pk):
    """An agreement the person may see; anyone else is told it does not exist."""
    agreement = get_object_or_404(
        Agreement.objects.select_related("organization", "department", "offer"), pk=pk
    )
    if not request.user.has_perm("agreements.view_agreement", agreement):
        raise Http404
    return agreement


def _control(request, pk):
    control = get_object_or_404(
        Control.objects.select_related(
            "agreement__organization", "agreement__department", "agreement__offer"
        ),
        pk=pk,
    )
    if not request.user.has_perm("agreements.view_agreement", control.agreement):
        raise Http404
    return control


def _shown(field):
    """A typed value as the check page shows it."""
    value = field.form.cleaned_data.get(field.name)
    if value in (None, ""):
        return "—"
    if hasattr(field.field, "choices"):
        return dict(field.field.choices).get(value, value)
    if hasattr(value, "year"):
        return formats.date_format(value, "j E Y")
    return value


def check_page(request, form, *, title, intro, button, step="", cancel_url):
    """Show what was typed before it is sent; the form's values ride along hidden."""
    return render(
        request,
        "agreements/controls/check.html",
        {
            "title": title,
            "intro": intro,
            "answers": [(field.label, _shown(field)) for field in form],
            "form": form,
            "step": step,
            "button": button,
            "cancel_url": cancel_url,
        },
    )


def _add_error(form, error):
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


@login_required
@require_http_methods(["GET", "POST"])
def plan_control(request, pk):
    agreement = _agreement(request, pk)
    if not request.user.has_perm("agreements.manage_agreement", agreement):
        raise PermissionDenied
    form = PlanControlForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        data = form.cleaned_data
        if request.POST.get("confirmed") == "1":
            try:
                control = controls.plan_control(
                    agreement,
                    request.user,
                    data["kind"],
                    data["planned_on"],
                    data["scope"],
                )
            except controls.ControlError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request, _("Planned. The organization's administrators have been told.")
                )
                return redirect("agreements:control", control.pk)
        else:
            problem = controls.plan_refusal(
                agreement, request.user, data["kind"], data["planned_on"], data["scope"]
            )
            if problem is None:
                return check_page(
                    request,
                    form,
                    title=_("Check the notice before it is sent"),
                    intro=_(
                        "The organization's administrators will be e-mailed this notice at "
                        "once. It cannot be withdrawn on the platform."
                    ),
                    button=_("Plan it and notify the organization"),
                    cancel_url=reverse("agreements:detail", args=[agreement.pk]),
                )
            _add_error(form, problem)
    return render(
        request,
        "agreements/controls/plan.html",
        {
            "agreement": agreement,
            "form": form,
            "earliest": controls.earliest_planned_on(Control.Kind.CONTROL),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def control(request, pk):
    control = _control(request, pk)
    agreement = control.agreement
    user = request.user
    manages = user.has_perm("agreements.manage_agreement", agreement)
    acts = user.has_perm("agreements.act_for_organization", agreement)
    today = timezone.localdate()
    may_give_findings = (
        manages and control.status in controls.MAY_GIVE_FINDINGS and control.planned_on <= today
    )
    may_answer = acts and control.status in controls.MAY_ANSWER
    findings_form = FindingsForm(control=control) if may_give_findings else None
    answer_form = AnswerForm() if may_answer else None
    page_url = reverse("agreements:control", args=[control.pk])

    if request.method == "POST":
        step = request.POST.get("step")
        if step == "findings" and may_give_findings:
            form = findings_form = FindingsForm(request.POST, control=control)
        elif step == "answer" and may_answer:
            form = answer_form = AnswerForm(request.POST)
        else:
            raise PermissionDenied
        if form.is_valid() and "change" not in request.POST:
            data = form.cleaned_data
            if request.POST.get("confirmed") != "1":
                return check_page(
                    request,
                    form,
                    step=step,
                    title=(
                        _("Check the findings before they are sent")
                        if step == "findings"
                        else _("Check your answer before it is sent")
                    ),
                    intro=(
                        _(
                            "The organization's administrators will be e-mailed the findings. "
                            "They cannot be changed afterwards."
                        )
                        if step == "findings"
                        else _(
                            "The department will be e-mailed the answer. It cannot be "
                            "changed afterwards."
                        )
                    ),
                    button=(_("Send the findings") if step == "findings" else _("Send the answer")),
                    cancel_url=page_url,
                )
            try:
                if step == "findings":
                    controls.record_findings(
                        control,
                        user,
                        data["carried_out_on"],
                        data["quality"],
                        data["findings"],
                        data["recommendations"],
                    )
                    done = _("The findings are given; the organization has been told.")
                else:
                    controls.answer_control(control, user, data["answer"])
                    done = _("Your answer is sent to the department.")
            except controls.ControlError as error:
                _add_error(form, error)
            else:
                messages.success(request, done)
                return redirect(page_url)

    return render(
        request,
        "agreements/controls/detail.html",
        {
            "control": control,
            "agreement": agreement,
            "manages": manages,
            "acts": acts,
            "findings_form": findings_form,
            "answer_form": answer_form,
            "answer_due": controls.answer_due(control),
            "may_close": manages and control.status in controls.MAY_CLOSE,
            "waits_for_visit": manages
            and control.status in controls.MAY_GIVE_FINDINGS
            and not may_give_findings,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def close_control(request, pk):
    control = _control(request, pk)
    if not request.user.has_perm("agreements.manage_agreement", control.agreement):
        raise PermissionDenied
    page_url = reverse("agreements:control", args=[control.pk])
    problem = None
    if request.method == "POST":
        try:
            controls.close_control(control, request.user)
        except controls.ControlError as error:
            problem = str(error)
        else:
            messages.success(request, _("The control is closed."))
            return redirect(page_url)
    elif control.status not in controls.MAY_CLOSE:
        problem = (
            _("This control is already closed.")
            if control.status == Control.Status.CLOSED
            else _("Give the findings before closing the control.")
        )
    consequences = [
        _("Nothing more can be added to it: no findings, no answer."),
        _("The organization's administrators are told that it is closed."),
    ]
    if control.status == Control.Status.DONE:
        consequences.insert(0, _("The organization has not answered the findings yet."))
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": (
                _("Close the monitoring visit of %(date)s under agreement %(number)s?")
                if control.kind == Control.Kind.MONITORING
                else _("Close the control of %(date)s under agreement %(number)s?")
            )
            % {
                "date": formats.date_format(control.planned_on, "j E Y"),
                "number": control.agreement.number,
            },
            "consequences": consequences,
            "confirm_button": (
                _("Close the monitoring visit")
                if control.kind == Control.Kind.MONITORING
                else _("Close the control")
            ),
            "cancel_url": page_url,
            "obstacles": [problem] if problem else [],
        },
    )


# Rating the cooperation.


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, pk):
    agreement = _agreement(request, pk)
    if not request.user.has_perm("agreements.act_for_organization", agreement):
        raise PermissionDenied
    rating = CooperationRating.objects.filter(agreement=agreement).only("created_at").first()
    refusal = feedback.rating_refusal(request.user, agreement, rated=rating is not None)
    form = None if refusal else RatingForm(request.POST or None)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            feedback.rate_cooperation(agreement, request.user, **form.cleaned_data)
        except feedback.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your rating is recorded."))
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/feedback/rate.html",
        {
            "agreement": agreement,
            "form": form,
            "refusal": refusal,
            "rating": rating,
            "minimum": settings.FEEDBACK_MIN_RATINGS,
        },
    )


def department_ratings(request):
    """Public: the averages of one year, per department, only over enough ratings. An
    official also sees the year's pooled comments for their own department."""
    years = feedback.rating_years()
    year = None
    asked = request.GET.get(YEAR_PARAM, "")
    if asked.isdigit() and int(asked) in years:
        year = int(asked)
    elif asked:
        raise Http404
    elif years:
        year = years[0]
    department = department_of(request.user)
    comments = None
    if department is not None and year is not None:
        comments = feedback.department_comments(department, year)
    return render(
        request,
        "agreements/feedback/department_ratings.html",
        {
            "years": years,
            "year": year,
            "rows": feedback.department_ratings(year) if year is not None else [],
            "questions": [feedback.question_label(q) for q in feedback.QUESTIONS],
            "minimum": settings.FEEDBACK_MIN_RATINGS,
            "department": department,
            "comments": comments,
            "year_param": YEAR_PARAM,
        },
    )


# Evaluation meetings.


def evaluation_meetings(request):
    paginator = CappedPaginator(feedback.meetings_listed(), PAGE_SIZE)
    department = department_of(request.user)
    return render(
        request,
        "agreements/feedback/meetings.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "now": timezone.now(),
            "may_enter": department is not None,
            "department_id": department.pk if department else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_evaluation_meeting(request):
    if not feedback.may_enter_meetings(request.user):
        raise PermissionDenied
    form = EvaluationMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = feedback.add_evaluation_meeting(
                request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except feedback.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The evaluation meeting is listed."))
            return redirect(reverse("agreements:evaluation_meetings") + f"#spotkanie-{meeting.pk}")
    return render(request, "agreements/feedback/meeting_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit_evaluation_meeting(request, pk):
    meeting = get_object_or_404(EvaluationMeeting.objects.select_related("department"), pk=pk)
    if not feedback.may_change_meeting(request.user, meeting):
        raise PermissionDenied
    form = EvaluationMeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.change_evaluation_meeting(
                meeting,
                request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except feedback.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The evaluation meeting is changed."))
            return redirect(reverse("agreements:evaluation_meetings") + f"#spotkanie-{meeting.pk}")
    return render(
        request, "agreements/feedback/meeting_form.html", {"form": form, "meeting": meeting}
    )


# The organization's "to do".


@login_required
def obligations_page(request):
    found = obligations.obligations_for(request.user)
    has_organizations = bool(found) or request.user.memberships.exists()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/obligations.html",
        {"page": page, "has_organizations": has_organizations},
    )
