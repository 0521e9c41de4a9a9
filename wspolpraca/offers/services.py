"""What happens to an offer once its organization acts on it: submit, withdraw, correct,
and a copy signed outside the platform. Each checks who acts and when (by the server's
clock), changes the offer, writes the audit entry and tells the people concerned.

A formal correction after the deadline (asked for in the evaluation) is a copy of the
offer (`copy_offer`) with `editable_steps` and `correction_due`: it is accepted until its
own due time, to the second, instead of the call's deadline. A refused late attempt is
told to the evaluation by `correction_refused_late`, after the refusal's rollback, so that
it stays on record.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from wspolpraca.core import mail
from wspolpraca.core.audit import record
from wspolpraca.organizations.services import organization_admins

from . import documents, drafts
from .models import Offer
from .signals import offer_submitted
from .small_grants import comment_window


class OfferError(Exception):
    """A refused action on an offer; its message is shown to the person."""


class LateCorrection(OfferError):
    """A formal correction submitted after its due time."""


# Sent after a formal correction was refused as late, outside the refused transaction:
# offer (the correction), by, at (the server's time of the attempt).
correction_refused_late = Signal()


def _refuse_unless(user, perm, offer, message):
    if not user.has_perm(perm, offer):
        raise OfferError(message)


def deadline_passed(offer, now):
    """Offers are accepted up to the call's deadline, to the second, by the server clock."""
    call = offer.call
    if call is None:
        return False
    return now > call.deadline


def _refuse_late_correction(offer, now):
    """A formal correction is accepted until its own due time, to the second, while the
    call is still being evaluated."""
    call = offer.call
    if call is not None and call.status != call.Status.PUBLISHED:
        raise OfferError(_("This call does not accept offers."))
    if now > offer.correction_due:
        raise LateCorrection(
            _("The correction was due by %(due)s. It was not submitted.")
            % {"due": timezone.localtime(offer.correction_due).strftime("%d.%m.%Y %H:%M:%S")}
        )


def submission_problems(offer, now=None):
    """`checks.problems` of the offer by the server's clock; a formal correction is judged
    as of the call's deadline (its own due time replaces the deadline), and after its due
    time the one problem left to tell is that it came too late."""
    from .checks import Problem, problems

    now = now or timezone.now()
    if offer.correction_due is None or offer.call is None:
        return problems(offer, now)
    found = problems(offer, min(now, offer.call.deadline))
    if now > offer.correction_due:
        due = timezone.localtime(offer.correction_due).strftime("%d.%m.%Y %H:%M:%S")
        found.insert(
            0,
            Problem(
                "basic",
                None,
                _("The correction was due by %(due)s: it can no longer be submitted.")
                % {"due": due},
            ),
        )
    return found


def _refuse_after_deadline(offer, now):
    if offer.call is None:
        return
    call = offer.call
    if call.status != call.Status.PUBLISHED or (call.offers_from and now < call.offers_from):
        raise OfferError(_("This call does not accept offers."))
    if deadline_passed(offer, now):
        raise OfferError(
            _("The deadline for offers passed at %(deadline)s. The offer was not submitted.")
            % {"deadline": timezone.localtime(call.deadline).strftime("%d.%m.%Y %H:%M:%S")}
        )


def submit_offer(offer, by):
    """Freeze the draft as submitted: content, its SHA-256, the offer number and the time
    to the second; e-mail the receipt to the organization's admins. The PDF is rendered
    after the commit (a background task), so a crowd submitting at the deadline waits
    only for the database. A formal correction is accepted until its own due time; a late
    one is refused and, once the refusal is rolled back, told to the evaluation."""
    now = timezone.now()
    try:
        with transaction.atomic():
            offer = (
                Offer.objects.select_for_update(of=("self",))
                .select_related("call", "organization", "department", "replaces")
                .get(pk=offer.pk)
            )
            _refuse_unless(
                by,
                "offers.submit_offer",
                offer,
                _("Only an administrator of the organization may submit its draft offer."),
            )
            if offer.correction_due is not None:
                _refuse_late_correction(offer, now)
            else:
                _refuse_after_deadline(offer, now)
            found = submission_problems(offer, now)
            if found:
                raise OfferError(
                    ngettext(
                        "The offer has %(count)d problem to fix before it can be submitted.",
                        "The offer has %(count)d problems to fix before it can be submitted.",
                        len(found),
                    )
                    % {"count": len(found)}
                )
            freeze(offer, by, now)
            transaction.on_commit(lambda: render_offer_pdf.enqueue(offer.pk))
            mail.send(
                organization_admins(offer.organization),
                gettext_lazy("Offer %(number)s received"),
                "offers/email/received.txt",
                {"offer": offer},
                subject_params={"number": offer.number},
            )
    except LateCorrection:
        correction_refused_late.send(sender=Offer, offer=offer, by=by, at=now)
        raise
    return offer


def freeze(offer, by, now):
    """Make `offer` submitted as of `now`: the number, the frozen content and its SHA-256,
    the small-grant comment window, the corrected offer replaced, the audit entries. The
    caller holds the row lock and has checked the person, the deadline and the problems."""
    number = f"OF/{timezone.localtime(now).year}/{offer.pk:06d}"
    content = documents.build_content(offer, number=number, submitted_at=now)
    offer.number = number
    offer.submitted_content = content
    offer.content_sha256 = documents.sha256_of(content)
    offer.status = Offer.Status.SUBMITTED
    offer.submitted_at = now
    offer.submitted_by = by
    if offer.kind == Offer.Kind.SMALL_GRANT:
        offer.comments_open_from, offer.comments_open_until = comment_window(now)
    offer.save()
    if offer.replaces_id:
        Offer.objects.filter(pk=offer.replaces_id).update(status=Offer.Status.REPLACED)
        record(by, "offer.replaced", offer.replaces, {"status": ["submitted", "replaced"]})
    record(
        by,
        "offer.submitted",
        offer,
        {"status": ["draft", "submitted"], "content_sha256": [None, offer.content_sha256]},
    )
    offer_submitted.send(sender=Offer, offer=offer, by=by)


def ensure_pdf(offer):
    """The offer's PDF, rendered once from the frozen content and kept: the copy the
    organization downloads, signs and sends back must stay byte for byte the same."""
    if offer.pdf:
        return offer
    pdf = documents.offer_pdf(offer)
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if not locked.pdf:
            locked.pdf.save(f"{offer.pk}.pdf", ContentFile(pdf), save=False)
            locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            locked.save(update_fields=["pdf", "pdf_sha256"])
    offer.refresh_from_db()
    return offer


@task()
def render_offer_pdf(offer_pk):
    offer = Offer.objects.select_related("organization", "department").filter(pk=offer_pk).first()
    if offer is not None and offer.submitted_content:
        ensure_pdf(offer)


def withdraw_offer(offer, by):
    """Withdraw a submitted offer before the deadline; it stays on record as withdrawn."""
    now = timezone.now()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",)).select_related("call").get(pk=offer.pk)
        )
        _refuse_unless(
            by,
            "offers.withdraw_offer",
            offer,
            _("Only an administrator of the organization may withdraw its submitted offer."),
        )
        _refuse_after_deadline(offer, now)
        offer.status = Offer.Status.WITHDRAWN
        offer.withdrawn_at = now
        offer.save(update_fields=["status", "withdrawn_at", "updated_at"])
        record(by, "offer.withdrawn", offer, {"status": ["submitted", "withdrawn"]})
        mail.send(
            organization_admins(offer.organization),
            gettext_lazy("Offer %(number)s withdrawn"),
            "offers/email/withdrawn.txt",
            {"offer": offer, "by": by},
            subject_params={"number": offer.number},
        )
    return offer


# What a correction copies from the offer it corrects (the rows are copied as well).
_COPIED_FIELDS = [
    f.name
    for f in Offer._meta.concrete_fields
    if f.editable
    and f.name
    not in {
        "id",
        "status",
        "number",
        "replaces",
        "created_by",
        "created_at",
        "updated_by",
        "submitted_at",
        "submitted_by",
        "submitted_content",
        "content_sha256",
        "pdf",
        "pdf_sha256",
        "withdrawn_at",
        "signed_pdf",
        "signed_by",
        "signed_at",
        "comments_open_from",
        "comments_open_until",
        "editable_steps",
        "correction_due",
    }
]


def correct_offer(offer, by):
    """Start a correction of a submitted offer: a new draft with the same content that,
    once submitted before the deadline, replaces it. Both versions are kept."""
    now = timezone.now()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",)).select_related("call").get(pk=offer.pk)
        )
        _refuse_unless(
            by,
            "offers.correct_offer",
            offer,
            _("Only an administrator of the organization may correct its submitted offer."),
        )
        _refuse_after_deadline(offer, now)
        return copy_offer(offer, by)


def copy_offer(offer, by, *, editable_steps=None, correction_due=None):
    """A new draft with `offer`'s content and rows that, once submitted, replaces it; the
    caller has checked who acts and when. With `editable_steps` (keys of
    `drafts.STEPS`) only those steps of the copy may change, and with `correction_due` it
    is accepted until then instead of the call's deadline (a formal correction).

    An offer has at most one copy. The copy made before is returned when it is what is
    asked for; a draft copy left from before (a correction never submitted) becomes the
    formal correction: its content is set back to the offer's and its steps limited."""
    formal = editable_steps is not None or correction_due is not None
    steps = list(editable_steps) if editable_steps is not None else None
    with transaction.atomic():
        existing = Offer.objects.select_for_update(of=("self",)).filter(replaces=offer).first()
        if existing is not None:
            unchanged = existing.editable_steps == steps and existing.correction_due == (
                correction_due
            )
            if not formal or unchanged:
                return existing
            if existing.status != Offer.Status.DRAFT:
                raise OfferError(_("This offer has already been replaced by a correction."))
            copy = existing
            for name in _COPIED_FIELDS:
                setattr(copy, name, getattr(offer, name))
            copy.step_revisions = {
                key: drafts.revision_of(existing, key) + 1 for key in drafts.STEPS
            }
            copy.updated_by = by
            for related in ("results", "cost_lines", "actions", "partners"):
                getattr(copy, related).all().delete()
        else:
            copy = Offer(**{name: getattr(offer, name) for name in _COPIED_FIELDS})
            copy.replaces = offer
            copy.created_by = by
        copy.editable_steps = steps
        copy.correction_due = correction_due
        copy.save()
        _copy_rows(offer, copy)
        changes = {"replaces": [None, offer.number]}
        if formal:
            changes["editable_steps"] = [None, steps]
            changes["correction_due"] = [
                None,
                correction_due.isoformat() if correction_due is not None else None,
            ]
        record(by, "offer.correction_started", copy, changes)
    return copy


def _copy_rows(offer, copy):
    partners = {}
    for partner in offer.partners.all():
        old_pk = partner.pk
        partner.pk, partner.offer = None, copy
        partner.save()
        partners[old_pk] = partner
    actions = {}
    for action in offer.actions.all():
        old_pk = action.pk
        action.pk, action.offer = None, copy
        action.partner = partners.get(action.partner_id)
        action.save()
        actions[old_pk] = action
    for line in offer.cost_lines.all():
        line.pk, line.offer = None, copy
        line.action = actions.get(line.action_id)
        line.save()
    for result in offer.results.all():
        result.pk, result.offer = None, copy
        result.save()


def attach_signed_copy(offer, by, uploaded):
    """Keep a copy of the offer's PDF signed outside the platform (a trusted profile or a
    qualified signature) when its signature is intact and it signs this offer's PDF."""
    _refuse_unless(
        by,
        "offers.upload_signed_confirmation",
        offer,
        _("Only an administrator of the organization may add the signed confirmation."),
    )
    ensure_pdf(offer)
    data = uploaded.read()
    check = documents.check_signed_copy(offer, data)
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        offer.signed_pdf.save(f"{offer.pk}-signed.pdf", ContentFile(data), save=False)
        offer.signed_by = check.signer[:300]
        offer.signed_at = check.signed_at or timezone.now()
        offer.save(update_fields=["signed_pdf", "signed_by", "signed_at", "updated_at"])
        record(by, "offer.signed_copy_added", offer, {"signed_by": [None, offer.signed_by]})
    return offer


def _organizations_with_offers_in(call):
    offers = Offer.objects.filter(
        call=call, status__in=[Offer.Status.DRAFT, Offer.Status.SUBMITTED]
    ).select_related("organization")
    return {offer.organization for offer in offers}


def tell_offerors_of_annulment(sender, call, by, **kwargs):
    """A call was annulled: the organizations with drafts or submitted offers in it hear
    it from us, with the published reason."""
    for organization in _organizations_with_offers_in(call):
        mail.send(
            organization_admins(organization),
            gettext_lazy("The call “%(title)s” was annulled"),
            "offers/email/call_annulled.txt",
            {"call": call, "organization": organization},
            subject_params={"title": call.title},
        )


def tell_offerors_of_change(sender, call, by, version, **kwargs):
    """A published call was changed: the organizations preparing or having submitted
    offers in it are told what changed, with the department's note."""
    for organization in _organizations_with_offers_in(call):
        mail.send(
            organization_admins(organization),
            gettext_lazy("The call “%(title)s” was changed"),
            "offers/email/call_changed.txt",
            {"call": call, "version": version, "organization": organization},
            subject_params={"title": call.title},
        )
