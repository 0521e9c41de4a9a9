"""The agreements' pages under /umowy/: the list, an agreement with its tranches,
versions and updated budgets, the updated budget after a cut (the organization's admins,
then check your answers), its review, the tranches, the signing (check your answers with
the amount in words), the annex and each version's PDF.

Anyone who may not see an agreement (`agreements.view_agreement`) is told it does not
exist (404); one who sees it but may not act gets 403. The rules are in agreements.py.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.city.models import department_of
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.core.pdf import pdf_response
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.core.uploads import private_file_response
from wspolpraca.offers.forms import parse_amount
from wspolpraca.offers.models import Offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.rules import is_platform_admin

from . import agreements as services
from . import documents
from .agreement_forms import (
    EXTRA_COST_ROWS,
    MORE_COST_ROWS,
    NO_ACTION,
    AgreementFilterForm,
    AnnexForm,
    BudgetForm,
    ReturnBudgetForm,
    SignForm,
    SmallGrantRefusalForm,
    annex_tranche_formset,
    cost_formset,
    payment_formset,
    schedule_formset,
    tranche_formset,
)
from .agreements import AgreementError
from .models import Agreement, BudgetUpdate

PAGE_SIZE = 20
SMALL_GRANTS_SHOWN = 20
BUDGET_DRAFT_KEY = "agreements.budget.%s"
ANNEX_DRAFT_KEY = "agreements.annex.%s"
VIEW = "agreements.view_agreement"
MANAGE = "agreements.manage_agreement"
ACT = "agreements.act_for_organization"


def _agreement(request, pk, perm=VIEW):
    """The agreement, for a person who may see it (404 for anyone else) and, when `perm`
    is another permission, act on it (403)."""
    agreement = get_object_or_404(
        Agreement.objects.select_related(
            "offer", "offer__call", "organization", "department", "signed_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm(VIEW, agreement):
        raise Http404
    if perm != VIEW and not request.user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


def _detail_url(agreement):
    return reverse("agreements:detail", args=[agreement.pk])


def _obstacle(request, agreement, title, problem):
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": title,
            "obstacles": [problem],
            "cancel_url": _detail_url(agreement),
            "cancel_label": _("Back to the agreement"),
        },
    )


def _error_links(*forms_with_titles, page_errors=()):
    """The error summary's entries for several forms on one page: [(anchor, text)]."""
    links = [("", str(error)) for error in page_errors]
    for form, title in forms_with_titles:
        for error in form.non_field_errors():
            links.append(("", f"{title}: {error}" if title else str(error)))
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            bound = form[name]
            label = f"{title}: {bound.label}" if title else bound.label
            for error in errors:
                links.append((bound.auto_id, f"{label} — {error}"))
    return links


# The list.


@login_required
def agreement_list(request):
    """An NGO member's organizations' agreements, an official's department's (a platform
    admin's: all), filtered by the year of the task and the status in the URL."""
    user = request.user
    department = department_of(user)
    if is_platform_admin(user):
        found = Agreement.objects.all()
    else:
        visible = Q(organization__in=Membership.objects.filter(user=user).values("organization_id"))
        if department is not None:
            visible |= Q(department=department)
        found = Agreement.objects.filter(visible)
    form = AgreementFilterForm(request.GET or None)
    if form.is_valid():
        year, status = form.cleaned_data.get("year"), form.cleaned_data.get("status")
        if year:
            found = found.filter(starts__year__lte=year, ends__year__gte=year)
        if status:
            found = found.filter(status=status)
    found = found.select_related("organization", "department", "offer").order_by(
        "-created_at", "-pk"
    )
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    small_grants = []
    if department is not None:
        small_grants = list(services.small_grants_awaiting(department)[:SMALL_GRANTS_SHOWN])
    return render(
        request,
        "agreements/list.html",
        {
            "form": form,
            "page": page,
            "department": department,
            "small_grants": small_grants,
            "filtered": form.is_bound,
        },
    )


# An agreement.


@login_required
def detail(request, pk):
    agreement = _agreement(request, pk)
    user = request.user
    can_manage = user.has_perm(MANAGE, agreement)
    can_act = user.has_perm(ACT, agreement)
    updates = list(
        agreement.budget_updates.select_related("submitted_by", "reviewed_by").order_by(
            "-submitted_at", "-pk"
        )
    )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "amount_words": services.amount_in_words(agreement.amount),
            "tranches": list(agreement.tranches.order_by("number")),
            "versions": list(agreement.versions.order_by("number")),
            "updates": updates,
            "calculation": services.cost_calculation(agreement),
            "other_costs_label": _other_costs_label(agreement),
            "can_manage": can_manage,
            "can_act": can_act,
            "signed": agreement.status not in services.UNSIGNED,
            "days_after_signing": settings.TRANCHE_DAYS_AFTER_SIGNING,
        },
    )


@login_required
def version_pdf(request, pk, number):
    agreement = _agreement(request, pk)
    version = get_object_or_404(agreement.versions, number=number)
    return private_file_response(
        version.pdf,
        allowed=True,
        filename=f"umowa-{agreement.number.replace('/', '-')}-v{version.number}.pdf",
        content_type="application/pdf",
    )


@login_required
def draft_pdf(request, pk):
    """The agreement's wording before the signing, once its budget is settled."""
    agreement = _agreement(request, pk)
    if agreement.status != Agreement.Status.READY:
        raise Http404
    number = agreement.number.replace("/", "-")
    return pdf_response(documents.draft_pdf(agreement), f"umowa-{number}-projekt.pdf")


# The updated budget after a cut.


def _other_costs_label(agreement):
    """What the costs under no action are called: administrative costs, or a small
    grant's costs of the task."""
    if agreement.offer.kind == Offer.Kind.SMALL_GRANT:
        return _("Costs of the task")
    return _("Administrative costs")


def _action_choices(agreement):
    offer = agreement.offer
    return [(NO_ACTION, _other_costs_label(agreement))] + [
        (str(action.pk), action.name) for action in offer.actions.all()
    ]


def _cost_initial(lines):
    return [
        {
            "action": str(line["action"]) if line.get("action") else NO_ACTION,
            "name": line.get("name", ""),
            "unit": line.get("unit", ""),
            "unit_cost": Decimal(str(line["unit_cost"])) if line.get("unit_cost") else None,
            "quantity": Decimal(str(line["quantity"])) if line.get("quantity") else None,
            "year": line.get("year"),
        }
        for line in lines
    ]


def _schedule_initial(agreement, schedule):
    by_action = {row.get("action"): row for row in schedule}
    initial = []
    for action in agreement.offer.actions.all():
        row = by_action.get(action.pk, {})
        initial.append(
            {
                "action": action.pk,
                "starts": row.get("starts") or action.starts,
                "ends": row.get("ends") or action.ends,
            }
        )
    return initial


def _budget_start(request, agreement):
    """What the budget form starts from: what was typed (back from the check page), the
    last returned update, or the offer."""
    draft = request.session.get(BUDGET_DRAFT_KEY % agreement.pk)
    if draft:
        return draft["cost_lines"], draft["schedule"], draft["own_contribution"], draft["note"]
    last = agreement.budget_updates.order_by("-submitted_at", "-pk").first()
    if last is not None:
        return last.cost_lines, last.schedule, last.own_contribution, last.note
    offer = agreement.offer
    lines = services.offer_cost_lines(offer)
    own = offer.own_financial + offer.own_personal + offer.own_in_kind
    return lines, services.offer_schedule(offer), own, ""


def _raw_rows(formset, names):
    """What was typed in each row of a bound formset (not removed, not empty)."""
    rows = []
    for form in formset.forms:
        values = {name: form[name].value() for name in names}
        if form.prefix and formset.can_delete and form["DELETE"].value():
            continue
        if not any(str(value or "").strip() for key, value in values.items() if key != "action"):
            continue
        rows.append(values)
    return rows


def _number(text):
    try:
        value = parse_amount(str(text or ""))
    except (ValueError, ArithmeticError):
        return None
    return value


def _sums(agreement, rows, own_text):
    """The live sums of the page, from what was typed (unreadable numbers count as 0)."""
    total = Decimal("0")
    by_year = {}
    for row in rows:
        unit_cost = _number(row.get("unit_cost")) or Decimal("0")
        quantity = _number(row.get("quantity")) or Decimal("0")
        value = (unit_cost * quantity).quantize(Decimal("0.01"))
        total += value
        year = str(row.get("year") or "—")
        by_year[year] = by_year.get(year, Decimal("0")) + value
    own = _number(own_text) or Decimal("0")
    expected = agreement.amount + own
    return {
        "total": total,
        "by_year": sorted(by_year.items()),
        "grant": agreement.amount,
        "own": own,
        "expected": expected,
        "difference": abs(total - expected),
        "balanced": total == expected,
    }


def _apply_problems(problems, *, form=None, rows=(), schedule_forms=(), tranche_forms=None):
    """Put the service's problems next to their fields; returns the page-level ones."""
    page = []
    for key, message in problems:
        target = None
        if isinstance(key, tuple):
            kind, index, name = key
            if kind == "cost_lines" and index < len(rows):
                target = (rows[index], name)
            elif kind == "schedule" and index < len(schedule_forms):
                target = (schedule_forms[index], name)
            elif kind == "tranches" and tranche_forms is not None and index in tranche_forms:
                target = (tranche_forms[index], name)
        elif form is not None and key in form.fields:
            target = (form, key)
        if target is not None and target[1] in target[0].fields:
            target[0].add_error(target[1], message)
        elif message not in page:
            page.append(message)
    return page


def _place(error, **targets):
    """The service's refusal on the page: each problem beside its field, the message at
    the top when it names none."""
    page = _apply_problems(error.problems, **targets)
    return page if error.problems else [error.message]


def _budget_page(request, agreement, form, costs, schedule, *, page_errors=(), sums=None):
    schedule_titles = {str(action.pk): action.name for action in agreement.offer.actions.all()}
    for row in schedule.forms:
        row.title = schedule_titles.get(str(row["action"].value()), "")
    for index, row in enumerate(costs.forms, start=1):
        row.title = _("Cost %(n)s") % {"n": index}
    links = _error_links(
        (form, ""),
        *[(row, row.title) for row in costs.forms],
        *[(row, row.title) for row in schedule.forms],
        page_errors=page_errors,
    )
    offer = agreement.offer
    return render(
        request,
        "agreements/budget_form.html",
        {
            "agreement": agreement,
            "offer": offer,
            "form": form,
            "costs": costs,
            "schedule": schedule,
            "error_links": links,
            "page_errors": page_errors,
            "sums": sums,
            "min_own_percent": (
                offer.call.min_own_contribution_percent
                if offer.call and offer.call.funding_mode == "support"
                else None
            ),
        },
    )


COST_FIELDS = ["action", "name", "unit", "unit_cost", "quantity", "year"]


@login_required
@require_http_methods(["GET", "POST"])
def budget_update(request, pk):
    """The organization's updated cost calculation and schedule after a cut: rows
    prefilled from the offer (or the returned budget), empty rows for new costs, "Add
    rows" and "Remove this cost" without JavaScript, the sums counted on each send."""
    agreement = _agreement(request, pk, ACT)
    if agreement.status != Agreement.Status.BUDGET_UPDATE:
        return _obstacle(
            request,
            agreement,
            _("Send the updated budget"),
            _("The agreement is not waiting for an updated budget."),
        )
    choices = _action_choices(agreement)
    if request.method == "GET":
        lines, schedule_rows, own, note = _budget_start(request, agreement)
        form = BudgetForm(initial={"own_contribution": Decimal(str(own)), "note": note})
        costs = cost_formset(initial=_cost_initial(lines), action_choices=choices)
        schedule = schedule_formset(initial=_schedule_initial(agreement, schedule_rows))
        return _budget_page(
            request,
            agreement,
            form,
            costs,
            schedule,
            sums=_sums(agreement, _cost_initial(lines), own),
        )
    form = BudgetForm(request.POST)
    costs = cost_formset(request.POST, action_choices=choices)
    schedule = schedule_formset(request.POST)
    if not (costs.management_form.is_valid() and schedule.management_form.is_valid()):
        return redirect("agreements:budget_update", agreement.pk)
    typed = _raw_rows(costs, COST_FIELDS)
    sums = _sums(agreement, typed, request.POST.get("own_contribution"))
    if "add_rows" in request.POST:
        # The rows as typed (removed ones dropped), with more empty rows; nothing checked yet.
        costs = cost_formset(
            initial=typed, action_choices=choices, extra=EXTRA_COST_ROWS + MORE_COST_ROWS
        )
        form = BudgetForm(
            initial={
                "own_contribution": request.POST.get("own_contribution", ""),
                "note": request.POST.get("note", ""),
            }
        )
        schedule = schedule_formset(
            initial=[
                {name: row[name].value() for name in ("action", "starts", "ends")}
                for row in schedule.forms
            ]
        )
        return _budget_page(request, agreement, form, costs, schedule, sums=sums)
    page_errors = []
    if form.is_valid() & costs.is_valid() & schedule.is_valid():
        rows = costs.rows()
        lines = [data for _form, data in rows]
        schedule_rows = [
            {
                "action": row.cleaned_data["action"],
                "starts": row.cleaned_data["starts"],
                "ends": row.cleaned_data["ends"],
            }
            for row in schedule.forms
        ]
        own = form.cleaned_data["own_contribution"]
        try:
            stored_lines, stored_schedule = services.check_budget(
                agreement, lines, schedule_rows, own
            )
        except AgreementError as error:
            page_errors = _place(
                error,
                form=form,
                rows=[row_form for row_form, _data in rows],
                schedule_forms=schedule.forms,
            )
        else:
            if "recalculate" not in request.POST:
                request.session[BUDGET_DRAFT_KEY % agreement.pk] = {
                    "cost_lines": stored_lines,
                    "schedule": stored_schedule,
                    "own_contribution": str(own),
                    "note": form.cleaned_data["note"],
                }
                return redirect("agreements:budget_check", agreement.pk)
    return _budget_page(
        request, agreement, form, costs, schedule, page_errors=page_errors, sums=sums
    )


def _readable_budget(agreement, cost_lines, schedule, own):
    names = {action.pk: action.name for action in agreement.offer.actions.all()}
    lines = services._typed_lines(cost_lines, names)
    total = sum((line["value"] for line in lines), Decimal("0"))
    by_year = {}
    for line in lines:
        by_year[line["year"]] = by_year.get(line["year"], Decimal("0")) + line["value"]
    other = _other_costs_label(agreement)
    for line in lines:
        line["action_name"] = line["action_name"] or other
    own = Decimal(str(own))
    return {
        "lines": lines,
        "schedule": services._typed_schedule(schedule, names),
        "total": total,
        "by_year": sorted(by_year.items()),
        "own": own,
        "own_share": (own * 100 / total).quantize(Decimal("0.01")) if total else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def budget_check(request, pk):
    """Check your answers before the updated budget is sent."""
    agreement = _agreement(request, pk, ACT)
    draft = request.session.get(BUDGET_DRAFT_KEY % agreement.pk)
    if agreement.status != Agreement.Status.BUDGET_UPDATE or not draft:
        return redirect("agreements:budget_update", agreement.pk)
    problem = None
    if request.method == "POST":
        names = {action.pk: action for action in agreement.offer.actions.all()}
        lines = [
            {
                **line,
                "unit_cost": Decimal(line["unit_cost"]),
                "quantity": Decimal(line["quantity"]),
            }
            for line in draft["cost_lines"]
        ]
        schedule = [
            {
                "action": row["action"] if row["action"] in names else None,
                "starts": services._day(row["starts"]),
                "ends": services._day(row["ends"]),
            }
            for row in draft["schedule"]
        ]
        try:
            services.submit_budget_update(
                agreement,
                request.user,
                lines,
                schedule,
                Decimal(draft["own_contribution"]),
                draft["note"],
            )
        except AgreementError as error:
            problem = error.message
        else:
            request.session.pop(BUDGET_DRAFT_KEY % agreement.pk, None)
            messages.success(
                request,
                _("The updated budget is sent. The department will review it and tell you."),
            )
            return redirect(_detail_url(agreement))
    return render(
        request,
        "agreements/budget_check.html",
        {
            "agreement": agreement,
            "budget": _readable_budget(
                agreement, draft["cost_lines"], draft["schedule"], draft["own_contribution"]
            ),
            "note": draft["note"],
            "problem": problem,
        },
    )


def _update(agreement, update_pk):
    return get_object_or_404(
        BudgetUpdate.objects.select_related("submitted_by", "reviewed_by"),
        pk=update_pk,
        agreement=agreement,
    )


@login_required
def review_budget(request, pk, update_pk):
    """An updated budget: what the organization sent, and for the department the way to
    accept it or return it."""
    agreement = _agreement(request, pk)
    update = _update(agreement, update_pk)
    reviewable = (
        request.user.has_perm(MANAGE, agreement)
        and update.status == BudgetUpdate.Status.SUBMITTED
        and agreement.status == Agreement.Status.BUDGET_REVIEW
    )
    offer = agreement.offer
    return render(
        request,
        "agreements/budget_review.html",
        {
            "agreement": agreement,
            "update": update,
            "budget": _readable_budget(
                agreement, update.cost_lines, update.schedule, update.own_contribution
            ),
            "requested": offer.requested_grant,
            "reviewable": reviewable,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept_budget(request, pk, update_pk):
    agreement = _agreement(request, pk, MANAGE)
    update = _update(agreement, update_pk)
    review_url = reverse("agreements:review_budget", args=[agreement.pk, update.pk])
    problem = None
    if request.method == "POST":
        try:
            services.accept_budget_update(update, request.user)
        except AgreementError as error:
            problem = error.message
        else:
            messages.success(
                request,
                _("The updated budget is accepted; the agreement is ready to sign."),
            )
            return redirect(_detail_url(agreement))
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Accept the updated budget of agreement %(number)s?")
            % {"number": agreement.number},
            "consequences": [
                _("The cost calculation and schedule become part of the agreement."),
                _("The tranches are proposed again from the accepted costs of each year."),
                _("The organization's administrators are told by e-mail."),
            ],
            "confirm_button": _("Accept the updated budget"),
            "cancel_url": review_url,
            "obstacles": [problem] if problem else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_budget(request, pk, update_pk):
    agreement = _agreement(request, pk, MANAGE)
    update = _update(agreement, update_pk)
    review_url = reverse("agreements:review_budget", args=[agreement.pk, update.pk])
    form = ReturnBudgetForm(request.POST or None)
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            services.return_budget_update(update, request.user, form.cleaned_data["reason"])
        except AgreementError as error:
            problem = error.message
        else:
            messages.success(request, _("The updated budget is returned to the organization."))
            return redirect(_detail_url(agreement))
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Return the updated budget of agreement %(number)s?")
            % {"number": agreement.number},
            "consequences": [
                _("The organization's administrators get the reason by e-mail."),
                _("They send a corrected budget; this one stays on record."),
            ],
            "confirm_button": _("Return the budget"),
            "cancel_url": review_url,
            "form": form,
            "obstacles": [problem] if problem else [],
        },
    )


# Tranches.


@login_required
@require_http_methods(["GET", "POST"])
def tranches(request, pk):
    """Before signing: the planned dates and amounts; after: the days they were paid."""
    agreement = _agreement(request, pk, MANAGE)
    rows = list(agreement.tranches.order_by("number"))
    signed = agreement.status not in services.UNSIGNED
    page_errors = []
    if not signed:
        if agreement.status != Agreement.Status.READY:
            return _obstacle(
                request,
                agreement,
                _("Tranches of agreement %(number)s") % {"number": agreement.number},
                _(
                    "The tranches are proposed again from the updated budget once it is "
                    "accepted; change them then."
                ),
            )
        initial = [
            {"number": t.number, "planned_on": t.planned_on, "amount": t.amount} for t in rows
        ]
        formset = tranche_formset(request.POST or None, initial=initial)
        if request.method == "POST":
            if not formset.management_form.is_valid():
                return redirect("agreements:tranches", agreement.pk)
            if formset.is_valid():
                changed = [form.cleaned_data for form in formset.forms]
                try:
                    services.set_tranches(agreement, request.user, changed)
                except AgreementError as error:
                    by_number = {form.cleaned_data["number"]: form for form in formset.forms}
                    page_errors = _place(error, tranche_forms=by_number)
                else:
                    messages.success(request, _("The tranches are saved."))
                    return redirect(_detail_url(agreement))
    else:
        initial = [{"number": t.number, "paid_on": t.paid_on} for t in rows]
        formset = payment_formset(request.POST or None, initial=initial)
        if request.method == "POST":
            if not formset.management_form.is_valid():
                return redirect("agreements:tranches", agreement.pk)
            if formset.is_valid():
                by_number = {t.number: t for t in rows}
                failed = False
                for form in formset.forms:
                    tranche = by_number.get(form.cleaned_data["number"])
                    if tranche is None or tranche.paid_on == form.cleaned_data["paid_on"]:
                        continue
                    try:
                        services.record_payment(tranche, request.user, form.cleaned_data["paid_on"])
                    except AgreementError as error:
                        failed = True
                        form.add_error("paid_on", error.message)
                if not failed:
                    messages.success(request, _("The payments are saved."))
                    return redirect(_detail_url(agreement))
    tranche_by_number = {t.number: t for t in rows}
    for form in formset.forms:
        form.tranche = tranche_by_number.get(form["number"].value()) or tranche_by_number.get(
            int(form["number"].value() or 0)
        )
        form.title = _("Tranche %(n)s") % {"n": form["number"].value()}
    return render(
        request,
        "agreements/tranches.html",
        {
            "agreement": agreement,
            "formset": formset,
            "signed": signed,
            "error_links": _error_links(
                *[(form, form.title) for form in formset.forms], page_errors=page_errors
            ),
            "days_after_signing": settings.TRANCHE_DAYS_AFTER_SIGNING,
        },
    )


# Signing.


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, pk):
    """The date of signing and the city's representative, then check your answers (with
    the amount in words), then the agreement is recorded as signed."""
    agreement = _agreement(request, pk, MANAGE)
    title = _("Record the signing of agreement %(number)s") % {"number": agreement.number}
    if agreement.status != Agreement.Status.READY:
        problem = (
            _(
                "The grant is lower than requested: the agreement is signed once the "
                "organization's updated budget is accepted."
            )
            if agreement.status in (Agreement.Status.BUDGET_UPDATE, Agreement.Status.BUDGET_REVIEW)
            else _("This agreement is already signed; it changes only by an annex.")
        )
        return _obstacle(request, agreement, title, problem)
    form = SignForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    page_errors = []
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                services.sign(
                    agreement, request.user, data["signed_on"], data["city_representative"]
                )
            except AgreementError as error:
                page_errors = _place(error, form=form)
            else:
                messages.success(
                    request, _("The agreement is recorded as signed; version 1 is its PDF.")
                )
                return redirect(_detail_url(agreement))
        else:
            tranches = list(agreement.tranches.order_by("number"))
            provisional = services.provisional_first_payment(agreement)
            if tranches and tranches[0].planned_on == provisional:
                tranches[0].planned_on = data["signed_on"] + dt.timedelta(
                    days=settings.TRANCHE_DAYS_AFTER_SIGNING
                )
            return render(
                request,
                "agreements/sign_check.html",
                {
                    "agreement": agreement,
                    "form": form,
                    "data": data,
                    "amount_words": services.amount_in_words(agreement.amount),
                    "tranches": tranches,
                    "calculation": services.cost_calculation(agreement),
                },
            )
    return render(
        request,
        "agreements/sign_form.html",
        {
            "agreement": agreement,
            "form": form,
            "title": title,
            "page_errors": page_errors,
            "amount_words": services.amount_in_words(agreement.amount),
        },
    )


# Annexes.


def _annex_rows(formset):
    return [
        {
            "number": data.get("number"),
            "year": data.get("year"),
            "planned_on": data.get("planned_on"),
            "amount": data.get("amount"),
        }
        for _form, data in formset.rows()
    ]


def _same_tranches(rows, unpaid):
    current = [(t.number, t.year, t.planned_on, t.amount) for t in unpaid]
    given = [
        (r["number"], r["year"] or r["planned_on"].year, r["planned_on"], r["amount"]) for r in rows
    ]
    return current == given


@login_required
@require_http_methods(["GET", "POST"])
def annex(request, pk):
    """An annex: the reason and what changes (the grant, the end, the unpaid tranches),
    then a confirmation page."""
    agreement = _agreement(request, pk, MANAGE)
    title = _("Annex to agreement %(number)s") % {"number": agreement.number}
    if agreement.status not in services.SIGNED:
        return _obstacle(
            request, agreement, title, _("Only a signed agreement in force is changed by an annex.")
        )
    tranches = list(agreement.tranches.order_by("number"))
    paid = [t for t in tranches if t.paid_on]
    unpaid = [t for t in tranches if not t.paid_on]
    draft = request.session.get(ANNEX_DRAFT_KEY % agreement.pk)
    if request.method == "POST":
        form = AnnexForm(request.POST)
        formset = annex_tranche_formset(request.POST)
        if not formset.management_form.is_valid():
            return redirect("agreements:annex", agreement.pk)
        if form.is_valid() & formset.is_valid():
            rows = _annex_rows(formset)
            data = form.cleaned_data
            request.session[ANNEX_DRAFT_KEY % agreement.pk] = {
                "reason": data["reason"],
                "amount": str(data["amount"]) if data.get("amount") is not None else None,
                "ends": data["ends"].isoformat() if data.get("ends") else None,
                "tranches": None
                if _same_tranches(rows, unpaid)
                else [
                    {
                        "number": row["number"],
                        "year": row["year"],
                        "planned_on": row["planned_on"].isoformat(),
                        "amount": str(row["amount"]),
                    }
                    for row in rows
                ],
            }
            return redirect("agreements:annex_confirm", agreement.pk)
    elif draft and request.GET.get("zmien"):
        form = AnnexForm(
            initial={"reason": draft["reason"], "amount": draft["amount"], "ends": draft["ends"]}
        )
        rows = draft["tranches"]
        formset = annex_tranche_formset(
            initial=rows
            if rows is not None
            else [
                {"number": t.number, "year": t.year, "planned_on": t.planned_on, "amount": t.amount}
                for t in unpaid
            ]
        )
    else:
        form = AnnexForm()
        formset = annex_tranche_formset(
            initial=[
                {"number": t.number, "year": t.year, "planned_on": t.planned_on, "amount": t.amount}
                for t in unpaid
            ]
        )
    for row in formset.forms:
        number = row["number"].value()
        row.title = _("Tranche %(n)s") % {"n": number} if number else _("New tranche")
    return render(
        request,
        "agreements/annex_form.html",
        {
            "agreement": agreement,
            "title": title,
            "form": form,
            "formset": formset,
            "paid": paid,
            "error_links": _error_links((form, ""), *[(row, row.title) for row in formset.forms]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def annex_confirm(request, pk):
    agreement = _agreement(request, pk, MANAGE)
    draft = request.session.get(ANNEX_DRAFT_KEY % agreement.pk)
    if not draft or agreement.status not in services.SIGNED:
        return redirect("agreements:annex", agreement.pk)
    amount = Decimal(draft["amount"]) if draft["amount"] is not None else None
    ends = services._day(draft["ends"]) if draft["ends"] else None
    rows = (
        [
            {
                "number": row["number"],
                "year": row["year"],
                "planned_on": services._day(row["planned_on"]),
                "amount": Decimal(row["amount"]),
            }
            for row in draft["tranches"]
        ]
        if draft["tranches"] is not None
        else None
    )
    problem = None
    if request.method == "POST":
        try:
            version = services.add_annex(
                agreement, request.user, draft["reason"], amount=amount, ends=ends, tranches=rows
            )
        except AgreementError as error:
            problem = error.message
        else:
            request.session.pop(ANNEX_DRAFT_KEY % agreement.pk, None)
            messages.success(
                request,
                _("The annex is recorded: version %(n)s of the agreement.") % {"n": version.number},
            )
            return redirect(_detail_url(agreement))
    return render(
        request,
        "agreements/annex_confirm.html",
        {
            "confirm_title": _("Record the annex to agreement %(number)s?")
            % {"number": agreement.number},
            "agreement": agreement,
            "reason": draft["reason"],
            "amount": amount,
            "amount_words": services.amount_in_words(amount) if amount is not None else "",
            "ends": ends,
            "rows": rows,
            "consequences": [
                _("A new version of the agreement is made, with its own PDF."),
                _("The earlier versions stay as they were and can still be downloaded."),
                _("The organization's administrators are told by e-mail."),
            ],
            "confirm_button": _("Record the annex"),
            "cancel_url": reverse("agreements:annex", args=[agreement.pk]) + "?zmien=1",
            "cancel_label": _("Change the annex"),
            "obstacles": [problem] if problem else [],
        },
    )


# Small grants.


def _small_grant_offer(request, offer_pk):
    """A small-grant offer sent to the person's department (or anyone's, for an admin)."""
    offer = get_object_or_404(
        Offer.objects.select_related("organization", "department"),
        pk=offer_pk,
        kind=Offer.Kind.SMALL_GRANT,
    )
    department = department_of(request.user)
    if not (
        is_platform_admin(request.user)
        or (department is not None and department.pk == offer.department_id)
    ):
        raise Http404
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def small_grant(request, offer_pk):
    """Prepare the agreement of a small-grant offer once its comments are closed."""
    offer = _small_grant_offer(request, offer_pk)
    existing = Agreement.objects.filter(offer=offer).first()
    if existing is not None:
        return redirect(_detail_url(existing))
    problem = services.small_grant_problem(offer)
    if request.method == "POST" and problem is None:
        try:
            agreement = services.prepare_small_grant_agreement(offer, request.user)
        except AgreementError as error:
            problem = error.message
        else:
            messages.success(request, _("The agreement is prepared."))
            return redirect(_detail_url(agreement))
    return render(
        request,
        "agreements/small_grant.html",
        {
            "offer": offer,
            "confirm_title": _("Prepare the agreement for small-grant offer %(number)s?")
            % {"number": offer.number},
            "confirm_intro": _(
                "%(organization)s asks for %(amount)s for “%(title)s”. Its comment period "
                "has closed."
            )
            % {
                "organization": offer.organization.name,
                "amount": money(offer.requested_grant),
                "title": offer.title,
            },
            "consequences": [
                _("The agreement is prepared with the requested grant and the offer's dates."),
                _("Its tranches are proposed; you may change them before signing."),
                _("The organization's administrators are told by e-mail."),
            ],
            "confirm_button": _("Prepare the agreement"),
            "cancel_url": reverse("agreements:list"),
            "obstacles": [problem] if problem else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def small_grant_refuse(request, offer_pk):
    """Do not award a small grant after its comments: the reasons, on a page of its own."""
    offer = _small_grant_offer(request, offer_pk)
    existing = Agreement.objects.filter(offer=offer).first()
    if existing is not None:
        return redirect(_detail_url(existing))
    problem = services.small_grant_problem(offer)
    form = SmallGrantRefusalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            services.refuse_small_grant(offer, request.user, form.cleaned_data["reason"])
        except AgreementError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(
                request,
                _("The grant is not awarded. The organization is told the reasons by e-mail."),
            )
            return redirect("agreements:list")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Do not award the small grant of offer %(number)s?")
            % {"number": offer.number},
            "confirm_intro": _("%(organization)s asks for %(amount)s for “%(title)s”.")
            % {
                "organization": offer.organization.name,
                "amount": money(offer.requested_grant),
                "title": offer.title,
            },
            "consequences": [
                _("No agreement is made for this offer; the decision cannot be undone here."),
                _("The organization's administrators are e-mailed the reasons."),
            ],
            "form": form,
            "confirm_button": _("Do not award the grant"),
            "cancel_url": reverse("agreements:small_grant", args=[offer.pk]),
            "obstacles": [problem] if problem else [],
        },
    )
