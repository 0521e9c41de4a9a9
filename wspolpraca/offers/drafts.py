"""A draft offer, step by step: starting it, and saving one step at a time.

The official form's sections I–VII are the steps (`STEPS`). Each step owns some of the
offer's fields and some kinds of rows (partners, actions, results, cost lines), and keeps
its own revision in `Offer.step_revisions`. A save names the revision the person's page
was built on; if another save of the same step came in between, the save is refused with
a `Conflict` carrying the other version, so nothing the other person saved is silently
overwritten and nothing this person typed is lost (the page shows both and lets them
choose). A save whose values equal what is stored writes nothing and is never a conflict.

Small-grant offers (art. 19a) use the same steps with the simplified form's subset: the
fields and rows the simplified form lacks are hidden (`Step.fields_for`, `Step.rows_for`),
and steps with nothing left are skipped (`steps_for`).

A formal correction (a copy of a submitted offer made after the deadline, see
`services.copy_offer`) may change only the steps in its `editable_steps`: a save, or a row
added or removed, in any other step is refused with `StepLocked`.

The revision check and the write are one atomic step: the row is locked (SELECT ... FOR
UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at BEGIN) and the
UPDATE is conditional on the revision read, so two tabs saving at once cannot both win.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.core import audit

from .models import Action, CostLine, Offer, Partner, Result


class DraftError(Exception):
    """A refused change of a draft; the message is shown to the person as it is."""


class NotADraft(DraftError):
    """The offer was submitted (or withdrawn): nobody changes it any more."""


class StepLocked(DraftError):
    """The step is not open to the formal correction this draft is."""


# eq=False: an exception stays hashable (tracebacks and loggers keep them in sets).
@dataclass(eq=False)
class Conflict(Exception):
    """Another save of the step came in after the page was loaded.

    `by` and `at` say who last changed the offer and when; `revision` is the step's
    revision now (a save based on it keeps this person's version); `current` holds the
    step's stored values ({field: value}, and {row kind: [row values]}).
    """

    step: str
    by: object
    at: datetime
    revision: int
    current: dict = field(default_factory=dict)

    def __str__(self):
        return f"step {self.step} was saved by someone else (now at revision {self.revision})"


@dataclass(frozen=True)
class RowKind:
    """Rows of one model shown as a formset on a step."""

    key: str
    model: type
    related_name: str
    fields: tuple

    def attname(self, name):
        return self.model._meta.get_field(name).attname


ROW_KINDS = {
    "partners": RowKind(
        "partners",
        Partner,
        "partners",
        (
            "name",
            "kind",
            "register_number",
            "address",
            "email",
            "phone",
            "website",
            "cost_share",
            "actions_and_representation",
        ),
    ),
    "actions": RowKind(
        "actions",
        Action,
        "actions",
        ("name", "description", "target_group", "starts", "ends", "done_by_non_party", "partner"),
    ),
    "results": RowKind("results", Result, "results", ("name", "target_value", "monitoring")),
    "cost_lines": RowKind(
        "cost_lines", CostLine, "cost_lines", ("name", "unit", "unit_cost", "quantity", "year")
    ),
}


@dataclass(frozen=True)
class Step:
    """One section of the official form, as one page of the draft."""

    key: str
    slug: str
    number: str
    title: str
    fields: tuple = ()
    rows: tuple = ()
    # The simplified small-grant form's subset; None: the step is not in that form.
    small_grant_fields: tuple | None = ()
    small_grant_rows: tuple = ()

    def __str__(self):
        return f"{self.number}. {self.title}"

    def in_offer(self, offer):
        return offer.kind != Offer.Kind.SMALL_GRANT or self.small_grant_fields is not None

    def fields_for(self, offer):
        if offer.kind == Offer.Kind.SMALL_GRANT:
            return self.small_grant_fields or ()
        return self.fields

    def rows_for(self, offer):
        if offer.kind == Offer.Kind.SMALL_GRANT:
            return self.small_grant_rows
        rows = self.rows
        if "results" in rows and not (offer.call and offer.call.results_table_required):
            rows = tuple(kind for kind in rows if kind != "results")
        return rows


DECLARATION_FIELDS = (
    "declares_public_benefit",
    "declares_fees",
    "declares_no_arrears",
    "declares_register_data",
    "declares_truth",
    "declares_personal_data",
)
SOURCE_FIELDS = (
    "requested_grant",
    "own_financial",
    "own_personal",
    "own_in_kind",
    "other_public_funds",
    "beneficiary_fees",
)

STEPS = {
    step.key: step
    for step in [
        Step("basic", "podstawowe", "I", gettext_lazy("Basic information")),
        Step(
            "offeror",
            "oferent",
            "II",
            gettext_lazy("The offeror"),
            fields=("contact_name", "contact_email", "contact_phone", "correspondence_address"),
            rows=("partners",),
            small_grant_fields=(
                "contact_name",
                "contact_email",
                "contact_phone",
                "correspondence_address",
            ),
        ),
        Step(
            "task",
            "zadanie",
            "III",
            gettext_lazy("The public task"),
            fields=(
                "title",
                "starts",
                "ends",
                "summary",
                "complementarity",
                "results_effects",
                "results_change",
                "results_durability",
            ),
            rows=("actions", "results"),
            small_grant_fields=("title", "starts", "ends", "summary", "results_effects"),
        ),
        Step(
            "resources",
            "zasoby",
            "IV",
            gettext_lazy("Experience and resources"),
            fields=("earlier_activity", "resources"),
            small_grant_fields=None,
        ),
        Step(
            "costs",
            "koszty",
            "V",
            gettext_lazy("Costs and sources of financing"),
            fields=SOURCE_FIELDS,
            rows=("cost_lines",),
            small_grant_fields=("requested_grant", "own_financial", "own_personal", "own_in_kind"),
            small_grant_rows=("cost_lines",),
        ),
        Step(
            "other",
            "inne",
            "VI",
            gettext_lazy("Other information"),
            fields=("paid_activity", "other_information"),
            small_grant_fields=None,
        ),
        Step(
            "declarations",
            "oswiadczenia",
            "VII",
            gettext_lazy("Declarations and representation"),
            fields=(*DECLARATION_FIELDS, "representatives"),
            small_grant_fields=(*DECLARATION_FIELDS, "representatives"),
        ),
    ]
}


def steps_for(offer):
    """The steps of this offer's form, in order."""
    return [step for step in STEPS.values() if step.in_offer(offer)]


def step_by_slug(offer, slug):
    for step in steps_for(offer):
        if step.slug == slug:
            return step
    return None


def is_step_open(offer, step_key):
    """Whether the step may change: always in a draft, only the listed steps in a formal
    correction."""
    return offer.editable_steps is None or step_key in offer.editable_steps


def open_steps(offer):
    """The steps of a formal correction that may change, in the form's order (all steps
    of any other offer)."""
    return [step for step in steps_for(offer) if is_step_open(offer, step.key)]


def locked_step_message(offer, step_key):
    """Why the step cannot change in this formal correction, or "" when it can."""
    if is_step_open(offer, step_key):
        return ""
    names = ", ".join(str(step) for step in open_steps(offer)) or "—"
    return _(
        "Section %(step)s is not open to this correction and cannot be changed. The "
        "department asked for corrections only in: %(open)s."
    ) % {"step": STEPS[step_key], "open": names}


def _refuse_locked_step(offer, step_key):
    message = locked_step_message(offer, step_key)
    if message:
        raise StepLocked(message)


def next_step(offer, step):
    steps = steps_for(offer)
    position = [s.key for s in steps].index(step.key)
    return steps[position + 1] if position + 1 < len(steps) else None


def revision_of(offer, step_key):
    return int((offer.step_revisions or {}).get(step_key, 0))


def ordered_rows(offer, kind):
    """The rows of one kind in the order the pages number them: as they were added.

    Reads `offer.<rows>.all()`, so a prefetch serves it without a query. Cost lines are
    shown grouped by action, but numbered (and bound to the formset) in this one order.
    """
    rows = getattr(offer, ROW_KINDS[kind].related_name).all()
    return sorted(rows, key=lambda row: (row.order, row.pk))


def step_values(offer, step_key):
    """What a step holds now: {field: value} and {row kind: [{"id": …, field: value}]}."""
    step = STEPS[step_key]
    values = {name: getattr(offer, name) for name in step.fields_for(offer)}
    for kind in step.rows_for(offer):
        row_kind = ROW_KINDS[kind]
        values[kind] = [
            {
                "id": row.pk,
                **{name: getattr(row, row_kind.attname(name)) for name in row_kind.fields},
            }
            for row in ordered_rows(offer, kind)
        ]
    return values


def _organization_representatives(organization):
    """The persons who represented the organization in its latest offer: who represents
    it rarely changes, and the register shows them masked (they must be typed once)."""
    latest = (
        Offer.objects.filter(organization=organization)
        .exclude(representatives="")
        .order_by("-created_at", "-pk")
        .values_list("representatives", flat=True)
        .first()
    )
    return latest or ""


def start_offer(organization, by, call=None, department=None):
    """A member of `organization` starts a draft: for `call` when it accepts offers now
    (by the server's clock), or, without a call, a small-grant offer to `department`.

    The contact person is the one who starts it; what the city knows of the organization
    (seat, KRS, NIP, legal form) is never asked: the pages show it from the profile.
    """
    if not organization.memberships.filter(user=by).exists():
        raise DraftError(
            _("Only members of %(organization)s can start its offers.")
            % {"organization": organization.name}
        )
    if call is not None:
        if not call.accepts_offers:
            raise DraftError(_("This call does not accept offers now."))
        kind, department = Offer.Kind.COMPETITION, call.department
    elif department is None:
        raise DraftError(_("Choose the department the small-grant offer is addressed to."))
    else:
        kind = Offer.Kind.SMALL_GRANT
    with transaction.atomic():
        offer = Offer.objects.create(
            kind=kind,
            call=call,
            department=department,
            organization=organization,
            contact_name=by.full_name,
            contact_email=by.email,
            contact_phone=by.phone or organization.phone,
            representatives=_organization_representatives(organization),
            created_by=by,
            updated_by=by,
        )
        audit.record(
            by,
            "offer.started",
            offer,
            audit.diff(
                {},
                {
                    "kind": kind,
                    "call": call.pk if call else None,
                    "department": department.pk,
                    "organization": organization.pk,
                },
            ),
        )
    return offer


# Saving.


def _revision_is(step_key, revision):
    """The condition "the stored revision of the step is `revision`", for the UPDATE."""
    if revision:
        return Q(**{f"step_revisions__{step_key}": revision})
    return ~Q(step_revisions__has_key=step_key)


def _locked(offer_pk):
    """The offer as stored now, locked for this transaction."""
    offer = (
        # Only the offer's row is locked: PostgreSQL refuses FOR UPDATE on the nullable
        # side of the joins.
        Offer.objects.select_for_update(of=("self",))
        .select_related("call", "updated_by")
        .filter(pk=offer_pk)
        .first()
    )
    if offer is None or offer.status != Offer.Status.DRAFT:
        raise NotADraft(_("This offer has been submitted and can no longer be changed."))
    return offer


def _stored(model, name, value, current):
    """`value` as the column stores it: an emptied amount that cannot be empty is 0, an
    emptied value with no default keeps what is stored."""
    model_field = model._meta.get_field(name)
    if value is None and not model_field.null:
        if model_field.has_default():
            return model_field.get_default()
        if isinstance(model_field, models.DecimalField):
            return Decimal("0")
        return current
    return value


def _conflict(locked, step_key):
    return Conflict(
        step=step_key,
        by=locked.updated_by,
        at=locked.updated_at,
        revision=revision_of(locked, step_key),
        current=step_values(locked, step_key),
    )


def _commit_revision(locked, step_key, by, changes=None):
    """Write the step's next revision (and `changes` to the offer's fields) if the
    revision is still the one read; the conditional UPDATE is what makes two concurrent
    saves unable to both win on any database."""
    current = revision_of(locked, step_key)
    revisions = {**(locked.step_revisions or {}), step_key: current + 1}
    now = timezone.now()
    written = (
        Offer.objects.filter(pk=locked.pk, status=Offer.Status.DRAFT)
        .filter(_revision_is(step_key, current))
        .update(step_revisions=revisions, updated_by=by, updated_at=now, **(changes or {}))
    )
    if written != 1:
        raise _conflict(Offer.objects.select_related("updated_by").get(pk=locked.pk), step_key)
    locked.step_revisions, locked.updated_by, locked.updated_at = revisions, by, now
    for name, value in (changes or {}).items():
        setattr(locked, name, value)
    return current + 1


def save_step(offer, step, cleaned_data, base_revision, by):
    """Save one step's fields and rows from `cleaned_data`; return the step's revision.

    `cleaned_data` holds the step's fields by name (missing ones are left alone) and, for
    each kind of row on the step, a list of {"id": row id, field: value} (rows are added
    and removed by `add_row` and `remove_row`; a row id that is not this offer's is
    ignored). Raises `Conflict` when the step was saved since `base_revision` and the
    values differ from what is stored, `NotADraft` when the offer is no longer a draft.
    """
    step_def = STEPS[step]
    with transaction.atomic():
        locked = _locked(offer.pk)
        _refuse_locked_step(locked, step)
        changes = {}
        for name in step_def.fields_for(locked):
            if name not in cleaned_data:
                continue
            current = getattr(locked, name)
            value = _stored(Offer, name, cleaned_data[name], current)
            if value != current:
                changes[name] = value
        row_updates, rows_differ = _row_changes(locked, step_def, cleaned_data)
        stale = revision_of(locked, step) != base_revision
        if stale and (changes or row_updates or rows_differ):
            raise _conflict(locked, step)
        if not changes and not row_updates:
            return revision_of(locked, step)
        revision = _commit_revision(locked, step, by, changes)
        for kind, (rows, names) in row_updates.items():
            ROW_KINDS[kind].model.objects.bulk_update(rows, names)
    offer.step_revisions = locked.step_revisions
    offer.updated_by, offer.updated_at = by, locked.updated_at
    for name, value in changes.items():
        setattr(offer, name, value)
    return revision


def _row_changes(locked, step_def, cleaned_data):
    """({kind: (changed rows, changed attnames)}, whether the posted rows are not the
    stored set)."""
    updates, differ = {}, False
    for kind in step_def.rows_for(locked):
        if kind not in cleaned_data:
            continue
        row_kind = ROW_KINDS[kind]
        stored = {row.pk: row for row in row_kind.model.objects.filter(offer=locked)}
        posted_ids = {row.get("id") for row in cleaned_data[kind]}
        differ = differ or posted_ids != set(stored)
        changed_rows, names = [], set()
        for posted in cleaned_data[kind]:
            row = stored.get(posted.get("id"))
            if row is None:
                continue
            changed = False
            for name in row_kind.fields:
                if name not in posted:
                    continue
                attname = row_kind.attname(name)
                current = getattr(row, attname)
                value = _stored(row_kind.model, name, posted[name], current)
                if value != current:
                    setattr(row, attname, value)
                    names.add(attname)
                    changed = True
            if changed:
                changed_rows.append(row)
        if changed_rows:
            updates[kind] = (changed_rows, sorted(names))
    return updates, differ


def _check_base(locked, step, base_revision):
    if base_revision is not None and revision_of(locked, step) != base_revision:
        raise _conflict(locked, step)


def add_row(offer, step, kind, by, base_revision=None, action=None):
    """Add an empty row of `kind` at the end (a cost line under `action`, or among the
    administrative costs); return (row, the step's revision)."""
    step_def = STEPS[step]
    with transaction.atomic():
        locked = _locked(offer.pk)
        if kind not in step_def.rows_for(locked):
            raise DraftError(_("This part of the form is not in this offer."))
        _refuse_locked_step(locked, step)
        _check_base(locked, step, base_revision)
        row_kind = ROW_KINDS[kind]
        last = row_kind.model.objects.filter(offer=locked).aggregate(last=Max("order"))["last"]
        values = {"offer": locked, "order": 0 if last is None else last + 1}
        if kind == "cost_lines":
            if action is not None and action.offer_id != locked.pk:
                raise DraftError(_("This action is not in this offer."))
            year = (locked.starts or (locked.call.task_starts if locked.call else None)) or (
                timezone.localdate()
            )
            values.update(
                action=action,
                unit_cost=Decimal("0"),
                quantity=Decimal("0"),
                year=year.year,
                name="",
                unit="",
            )
        row = row_kind.model.objects.create(**values)
        revision = _commit_revision(locked, step, by)
    offer.step_revisions = locked.step_revisions
    return row, revision


def remove_row(offer, step, kind, row_id, by, base_revision=None):
    """Remove one row; refused when other sections depend on it (an action with costs,
    a partner carrying out actions). Returns the step's revision."""
    step_def = STEPS[step]
    with transaction.atomic():
        locked = _locked(offer.pk)
        if kind not in step_def.rows_for(locked):
            raise DraftError(_("This part of the form is not in this offer."))
        _refuse_locked_step(locked, step)
        _check_base(locked, step, base_revision)
        row = ROW_KINDS[kind].model.objects.filter(offer=locked, pk=row_id).first()
        if row is None:
            return revision_of(locked, step)
        if kind == "actions" and row.cost_lines.exists():
            raise DraftError(
                _(
                    "The action “%(name)s” has costs in section V. Remove them or move "
                    "them there first."
                )
                % {"name": row.name or _("without a name")}
            )
        if kind == "partners" and row.actions.exists():
            raise DraftError(
                _(
                    "The partner “%(name)s” carries out actions in section III. Choose "
                    "another offeror for them first."
                )
                % {"name": row.name or _("without a name")}
            )
        row.delete()
        revision = _commit_revision(locked, step, by)
    offer.step_revisions = locked.step_revisions
    return revision
