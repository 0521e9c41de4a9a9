"""The pages of a draft offer: the list of a person's offers, starting one, its steps (each
saved with "Save and continue", and as it is typed through the autosave endpoint), removing
a row, and checking the answers before submitting.

Drafts are seen only by members of the offering organization: anyone else gets 404, as if
the offer did not exist; a member opening an editing address of an offer that is no longer
a draft is told that it can no longer be changed (403). What a save does and refuses is in
`drafts`, what the offer still needs is in `checks`.

A formal correction (a draft whose `editable_steps` is set) shows the steps not open to
correction read-only, with a notice; their saves, autosaves and rows are refused.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.competitions.models import Call, LegalRules
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.organizations.models import Organization

from . import checks, drafts, services
from .forms import (
    ROW_FORMS,
    StartForm,
    StartSmallGrantForm,
    StepForms,
    row_formset,
    row_initial,
)
from .models import Action, Offer
from .rules import is_offeror_member

PAGE_SIZE = 20
ROW_PREFETCH = ("partners", "actions", "results", "cost_lines")


class _Refused(Exception):
    """A member asked to change an offer that is no longer a draft."""

    def __init__(self, offer):
        super().__init__(offer.pk)
        self.offer = offer


def _not_editable(request, offer):
    return render(request, "offers/not_editable.html", {"offer": offer}, status=403)


def draft_page(view):
    """Answer a refused change of a submitted offer with the page that says why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Refused as refused:
            return _not_editable(request, refused.offer)

    return wrapper


def _load(pk):
    return get_object_or_404(
        Offer.objects.select_related("call", "department", "organization", "updated_by")
        .prefetch_related(*ROW_PREFETCH)
        .defer("submitted_content"),
        pk=pk,
    )


def _draft(request, pk, perm="offers.edit_offer"):
    """The draft `pk` when the person may work on it; 404 for anyone outside its
    organization, `_Refused` for a member when it is no longer a draft."""
    offer = _load(pk)
    if request.user.has_perm(perm, offer):
        return offer
    if offer.status != Offer.Status.DRAFT and is_offeror_member.test(request.user, offer):
        raise _Refused(offer)
    raise Http404


def _step(offer, slug):
    step = drafts.step_by_slug(offer, slug)
    if step is None:
        raise Http404
    return step


def step_url(offer, step):
    return reverse("offers:step", args=[offer.pk, step.slug])


def _posted_revision(request):
    value = request.POST.get("revision", "")
    if not (value.isascii() and value.isdigit() and len(value) < 10):
        raise BadRequest("revision must be a number")
    return int(value)


# The list and starting an offer.


def _organizations_of(user):
    return Organization.objects.filter(memberships__user=user).order_by("sort_name", "id")


@login_required
def offer_list(request):
    offers = (
        Offer.objects.filter(organization__memberships__user=request.user)
        .select_related("call", "organization", "department")
        .defer("submitted_content")
        .order_by("-updated_at", "-pk")
    )
    page = CappedPaginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    has_organization = _organizations_of(request.user).exists()
    open_calls = (
        Call.objects.open().select_related("department").order_by("deadline", "id")[:10]
        if has_organization
        else []
    )
    context = {"page": page, "has_organization": has_organization, "open_calls": open_calls}
    return render(request, "offers/list.html", context)


def _call_obstacle(call):
    """Why `call` takes no offers now (by the server's clock), or None."""
    phase = call.phase
    if phase == Call.Phase.OPEN:
        return None
    if phase == Call.Phase.UPCOMING:
        return _("The call accepts offers from %(date)s.") % {
            "date": formats.date_format(timezone.localtime(call.offers_from), "j E Y, H:i")
        }
    if phase == Call.Phase.EVALUATION:
        return _("The deadline for offers passed on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(call.deadline), "j E Y, H:i")
        }
    return _("This call is closed: it no longer accepts offers.")


NO_ORGANIZATION = gettext_lazy(
    "You are not a member of any organization. Offers are made by organizations: register "
    "yours or ask its administrator to invite you."
)


@login_required
@require_http_methods(["GET", "POST"])
def start(request, call_pk):
    call = get_object_or_404(Call.objects.public().select_related("department"), pk=call_pk)
    organizations = _organizations_of(request.user)
    obstacles = []
    call_obstacle = _call_obstacle(call)
    if call_obstacle:
        obstacles.append(call_obstacle)
    if not organizations.exists():
        obstacles.append(str(NO_ORGANIZATION))
    form = StartForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            offer = drafts.start_offer(form.cleaned_data["organization"], request.user, call=call)
        except drafts.DraftError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft offer is started. It is saved as you type."))
            return redirect(step_url(offer, drafts.steps_for(offer)[0]))
    context = {
        "call": call,
        "form": form,
        "obstacles": obstacles,
        "drafts": Offer.objects.filter(
            call=call, organization__in=organizations, status=Offer.Status.DRAFT
        ).select_related("organization"),
    }
    return render(request, "offers/start.html", context, status=403 if obstacles else 200)


@login_required
@require_http_methods(["GET", "POST"])
def start_small_grant(request):
    organizations = _organizations_of(request.user)
    obstacles = [] if organizations.exists() else [str(NO_ORGANIZATION)]
    form = StartSmallGrantForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            offer = drafts.start_offer(
                form.cleaned_data["organization"],
                request.user,
                department=form.cleaned_data["department"],
            )
        except drafts.DraftError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft offer is started. It is saved as you type."))
            return redirect(step_url(offer, drafts.steps_for(offer)[0]))
    context = {"form": form, "obstacles": obstacles, "rules": LegalRules.current()}
    return render(
        request, "offers/start_small_grant.html", context, status=403 if obstacles else 200
    )


# The steps.


@login_required
@require_http_methods(["GET", "POST"])
@draft_page
def step(request, pk, slug):
    offer = _draft(request, pk)
    step = _step(offer, slug)
    if not drafts.is_step_open(offer, step.key):
        return _render_locked_step(request, offer, step, refused=request.method == "POST")
    if request.method == "POST":
        return _post_step(request, offer, step)
    bundle = StepForms(offer, step)
    return _render_step(request, offer, step, bundle, drafts.revision_of(offer, step.key))


def _post_step(request, offer, step):
    base = _posted_revision(request)
    bundle = StepForms(offer, step, request.POST)
    valid = bundle.is_valid()
    try:
        revision = drafts.save_step(offer, step.key, bundle.cleaned_data(), base, request.user)
    except drafts.Conflict as conflict:
        return _render_step(request, offer, step, bundle, conflict.revision, conflict, status=409)
    except drafts.NotADraft:
        raise _Refused(offer) from None
    if not valid:
        return _render_step(request, _load(offer.pk), step, bundle, revision)
    here = step_url(offer, step)
    if "add" in request.POST:
        kind, action = _add_target(request, offer)
        try:
            row, _revision = drafts.add_row(
                offer, step.key, kind, request.user, base_revision=revision, action=action
            )
        except (drafts.DraftError, drafts.Conflict) as error:
            messages.error(request, _refusal(error))
            return redirect(here)
        return redirect(f"{here}#row-{kind}-{row.pk}")
    if "remove" in request.POST:
        kind, _sep, row_id = request.POST["remove"].partition(":")
        if kind not in ROW_FORMS or not (row_id.isascii() and row_id.isdigit()):
            raise BadRequest("remove must name a row")
        return redirect("offers:remove_row", offer.pk, step.slug, kind, int(row_id))
    if "stay" in request.POST:
        messages.success(request, _("Saved."))
        return redirect(here)
    following = drafts.next_step(offer, step)
    if following is None:
        return redirect("offers:check", offer.pk)
    return redirect(step_url(offer, following))


def _refusal(error):
    if isinstance(error, drafts.Conflict):
        return _("Someone else saved this section meanwhile. Check it and try again.")
    return str(error)


def _add_target(request, offer):
    """("cost_lines", the action or None) from add=cost_lines:12 / cost_lines:admin,
    (kind, None) from add=actions."""
    kind, _sep, rest = request.POST["add"].partition(":")
    if kind not in ROW_FORMS:
        raise BadRequest("add must name a kind of row")
    if kind != "cost_lines" or rest in ("", "admin"):
        return kind, None
    if not (rest.isascii() and rest.isdigit() and len(rest) < 19):
        raise BadRequest("add must name an action")
    action = Action.objects.filter(offer=offer, pk=int(rest)).first()
    if action is None:
        raise BadRequest("no such action in this offer")
    return kind, action


def _render_locked_step(request, offer, step, refused=False):
    """A step a formal correction may not change: its answers, read-only, and the way on.
    A save posted to it is refused (403) and changes nothing."""
    urls = {s.key: step_url(offer, s) for s in drafts.steps_for(offer)}
    cost_columns, cost_tables = _cost_tables(offer) if step.key == "costs" else ([], [])
    context = {
        **_step_context(offer, step),
        "section": _summary(offer, [step], urls)[0],
        "cost_columns": cost_columns,
        "cost_groups": cost_tables,
        "budget": checks.budget(offer) if step.key == "costs" else None,
        "refusal": str(drafts.locked_step_message(offer, step.key)) if refused else "",
    }
    return render(request, "offers/step_locked.html", context, status=403 if refused else 200)


def _render_step(request, offer, step, bundle, revision, conflict=None, status=200):
    found = services.submission_problems(offer)
    step_checks = bundle.set_checks(found)
    context = {
        **_step_context(offer, step),
        "bundle": bundle,
        "form": bundle.form,
        "formsets": bundle.formsets,
        "revision": revision,
        "errors": bundle.error_list() if bundle.is_bound else [],
        "step_checks": step_checks,
        "conflict": conflict,
        "conflict_rows": _conflict_rows(offer, step, conflict, bundle) if conflict else [],
        "cost_groups": _cost_groups(offer, bundle) if "cost_lines" in bundle.formsets else [],
        "budget": checks.budget(offer) if step.key == "costs" else None,
    }
    return render(request, "offers/step.html", context, status=status)


def _step_context(offer, step):
    steps = drafts.steps_for(offer)
    following = drafts.next_step(offer, step)
    return {
        "offer": offer,
        "call": offer.call,
        "organization": offer.organization,
        "step": step,
        "steps": [(s, step_url(offer, s)) for s in steps],
        "step_url": step_url(offer, step),
        "autosave_url": reverse("offers:autosave", args=[offer.pk, step.slug]),
        "next_step": following,
        "is_small_grant": offer.kind == Offer.Kind.SMALL_GRANT,
        "is_last_step": following is None,
        "rules": LegalRules.current() if offer.kind == Offer.Kind.SMALL_GRANT else None,
        "open_steps": drafts.open_steps(offer) if offer.editable_steps is not None else None,
    }


def _cost_groups(offer, bundle):
    """The cost lines' forms grouped as section V.A shows them: by action, then the
    administrative costs (for a small grant: one group)."""
    forms = bundle.formsets["cost_lines"].forms
    if offer.kind == Offer.Kind.SMALL_GRANT:
        return [{"key": "all", "action": None, "number": None, "forms": forms}]
    groups = []
    for number, action in enumerate(drafts.ordered_rows(offer, "actions"), start=1):
        groups.append(
            {
                "key": str(action.pk),
                "action": action,
                "number": number,
                "forms": [f for f in forms if f.row is not None and f.row.action_id == action.pk],
            }
        )
    groups.append(
        {
            "key": "admin",
            "action": None,
            "number": None,
            "forms": [f for f in forms if f.row is None or f.row.action_id is None],
        }
    )
    return groups


def _shown(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "quantize"):
        return money(value)
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "j E Y")
    return str(value)


def _conflict_rows(offer, step, conflict, bundle):
    """The fields where the saved version differs from what this person typed:
    (label, saved, typed)."""
    typed = bundle.cleaned_data()
    rows = []
    for name, saved in conflict.current.items():
        if name in drafts.ROW_KINDS:
            saved_rows = [_row_text(name, row) for row in saved]
            typed_rows = [_row_text(name, row) for row in typed.get(name, [])]
            if saved_rows != typed_rows:
                label = capfirst(drafts.ROW_KINDS[name].model._meta.verbose_name_plural)
                rows.append((label, saved_rows or ["—"], typed_rows or ["—"]))
            continue
        if name in typed and typed[name] != saved and not (typed[name] in (None, "") and not saved):
            rows.append((bundle.form[name].label, [_shown(saved)], [_shown(typed[name])]))
    return rows


def _row_text(kind, row):
    form_class = ROW_FORMS[kind]
    parts = []
    for name, field in form_class.base_fields.items():
        value = row.get(name)
        if name in ("id", "partner") or value in (None, "", 0):
            continue
        parts.append(f"{field.label}: {_shown(value)}")
    return "; ".join(parts) or "—"


# Autosave.


@require_POST
def autosave(request, pk, slug):
    """Save the step as it is typed (htmx). The answer is a status line, plus, out of
    band, the step's new revision, the message areas of its fields and, on the costs step,
    the budget: never the inputs themselves. A signed-out person, a conflict and a
    submitted offer each get a status that says what to do (401, 409, 403)."""
    context = {"state": "saved"}
    if not request.user.is_authenticated:
        here = request.path.rsplit("autozapis/", 1)[0]
        context = {"state": "signed_out", "login_url": f"{reverse('account_login')}?next={here}"}
        return render(request, "offers/_autosave.html", context, status=401)
    try:
        offer = _draft(request, pk)
    except _Refused as refused:
        return render(
            request,
            "offers/_autosave.html",
            {"state": "not_editable", "offer": refused.offer},
            status=403,
        )
    step = _step(offer, slug)
    if not drafts.is_step_open(offer, step.key):
        context = {"state": "locked", "refusal": drafts.locked_step_message(offer, step.key)}
        return render(request, "offers/_autosave.html", context, status=403)
    base = _posted_revision(request)
    bundle = StepForms(offer, step, request.POST)
    valid = bundle.is_valid()
    try:
        revision = drafts.save_step(offer, step.key, bundle.cleaned_data(), base, request.user)
    except drafts.Conflict as conflict:
        context = {"state": "conflict", "conflict": conflict, **_step_context(offer, step)}
        return render(request, "offers/_autosave.html", context, status=409)
    except drafts.NotADraft:
        return render(
            request, "offers/_autosave.html", {"state": "not_editable", "offer": offer}, status=403
        )
    new_row = None
    # Only the add button's own request adds a row: htmx also sends the name of the last
    # focused submit button with the form's autosave (a field's "change" fires as the
    # button takes the focus), which must not add another.
    if "add" in request.POST and request.htmx.trigger_name == "add":
        kind, action = _add_target(request, offer)
        try:
            row, revision = drafts.add_row(
                offer, step.key, kind, request.user, base_revision=revision, action=action
            )
        except (drafts.DraftError, drafts.Conflict) as error:
            context["refusal"] = _refusal(error)
        else:
            new_row = (kind, row)
    fresh = _load(offer.pk)
    found = services.submission_problems(fresh)
    step_checks = bundle.set_checks(found)
    context.update(
        {
            **_step_context(fresh, step),
            "state": "saved" if valid else "saved_in_part",
            "saved_at": timezone.localtime(),
            "revision": revision,
            "slots": bundle.message_slots(),
            "step_checks": step_checks,
            "budget": checks.budget(fresh) if step.key == "costs" else None,
            "cost_lines": drafts.ordered_rows(fresh, "cost_lines") if step.key == "costs" else [],
            "error_count": len(bundle.error_list()),
        }
    )
    if new_row:
        context.update(_new_row_context(fresh, step, bundle, *new_row))
    return render(request, "offers/_autosave.html", context)


def _new_row_context(offer, step, bundle, kind, row):
    """The added row's form (at the end of the page's formset) and where it goes."""
    posted = bundle.formsets.get(kind)
    index = posted.total_form_count() if posted is not None else 0
    formset = row_formset(offer, kind)
    form = formset._construct_form(
        index, initial=row_initial(kind, row), **formset.get_form_kwargs(index)
    )
    form.row = row
    form.prefix_index = index
    form.check_messages = {}
    if kind == "cost_lines":
        container = f"cost_lines-rows-{row.action_id or 'admin'}"
        if offer.kind == Offer.Kind.SMALL_GRANT:
            container = "cost_lines-rows-all"
    else:
        container = f"{kind}-rows"
    return {
        "new_row": {"kind": kind, "form": form, "container": container, "total": index + 1},
    }


# Removing a row (a destructive action: asked on a page of its own).


@login_required
@require_http_methods(["GET", "POST"])
@draft_page
def remove_row(request, pk, slug, kind, row):
    offer = _draft(request, pk)
    step = _step(offer, slug)
    if kind not in step.rows_for(offer):
        raise Http404
    found = [r for r in drafts.ordered_rows(offer, kind) if r.pk == row]
    if not found:
        raise Http404
    number = drafts.ordered_rows(offer, kind).index(found[0]) + 1
    here = step_url(offer, step)
    if request.method == "POST":
        try:
            drafts.remove_row(
                offer, step.key, kind, row, request.user, base_revision=_posted_revision(request)
            )
        except (drafts.DraftError, drafts.Conflict) as error:
            if isinstance(error, drafts.NotADraft):
                raise _Refused(offer) from None
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("Removed."))
        return redirect(f"{here}#id_{kind}")
    what = checks.ROW_NAMES[kind] % {"n": number}
    name = found[0].name
    context = {
        "confirm_title": _("Remove %(what)s (%(name)s)?") % {"what": what.lower(), "name": name}
        if name
        else _("Remove %(what)s?") % {"what": what.lower()},
        "consequences": [_("What it holds is removed from the draft offer.")],
        "confirm_button": _("Remove"),
        "cancel_url": here,
        "hidden": {"revision": drafts.revision_of(offer, step.key)},
    }
    obstacle = _removal_obstacle(kind, found[0]) or drafts.locked_step_message(offer, step.key)
    if obstacle:
        context["obstacles"] = [obstacle]
    return render(request, "core/confirm.html", context)


def _removal_obstacle(kind, row):
    if kind == "actions" and row.cost_lines.exists():
        return _("This action has costs in section V. Remove them or move them there first.")
    if kind == "partners" and row.actions.exists():
        return _(
            "This partner carries out actions in section III. Choose another offeror for "
            "them first."
        )
    return None


# Check your answers.


@login_required
@draft_page
def check(request, pk):
    offer = _draft(request, pk, "offers.view_offer_draft")
    found = services.submission_problems(offer)
    steps = drafts.steps_for(offer)
    urls = {s.key: step_url(offer, s) for s in steps}
    cost_columns, cost_tables = _cost_tables(offer)
    context = {
        "offer": offer,
        "call": offer.call,
        "organization": offer.organization,
        "problems": [(problem, f"{urls[problem.step]}#{problem.anchor}") for problem in found],
        "sections": _summary(offer, steps, urls),
        "budget": checks.budget(offer),
        "cost_columns": cost_columns,
        "cost_groups": cost_tables,
        "can_submit": request.user.has_perm("offers.submit_offer", offer),
        "is_small_grant": offer.kind == Offer.Kind.SMALL_GRANT,
        "open_steps": drafts.open_steps(offer) if offer.editable_steps is not None else None,
    }
    return render(request, "offers/check.html", context)


def _summary(offer, steps, urls):
    """Each step's answers: (label, value, link to change it) and its tables of rows."""
    partners = {p.pk: p.name for p in drafts.ordered_rows(offer, "partners")}
    sections = []
    for step in steps:
        bundle = StepForms(offer, step)
        form = bundle.form
        answers = [
            {
                "label": form[name].label,
                "value": _shown(getattr(offer, name)),
                "url": f"{urls[step.key]}#id_{name}",
            }
            for name in step.fields_for(offer)
        ]
        tables = []
        for kind in step.rows_for(offer):
            if kind == "cost_lines":
                continue
            fields = [
                (name, field)
                for name, field in bundle.formsets[kind]
                .form(offer=offer, rows_by_id={})
                .fields.items()
                if name != "id"
            ]
            tables.append(
                {
                    "title": capfirst(drafts.ROW_KINDS[kind].model._meta.verbose_name_plural),
                    "url": f"{urls[step.key]}#id_{kind}",
                    "rows": [
                        {
                            "title": checks.ROW_NAMES[kind] % {"n": n},
                            "cells": [
                                (field.label, _shown(_row_value(offer, row, name, partners)))
                                for name, field in fields
                            ],
                        }
                        for n, row in enumerate(drafts.ordered_rows(offer, kind), start=1)
                    ],
                }
            )
        sections.append(
            {
                "step": step,
                "url": urls[step.key],
                "answers": answers,
                "rows": tables,
                "open": drafts.is_step_open(offer, step.key),
            }
        )
    return sections


def _row_value(offer, row, name, partners):
    if name == "partner":
        return partners.get(row.partner_id) or offer.organization.name
    if name == "kind":
        return row.get_kind_display()
    return getattr(row, name)


COST_COLUMNS = ("name", "unit", "unit_cost", "quantity", "year")


def _cost_cell(line, name):
    if name == "quantity":
        return checks.number(line.quantity)
    if name == "year":
        return str(line.year)
    return _shown(getattr(line, name))


def _cost_tables(offer):
    """Section V.A as tables: the cost lines of each action, then the administrative
    costs (for a small grant, one table)."""
    fields = ROW_FORMS["cost_lines"].base_fields
    columns = [fields[name].label for name in COST_COLUMNS] + [_("Value")]
    lines = drafts.ordered_rows(offer, "cost_lines")
    if offer.kind == Offer.Kind.SMALL_GRANT:
        groups = [(_("Costs"), lines)]
    else:
        groups = [
            (
                _("Action %(n)s: %(name)s") % {"n": n, "name": action.name or "—"},
                [line for line in lines if line.action_id == action.pk],
            )
            for n, action in enumerate(drafts.ordered_rows(offer, "actions"), start=1)
        ]
        groups.append(
            (_("Administrative costs"), [line for line in lines if line.action_id is None])
        )
    tables = [
        {
            "title": title,
            "lines": [
                [
                    *[
                        (label, _cost_cell(line, name))
                        for label, name in zip(columns, COST_COLUMNS, strict=False)
                    ],
                    (columns[-1], money(line.value)),
                ]
                for line in group
            ],
        }
        for title, group in groups
    ]
    return columns, tables
