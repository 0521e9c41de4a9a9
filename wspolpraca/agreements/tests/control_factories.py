"""Agreements, controls, ratings and the rest for the tests of controls, feedback and an
organization's record: rows made directly (fast; the agreements' own factories walk the
whole signing with its PDF), on offers submitted as people submit them."""

import datetime as dt
from decimal import Decimal
from itertools import count

from django.utils import timezone

from wspolpraca.city.models import Official
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.evaluations.models import CorrectionRequest, FormalCheck
from wspolpraca.evaluations.tests.factories import official_of, submitted_offer
from wspolpraca.organizations.models import Membership

from ..models import Agreement, Control, CooperationRating, Report

_numbers = count(1)


def official_for(department):
    """An official of `department` with TOTP: the first one, or a new one."""
    official = Official.objects.filter(department=department).select_related("user").first()
    return official.user if official else official_of(department)


def admin_for(agreement):
    """The admin of the agreement's organization (who submitted its offer)."""
    return (
        Membership.objects.filter(organization=agreement.organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def agreement_for(
    call=None,
    *,
    organization=None,
    status=Agreement.Status.SIGNED,
    amount=Decimal("9000.00"),
    starts=None,
    ends=None,
):
    """An agreement in `status` on an offer submitted to `call` (a new open call by
    default) by `organization` (a new foundation by default)."""
    call = call or CallFactory()
    offer = submitted_offer(call, organization=organization)
    today = timezone.localdate()
    signed = status in (Agreement.Status.SIGNED, Agreement.Status.SETTLED)
    return Agreement.objects.create(
        offer=offer,
        organization=offer.organization,
        department=call.department,
        number=f"UM/T/{next(_numbers):05d}",
        status=status,
        amount=amount,
        starts=starts or dt.date(today.year, 1, 1),
        ends=ends or dt.date(today.year, 12, 31),
        signed_on=today if signed else None,
        created_by=official_for(call.department),
    )


def control_for(agreement, *, kind=Control.Kind.CONTROL, status=Control.Status.PLANNED, **fields):
    """A control row as the services leave it in `status` (planned today by default)."""
    today = timezone.localdate()
    fields.setdefault("planned_on", today)
    fields.setdefault("scope", "Dokumentacja finansowa zadania.")
    if status != Control.Status.PLANNED:
        fields.setdefault("carried_out_on", fields["planned_on"])
        fields.setdefault("findings", "Brak list obecności z dwóch warsztatów.")
        fields.setdefault("recommendations", "Uzupełnić listy obecności.")
    return Control.objects.create(
        agreement=agreement,
        kind=kind,
        status=status,
        notice_sent_at=timezone.now(),
        created_by=official_for(agreement.department),
        **fields,
    )


def report_for(agreement, *, status=Report.Status.DUE, due=None, kind=Report.Kind.FINAL):
    today = timezone.localdate()
    return Report.objects.create(
        agreement=agreement,
        kind=kind,
        period_starts=agreement.starts,
        period_ends=agreement.ends,
        due=due or today + dt.timedelta(days=30),
        status=status,
    )


def correction_for(offer, *, due=None):
    """An open request for a formal correction of `offer`."""
    official = official_for(offer.department)
    check = FormalCheck.objects.create(offer=offer, status=FormalCheck.Status.CORRECTION)
    return CorrectionRequest.objects.create(
        check_record=check,
        offer=offer,
        steps=["basic"],
        message="Brak podpisu osoby reprezentującej.",
        due=due or timezone.now() + dt.timedelta(days=7),
        requested_by=official,
    )


def rating_for(agreement, score=4, comment=""):
    """A rating row as `feedback.rate_cooperation` leaves it, every answer `score`."""
    return CooperationRating.objects.create(
        agreement=agreement,
        department=agreement.department,
        year=agreement.ends.year,
        availability=score,
        clarity=score,
        timeliness=score,
        flexibility=score,
        comment=comment,
    )
