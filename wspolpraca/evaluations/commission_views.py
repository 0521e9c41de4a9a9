"""The commission's pages.

The department's officials set the commission up on the call's page of its own
(`commission_setup`): the appointment, the members, the reason to work without NGO
members, and the start of scoring. Each member then works from the commission's page:
first the declaration of impartiality (nothing about any offer is shown before it is
signed), then the offers, each with its score sheet — saved as a draft, then submitted
after a check-your-answers page, since a submitted sheet is final. The others' sheets of
an offer appear once the member's own is submitted. A member conflicted on an offer, and
anyone without a seat, gets 404 for it. The rules are in `commission.py`.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from wspolpraca.competitions.models import Call
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.core.uploads import private_file_response
from wspolpraca.offers.services import ensure_pdf

from . import commission as service
from .commission import CommissionError
from .commission_forms import (
    AddMemberForm,
    CommissionDetailsForm,
    ConflictForm,
    DeclarationForm,
    OpinionForm,
    ScoreForm,
)
from .models import Commission, CommissionMember

PAGE_SIZE = 20


def _add_error(form, error):
    """Show a refusal next to its field, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


# The department's side.


def _managed_call(request, call_pk):
    """The call, for an official of its department (anyone else: 404)."""
    call = get_object_or_404(Call.objects.select_related("department"), pk=call_pk)
    if not request.user.has_perm("evaluations.manage_evaluation", call):
        raise Http404
    commission = Commission.objects.filter(call=call).first()
    if commission is not None:
        commission.call = call
    return call, commission


@login_required
@require_http_methods(["GET", "POST"])
def commission_setup(request, call_pk):
    call, commission = _managed_call(request, call_pk)
    details_form = CommissionDetailsForm(instance=commission or Commission(call=call))
    member_form = AddMemberForm()
    part = request.POST.get("part")
    if request.method == "POST" and part == "details":
        details_form = CommissionDetailsForm(
            request.POST, instance=commission or Commission(call=call)
        )
        if details_form.is_valid():
            try:
                commission = service.commission_for(call, request.user)
                service.update_details(
                    commission,
                    request.user,
                    appointment_reference=details_form.cleaned_data["appointment_reference"],
                    without_ngo_reason=details_form.cleaned_data["without_ngo_reason"],
                )
            except CommissionError as error:
                _add_error(details_form, error)
            else:
                messages.success(request, _("The commission's details are saved."))
                return redirect("evaluations:commission_setup", call.pk)
    elif request.method == "POST" and part == "member":
        member_form = AddMemberForm(request.POST)
        if member_form.is_valid():
            data = member_form.cleaned_data
            try:
                commission = service.commission_for(call, request.user)
                member = service.add_member(
                    commission,
                    member_form.user,
                    data["role"],
                    request.user,
                    nominated_by=data["nominated_by"],
                    paid=data["paid"],
                    fee=data["fee"],
                )
            except CommissionError as error:
                _add_error(member_form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is added to the commission and told by e-mail.")
                    % {"name": member.user},
                )
                return redirect("evaluations:commission_setup", call.pk)
    elif request.method == "POST":
        raise Http404
    forming = commission is None or commission.status == Commission.Status.FORMING
    context = {
        "call": call,
        "commission": commission,
        "members": service.members_in_order(commission) if commission else [],
        "details_form": details_form,
        "member_form": member_form,
        "forming": forming,
        "after_deadline": call.phase == Call.Phase.EVALUATION,
        "obstacles": service.start_obstacles(commission) if commission and forming else [],
        "unfinished": service.unfinished_members(commission)
        if commission and commission.status == Commission.Status.WORKING
        else [],
    }
    return render(request, "evaluations/commission/setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, call_pk, member_pk):
    call, commission = _managed_call(request, call_pk)
    if commission is None:
        raise Http404
    member = get_object_or_404(
        CommissionMember.objects.select_related("user"), pk=member_pk, commission=commission
    )
    member.commission = commission
    setup_url = reverse("evaluations:commission_setup", args=[call.pk])
    obstacles = []
    if commission.status != Commission.Status.FORMING:
        obstacles.append(_("Scoring has started: the commission's members can no longer change."))
    if request.method == "POST" and not obstacles:
        try:
            service.remove_member(member, request.user)
        except CommissionError as error:
            obstacles.append(str(error))
        else:
            messages.success(
                request, _("%(name)s is removed from the commission.") % {"name": member.user}
            )
            return redirect(setup_url)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Remove %(name)s from the commission?") % {"name": member.user},
            "consequences": [
                _("The person loses their seat and is told by e-mail."),
                _("You can add them again while scoring has not started."),
            ],
            "confirm_button": _("Remove %(name)s") % {"name": member.user},
            "cancel_url": setup_url,
            "obstacles": obstacles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request, call_pk):
    call, commission = _managed_call(request, call_pk)
    if commission is None:
        raise Http404
    setup_url = reverse("evaluations:commission_setup", args=[call.pk])
    if commission.status != Commission.Status.FORMING:
        obstacles = [_("Scoring has already started.")]
    else:
        obstacles = service.start_obstacles(commission)
    if request.method == "POST" and not obstacles:
        try:
            service.start_scoring(commission, request.user)
        except CommissionError as error:
            obstacles = [str(error), *error.problems]
        else:
            messages.success(request, _("Scoring has started. The members are told by e-mail."))
            return redirect(setup_url)
    count = service.offers_to_score(call).count() if not obstacles else 0
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Start the scoring of “%(call)s”?") % {"call": call.title},
            "consequences": [
                _("The commission's members and details can no longer change."),
                ngettext(
                    "Each member is told by e-mail and, after signing the declaration of "
                    "impartiality, sees the %(count)d offer that passed the formal check.",
                    "Each member is told by e-mail and, after signing the declaration of "
                    "impartiality, sees the %(count)d offers that passed the formal check.",
                    count,
                )
                % {"count": count},
                _(
                    "Voting members score each offer on every criterion with a justification, "
                    "or declare a conflict of interest for it; they see the others' scores of an "
                    "offer only after submitting their own."
                ),
                _(
                    "The chair closes the work when everyone is done; the ranking and the "
                    "minutes are then made and shown to the department."
                ),
            ],
            "confirm_button": _("Start the scoring"),
            "cancel_url": setup_url,
            "obstacles": obstacles,
        },
    )


# The members' side.


@login_required
def my_commissions(request):
    seats = CommissionMember.objects.filter(user=request.user).select_related(
        "commission__call__department"
    )
    seats = seats.order_by("-commission__call__deadline", "-pk")
    page = CappedPaginator(seats, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/commission/my_commissions.html", {"page": page})


def _seat(request, pk):
    """The commission and the signed-in person's seat on it; anyone without one: 404."""
    commission = get_object_or_404(Commission.objects.select_related("call__department"), pk=pk)
    seat = service.seat_of(commission, request.user)
    if seat is None:
        raise Http404
    seat.commission = commission
    return commission, seat


def _offer_for(commission, seat, offer_pk):
    """An offer the member may open: scoring has started, the declaration is signed, the
    offer passed the formal check and the member declared no conflict for it."""
    if commission.status == Commission.Status.FORMING or seat.declaration_signed_at is None:
        raise Http404
    offer = (
        service.offers_to_score(commission.call)
        .select_related("department", "call")
        .filter(pk=offer_pk)
        .first()
    )
    if offer is None or seat.conflicts.filter(offer=offer).exists():
        raise Http404
    return offer


@login_required
def commission_home(request, pk):
    commission, seat = _seat(request, pk)
    if seat.declaration_signed_at is None:
        return redirect("evaluations:declaration", commission.pk)
    rows = []
    if commission.status != Commission.Status.FORMING:
        rows = service.member_offers(seat)
    context = {
        "commission": commission,
        "call": commission.call,
        "seat": seat,
        "rows": rows,
        "may_see_ranking": service.may_see_ranking(commission, request.user, seat),
        "may_close": seat.role == CommissionMember.Role.CHAIR
        and commission.status == Commission.Status.WORKING,
    }
    return render(request, "evaluations/commission/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def declaration(request, pk):
    commission, seat = _seat(request, pk)
    form = DeclarationForm()
    if request.method == "POST" and seat.declaration_signed_at is None:
        form = DeclarationForm(request.POST)
        if form.is_valid():
            try:
                service.sign_declaration(seat, request.user)
            except CommissionError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Your declaration of impartiality is signed."))
                return redirect("evaluations:commission", commission.pk)
    text = seat.declaration_text or service.declaration_text(seat)
    return render(
        request,
        "evaluations/commission/declaration.html",
        {
            "commission": commission,
            "call": commission.call,
            "seat": seat,
            "form": form,
            "text": text,
        },
    )


def _scores_of(sheet):
    return {
        score.criterion_id: {"points": score.points, "justification": score.justification}
        for score in sheet.scores.all()
    }


def _fingerprint(sheet):
    """What the check page showed, so a draft changed meanwhile is not submitted unseen."""
    text = "|".join(
        f"{score.criterion_id}:{score.points}:{score.justification}" for score in sheet.scores.all()
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@login_required
@require_http_methods(["GET", "POST"])
def score(request, pk, offer_pk):
    commission, seat = _seat(request, pk)
    if seat.declaration_signed_at is None:
        return redirect("evaluations:declaration", commission.pk)
    offer = _offer_for(commission, seat, offer_pk)
    criteria = service.criteria_of(commission.call)
    sheet = service.sheet_of(seat, offer)
    submitted = sheet is not None and sheet.submitted_at is not None
    can_score = seat.votes and commission.status == Commission.Status.WORKING and not submitted
    here = reverse("evaluations:score", args=[commission.pk, offer.pk])
    form = None
    if request.method == "POST" and not can_score:
        try:
            service.save_sheet(seat, offer, {}, request.user)
        except CommissionError as error:
            messages.error(request, str(error))
        return redirect(here)
    if can_score:
        if request.method == "POST":
            submit = request.POST.get("action") == "submit"
            form = ScoreForm(request.POST, criteria=criteria, draft=not submit)
            if form.is_valid():
                try:
                    service.save_sheet(seat, offer, form.scores(), request.user)
                except CommissionError as error:
                    _add_error(form, error)
                else:
                    if submit:
                        return redirect("evaluations:score_check", commission.pk, offer.pk)
                    messages.success(
                        request, _("Your draft is saved. Submit the scores when they are final.")
                    )
                    return redirect(here)
        else:
            form = ScoreForm(criteria=criteria, initial=ScoreForm.initial_from(sheet))
    opinions = service.opinions_of(offer)
    context = {
        "commission": commission,
        "call": commission.call,
        "seat": seat,
        "offer": offer,
        "content": offer.submitted_content or {},
        "criteria": criteria,
        "sheet": sheet,
        "submitted": submitted,
        "form": form,
        "others": service.visible_sheets(seat, offer),
        "may_see_others": service.may_see_others(seat, offer),
        "may_declare_conflict": commission.status == Commission.Status.WORKING
        and not submitted
        and not any(opinion.member_id == seat.pk for opinion in opinions),
        "opinions": opinions,
        "has_opinion": any(opinion.member_id == seat.pk for opinion in opinions),
        "may_give_opinion": seat.role == CommissionMember.Role.EXPERT
        and commission.status == Commission.Status.WORKING,
    }
    return render(request, "evaluations/commission/score.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def score_check(request, pk, offer_pk):
    """Check your answers: the draft as it will be submitted, and the final button."""
    commission, seat = _seat(request, pk)
    if seat.declaration_signed_at is None:
        return redirect("evaluations:declaration", commission.pk)
    offer = _offer_for(commission, seat, offer_pk)
    score_url = reverse("evaluations:score", args=[commission.pk, offer.pk])
    sheet = service.sheet_of(seat, offer)
    if sheet is None or sheet.submitted_at is not None or not seat.votes:
        return redirect(score_url)
    criteria = service.criteria_of(commission.call)
    problem = None
    try:
        cleaned = service.clean_scores(criteria, _scores_of(sheet), submit=True)
    except CommissionError as error:
        messages.error(request, str(error))
        return redirect(score_url)
    if request.method == "POST":
        if request.POST.get("version") != _fingerprint(sheet):
            problem = _("Your draft changed meanwhile. Check the scores below again.")
        else:
            try:
                service.save_sheet(seat, offer, _scores_of(sheet), request.user, submit=True)
            except CommissionError as error:
                problem = str(error)
            else:
                messages.success(
                    request,
                    _("Your scores are submitted. You can now see the other members' scores."),
                )
                return redirect(score_url)
    return render(
        request,
        "evaluations/commission/check.html",
        {
            "commission": commission,
            "call": commission.call,
            "offer": offer,
            "rows": cleaned,
            "total": service.weighted_total(cleaned),
            "version": _fingerprint(sheet),
            "problem": problem,
            "score_url": score_url,
        },
    )


@login_required
def offer_pdf(request, pk, offer_pk):
    commission, seat = _seat(request, pk)
    offer = ensure_pdf(_offer_for(commission, seat, offer_pk))
    return private_file_response(
        offer.pdf,
        allowed=True,
        filename=f"oferta-{offer.number.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflict(request, pk, offer_pk):
    commission, seat = _seat(request, pk)
    if seat.declaration_signed_at is None:
        return redirect("evaluations:declaration", commission.pk)
    offer = _offer_for(commission, seat, offer_pk)
    score_url = reverse("evaluations:score", args=[commission.pk, offer.pk])
    obstacles = []
    if commission.status != Commission.Status.WORKING:
        obstacles.append(_("The commission's work is closed."))
    elif seat.sheets.filter(offer=offer, submitted_at__isnull=False).exists():
        obstacles.append(
            _(
                "You submitted your scores of this offer, so a conflict can no longer be "
                "declared for it. Tell the chair and the department."
            )
        )
    elif seat.opinions.filter(offer=offer).exists():
        obstacles.append(
            _(
                "You gave your opinion of this offer, so a conflict can no longer be "
                "declared for it. Tell the chair and the department."
            )
        )
    form = ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            service.declare_conflict(seat, offer, form.cleaned_data["ground"], request.user)
        except CommissionError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Your conflict of interest for offer %(number)s is recorded.")
                % {"number": offer.number},
            )
            return redirect("evaluations:commission", commission.pk)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Declare a conflict of interest for offer %(number)s?")
            % {"number": offer.number},
            "confirm_intro": _(
                "Declare it if you cannot evaluate this offer impartially: a ground of "
                "article 24 of the Code of Administrative Procedure applies to you."
            ),
            "consequences": [
                _("You will not score this offer."),
                _("You will no longer be able to open the offer or see its scores."),
                _("Scores you saved as a draft for it are deleted."),
                _("The declaration cannot be taken back."),
            ],
            "form": form,
            "confirm_button": _("Declare the conflict"),
            "cancel_url": score_url,
            "obstacles": obstacles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion(request, pk, offer_pk):
    """An expert writes (or rewrites) their advisory opinion of an offer."""
    commission, seat = _seat(request, pk)
    if seat.declaration_signed_at is None:
        return redirect("evaluations:declaration", commission.pk)
    if seat.role != CommissionMember.Role.EXPERT:
        raise Http404
    offer = _offer_for(commission, seat, offer_pk)
    score_url = reverse("evaluations:score", args=[commission.pk, offer.pk])
    if commission.status != Commission.Status.WORKING:
        messages.error(request, _("The commission's work is closed."))
        return redirect(score_url)
    given = seat.opinions.filter(offer=offer).first()
    form = OpinionForm(
        request.POST if request.method == "POST" else None,
        initial={"text": given.text if given else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.give_opinion(seat, offer, form.cleaned_data["text"], request.user)
        except CommissionError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Your opinion of offer %(number)s is saved; the members can read it.")
                % {"number": offer.number},
            )
            return redirect(f"{score_url}#opinions")
    return render(
        request,
        "evaluations/commission/opinion.html",
        {
            "commission": commission,
            "call": commission.call,
            "seat": seat,
            "offer": offer,
            "form": form,
            "given": given,
            "score_url": score_url,
        },
    )


@login_required
def ranking(request, pk):
    commission = get_object_or_404(Commission.objects.select_related("call__department"), pk=pk)
    seat = service.seat_of(commission, request.user)
    is_official = request.user.has_perm("evaluations.manage_evaluation", commission.call)
    if seat is None and not is_official:
        raise Http404
    if seat is not None:
        seat.commission = commission
    if not service.may_see_ranking(commission, request.user, seat):
        return render(
            request,
            "evaluations/commission/ranking_not_yet.html",
            {"commission": commission, "call": commission.call, "seat": seat},
            status=403,
        )
    page, rows, concealed = service.ranking_page(commission, seat, request.GET.get("page"))
    return render(
        request,
        "evaluations/commission/ranking.html",
        {
            "commission": commission,
            "call": commission.call,
            "seat": seat,
            "page": page,
            "rows": rows + (concealed if not page.has_next() else []),
            "any_hidden": bool(concealed),
            "max_total": service.max_total(commission.call),
            "spread_percent": settings.EVALUATION_SPREAD_WARNING_PERCENT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request, pk):
    commission, seat = _seat(request, pk)
    if seat.role != CommissionMember.Role.CHAIR:
        raise Http404
    home_url = reverse("evaluations:commission", args=[commission.pk])
    obstacles = []
    if commission.status != Commission.Status.WORKING:
        obstacles.append(
            _("Scoring has not started yet.")
            if commission.status == Commission.Status.FORMING
            else _("The commission's work is closed.")
        )
    else:
        missing = service.unfinished_members(commission)
        if missing:
            obstacles.append(
                _("Not every member has scored every offer or declared a conflict for it.")
            )
            obstacles += [
                _("%(member)s: %(offers)s")
                % {"member": member.user, "offers": ", ".join(o.number for o in offers)}
                for member, offers in missing
            ]
    if request.method == "POST" and not obstacles:
        try:
            service.close(commission, request.user)
        except CommissionError as error:
            obstacles = [str(error), *error.problems]
        else:
            messages.success(request, _("The commission's work is closed; the minutes are ready."))
            return redirect("evaluations:ranking", commission.pk)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Close the commission's work?"),
            "consequences": [
                _("No member can change or add scores any more."),
                _(
                    "The minutes are made as a PDF: members, declarations, conflicts, every "
                    "score with its justification and the ranking."
                ),
                _(
                    "Every member and the department's officials can see the ranking and the "
                    "minutes, and are told by e-mail."
                ),
            ],
            "confirm_button": _("Close the work and make the minutes"),
            "cancel_url": home_url,
            "obstacles": obstacles,
        },
    )


@login_required
def minutes(request, pk):
    commission = get_object_or_404(Commission.objects.select_related("call"), pk=pk)
    return private_file_response(
        commission.minutes_pdf,
        allowed=service.may_see_minutes(commission, request.user),
        filename=f"protokol-komisji-{commission.call_id}.pdf",
        content_type="application/pdf",
    )
