"""The pages of reports and of the settlement.

The organization's members fill a report in on one page (`report_edit`), check it with
what is still missing linked to its field (`report_check`), and its admins submit it
there. The supervising department reads it (`report`, `report_review`, `report_pdf`),
accepts it or returns it with a reason, reopens an accepted one for a correction, asks
for a partial report, and settles the grant once every report is accepted (`settle`).
Anyone else is told the report does not exist (404); the organization's people and the
department, who know it exists, are refused the other side's actions with 403. The
rules are in `reports`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.competitions.models import LegalRules
from wspolpraca.core.pdf import pdf_response, render_pdf

from . import reports
from .control_views import check_page
from .models import Agreement, Report
from .report_forms import PartialReportForm, ReasonForm, RefundForm, ReportForm, SettleForm
from .reports import ReportError

Status = Report.Status
OPEN = (Status.DUE, Status.RETURNED)


def _posted(request):
    """The POST data to bind a form to (even when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _report(request, pk):
    """A report the person may see; anyone else is told it does not exist."""
    report = get_object_or_404(
        Report.objects.select_related(
            "agreement",
            "agreement__organization",
            "agreement__department",
            "agreement__offer",
            "reviewed_by",
        ),
        pk=pk,
    )
    if not request.user.has_perm("agreements.view_agreement", report.agreement):
        raise Http404
    return report


def _agreement(request, pk):
    agreement = get_object_or_404(
        Agreement.objects.select_related("organization", "department", "offer"), pk=pk
    )
    if not request.user.has_perm("agreements.view_agreement", agreement):
        raise Http404
    return agreement


def _require(request, perm, agreement):
    if not request.user.has_perm(perm, agreement):
        raise PermissionDenied


def agreement_url(agreement):
    """The agreement's page (agreements:detail), or "" while there is none."""
    try:
        return reverse("agreements:detail", args=[agreement.pk])
    except NoReverseMatch:
        return ""


def _report_url(report):
    return reverse("agreements:report", args=[report.pk])


def _flags(report, today=None):
    """How late a report is: overdue (not submitted and past its due date) or submitted
    late, with the days."""
    today = today or timezone.localdate()
    overdue = report.status in OPEN and today > report.due
    late = reports.days_late(report, report.submitted_at) if report.submitted_at else 0
    return {
        "overdue": overdue,
        "days_overdue": (today - report.due).days if overdue else 0,
        "days_late": late,
    }


def _versions(report):
    return list(report.versions.select_related("submitted_by").order_by("number"))


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    agreement = report.agreement
    user = request.user
    versions = _versions(report)
    latest = versions[-1] if versions else None
    can_fill = user.has_perm("agreements.fill_report", agreement)
    showing_draft = can_fill and report.status in OPEN
    content = reports.working_content(report) if showing_draft else (latest and latest.content)
    context = {
        "report": report,
        "agreement": agreement,
        "agreement_url": agreement_url(agreement),
        "versions": versions,
        "latest": latest,
        "content": content,
        "numbers": reports.figures(content) if content else None,
        "showing_draft": showing_draft,
        "can_fill": can_fill and reports.editing_problem(report, user, may_fill=True) is None,
        "problems": reports.report_problems(report, content) if showing_draft else [],
        "can_submit": user.has_perm("agreements.act_for_organization", agreement),
        "can_review": reports.review_problem(report, user) is None,
        "can_reopen": reports.reopen_problem(report, user) is None,
        **_flags(report),
    }
    return render(request, "agreements/reports/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _report(request, pk)
    _require(request, "agreements.fill_report", report.agreement)
    problem = reports.editing_problem(report, request.user, may_fill=True)
    if problem:
        return render(
            request,
            "agreements/reports/not_editable.html",
            {"report": report, "problem": problem},
            status=403,
        )
    content = reports.working_content(report)
    form = ReportForm(_posted(request), content=content, revision=reports.draft_revision(report))
    if request.method == "POST" and form.is_valid():
        try:
            reports.save_draft(
                report,
                request.user,
                form.values(),
                revision=form.cleaned_data.get("revision") or None,
            )
        except ReportError as error:
            form.add_error(None, error.message)
            # A second save, after reading the message, keeps what this person typed.
            report.refresh_from_db(fields=["draft"])
            form.data = form.data.copy()
            form.data["revision"] = reports.draft_revision(report)
        else:
            if "check" in request.POST:
                return redirect("agreements:report_check", report.pk)
            messages.success(request, _("The report is saved. You can come back to it later."))
            return redirect("agreements:report_edit", report.pk)
    context = {
        "report": report,
        "agreement": report.agreement,
        "form": form,
        "content": content,
        "numbers": reports.figures(content),
        **_flags(report),
    }
    return render(request, "agreements/reports/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_check(request, pk):
    """Check your answers: the whole report, what is still missing linked to its field,
    and the button that submits it (for the organization's admins)."""
    report = _report(request, pk)
    agreement = report.agreement
    _require(request, "agreements.fill_report", agreement)
    if report.status not in OPEN:
        return redirect("agreements:report", report.pk)
    refused = None
    if request.method == "POST":
        try:
            reports.submit_report(report, request.user)
        except ReportError as error:
            refused = error.message
        else:
            messages.success(
                request, _("The report is submitted. The department has been told by e-mail.")
            )
            return redirect("agreements:report", report.pk)
    content = reports.working_content(report)
    edit_url = reverse("agreements:report_edit", args=[report.pk])
    problems = [
        {"message": p.message, "url": f"{edit_url}#{p.anchor}"}
        for p in reports.report_problems(report, content)
    ]
    context = {
        "report": report,
        "agreement": agreement,
        "content": content,
        "numbers": reports.figures(content),
        "problems": problems,
        "edit_url": edit_url,
        "refused": refused,
        "can_submit": request.user.has_perm("agreements.act_for_organization", agreement),
        "submission_problem": reports.submission_problem(report, request.user),
        **_flags(report),
    }
    return render(request, "agreements/reports/check.html", context)


@login_required
def report_review(request, pk):
    """The department's reading of the submitted report, with the way to accept it,
    return it, or reopen an accepted one."""
    report = _report(request, pk)
    _require(request, "agreements.review_report", report.agreement)
    versions = _versions(report)
    if not versions:
        return redirect("agreements:report", report.pk)
    latest = versions[-1]
    context = {
        "report": report,
        "agreement": report.agreement,
        "agreement_url": agreement_url(report.agreement),
        "versions": versions,
        "latest": latest,
        "content": latest.content,
        "numbers": reports.figures(latest.content),
        "can_review": report.status == Status.SUBMITTED,
        "can_reopen": reports.reopen_problem(report, request.user) is None,
        **_flags(report),
    }
    return render(request, "agreements/reports/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_accept(request, pk):
    report = _report(request, pk)
    _require(request, "agreements.review_report", report.agreement)
    review_url = reverse("agreements:report_review", args=[report.pk])
    problem = None
    if request.method == "POST":
        try:
            reports.accept_report(report, request.user)
        except ReportError as error:
            problem = error.message
        else:
            messages.success(request, _("The report is accepted. The organization is told."))
            return redirect("agreements:report", report.pk)
    problem = problem or reports.review_problem(report, request.user)
    context = {
        "confirm_title": _("Accept the %(kind)s of %(organization)s?")
        % {"kind": report.get_kind_display(), "organization": report.agreement.organization},
        "consequences": [
            _("The report is accepted as submitted and can no longer be changed."),
            _("A later correction needs the report to be reopened, with a reason on record."),
            _("The organization's administrators are told by e-mail."),
        ],
        "confirm_button": _("Accept the report"),
        "cancel_url": review_url,
        "obstacles": [problem] if problem else [],
    }
    return render(request, "core/confirm.html", context)


def _with_reason(request, report, *, action, title, consequences, button):
    review_url = reverse("agreements:report_review", args=[report.pk])
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            action(report, request.user, form.cleaned_data["reason"])
        except ReportError as error:
            form.add_error("reason" if error.errors else None, error.message)
        else:
            return None
    context = {
        "confirm_title": title,
        "consequences": consequences,
        "confirm_button": button,
        "cancel_url": review_url,
        "form": form,
    }
    return render(request, "core/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_return(request, pk):
    report = _report(request, pk)
    _require(request, "agreements.review_report", report.agreement)
    problem = reports.review_problem(report, request.user)
    if problem:
        return render(
            request,
            "core/confirm.html",
            {
                "confirm_title": _("Return the report for a correction?"),
                "obstacles": [problem],
                "cancel_url": _report_url(report),
            },
        )
    response = _with_reason(
        request,
        report,
        action=reports.return_report,
        title=_("Return the %(kind)s of %(organization)s for a correction?")
        % {"kind": report.get_kind_display(), "organization": report.agreement.organization},
        consequences=[
            _("The organization corrects the report and submits it again as a new version."),
            _("Every version stays on record."),
            _("The organization's administrators get the reason by e-mail."),
        ],
        button=_("Return the report"),
    )
    if response is None:
        messages.success(request, _("The report is returned. The organization is told why."))
        return redirect("agreements:report", report.pk)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_reopen(request, pk):
    report = _report(request, pk)
    _require(request, "agreements.review_report", report.agreement)
    problem = reports.reopen_problem(report, request.user)
    if problem:
        return render(
            request,
            "core/confirm.html",
            {
                "confirm_title": _("Reopen the accepted report?"),
                "obstacles": [problem],
                "cancel_url": _report_url(report),
            },
        )
    response = _with_reason(
        request,
        report,
        action=reports.reopen_report,
        title=_("Reopen the accepted %(kind)s of %(organization)s for a correction?")
        % {"kind": report.get_kind_display(), "organization": report.agreement.organization},
        consequences=[
            _("The report goes back to the organization as returned for correction."),
            _("The accepted version stays on record; the correction is a new version."),
            _("The reopening and its reason are recorded, and the organization is told."),
        ],
        button=_("Reopen the report"),
    )
    if response is None:
        messages.success(request, _("The report is reopened. The organization is told why."))
        return redirect("agreements:report", report.pk)
    return response


@login_required
def report_pdf(request, pk):
    """A submitted version of the report as a PDF: the latest, or ?wersja=<number>."""
    report = _report(request, pk)
    versions = _versions(report)
    wanted = request.GET.get("wersja", "")
    if wanted:
        versions = [v for v in versions if str(v.number) == wanted]
    if not versions:
        raise Http404
    version = versions[-1]
    content = version.content
    pdf = render_pdf(
        "agreements/pdf/report.html",
        {
            "report": report,
            "agreement": report.agreement,
            "version": version,
            "content": content,
            "numbers": reports.figures(content),
        },
    )
    number = report.agreement.number.replace("/", "-")
    return pdf_response(pdf, f"sprawozdanie-{number}-{report.pk}-v{version.number}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def request_partial_report(request, pk):
    agreement = _agreement(request, pk)
    _require(request, "agreements.review_report", agreement)
    legal_rules = LegalRules.current()
    earliest = reports.earliest_partial_due(legal_rules=legal_rules)
    form = PartialReportForm(
        _posted(request),
        earliest_due=earliest,
        min_days=legal_rules.partial_report_min_days,
        initial={"due": earliest},
    )
    refused = None
    if agreement.status != Agreement.Status.SIGNED:
        refused = _("Reports can be asked for only while the agreement is in force.")
    elif request.method == "POST" and form.is_valid() and "change" not in request.POST:
        period_ends, due = form.cleaned_data["period_ends"], form.cleaned_data["due"]
        if request.POST.get("confirmed") == "1":
            try:
                report = reports.request_partial_report(agreement, request.user, period_ends, due)
            except ReportError as error:
                for field, message in error.errors.items():
                    form.add_error(field, message)
                if not error.errors:
                    form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The partial report is asked for. The organization is told by e-mail."),
                )
                return redirect("agreements:report", report.pk)
        else:
            problems = reports.partial_request_problems(agreement, period_ends, due)
            for field, message in problems.items():
                form.add_error(field, message)
            if not problems:
                return check_page(
                    request,
                    form,
                    title=_("Check the request before it is sent"),
                    intro=_(
                        "The organization's administrators will be e-mailed the request at "
                        "once and reminded before the report is due. It cannot be withdrawn "
                        "on the platform."
                    ),
                    button=_("Ask for the report"),
                    cancel_url=agreement_url(agreement),
                )
    context = {
        "agreement": agreement,
        "agreement_url": agreement_url(agreement),
        "form": form,
        "refused": refused,
    }
    return render(request, "agreements/reports/partial_request.html", context)


def _settlement_of(agreement):
    from .models import Settlement

    return Settlement.objects.filter(agreement=agreement).select_related("settled_by").first()


@login_required
@require_http_methods(["GET", "POST"])
def settle(request, pk):
    """The settlement computed from the accepted reports, then the confirmation; once
    settled, the settlement as recorded and the return of the unused grant."""
    agreement = _agreement(request, pk)
    _require(request, "agreements.review_report", agreement)
    settlement = _settlement_of(agreement)
    if settlement is not None:
        return render(
            request,
            "agreements/reports/settlement.html",
            {
                "agreement": agreement,
                "agreement_url": agreement_url(agreement),
                "settlement": settlement,
                "refund_form": RefundForm()
                if settlement.refund_due and not settlement.refund_paid_on
                else None,
            },
        )
    numbers = reports.settlement_figures(agreement)
    form = SettleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reports.settle(agreement, request.user, form.cleaned_data.get("refund_paid_on"))
        except ReportError as error:
            form.add_error("refund_paid_on" if error.errors else None, error.message)
        else:
            messages.success(request, _("The grant is settled. The organization is told."))
            return redirect("agreements:settle", agreement.pk)
    context = {
        "agreement": agreement,
        "figures": numbers,
        "refund_by": reports.refund_term(agreement.ends),
        "today": timezone.localdate(),
        "confirm_title": _("Settle the grant of agreement %(number)s?")
        % {"number": agreement.number},
        "consequences": [
            _("The settlement is recorded and the agreement becomes settled."),
            _("Its reports can no longer be reopened."),
            _("The organization's administrators and the department are told by e-mail."),
        ],
        "confirm_button": _("Settle the grant"),
        "cancel_url": agreement_url(agreement) or reverse("agreements:settle", args=[pk]),
        "form": form if numbers.refund else None,
        "obstacles": numbers.obstacles,
    }
    return render(request, "agreements/reports/settle.html", context)


@login_required
@require_http_methods(["POST"])
def record_refund(request, pk):
    agreement = _agreement(request, pk)
    _require(request, "agreements.review_report", agreement)
    settlement = _settlement_of(agreement)
    if settlement is None:
        raise Http404
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            reports.record_refund(settlement, request.user, form.cleaned_data["paid_on"])
        except ReportError as error:
            form.add_error("paid_on" if error.errors else None, error.message)
        else:
            messages.success(request, _("The return of the unused grant is recorded."))
            return redirect("agreements:settle", agreement.pk)
    return render(
        request,
        "agreements/reports/settlement.html",
        {
            "agreement": agreement,
            "agreement_url": agreement_url(agreement),
            "settlement": settlement,
            "refund_form": form,
        },
    )
