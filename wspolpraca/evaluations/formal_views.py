"""The formal check's pages.

Officials of the department that runs a call (and platform admins) see its evaluation at
/ocena/: the calls in evaluation, one call's offers with their formal status, the call's
checklist, and the check of one offer — the checklist's answers, then, when something is
not met, a request for a correction (a form, then check your answers) or a rejection on
formal grounds (a confirmation page). Anyone else is refused: 404 for a call or offer of
another department, 403 for the evaluation's start page.

The organization's people see a request for a correction at /ocena/korekta/<pk>/; its
admins start the correction there, which leads to the offer form of the new version.
The rules are in `formal`.
"""

from datetime import date, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.city.models import department_of
from wspolpraca.competitions.models import Call
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.offers import drafts
from wspolpraca.offers.models import Offer
from wspolpraca.organizations.rules import is_platform_admin

from . import formal
from .formal_forms import ChecklistForm, CorrectionForm, RejectForm, RequirementForm
from .models import CorrectionRequest, FormalCheck, FormalRequirement

OFFERS_PER_PAGE = 50
CALLS_PER_PAGE = 20
RECENTLY_DECIDED_DAYS = 365
CORRECTION_DRAFT_KEY = "evaluations.formal_correction.%s"


def _manageable_call(request, call_pk):
    call = get_object_or_404(
        Call.objects.select_related("department").exclude(status=Call.Status.DRAFT), pk=call_pk
    )
    if not request.user.has_perm(formal.MANAGE, call):
        raise Http404
    return call


def _checkable_offer(request, offer_pk):
    offer = get_object_or_404(
        Offer.objects.select_related("call", "call__department", "organization", "department")
        .defer("submitted_content")
        .exclude(status=Offer.Status.DRAFT),
        pk=offer_pk,
        call__isnull=False,
    )
    if not request.user.has_perm(formal.MANAGE, offer.call):
        raise Http404
    return offer


def _check_of(offer):
    try:
        return offer.formal_check
    except FormalCheck.DoesNotExist:
        return None


def _formal_counts(prefix=""):
    """Counts of current offers by formal status, as aggregate/annotate arguments."""
    submitted = Q(**{f"{prefix}status": Offer.Status.SUBMITTED})
    status = f"{prefix}formal_check__status"
    target = prefix.rstrip("_") or "pk"
    return {
        "offer_count": Count(target, filter=submitted),
        "passed_count": Count(target, filter=submitted & Q(**{status: FormalCheck.Status.PASSED})),
        "correction_count": Count(
            target, filter=submitted & Q(**{status: FormalCheck.Status.CORRECTION})
        ),
        "failed_count": Count(target, filter=submitted & Q(**{status: FormalCheck.Status.FAILED})),
    }


def _with_pending(counts):
    counts.pending_count = (
        counts.offer_count - counts.passed_count - counts.correction_count - counts.failed_count
    )
    return counts


# The start page and one call's overview.


@login_required
def index(request):
    department = department_of(request.user)
    if department is None and not is_platform_admin.test(request.user):
        raise PermissionDenied
    calls = Call.objects.select_related("department")
    if department is not None:
        calls = calls.filter(department=department)
    counts = _formal_counts("offers__")
    in_evaluation = calls.in_evaluation().annotate(**counts).order_by("deadline", "pk")
    page = CappedPaginator(in_evaluation, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    for call in page:
        _with_pending(call)
    since = timezone.now() - timedelta(days=RECENTLY_DECIDED_DAYS)
    decided = list(
        calls.filter(status=Call.Status.DECIDED, decided_at__gte=since)
        .annotate(**counts)
        .order_by("-decided_at", "-pk")[:CALLS_PER_PAGE]
    )
    context = {"department": department, "page": page, "decided": decided}
    return render(request, "evaluations/index.html", context)


@login_required
def call_overview(request, call_pk):
    call = _manageable_call(request, call_pk)
    now = timezone.now()
    offers = (
        Offer.objects.filter(call=call, status=Offer.Status.SUBMITTED)
        .select_related("organization", "formal_check")
        .prefetch_related(
            Prefetch(
                "formal_check__corrections",
                queryset=CorrectionRequest.objects.filter(
                    status=CorrectionRequest.Status.OPEN
                ).order_by("-requested_at"),
                to_attr="open_corrections",
            )
        )
        .defer("submitted_content")
        .order_by("number", "pk")
    )
    page = CappedPaginator(offers, OFFERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for offer in page:
        check = _check_of(offer)
        open_correction = check.open_corrections[0] if check and check.open_corrections else None
        rows.append(
            {
                "offer": offer,
                "check": check,
                "status_label": check.get_status_display()
                if check
                else FormalCheck.Status.PENDING.label,
                "correction": open_correction,
                "correction_missed": open_correction is not None
                and formal.is_missed(open_correction, now),
            }
        )
    totals = _with_pending(
        SimpleNamespace(**Offer.objects.filter(call=call).aggregate(**_formal_counts()))
    )
    context = {
        "call": call,
        "page": page,
        "rows": rows,
        "totals": totals,
        "obstacle": formal.evaluation_obstacle(call),
    }
    return render(request, "evaluations/call.html", context)


# The checklist.


def _checklist_context(call, request, form, **extra):
    return {
        "call": call,
        "requirements": [
            (requirement, drafts.STEPS.get(requirement.step))
            for requirement in formal.ensure_checklist(call)
        ],
        "form": form,
        "obstacle": formal.checklist_obstacle(call, request.user),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request, call_pk):
    call = _manageable_call(request, call_pk)
    form = RequirementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        obstacle = formal.checklist_obstacle(call, request.user)
        if obstacle:
            status = 403
        elif form.is_valid():
            try:
                formal.add_requirement(
                    call, form.cleaned_data["text"], form.cleaned_data["step"], request.user
                )
            except formal.FormalCheckError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The requirement is added to the checklist."))
                return redirect("evaluations:checklist", call.pk)
    context = _checklist_context(call, request, form)
    return render(request, "evaluations/formal/checklist.html", context, status=status)


def _requirement(call, pk):
    return get_object_or_404(FormalRequirement, call=call, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request, call_pk, pk):
    call = _manageable_call(request, call_pk)
    requirement = _requirement(call, pk)
    obstacle = formal.checklist_obstacle(call, request.user)
    form = RequirementForm(
        request.POST or None, initial={"text": requirement.text, "step": requirement.step}
    )
    if request.method == "POST" and not obstacle and form.is_valid():
        try:
            formal.change_requirement(
                requirement, form.cleaned_data["text"], form.cleaned_data["step"], request.user
            )
        except formal.FormalCheckError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The requirement is changed."))
            return redirect("evaluations:checklist", call.pk)
    context = {"call": call, "requirement": requirement, "form": form, "obstacle": obstacle}
    status = 403 if obstacle and request.method == "POST" else 200
    return render(request, "evaluations/formal/requirement_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_remove(request, call_pk, pk):
    call = _manageable_call(request, call_pk)
    requirement = _requirement(call, pk)
    checklist_url = reverse("evaluations:checklist", args=[call.pk])
    obstacle = formal.checklist_obstacle(call, request.user)
    if request.method == "POST" and not obstacle:
        try:
            formal.remove_requirement(requirement, request.user)
        except formal.FormalCheckError as error:
            obstacle = str(error)
        else:
            messages.success(request, _("The requirement is removed from the checklist."))
            return redirect(checklist_url)
    context = {
        "confirm_title": _("Remove the requirement “%(text)s”?") % {"text": requirement.text},
        "consequences": [_("Offers of this call will not be checked against it.")],
        "confirm_button": _("Remove the requirement"),
        "cancel_url": checklist_url,
        "obstacles": [obstacle] if obstacle else [],
    }
    status = 403 if obstacle and request.method == "POST" else 200
    return render(request, "core/confirm.html", context, status=status)


# The check of one offer.


def _current_version(offer):
    """The version the check follows: an offer replaced by a correction leads to it."""
    seen = 0
    while offer.status == Offer.Status.REPLACED and seen < 20:
        following = Offer.objects.filter(replaces=offer).only("pk", "status").first()
        if following is None:
            break
        offer, seen = following, seen + 1
    return offer


def _answers(check):
    if check is None:
        return {}
    return {answer.requirement_id: answer for answer in check.answers.all()}


def decision_obstacle(offer, check, unmet, now):
    """Why the official cannot ask for a correction or reject the offer now, or None."""
    obstacle = formal.evaluation_obstacle(offer.call)
    if obstacle:
        return obstacle
    if offer.status != Offer.Status.SUBMITTED:
        return _("Only a submitted offer is checked; this one is %(status)s.") % {
            "status": offer.get_status_display()
        }
    if check is not None and check.status == FormalCheck.Status.PASSED:
        return _("This offer has already passed the formal check.")
    if check is not None and check.status == FormalCheck.Status.FAILED:
        return _("This offer has already been rejected on formal grounds.")
    waiting = _waiting(check, now)
    if waiting is not None:
        return _(
            "The organization may correct the offer until %(due)s. Wait for the correction."
        ) % {"due": formats.date_format(timezone.localtime(waiting.due), "j E Y, H:i:s")}
    if check is None or not unmet:
        return _(
            "Record the check first: a correction is asked for, or an offer rejected, only "
            "when it does not meet a requirement."
        )
    return None


def _waiting(check, now):
    if check is None:
        return None
    for correction_request in check.corrections.all():
        if correction_request.status == CorrectionRequest.Status.OPEN and not formal.is_missed(
            correction_request, now
        ):
            return correction_request
    return None


def _check_state(offer):
    """The offer's check, the call's requirements, the answers and what is not met."""
    check = (
        FormalCheck.objects.select_related("checked_by")
        .prefetch_related("answers", "corrections")
        .filter(offer=offer)
        .first()
    )
    requirements = formal.ensure_checklist(offer.call)
    answers = _answers(check)
    unmet = [r for r in requirements if r.pk in answers and not answers[r.pk].met]
    return check, requirements, answers, unmet


@login_required
@require_http_methods(["GET", "POST"])
def formal_check(request, offer_pk):
    offer = _checkable_offer(request, offer_pk)
    current = _current_version(offer)
    if current.pk != offer.pk:
        return redirect("evaluations:formal_check", current.pk)
    now = timezone.now()
    check, requirements, answers, unmet = _check_state(offer)
    obstacle = formal.evaluation_obstacle(offer.call)
    if not obstacle and offer.status != Offer.Status.SUBMITTED:
        obstacle = _("Only a submitted offer is checked; this one is %(status)s.") % {
            "status": offer.get_status_display()
        }
    waiting = _waiting(check, now)
    decided = check is not None and check.status in (
        FormalCheck.Status.PASSED,
        FormalCheck.Status.FAILED,
    )
    editable = not obstacle and not decided and waiting is None
    form = None
    if editable:
        form = ChecklistForm(request.POST or None, requirements=requirements, answers=answers)
    status = 200
    if request.method == "POST":
        if form is None:
            status = 403
        elif form.is_valid():
            try:
                check = formal.check_offer(offer, form.answers(), request.user)
            except formal.FormalCheckError as error:
                form.add_error(None, str(error))
            else:
                if check.status == FormalCheck.Status.PASSED:
                    messages.success(request, _("The offer meets every requirement: it passed."))
                else:
                    messages.success(
                        request,
                        _(
                            "The check is recorded. The offer does not meet every requirement: "
                            "ask for a correction or reject it on formal grounds."
                        ),
                    )
                return redirect("evaluations:formal_check", offer.pk)
    corrections = []
    if check is not None:
        corrections = [
            {
                "request": correction_request,
                "status": formal.shown_status(correction_request, now),
                "steps": [
                    drafts.STEPS[key] for key in correction_request.steps if key in drafts.STEPS
                ],
            }
            for correction_request in sorted(
                check.corrections.all(), key=lambda r: r.requested_at, reverse=True
            )
        ]
    corrected_here = next(
        (item["request"] for item in corrections if item["request"].corrected_offer_id == offer.pk),
        None,
    )
    context = {
        "offer": offer,
        "call": offer.call,
        "check": check,
        "unmet_count": len(unmet),
        "corrected_here": corrected_here
        if check is not None and check.status == FormalCheck.Status.PENDING
        else None,
        "requirements": requirements,
        "answers": [(r, answers.get(r.pk)) for r in requirements],
        "form": form,
        "obstacle": obstacle,
        "waiting": waiting,
        "corrections": corrections,
        "may_decide": editable and check is not None and bool(unmet),
        "versions": _versions(offer),
    }
    return render(request, "evaluations/formal/check.html", context, status=status)


def _versions(offer):
    """The earlier versions of the offer (corrections replace them), newest first."""
    found = []
    current = offer
    while current.replaces_id and len(found) < 20:
        current = Offer.objects.only("pk", "number", "submitted_at", "replaces").get(
            pk=current.replaces_id
        )
        found.append(current)
    return found


def _decision(request, offer_pk):
    offer = _checkable_offer(request, offer_pk)
    check, _requirements, answers, unmet = _check_state(offer)
    obstacle = decision_obstacle(offer, check, unmet, timezone.now())
    return offer, check, answers, unmet, obstacle


def _correction_initial(offer, answers, unmet, steps):
    allowed = {step.key for step in steps}
    lines = []
    for requirement in unmet:
        note = answers[requirement.pk].note
        lines.append(f"– {requirement.text}\n  {note}" if note else f"– {requirement.text}")
    return {
        "steps": [r.step for r in unmet if r.step in allowed],
        "message": "\n".join(lines),
        "due_date": timezone.localdate(formal.default_correction_due()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def correction_new(request, offer_pk):
    offer, check, answers, unmet, obstacle = _decision(request, offer_pk)
    steps = formal.correctable_steps(offer)
    key = CORRECTION_DRAFT_KEY % offer.pk
    if request.method == "POST" and not obstacle:
        form = CorrectionForm(request.POST, steps=steps)
        if form.is_valid():
            request.session[key] = {
                "steps": form.cleaned_data["steps"],
                "message": form.cleaned_data["message"],
                "due_date": form.cleaned_data["due_date"].isoformat(),
            }
            return redirect("evaluations:formal_correction_confirm", offer.pk)
    elif request.session.get(key):
        form = CorrectionForm(initial=request.session[key], steps=steps)
    else:
        form = CorrectionForm(
            initial=_correction_initial(offer, answers, unmet, steps), steps=steps
        )
    context = {
        "offer": offer,
        "call": offer.call,
        "form": form,
        "obstacle": obstacle,
        "unmet": [(r, answers[r.pk]) for r in unmet],
        "correction_days": settings.FORMAL_CORRECTION_DAYS,
    }
    status = 403 if obstacle and request.method == "POST" else 200
    return render(request, "evaluations/formal/correction_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def correction_confirm(request, offer_pk):
    """Check your answers before the request for a correction is sent."""
    offer, check, answers, unmet, obstacle = _decision(request, offer_pk)
    key = CORRECTION_DRAFT_KEY % offer.pk
    typed = request.session.get(key)
    form_url = reverse("evaluations:formal_correction", args=[offer.pk])
    if not typed:
        return redirect(form_url)
    steps = formal.correctable_steps(offer)
    form = CorrectionForm(typed, steps=steps)
    if not obstacle and not form.is_valid():
        return redirect(form_url)
    problem = None
    if request.method == "POST" and not obstacle:
        due = formal.end_of_day(form.cleaned_data["due_date"])
        try:
            formal.request_correction(
                check, form.cleaned_data["steps"], form.cleaned_data["message"], due, request.user
            )
        except formal.FormalCheckError as error:
            problem = str(error)
        else:
            request.session.pop(key, None)
            messages.success(
                request,
                _("The request for a correction is sent to the organization's administrators."),
            )
            return redirect("evaluations:formal_check", offer.pk)
    due_day = date.fromisoformat(typed["due_date"]) if typed.get("due_date") else None
    context = {
        "offer": offer,
        "call": offer.call,
        "steps": [drafts.STEPS[k] for k in typed.get("steps", []) if k in drafts.STEPS],
        "message": typed.get("message", ""),
        "due": formal.end_of_day(due_day) if due_day else None,
        "change_url": form_url,
        "obstacle": obstacle,
        "problem": problem,
    }
    status = 403 if obstacle and request.method == "POST" else 200
    return render(request, "evaluations/formal/correction_check.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reject(request, offer_pk):
    offer, check, _answers_, _unmet, obstacle = _decision(request, offer_pk)
    check_url = reverse("evaluations:formal_check", args=[offer.pk])
    form = RejectForm(request.POST or None)
    if request.method == "POST" and not obstacle and form.is_valid():
        try:
            formal.reject_on_form(check, form.cleaned_data["reason"], request.user)
        except formal.FormalCheckError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The offer is rejected on formal grounds."))
            return redirect(check_url)
    context = {
        "confirm_title": _("Reject offer %(number)s on formal grounds?") % {"number": offer.number},
        "consequences": [
            _("The offer will not be evaluated on its merits."),
            _("The organization's administrators are told the reason by e-mail."),
            _("The rejection is recorded with your name."),
        ],
        "confirm_button": _("Reject the offer"),
        "cancel_url": check_url,
        "form": form,
        "obstacles": [obstacle] if obstacle else [],
    }
    status = 403 if obstacle and request.method == "POST" else 200
    return render(request, "core/confirm.html", context, status=status)


# The applicant's side.


def _visible_correction(request, pk):
    """A request for a correction, for the offer's organization and the department;
    anyone else is told it does not exist."""
    correction_request = get_object_or_404(
        CorrectionRequest.objects.select_related(
            "offer", "offer__organization", "offer__call", "corrected_offer"
        ),
        pk=pk,
    )
    offer = correction_request.offer
    is_member = offer.organization.memberships.filter(user=request.user).exists()
    if not is_member and not request.user.has_perm(formal.MANAGE, offer.call):
        raise Http404
    return correction_request, is_member


def _render_correction(request, correction_request, is_member, problem=None, status=200):
    offer = correction_request.offer
    version = formal.correction_of(correction_request)
    code, label = formal.shown_status(correction_request)
    open_steps = drafts.open_steps(version) if version is not None else []
    context = {
        "correction_request": correction_request,
        "offer": offer,
        "call": offer.call,
        "steps": [drafts.STEPS[k] for k in correction_request.steps if k in drafts.STEPS],
        "status_code": code,
        "status_label": label,
        "version": version,
        "version_url": reverse("offers:step", args=[version.pk, open_steps[0].slug])
        if version is not None and version.status == Offer.Status.DRAFT and open_steps
        else None,
        "is_member": is_member,
        "may_start": code == CorrectionRequest.Status.OPEN
        and request.user.has_perm("offers.correct_offer", offer),
        "problem": problem,
    }
    return render(request, "evaluations/formal/correction.html", context, status=status)


@login_required
def correction(request, pk):
    correction_request, is_member = _visible_correction(request, pk)
    return _render_correction(request, correction_request, is_member)


@login_required
@require_POST
def correction_start(request, pk):
    correction_request, is_member = _visible_correction(request, pk)
    try:
        copy = formal.start_correction(correction_request, request.user)
    except formal.FormalCheckError as error:
        return _render_correction(
            request, correction_request, is_member, problem=str(error), status=403
        )
    steps = drafts.open_steps(copy)
    messages.success(
        request,
        _(
            "This is the correction of your offer. Change the sections listed and submit it by %(due)s."
        )
        % {"due": formats.date_format(timezone.localtime(copy.correction_due), "j E Y, H:i:s")},
    )
    if not steps:
        return redirect("offers:check", copy.pk)
    return redirect("offers:step", copy.pk, steps[0].slug)
