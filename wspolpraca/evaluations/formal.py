"""The formal check of a call's offers (PRODUCT II6).

After the deadline the department that runs the call checks each current offer against
the call's checklist (`FormalRequirement`s, made from a default list on first use and
editable until the first offer is checked): met or not, with a note. An offer that meets
every requirement passes. One that does not is either rejected on formal grounds, with
the reason, or asked for a correction: which parts of the offer may change, what to
correct and by when.

The applicant corrects in a new version of the offer (`offers.services.copy_offer`) whose
other parts are locked and which the server accepts until the request's due time, to the
second. When it is submitted (`correction_submitted`, on `offers.signals.offer_submitted`)
the request is marked corrected and the check moves to the new version, to be checked
again; a late attempt is refused by the offers and recorded here
(`late_correction_refused`); a request left past its due time is missed
(`mark_missed_corrections`, daily, and shown so at once on the pages).

Every change is recorded in the audit trail; the organization's admins hear of a
correction asked for and of a rejection, the department of a correction submitted.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from wspolpraca.city.models import department_recipients
from wspolpraca.competitions.models import Call, FundingMode
from wspolpraca.core import mail, workdays
from wspolpraca.core.audit import record
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.offers import drafts
from wspolpraca.offers import services as offer_services
from wspolpraca.offers.models import Offer
from wspolpraca.organizations.services import organization_admins

from .models import CorrectionRequest, FormalCheck, FormalCheckAnswer, FormalRequirement

MANAGE = "evaluations.manage_evaluation"


class FormalCheckError(Exception):
    """A refused step of the formal check; its message is shown to the person."""


# The checklist.


def _date(value):
    return formats.date_format(value, "j E Y")


def _percent(value):
    whole = value == value.to_integral_value()
    return formats.number_format(value, decimal_pos=0 if whole else 2, use_l10n=True)


def default_requirements(call):
    """The usual formal requirements of `call`, as (text, step) in the form's order; the
    texts carry the call's own numbers, in the site's language."""
    requirements = [
        (
            _(
                "The offer was filed by the deadline (%(deadline)s), on the official form, "
                "through this platform."
            )
            % {"deadline": formats.date_format(timezone.localtime(call.deadline), "j E Y, H:i")},
            "basic",
        ),
    ]
    kinds = ", ".join(str(label) for label in call.eligible_kind_labels)
    requirements.append(
        (
            _(
                "The offeror may apply in this call: its legal form is one the call allows (%(kinds)s)."
            )
            % {"kinds": kinds}
            if kinds
            else _("The offeror may apply in this call (art. 3 of the act)."),
            "offeror",
        )
    )
    requirements.append(
        (
            _(
                "The task is within the call's scope and is carried out between %(starts)s "
                "and %(ends)s."
            )
            % {"starts": _date(call.task_starts), "ends": _date(call.task_ends)},
            "task",
        )
    )
    limits = []
    if call.min_grant:
        limits.append(_("a grant of at least %(amount)s") % {"amount": money(call.min_grant)})
    limits.append(
        _("a grant of at most %(amount)s") % {"amount": money(call.max_grant or call.budget)}
    )
    if call.funding_mode == FundingMode.SUPPORT and call.min_own_contribution_percent:
        limits.append(
            _("an own contribution of at least %(percent)s%% of all costs")
            % {"percent": _percent(call.min_own_contribution_percent)}
        )
    if call.admin_cost_cap_percent is not None:
        limits.append(
            _("administrative costs of at most %(percent)s%% of all costs")
            % {"percent": _percent(call.admin_cost_cap_percent)}
        )
    requirements.append(
        (
            _("The budget is within the call's limits: %(limits)s.")
            % {"limits": "; ".join(str(limit) for limit in limits)},
            "costs",
        )
    )
    if call.results_table_required:
        requirements.append(
            (_("The table of expected results (III.6) is filled in."), "task"),
        )
    requirements.append(
        (
            _(
                "The persons who represent the offeror are those its register (KRS or "
                "other) shows, as the register says it is represented."
            ),
            "declarations",
        )
    )
    requirements.append(
        (_("Every declaration of section VII is made."), "declarations"),
    )
    return requirements


def ensure_checklist(call):
    """The call's formal requirements, made from `default_requirements` the first time
    they are asked for (once: the call's row is locked while they are made)."""
    existing = list(call.formal_requirements.all())
    if existing:
        return existing
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        existing = list(call.formal_requirements.all())
        if existing:
            return existing
        with translation.override(settings.LANGUAGE_CODE):
            defaults = [(str(text), step) for text, step in default_requirements(call)]
        FormalRequirement.objects.bulk_create(
            [
                FormalRequirement(call=call, text=text[:300], step=step, order=order)
                for order, (text, step) in enumerate(defaults)
            ]
        )
    return list(call.formal_requirements.all())


def checklist_locked(call):
    """Once an offer of the call has been checked, its checklist stays as it was."""
    return FormalCheckAnswer.objects.filter(requirement__call=call).exists()


def checklist_obstacle(call, user):
    """Why `user` cannot change the call's checklist now, or None."""
    if not user.has_perm(MANAGE, call):
        return _("Only the officials of the department that runs the call may change it.")
    if call.status != Call.Status.PUBLISHED:
        return _("The call is closed: its checklist can no longer change.")
    if checklist_locked(call):
        return _(
            "An offer of this call has already been checked: the checklist can no longer "
            "change, so that every offer is checked against the same requirements."
        )
    return None


def _refuse_checklist_change(call, by):
    obstacle = checklist_obstacle(call, by)
    if obstacle:
        raise FormalCheckError(obstacle)


def _valid_step(step):
    if step and step not in drafts.STEPS:
        raise FormalCheckError(_("Choose a part of the offer from the list."))
    return step or ""


def _valid_text(text):
    text = (text or "").strip()
    if not text:
        raise FormalCheckError(_("Write the requirement."))
    return text[:300]


def add_requirement(call, text, step, by):
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        _refuse_checklist_change(call, by)
        text, step = _valid_text(text), _valid_step(step)
        last = call.formal_requirements.aggregate(last=Max("order"))["last"]
        requirement = FormalRequirement.objects.create(
            call=call, text=text, step=step, order=0 if last is None else last + 1
        )
        record(by, "formal.requirement_added", call, {"text": [None, text], "step": [None, step]})
    return requirement


def change_requirement(requirement, text, step, by):
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=requirement.call_id)
        _refuse_checklist_change(call, by)
        requirement = FormalRequirement.objects.get(pk=requirement.pk)
        text, step = _valid_text(text), _valid_step(step)
        changes = {}
        if requirement.text != text:
            changes["text"] = [requirement.text, text]
        if requirement.step != step:
            changes["step"] = [requirement.step, step]
        if changes:
            requirement.text, requirement.step = text, step
            requirement.save(update_fields=["text", "step"])
            record(by, "formal.requirement_changed", call, changes)
    return requirement


def remove_requirement(requirement, by):
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=requirement.call_id)
        _refuse_checklist_change(call, by)
        if call.formal_requirements.count() <= 1:
            raise FormalCheckError(
                _("The checklist needs at least one requirement. Change this one instead.")
            )
        requirement = FormalRequirement.objects.get(pk=requirement.pk)
        record(
            by,
            "formal.requirement_removed",
            call,
            {"text": [requirement.text, None], "step": [requirement.step, None]},
        )
        requirement.delete()


# The check.


def evaluation_obstacle(call):
    """Why offers of `call` cannot be checked now (by the server's clock), or None."""
    if call is None:
        return _("Only offers in a call are checked here.")
    phase = call.phase
    if phase == Call.Phase.EVALUATION:
        return None
    if phase in (Call.Phase.OPEN, Call.Phase.UPCOMING):
        return _(
            "The call accepts offers until %(deadline)s. The formal check starts after the "
            "deadline."
        ) % {"deadline": formats.date_format(timezone.localtime(call.deadline), "j E Y, H:i:s")}
    if phase == Call.Phase.DECIDED:
        return _("The results of this call are published: its formal check is closed.")
    if phase == Call.Phase.ANNULLED:
        return _("This call was annulled.")
    return _("This call is not published.")


def _refuse_unless_manager(by, call):
    if call is None or not by.has_perm(MANAGE, call):
        raise FormalCheckError(
            _("Only the officials of the department that runs the call may check its offers.")
        )


def _refuse_unless_evaluation(call):
    obstacle = evaluation_obstacle(call)
    if obstacle:
        raise FormalCheckError(obstacle)


def is_missed(correction_request, now=None):
    """Missed: marked so, or still open after its due time (before the daily job runs)."""
    if correction_request.status == CorrectionRequest.Status.MISSED:
        return True
    now = now or timezone.now()
    return correction_request.status == CorrectionRequest.Status.OPEN and now > (
        correction_request.due
    )


def shown_status(correction_request, now=None):
    """(code, label) of a request as the pages show it."""
    if is_missed(correction_request, now):
        status = CorrectionRequest.Status.MISSED
    else:
        status = CorrectionRequest.Status(correction_request.status)
    return status.value, status.label


def _waiting_request(check, now):
    """The check's request still waiting for the correction (open, before its due time)."""
    return (
        check.corrections.filter(status=CorrectionRequest.Status.OPEN, due__gte=now)
        .order_by("-requested_at")
        .first()
    )


def _mark_missed(correction_request, by=None):
    correction_request.status = CorrectionRequest.Status.MISSED
    correction_request.save(update_fields=["status"])
    record(by, "formal.correction_missed", correction_request, {"status": ["open", "missed"]})


def _close_overdue(check, now):
    overdue = check.corrections.select_for_update(of=("self",)).filter(
        status=CorrectionRequest.Status.OPEN, due__lt=now
    )
    for correction_request in overdue:
        _mark_missed(correction_request)


def _locked_check(offer_pk, by):
    """The offer (locked) and its check, made when missing, after the permission and
    phase checks."""
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("call", "organization")
        .filter(pk=offer_pk)
        .first()
    )
    if offer is None:
        raise FormalCheckError(_("There is no such offer."))
    _refuse_unless_manager(by, offer.call)
    _refuse_unless_evaluation(offer.call)
    if offer.status != Offer.Status.SUBMITTED:
        raise FormalCheckError(
            _("Only a submitted offer is checked; this one is %(status)s.")
            % {"status": offer.get_status_display()}
        )
    check, _created = FormalCheck.objects.get_or_create(offer=offer)
    check = FormalCheck.objects.select_for_update().get(pk=check.pk)
    check.offer = offer
    return offer, check


def _refuse_when_decided(check):
    if check.status == FormalCheck.Status.PASSED:
        raise FormalCheckError(_("This offer has already passed the formal check."))
    if check.status == FormalCheck.Status.FAILED:
        raise FormalCheckError(_("This offer has already been rejected on formal grounds."))


def _refuse_while_waiting(check, now):
    waiting = _waiting_request(check, now)
    if waiting is not None:
        raise FormalCheckError(
            _("The organization may correct the offer until %(due)s. Wait for the correction.")
            % {"due": formats.date_format(timezone.localtime(waiting.due), "j E Y, H:i:s")}
        )


def check_offer(offer, answers, by):
    """Record whether `offer` meets each requirement of its call's checklist.

    `answers` is {requirement pk: (met, note)} for every requirement; a requirement not
    met needs a note. When all are met the offer passes; otherwise the check waits for
    the official's choice: a correction (`request_correction`) or a rejection
    (`reject_on_form`). Returns the check."""
    now = timezone.now()
    with transaction.atomic():
        offer, check = _locked_check(offer.pk, by)
        _refuse_when_decided(check)
        _refuse_while_waiting(check, now)
        _close_overdue(check, now)
        requirements = ensure_checklist(offer.call)
        given = {}
        for requirement in requirements:
            if requirement.pk not in answers:
                raise FormalCheckError(
                    _("Answer every requirement: “%(requirement)s” has no answer.")
                    % {"requirement": requirement.text}
                )
            met, note = answers[requirement.pk]
            note = (note or "").strip()
            if not met and not note:
                raise FormalCheckError(
                    _("Say why “%(requirement)s” is not met.") % {"requirement": requirement.text}
                )
            given[requirement.pk] = (bool(met), note)
        before = {answer.requirement_id: answer for answer in check.answers.select_for_update()}
        for requirement in requirements:
            met, note = given[requirement.pk]
            answer = before.get(requirement.pk)
            if answer is None:
                FormalCheckAnswer.objects.create(
                    check_record=check, requirement=requirement, met=met, note=note
                )
            elif (answer.met, answer.note) != (met, note):
                answer.met, answer.note = met, note
                answer.save(update_fields=["met", "note"])
        unmet_before = sorted(
            r.text for r in requirements if r.pk in before and not before[r.pk].met
        )
        unmet = sorted(r.text for r in requirements if not given[r.pk][0])
        old_status = check.status
        check.status = FormalCheck.Status.PENDING if unmet else FormalCheck.Status.PASSED
        check.checked_by, check.checked_at = by, now
        check.save(update_fields=["status", "checked_by", "checked_at"])
        changes = {"not_met": [unmet_before if before else None, unmet]}
        if old_status != check.status:
            changes["status"] = [old_status, check.status]
        record(by, "formal.checked", check, changes)
    return check


def unmet_requirements(check):
    return [
        answer.requirement
        for answer in check.answers.select_related("requirement").order_by(
            "requirement__order", "requirement__pk"
        )
        if not answer.met
    ]


def correctable_steps(offer):
    """The parts of the offer a correction may open: the form's steps with answers (the
    first, the call's own data, has none)."""
    return [step for step in drafts.steps_for(offer) if step.key != "basic"]


def default_correction_due(now=None):
    """`FORMAL_CORRECTION_DAYS` from today, moved to the next working day, to its end."""
    day = timezone.localdate(now) + timedelta(days=settings.FORMAL_CORRECTION_DAYS)
    return end_of_day(workdays.next_working_day(day))


def end_of_day(day):
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def request_correction(check, steps, message, due, by):
    """Ask the organization to correct the offer: only `steps` (keys of the offer form's
    steps) may change, as `message` says, until `due`. Only when a requirement is not met.
    The organization's admins are told exactly that by e-mail."""
    now = timezone.now()
    with transaction.atomic():
        offer, check = _locked_check(check.offer_id, by)
        _refuse_when_decided(check)
        _refuse_while_waiting(check, now)
        _close_overdue(check, now)
        if not unmet_requirements(check):
            raise FormalCheckError(
                _(
                    "A correction is asked for only when the offer does not meet a "
                    "requirement. Record the check first."
                )
            )
        allowed = {step.key for step in correctable_steps(offer)}
        steps = [key for key in drafts.STEPS if key in set(steps or ())]
        if not steps:
            raise FormalCheckError(_("Choose the parts of the offer that may be corrected."))
        if not set(steps) <= allowed:
            raise FormalCheckError(_("Choose the parts of the offer from the list."))
        message = (message or "").strip()
        if not message:
            raise FormalCheckError(_("Write what is to be corrected."))
        if due is None or due <= now:
            raise FormalCheckError(_("The correction must be due in the future."))
        correction_request = CorrectionRequest.objects.create(
            check_record=check,
            offer=offer,
            steps=steps,
            message=message,
            due=due,
            requested_by=by,
            requested_at=now,
        )
        old_status = check.status
        check.status = FormalCheck.Status.CORRECTION
        check.save(update_fields=["status"])
        record(
            by,
            "formal.correction_requested",
            correction_request,
            {
                "status": [old_status, check.status],
                "steps": [None, steps],
                "due": [None, due.isoformat()],
            },
        )
        mail.send(
            organization_admins(offer.organization),
            gettext_lazy("Offer %(number)s: correction asked for by %(due)s"),
            "evaluations/email/formal_correction_requested.txt",
            {
                "offer": offer,
                "correction_request": correction_request,
                "steps": [drafts.STEPS[key] for key in steps],
            },
            subject_params={
                "number": offer.number,
                "due": timezone.localtime(due).strftime("%d.%m.%Y %H:%M"),
            },
        )
    return correction_request


def reject_on_form(check, reason, by):
    """Reject the offer on formal grounds, for `reason`; the organization's admins are
    told why by e-mail."""
    now = timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        offer, check = _locked_check(check.offer_id, by)
        _refuse_when_decided(check)
        _refuse_while_waiting(check, now)
        if not reason:
            raise FormalCheckError(_("Write why the offer is rejected on formal grounds."))
        if not unmet_requirements(check):
            raise FormalCheckError(
                _(
                    "An offer is rejected on formal grounds only when it does not meet a "
                    "requirement. Record the check first."
                )
            )
        _close_overdue(check, now)
        old_status = check.status
        check.status = FormalCheck.Status.FAILED
        check.rejection_reason = reason
        check.checked_by, check.checked_at = by, now
        check.save(update_fields=["status", "rejection_reason", "checked_by", "checked_at"])
        record(
            by,
            "formal.rejected",
            check,
            {"status": [old_status, check.status], "rejection_reason": [None, reason]},
        )
        mail.send(
            organization_admins(offer.organization),
            gettext_lazy("Offer %(number)s rejected on formal grounds"),
            "evaluations/email/formal_rejected.txt",
            {"offer": offer, "check": check},
            subject_params={"number": offer.number},
        )
    return check


# The applicant's correction.


def start_correction(correction_request, by):
    """An admin of the organization starts the correction: the new version of the offer,
    with only the request's steps open, accepted until its due time. Asked again, it
    returns the version already started."""
    now = timezone.now()
    with transaction.atomic():
        correction_request = (
            CorrectionRequest.objects.select_for_update(of=("self",))
            .select_related("offer", "offer__organization", "offer__call")
            .get(pk=correction_request.pk)
        )
        offer = correction_request.offer
        if not by.has_perm("offers.correct_offer", offer):
            raise FormalCheckError(
                _("Only an administrator of the organization may correct its offer.")
            )
        if correction_request.status == CorrectionRequest.Status.CORRECTED:
            raise FormalCheckError(_("The offer has already been corrected."))
        if is_missed(correction_request, now):
            raise FormalCheckError(
                _("The correction was due by %(due)s. It can no longer be made.")
                % {
                    "due": formats.date_format(
                        timezone.localtime(correction_request.due), "j E Y, H:i:s"
                    )
                }
            )
        try:
            copy = offer_services.copy_offer(
                offer,
                by,
                editable_steps=correction_request.steps,
                correction_due=correction_request.due,
            )
        except offer_services.OfferError as error:
            raise FormalCheckError(str(error)) from None
        record(
            by, "formal.correction_started", correction_request, {"new_version": [None, copy.pk]}
        )
    return copy


def correction_of(correction_request):
    """The new version started for the request (a draft, or the submitted correction)."""
    if correction_request.corrected_offer_id:
        return correction_request.corrected_offer
    return (
        Offer.objects.filter(
            replaces_id=correction_request.offer_id, correction_due=correction_request.due
        )
        .only("pk", "status", "editable_steps", "correction_due")
        .first()
    )


def correction_submitted(sender, offer, by, **kwargs):
    """Receiver of `offer_submitted` (inside the submission's transaction): a version
    that replaces an offer with an open request for a correction corrects it. The request
    is marked corrected, the check moves to the new version to be checked again (its
    answers kept for reference) and the department is told."""
    if not offer.replaces_id:
        return
    correction_request = (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .filter(offer_id=offer.replaces_id, status=CorrectionRequest.Status.OPEN)
        .order_by("-requested_at")
        .first()
    )
    if correction_request is None:
        return
    now = offer.submitted_at or timezone.now()
    correction_request.status = CorrectionRequest.Status.CORRECTED
    correction_request.corrected_offer = offer
    correction_request.corrected_at = now
    correction_request.save(update_fields=["status", "corrected_offer", "corrected_at"])
    record(
        by,
        "formal.corrected",
        correction_request,
        {"status": ["open", "corrected"], "corrected_offer": [None, offer.pk]},
    )
    check = FormalCheck.objects.select_for_update().get(pk=correction_request.check_record_id)
    old_offer, old_status = check.offer_id, check.status
    check.offer = offer
    check.status = FormalCheck.Status.PENDING
    check.save(update_fields=["offer", "status"])
    record(
        by,
        "formal.check_moved",
        check,
        {"offer": [old_offer, offer.pk], "status": [old_status, check.status]},
    )
    department = offer.call.department if offer.call_id else offer.department
    mail.send(
        department_recipients(department),
        gettext_lazy("Offer %(number)s corrected: check it again"),
        "evaluations/email/formal_correction_submitted.txt",
        {"offer": offer, "correction_request": correction_request},
        subject_params={"number": offer.number},
    )


def late_correction_refused(sender, offer, by, at, **kwargs):
    """Receiver of `offers.services.correction_refused_late` (after the refusal's
    rollback): the attempt is counted on the request and recorded, and an open request
    past its due time is marked missed."""
    if not offer.replaces_id:
        return
    with transaction.atomic():
        correction_request = (
            CorrectionRequest.objects.select_for_update(of=("self",))
            .filter(offer_id=offer.replaces_id, due=offer.correction_due)
            .exclude(status=CorrectionRequest.Status.CORRECTED)
            .order_by("-requested_at")
            .first()
        )
        if correction_request is None:
            return
        attempts = correction_request.late_attempts
        CorrectionRequest.objects.filter(pk=correction_request.pk).update(
            late_attempts=F("late_attempts") + 1
        )
        record(
            by,
            "formal.late_correction_refused",
            correction_request,
            {"late_attempts": [attempts, attempts + 1], "attempted_at": [None, at.isoformat()]},
        )
        if correction_request.status == CorrectionRequest.Status.OPEN and at > (
            correction_request.due
        ):
            _mark_missed(correction_request)


def mark_missed_corrections(now=None):
    """Mark the open requests past their due time as missed; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        overdue = list(
            CorrectionRequest.objects.select_for_update(of=("self",)).filter(
                status=CorrectionRequest.Status.OPEN, due__lt=now
            )
        )
        for correction_request in overdue:
            _mark_missed(correction_request)
    return len(overdue)


@task()
def mark_missed_corrections_task():
    return mark_missed_corrections()


def connect_receivers():
    """Connect this part's receivers (called from `signals.connect`)."""
    from wspolpraca.offers.signals import offer_submitted

    offer_submitted.connect(correction_submitted, dispatch_uid="formal_correction_submitted")
    offer_services.correction_refused_late.connect(
        late_correction_refused, dispatch_uid="formal_late_correction_refused"
    )
