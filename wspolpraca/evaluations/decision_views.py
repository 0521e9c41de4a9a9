"""The decisions' pages: for the call's department, the list of offers with their
decisions, the decision on one offer, the publication of the results and the requests for
reasons; for everyone, the published results (a page and a PDF) and, for the signed-in,
the form to ask for the reasons of a decision.

Officials of other departments and everyone else get 404 on the department's pages, as if
the call's evaluation did not exist; the results of a call not yet decided are 404 too.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.competitions.models import Call, LegalRules
from wspolpraca.core import ratelimit
from wspolpraca.core.caching import public_page
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.core.pdf import pdf_response, render_pdf
from wspolpraca.core.uploads import private_file_response
from wspolpraca.offers.models import Offer

from . import decisions
from .commission import members_in_order
from .decision_forms import DecisionForm, ReasonsAnswerForm, ReasonsQuestionForm
from .models import Commission, CommissionMember, Decision, FormalCheck, ReasonsRequest

ROWS_PER_PAGE = 50
RESULTS_PER_PAGE = 100
REQUESTS_PER_PAGE = 20
# Requests for reasons one person may send in an hour (core.ratelimit).
REASONS_REQUESTS_PER_HOUR = 10


def _managed_call(request, call_pk):
    """A call whose evaluation the person manages; anyone else is told it does not exist."""
    call = get_object_or_404(
        Call.objects.select_related("department").exclude(status=Call.Status.DRAFT), pk=call_pk
    )
    if not request.user.has_perm(decisions.PERMISSION, call):
        raise Http404
    return call


def _decided_call(call_pk):
    return get_object_or_404(
        Call.objects.select_related("department"), pk=call_pk, status=Call.Status.DECIDED
    )


def _page(request, rows, per_page):
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def _budget(call, rows):
    granted = sum(
        (row.decision.amount for row in rows if decisions.is_grant(row.decision)),
        Decimal("0"),
    )
    return {"granted": granted, "left": call.budget - granted}


@login_required
def decisions_page(request, call_pk):
    call = _managed_call(request, call_pk)
    rows = decisions.offer_rows(call)
    commission = Commission.objects.filter(call=call).only("status", "closed_at").first()
    context = {
        "call": call,
        "page": _page(request, rows, ROWS_PER_PAGE),
        "offer_count": len(rows),
        "commission": commission,
        "commission_closed": commission is not None
        and commission.status == Commission.Status.CLOSED,
        "decided": call.status == Call.Status.DECIDED,
        "undecided": sum(1 for row in rows if row.passed and row.decision is None),
        "cut_limit": LegalRules.current().award_cut_warning_percent,
        **_budget(call, rows),
    }
    return render(request, "evaluations/decisions/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, offer_pk):
    offer = get_object_or_404(
        Offer.objects.select_related("call__department", "organization", "formal_check"),
        pk=offer_pk,
        call__isnull=False,
    )
    call = offer.call
    if not request.user.has_perm(decisions.PERMISSION, call):
        raise Http404
    list_url = reverse("evaluations:decisions", args=[call.pk])
    existing = Decision.objects.filter(offer=offer).first()
    initial = {}
    if existing is not None:
        initial = {
            "outcome": existing.outcome,
            "amount": existing.amount,
            "reason": existing.reason,
        }
    form = DecisionForm(request.POST or None, initial=initial)
    cut_warning = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decisions.decide(
                offer,
                request.user,
                data["outcome"],
                amount=data["amount"],
                reason=data["reason"],
            )
        except decisions.DecisionError as error:
            form.add_error(error.field, str(error))
            if isinstance(error, decisions.CutNeedsReason):
                cut_warning = {"cut": error.cut, "limit": error.limit, "amount": data["amount"]}
        else:
            messages.success(
                request,
                _("The decision on offer %(number)s is recorded.") % {"number": offer.number},
            )
            return redirect(list_url)
    granted_elsewhere = decisions.granted_total(call, exclude_offer=offer)
    context = {
        "call": call,
        "offer": offer,
        "form": form,
        "existing": existing,
        "score": decisions.scores_by_offer(call).get(offer.pk),
        "check": decisions.related_or_none(offer, "formal_check"),
        "left": call.budget - granted_elsewhere,
        "cut_limit": LegalRules.current().award_cut_warning_percent,
        "cut_warning": cut_warning,
        "open_problem": _open_problem(call, offer),
        "list_url": list_url,
    }
    return render(request, "evaluations/decisions/decide.html", context)


def _open_problem(call, offer):
    """Why no decision can be entered on this offer now, said before anything is typed."""
    try:
        decisions.check_open_for_decisions(call)
    except decisions.DecisionError as error:
        return str(error)
    if offer.status != Offer.Status.SUBMITTED:
        return _("This offer was withdrawn or replaced by a correction.")
    check = decisions.related_or_none(offer, "formal_check")
    if check is None or check.status != FormalCheck.Status.PASSED:
        return _(
            "Only formally correct offers are decided on; an offer rejected on formal grounds "
            "is rejected with the publication of the results."
        )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def publish_results(request, call_pk):
    call = _managed_call(request, call_pk)
    list_url = reverse("evaluations:decisions", args=[call.pk])
    obstacles = []
    if request.method == "POST":
        try:
            decisions.publish_results(call, request.user)
        except decisions.PublicationRefused as refused:
            obstacles = refused.obstacles
        except decisions.DecisionError as error:
            obstacles = [str(error)]
        else:
            messages.success(request, _("The results are published."))
            return redirect("evaluations:results", call.pk)
        call.refresh_from_db()
    rows = decisions.offer_rows(call)
    obstacles = obstacles or decisions.publication_obstacles(call, rows)
    granted = [row for row in rows if decisions.is_grant(row.decision)]
    context = {
        "call": call,
        "rows": rows,
        "granted_count": len(granted),
        "rejected_count": len(rows) - len(granted),
        "on_form_count": sum(1 for row in rows if row.failed and row.decision is None),
        **_budget(call, rows),
        "reasons_days": LegalRules.current().reasons_request_days,
        # core/confirm.html
        "confirm_title": _("Publish the results of “%(title)s”?") % {"title": call.title},
        "consequences": [
            _("The decisions become final and public: applicant, task, grant and score."),
            _("Offers rejected on formal grounds are rejected with their formal reason."),
            _("Every applicant's administrators get their decision by e-mail."),
            _("Agreements can then be prepared for the grants awarded."),
        ],
        "confirm_button": _("Publish the results"),
        "cancel_url": list_url,
        "obstacles": obstacles,
    }
    return render(request, "evaluations/decisions/publish.html", context)


def _closed_commission(call):
    return (
        Commission.objects.filter(call=call, status=Commission.Status.CLOSED)
        .only("pk", "call", "appointment_reference", "without_ngo_reason", "minutes_pdf")
        .first()
    )


def _results_context(call):
    rows = decisions.results_of(call)
    deadline = decisions.reasons_deadline(call)
    return {
        "call": call,
        "rows": rows,
        "days": decisions.days_to_results(call),
        "reasons_until": deadline,
        "reasons_days": LegalRules.current().reasons_request_days,
        **decisions.results_totals(rows),
    }


@public_page("competitions")
def results(request, call_pk):
    call = _decided_call(call_pk)
    context = _results_context(call)
    context["page"] = _page(request, context["rows"], RESULTS_PER_PAGE)
    context["reasons_open"] = decisions.reasons_open(call)
    # Who sat on the commission, shown on the page (the results PDF does not list them).
    commission = _closed_commission(call)
    members = members_in_order(commission) if commission else []
    context["commission"] = commission
    context["members"] = members
    context["has_ngo_member"] = any(m.role == CommissionMember.Role.NGO for m in members)
    return render(request, "evaluations/results/results.html", context)


@public_page("competitions")
def results_pdf(request, call_pk):
    call = _decided_call(call_pk)
    context = _results_context(call)
    context["printed_at"] = timezone.now()
    pdf = render_pdf("evaluations/pdf/results.html", context, request=request)
    return pdf_response(pdf, f"wyniki-konkursu-{call.pk}.pdf")


def public_minutes(request, call_pk):
    """The commission's minutes, public with the results like every document of the call
    (the declared conflicts name no grounds)."""
    call = _decided_call(call_pk)
    commission = _closed_commission(call)
    if commission is None or not commission.minutes_pdf:
        raise Http404
    return private_file_response(
        commission.minutes_pdf,
        allowed=True,
        filename=f"protokol-komisji-{call.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask_reasons(request, call_pk):
    call = _decided_call(call_pk)
    results_url = reverse("evaluations:results", args=[call.pk])
    offers = (
        Offer.objects.filter(call=call, status=Offer.Status.SUBMITTED, decision__isnull=False)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    initial = {}
    chosen = request.GET.get("oferta", "")
    if chosen.isdigit():
        initial["offer"] = int(chosen)
    form = ReasonsQuestionForm(request.POST or None, offers=offers, initial=initial)
    problem = None
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(
            "reasons_request", f"user:{request.user.pk}", REASONS_REQUESTS_PER_HOUR, 3600
        ):
            form.add_error(
                "question",
                _("You have sent many requests in the last hour. Please try again later."),
            )
        else:
            try:
                decisions.ask_for_reasons(
                    form.cleaned_data["offer"], request.user, form.cleaned_data["question"]
                )
            except decisions.DecisionError as error:
                if error.field in form.fields:
                    form.add_error(error.field, str(error))
                else:
                    problem = str(error)
            else:
                messages.success(
                    request,
                    _(
                        "Your request has been sent to the department. The answer will "
                        "reach you by e-mail."
                    ),
                )
                return redirect(results_url)
    context = {
        "call": call,
        "form": form,
        "problem": problem,
        "reasons_open": decisions.reasons_open(call),
        "reasons_until": decisions.reasons_deadline(call),
        "reasons_days": LegalRules.current().reasons_request_days,
        "results_url": results_url,
    }
    return render(request, "evaluations/results/ask.html", context)


@login_required
def reasons(request, call_pk):
    call = _managed_call(request, call_pk)
    requests = (
        ReasonsRequest.objects.filter(offer__call=call)
        .select_related("offer__organization", "asked_by", "answered_by")
        .order_by("answered_at", "-asked_at", "-pk")
    )
    page = CappedPaginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/decisions/reasons.html",
        {"call": call, "page": page, "reasons_until": decisions.reasons_deadline(call)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_reasons(request, pk):
    reasons_request = get_object_or_404(
        ReasonsRequest.objects.select_related(
            "offer__call__department",
            "offer__organization",
            "offer__decision",
            "asked_by",
            "answered_by",
        ),
        pk=pk,
    )
    call = reasons_request.offer.call
    if not request.user.has_perm(decisions.PERMISSION, call):
        raise Http404
    list_url = reverse("evaluations:reasons", args=[call.pk])
    form = ReasonsAnswerForm(request.POST or None)
    if request.method == "POST" and reasons_request.answered_at is None and form.is_valid():
        try:
            decisions.answer_reasons(reasons_request, request.user, form.cleaned_data["answer"])
        except decisions.DecisionError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The answer has been sent."))
            return redirect(list_url)
    return render(
        request,
        "evaluations/decisions/answer.html",
        {
            "call": call,
            "reasons_request": reasons_request,
            "decision": decisions.related_or_none(reasons_request.offer, "decision"),
            "form": form,
            "list_url": list_url,
        },
    )
