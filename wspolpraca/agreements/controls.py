"""Controls and monitoring visits of a public task (PRODUCT II11).

The supervising department plans a *control* (papers and accounts) or a *monitoring
visit* (how the task goes for the people it serves: who comes, how they take part,
whether the plan holds, what results can be seen). The organization is told at once; a
control needs `settings.CONTROL_NOTICE_DAYS` days' notice, so the organization has time to
prepare. After the visit the official gives the findings and recommendations, the
organization's administrators answer them, and the official closes the control. Nothing
given is edited afterwards; each step is recorded in the audit trail.

    planned → done (findings given) → answered → closed
                                    ↘ closed (without an answer)
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wspolpraca.city.models import department_recipients
from wspolpraca.core import mail
from wspolpraca.core.audit import record
from wspolpraca.organizations.services import organization_admins

from .models import Agreement, Control

# What a control may be planned for: a task under way or finished and settled (a control
# may look back at a settled task).
CONTROLLABLE = (Agreement.Status.SIGNED, Agreement.Status.SETTLED)
# The steps each action may be taken from.
MAY_GIVE_FINDINGS = (Control.Status.PLANNED,)
MAY_ANSWER = (Control.Status.DONE,)
MAY_CLOSE = (Control.Status.DONE, Control.Status.ANSWERED)


# The e-mails' subjects, one per kind, so that each reads as a whole sentence in Polish.
SUBJECTS = {
    "notice": {
        Control.Kind.CONTROL: gettext_lazy(
            "Control of the task under agreement %(number)s on %(date)s"
        ),
        Control.Kind.MONITORING: gettext_lazy(
            "Monitoring visit to the task under agreement %(number)s on %(date)s"
        ),
    },
    "findings": {
        Control.Kind.CONTROL: gettext_lazy("Findings of the control under agreement %(number)s"),
        Control.Kind.MONITORING: gettext_lazy(
            "Findings of the monitoring visit under agreement %(number)s"
        ),
    },
    "closed": {
        Control.Kind.CONTROL: gettext_lazy("The control under agreement %(number)s is closed"),
        Control.Kind.MONITORING: gettext_lazy(
            "The monitoring visit under agreement %(number)s is closed"
        ),
    },
}


class ControlError(Exception):
    """A refused step of a control; its message is shown to the person, next to `field`
    when it is about one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def earliest_planned_on(kind, today=None):
    """The first day a control of `kind` may be planned for, counted from `today`."""
    today = today or timezone.localdate()
    if kind == Control.Kind.CONTROL:
        return today + timedelta(days=settings.CONTROL_NOTICE_DAYS)
    return today


def answer_due(control):
    """By when the organization is asked to answer the findings (None before they are
    given)."""
    if control.carried_out_on is None:
        return None
    return control.carried_out_on + timedelta(days=settings.CONTROL_ANSWER_DAYS)


def _day(value):
    return formats.date_format(value, "j E Y")


def _locked(control):
    return (
        Control.objects.select_for_update(of=("self",))
        .select_related("agreement__organization", "agreement__department")
        .get(pk=control.pk)
    )


def _refuse_unless_manager(by, agreement):
    if not by.has_perm("agreements.manage_agreement", agreement):
        raise ControlError(
            _("Only an official of the department that supervises the agreement may do this.")
        )


def _text(value):
    return (value or "").strip()


def plan_refusal(agreement, by, kind, planned_on, scope, today=None):
    """Why `by` may not plan this control now (a ControlError), or None. The page asks
    before its check page; `plan_control` asks again under the lock."""
    today = today or timezone.localdate()
    if not by.has_perm("agreements.manage_agreement", agreement):
        return ControlError(
            _("Only an official of the department that supervises the agreement may do this.")
        )
    if kind not in Control.Kind.values:
        return ControlError(_("Choose a control or a monitoring visit."), "kind")
    if agreement.status not in CONTROLLABLE:
        return ControlError(_("A control can be planned only once the agreement is signed."))
    if not _text(scope):
        return ControlError(_("Describe what the control will look at."), "scope")
    earliest = earliest_planned_on(kind, today)
    if planned_on >= earliest:
        return None
    if kind == Control.Kind.CONTROL:
        return ControlError(
            ngettext(
                "The organization must be told of a control at least %(days)d day ahead, "
                "to prepare. The earliest date is %(date)s.",
                "The organization must be told of a control at least %(days)d days ahead, "
                "to prepare. The earliest date is %(date)s.",
                settings.CONTROL_NOTICE_DAYS,
            )
            % {"days": settings.CONTROL_NOTICE_DAYS, "date": _day(earliest)},
            "planned_on",
        )
    return ControlError(
        _("A visit cannot be planned in the past. The earliest date is %(date)s.")
        % {"date": _day(earliest)},
        "planned_on",
    )


def plan_control(agreement, by, kind, planned_on, scope):
    """Plan a control or monitoring visit of a signed or settled agreement and e-mail the
    notice (the date and scope) to the organization's administrators at once."""
    scope = _text(scope)
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("organization", "department")
            .get(pk=agreement.pk)
        )
        refusal = plan_refusal(agreement, by, kind, planned_on, scope)
        if refusal is not None:
            raise refusal
        control = Control.objects.create(
            agreement=agreement,
            kind=kind,
            planned_on=planned_on,
            scope=scope,
            notice_sent_at=timezone.now(),
            created_by=by,
        )
        record(
            by,
            "control.planned",
            control,
            {
                "kind": [None, kind],
                "planned_on": [None, planned_on.isoformat()],
                "scope": [None, scope],
            },
        )
        mail.send(
            organization_admins(agreement.organization),
            SUBJECTS["notice"][kind],
            "agreements/email/control_notice.txt",
            {"control": control, "agreement": agreement},
            subject_params={"number": agreement.number, "date": f"{planned_on:%d.%m.%Y}"},
        )
    return control


def record_findings(control, by, carried_out_on, quality, findings, recommendations):
    """Give what the visit found. A monitoring visit must say how the task is going for
    the people it serves (`quality`), not only whether the papers are in order; a control
    must state its findings. The organization's administrators are e-mailed."""
    quality, findings, recommendations = _text(quality), _text(findings), _text(recommendations)
    with transaction.atomic():
        control = _locked(control)
        agreement = control.agreement
        _refuse_unless_manager(by, agreement)
        if control.status not in MAY_GIVE_FINDINGS:
            raise ControlError(_("The findings of this control have already been given."))
        if carried_out_on > timezone.localdate():
            raise ControlError(
                _("The findings can be given once the visit has taken place."), "carried_out_on"
            )
        if carried_out_on < control.planned_on:
            raise ControlError(
                _(
                    "The visit cannot have taken place before the day the organization was "
                    "told of: %(date)s."
                )
                % {"date": _day(control.planned_on)},
                "carried_out_on",
            )
        if control.kind == Control.Kind.MONITORING and not quality:
            raise ControlError(
                _(
                    "Describe the quality of the task: who it reaches, how the participants "
                    "take part, whether the plan holds and what results can be seen."
                ),
                "quality",
            )
        if control.kind == Control.Kind.CONTROL and not findings:
            raise ControlError(_("State the findings of the control."), "findings")
        control.carried_out_on = carried_out_on
        control.quality = quality
        control.findings = findings
        control.recommendations = recommendations
        control.status = Control.Status.DONE
        control.save(
            update_fields=[
                "carried_out_on",
                "quality",
                "findings",
                "recommendations",
                "status",
            ]
        )
        record(
            by,
            "control.findings_given",
            control,
            {
                "status": [Control.Status.PLANNED, Control.Status.DONE],
                "carried_out_on": [None, carried_out_on.isoformat()],
            },
        )
        mail.send(
            organization_admins(agreement.organization),
            SUBJECTS["findings"][control.kind],
            "agreements/email/control_findings.txt",
            {"control": control, "agreement": agreement, "answer_due": answer_due(control)},
            subject_params={"number": agreement.number},
        )
    return control


def answer_control(control, by, answer):
    """The organization's answer to the findings (what it did about the recommendations,
    or why it disagrees), by one of its administrators; the department is e-mailed. An
    answer after the day asked for is still received: refusing it would only lose it."""
    answer = _text(answer)
    with transaction.atomic():
        control = _locked(control)
        agreement = control.agreement
        if not by.has_perm("agreements.act_for_organization", agreement):
            raise ControlError(
                _("Only an administrator of the organization may answer the findings.")
            )
        if control.status not in MAY_ANSWER:
            if control.status == Control.Status.PLANNED:
                raise ControlError(_("The findings of this control have not been given yet."))
            raise ControlError(_("This control can no longer be answered."))
        if not answer:
            raise ControlError(_("Write the organization's answer to the findings."), "answer")
        control.answer = answer
        control.answered_at = timezone.now()
        control.status = Control.Status.ANSWERED
        control.save(update_fields=["answer", "answered_at", "status"])
        record(
            by,
            "control.answered",
            control,
            {"status": [Control.Status.DONE, Control.Status.ANSWERED]},
        )
        mail.send(
            department_recipients(agreement.department),
            gettext_lazy("%(organization)s answered the findings under agreement %(number)s"),
            "agreements/email/control_answered.txt",
            {"control": control, "agreement": agreement},
            subject_params={
                "organization": agreement.organization.name,
                "number": agreement.number,
            },
        )
    return control


def close_control(control, by):
    """Close a control once its findings are given (answered or not); the organization's
    administrators are told."""
    with transaction.atomic():
        control = _locked(control)
        agreement = control.agreement
        _refuse_unless_manager(by, agreement)
        if control.status not in MAY_CLOSE:
            if control.status == Control.Status.CLOSED:
                raise ControlError(_("This control is already closed."))
            raise ControlError(_("Give the findings before closing the control."))
        before = control.status
        control.status = Control.Status.CLOSED
        control.save(update_fields=["status"])
        record(by, "control.closed", control, {"status": [before, Control.Status.CLOSED]})
        mail.send(
            organization_admins(agreement.organization),
            SUBJECTS["closed"][control.kind],
            "agreements/email/control_closed.txt",
            {"control": control, "agreement": agreement},
            subject_params={"number": agreement.number},
        )
    return control
