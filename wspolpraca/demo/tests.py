import pytest
from django.core.management import call_command

from wspolpraca.accounts.models import User
from wspolpraca.city.models import Coordinator, Department
from wspolpraca.organizations.models import District, Organization


@pytest.mark.django_db
def test_demo_fills_an_empty_database_once():
    call_command("demo", "--if-empty", "--organizations", "40")
    call_command("demo", "--if-empty", "--organizations", "40")
    assert Organization.objects.count() == 40
    assert District.objects.count() == 18
    assert Department.objects.count() == 15
    assert Coordinator.objects.filter(areas__isnull=False).exists()
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)


@pytest.mark.django_db
def test_demo_organizations_lie_inside_krakow():
    call_command("demo", "--organizations", "40")
    for lat, lon in Organization.objects.values_list("latitude", "longitude"):
        assert 49.96 < lat < 50.13 and 19.79 < lon < 20.22


@pytest.mark.django_db
def test_demo_has_calls_in_every_state_offers_small_grants_and_requests():
    from django.utils import timezone

    from wspolpraca.competitions.models import Call, CityRequest
    from wspolpraca.offers.checks import problems
    from wspolpraca.offers.models import Offer

    call_command("demo", "--organizations", "40")
    assert {call.phase for call in Call.objects.all()} == set(Call.Phase.values)
    submitted = Offer.objects.filter(status="submitted", kind="competition")
    assert submitted.filter(partners__isnull=False).exists()
    assert all(o.content_sha256 for o in submitted)
    drafts = Offer.objects.filter(status="draft", call__deadline__gt=timezone.now())
    assert drafts.exists() and all(problems(o) == [] for o in drafts)
    small = Offer.objects.filter(kind="small_grant")
    assert small.filter(comments_open_until__gt=timezone.now()).exists()
    assert small.filter(comments_open_until__lt=timezone.now()).exists()
    assert any(r.is_overdue for r in CityRequest.objects.all())
    assert CityRequest.objects.filter(status="submitted", answer_due__gte=timezone.localdate())


@pytest.mark.django_db
def test_demo_carries_last_years_calls_to_the_end_and_evaluates_this_years():
    import hashlib
    import io

    from django.db.models import Count
    from django.utils import formats, timezone
    from pypdf import PdfReader

    from wspolpraca.agreements.models import (
        Agreement,
        AgreementVersion,
        Control,
        CooperationRating,
        Report,
        Settlement,
    )
    from wspolpraca.agreements.obligations import grants_section, obligations_for
    from wspolpraca.competitions.models import Call
    from wspolpraca.core.models import AuditEntry, OutgoingEmail
    from wspolpraca.evaluations.decisions import cut_percent
    from wspolpraca.evaluations.models import (
        Commission,
        ConflictOfInterest,
        CorrectionRequest,
        Decision,
        FormalCheck,
        ReasonsRequest,
    )

    call_command("demo", "--organizations", "40")
    now, today = timezone.now(), timezone.localdate()
    last_year = today.year - 1

    # Last year: results published, after a formal check with a rejection and a
    # correction, a closed commission whose minutes carry the day it closed.
    decided = Call.objects.filter(status="decided", deadline__year=last_year)
    assert decided.count() >= 3
    assert FormalCheck.objects.filter(status="failed", offer__call__in=decided).exists()
    assert CorrectionRequest.objects.filter(status="corrected").exists()
    assert ConflictOfInterest.objects.exists()
    commission = Commission.objects.filter(status="closed", call__in=decided).first()
    with commission.minutes_pdf.open("rb") as minutes:
        pdf = minutes.read()
    assert hashlib.sha256(pdf).hexdigest() == commission.minutes_sha256
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)
    closed_on = formats.date_format(timezone.localtime(commission.closed_at), "j E Y")
    assert commission.closed_at.year == last_year and closed_on in " ".join(text.split())
    # The mayor's decisions: a cut above 10% with its reason, and a rejection.
    cuts = [
        d
        for d in Decision.objects.filter(outcome="granted").select_related("offer")
        if cut_percent(d.offer.requested_grant, d.amount) > 10
    ]
    assert cuts and all(d.reason for d in cuts)
    assert Decision.objects.filter(outcome="rejected", offer__call__in=decided).exists()
    assert ReasonsRequest.objects.filter(answered_at__isnull=False).exists()
    # Agreements signed with their frozen versions, one annexed; reports accepted,
    # returned and overdue; settlements, one with a refund; a control answered.
    signed = Agreement.objects.filter(status__in=["signed", "settled"])
    assert signed.exists() and all(a.versions.filter(number=1).exists() for a in signed)
    assert AgreementVersion.objects.filter(number=2).exclude(annex_reason="").exists()
    assert Report.objects.filter(status="accepted").exists()
    assert Report.objects.filter(status="returned").exclude(return_reason="").exists()
    assert Report.objects.filter(status="due", due__lt=today, submitted_at__isnull=True).exists()
    assert Settlement.objects.filter(refund_due__gt=0).exists()
    assert Control.objects.filter(status="answered").exclude(answer="").exists()
    assert Control.objects.filter(kind="monitoring").exclude(quality="").exists()
    # One department has enough ratings for its averages, another fewer.
    counts = sorted(
        CooperationRating.objects.values("department")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert counts[-1] >= 5 and counts[0] < 5
    # This year: a correction waiting, a commission scoring with the demo official in the
    # chair, and agreements in every state before the task.
    assert CorrectionRequest.objects.filter(status="open", due__gt=now).exists()
    scoring = Commission.objects.get(status="working")
    assert scoring.members.filter(role="chair", user__email="urzednik@example.org").exists()
    this_year = set(
        Agreement.objects.filter(offer__call__deadline__year=today.year).values_list(
            "status", flat=True
        )
    )
    assert {"budget_update", "ready", "signed"} <= this_year
    # The demo NGO admin's organization has something everywhere.
    admin = User.objects.get(email="admin.ngo@example.org")
    kinds = {o.kind for o in obligations_for(admin)}
    assert {"correction", "report", "control_notice"} <= kinds
    organization = admin.memberships.get().organization
    assert organization.agreements.filter(status="signed", reports__status="due").exists()
    assert grants_section(None, organization)
    # Nothing happens in the future, nothing was told to anyone.
    assert not CooperationRating.objects.filter(created_at__gt=now).exists()
    assert not AuditEntry.objects.filter(action__startswith="report.", created_at__gt=now).exists()
    assert not OutgoingEmail.objects.exists()
