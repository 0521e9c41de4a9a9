"""Appointing the commission, declarations, conflicts, closing and the minutes (services)."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from wspolpraca.city.models import Official
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core.audit import readable
from wspolpraca.core.models import AuditEntry
from wspolpraca.evaluations import commission as service
from wspolpraca.evaluations.commission import CommissionError
from wspolpraca.evaluations.models import (
    Commission,
    CommissionMember,
    ConflictOfInterest,
    FormalCheck,
    ScoreSheet,
)
from wspolpraca.evaluations.tests.commission_factories import (
    appointed,
    finish,
    full_scores,
    passed,
    person,
    submit,
    working,
)
from wspolpraca.evaluations.tests.factories import (
    call_in_evaluation,
    close_call,
    official_of,
    org_admin_of,
    submitted_offer,
)
from wspolpraca.offers.models import Offer
from wspolpraca.offers.services import withdraw_offer
from wspolpraca.offers.tests.factories import PartnerFactory
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Role = CommissionMember.Role


@pytest.fixture
def evaluation():
    call, offers = call_in_evaluation(offers=2)
    passed(offers)
    official = official_of(call.department)
    return call, offers, official, service.commission_for(call, official)


def pdf_text(field_file):
    field_file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(field_file.read()))
    finally:
        field_file.close()
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


# Setting up.


def test_official_of_another_department_cannot_set_up_the_commission(evaluation):
    call, _offers, _official, _commission = evaluation
    stranger = official_of(DepartmentFactory())
    with pytest.raises(CommissionError):
        service.commission_for(call, stranger)
    with pytest.raises(CommissionError):
        service.add_member(call.commission, person(), Role.CITY, stranger)
    assert not CommissionMember.objects.exists()


def test_commission_cannot_be_set_up_before_the_deadline(official):
    call = CallFactory()
    Official.objects.create(user=official, department=call.department)
    with pytest.raises(CommissionError, match="after the deadline"):
        service.commission_for(call, official)
    assert not Commission.objects.exists()


def test_nominee_of_an_organization_needs_the_nominating_organization(evaluation):
    _call, _offers, official, commission = evaluation
    with pytest.raises(CommissionError) as refused:
        service.add_member(commission, person(), Role.NGO, official)
    assert refused.value.field == "nominated_by"
    assert not commission.members.exists()


def test_a_person_without_a_full_name_cannot_join_the_public_minutes(evaluation):
    _call, _offers, official, commission = evaluation
    with pytest.raises(CommissionError) as refused:
        service.add_member(commission, person(full_name=""), Role.CITY, official)
    assert refused.value.field == "email"
    assert "full name" in str(refused.value)
    assert not commission.members.exists()


def test_nominee_of_an_applicant_is_refused_with_the_reason(evaluation):
    _call, offers, official, commission = evaluation
    applicant = offers[0].organization
    with pytest.raises(CommissionError) as refused:
        service.add_member(commission, person(), Role.NGO, official, nominated_by=applicant)
    assert refused.value.field == "nominated_by"
    assert applicant.name in str(refused.value)
    assert "has an offer in this call" in str(refused.value)
    assert not commission.members.exists()


def test_organization_that_withdrew_its_offer_still_cannot_nominate(official):
    call = CallFactory()
    offer = submitted_offer(call)
    withdraw_offer(offer, by=org_admin_of(offer.organization))
    call = close_call(call)
    Official.objects.create(user=official, department=call.department)
    commission = service.commission_for(call, official)
    with pytest.raises(CommissionError, match="has an offer in this call"):
        service.add_member(
            commission, person(), Role.NGO, official, nominated_by=offer.organization
        )


def test_partner_of_a_joint_offer_cannot_nominate(evaluation):
    _call, offers, official, commission = evaluation
    partner = OrganizationFactory()
    PartnerFactory(offer=offers[1], organization=partner)
    with pytest.raises(CommissionError) as refused:
        service.add_member(commission, person(), Role.NGO, official, nominated_by=partner)
    assert refused.value.field == "nominated_by"


def test_member_of_an_applicant_organization_cannot_sit_on_the_commission(evaluation):
    _call, offers, official, commission = evaluation
    insider = MembershipFactory(
        organization=offers[0].organization, role=Membership.Role.MEMBER
    ).user
    with pytest.raises(CommissionError) as refused:
        service.add_member(commission, insider, Role.CITY, official)
    assert refused.value.field == "email"
    assert offers[0].organization.name in str(refused.value)
    assert not commission.members.exists()


def test_draft_offer_does_not_make_an_applicant(evaluation):
    call, _offers, official, commission = evaluation
    organization = OrganizationFactory()
    Offer.objects.create(call=call, department=call.department, organization=organization)
    member = service.add_member(commission, person(), Role.NGO, official, nominated_by=organization)
    assert member.nominated_by == organization


def test_adding_a_member_requires_two_factor_sign_in_and_emails_them(
    evaluation, mailoutbox, django_capture_on_commit_callbacks
):
    _call, _offers, official, commission = evaluation
    user = person()
    assert not user.mfa_required
    with django_capture_on_commit_callbacks(execute=True):
        service.add_member(commission, user, Role.CITY, official)
    user.refresh_from_db()
    assert user.mfa_required
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert f"/ocena/komisja/{commission.pk}/" in mailoutbox[0].body


def test_the_commission_has_one_chair(evaluation):
    _call, _offers, official, commission = evaluation
    service.add_member(commission, person(), Role.CHAIR, official)
    with pytest.raises(CommissionError) as refused:
        service.add_member(commission, person(), Role.CHAIR, official)
    assert refused.value.field == "role"
    assert commission.members.count() == 1


def test_a_person_has_one_seat(evaluation):
    _call, _offers, official, commission = evaluation
    user = person()
    service.add_member(commission, user, Role.CITY, official)
    with pytest.raises(CommissionError, match="already sits"):
        service.add_member(commission, user, Role.EXPERT, official)


def test_paid_participation_is_recorded_with_its_fee(evaluation):
    _call, _offers, official, commission = evaluation
    nominator = OrganizationFactory()
    with pytest.raises(CommissionError) as refused:
        service.add_member(
            commission, person(), Role.NGO, official, nominated_by=nominator, paid=True
        )
    assert refused.value.field == "fee"
    member = service.add_member(
        commission,
        person(),
        Role.NGO,
        official,
        nominated_by=nominator,
        paid=True,
        fee=Decimal("450.00"),
    )
    member.refresh_from_db()
    assert member.paid and member.fee == Decimal("450.00")


def test_member_is_removed_before_scoring_but_not_after(evaluation):
    _call, _offers, official, commission = evaluation
    member = service.add_member(commission, person(), Role.CITY, official)
    service.remove_member(member, official)
    assert not commission.members.exists()

    setup = working(2)
    with pytest.raises(CommissionError, match="Scoring has started"):
        service.remove_member(setup.voters[0], setup.official)
    assert setup.commission.members.filter(pk=setup.voters[0].pk).exists()


# Starting.


def test_scoring_needs_a_chair_a_voting_member_and_an_ngo_member_or_a_reason(evaluation):
    _call, _offers, official, commission = evaluation
    with pytest.raises(CommissionError) as refused:
        service.start_scoring(commission, official)
    problems = " ".join(refused.value.problems)
    assert "no chair" in problems
    assert "at least one voting member" in problems
    assert "nominated by an organization" in problems
    commission.refresh_from_db()
    assert commission.status == Commission.Status.FORMING


def test_scoring_starts_without_ngo_members_when_the_reason_is_recorded(evaluation):
    _call, _offers, official, commission = evaluation
    service.add_member(commission, person(), Role.CHAIR, official)
    service.add_member(commission, person(), Role.CITY, official)
    with pytest.raises(CommissionError):
        service.start_scoring(commission, official)
    service.update_details(
        commission,
        official,
        appointment_reference="Zarządzenie 12/2026",
        without_ngo_reason="Nikt nie zgłosił kandydata.",
    )
    started = service.start_scoring(commission, official)
    assert started.status == Commission.Status.WORKING
    assert started.started_at is not None


def test_scoring_waits_for_every_formal_check():
    setup = appointed(2)
    # One offer in correction, one never checked.
    FormalCheck.objects.filter(offer=setup.offers[0]).update(status=FormalCheck.Status.CORRECTION)
    FormalCheck.objects.filter(offer=setup.offers[1]).delete()
    with pytest.raises(CommissionError) as refused:
        service.start_scoring(setup.commission, setup.official)
    problems = " ".join(refused.value.problems)
    assert setup.offers[0].number in problems
    assert setup.offers[1].number in problems


def test_scoring_starts_when_rejected_offers_are_final():
    setup = appointed(2)
    FormalCheck.objects.filter(offer=setup.offers[1]).update(status=FormalCheck.Status.FAILED)
    service.start_scoring(setup.commission, setup.official)
    assert list(service.offers_to_score(setup.call)) == [setup.offers[0]]


def test_scoring_starts_e_mailing_every_member(mailoutbox, django_capture_on_commit_callbacks):
    setup = appointed(2)
    with django_capture_on_commit_callbacks(execute=True):
        service.start_scoring(setup.commission, setup.official)
    recipients = {m.to[0] for m in mailoutbox}
    assert {setup.chair.user.email, *(v.user.email for v in setup.voters)} <= recipients


def test_members_cannot_be_added_once_scoring_started():
    setup = working(2)
    with pytest.raises(CommissionError, match="Scoring has started"):
        service.add_member(setup.commission, person(), Role.CITY, setup.official)


# Declarations and conflicts.


def test_declaration_is_frozen_with_the_grounds_of_article_24():
    setup = working(2, signed=False)
    member = service.sign_declaration(setup.voters[0], setup.voters[0].user)
    assert member.declaration_signed_at is not None
    text = member.declaration_text
    assert setup.call.title in text
    assert "24" in text
    # The text is kept as signed, whatever the site says later.
    CommissionMember.objects.filter(pk=member.pk).update(declaration_text="as signed")
    again = service.sign_declaration(member, member.user)
    assert again.declaration_text == "as signed"


def test_only_the_member_signs_their_declaration():
    setup = working(2, signed=False)
    with pytest.raises(CommissionError):
        service.sign_declaration(setup.voters[0], setup.chair.user)
    setup.voters[0].refresh_from_db()
    assert setup.voters[0].declaration_signed_at is None


def test_conflict_needs_a_signed_declaration():
    setup = working(2, signed=False)
    member = setup.voters[0]
    with pytest.raises(CommissionError, match="declaration"):
        service.declare_conflict(member, setup.offers[0], "family", member.user)
    assert not ConflictOfInterest.objects.exists()


def test_conflict_discards_a_draft_sheet():
    setup = working(2)
    member = setup.voters[0]
    service.save_sheet(member, setup.offers[0], full_scores(setup.call), member.user)
    service.declare_conflict(member, setup.offers[0], "own_interest", member.user)
    assert not ScoreSheet.objects.filter(member=member).exists()
    assert ConflictOfInterest.objects.filter(member=member, offer=setup.offers[0]).exists()


def test_conflict_is_refused_after_the_sheet_is_submitted():
    setup = working(2)
    member = setup.voters[0]
    submit(member, setup.offers[0])
    with pytest.raises(CommissionError, match="submitted"):
        service.declare_conflict(member, setup.offers[0], "family", member.user)
    assert not ConflictOfInterest.objects.exists()


def test_conflict_is_declared_only_by_the_member():
    setup = working(2)
    with pytest.raises(CommissionError):
        service.declare_conflict(setup.voters[0], setup.offers[0], "family", setup.chair.user)
    assert not ConflictOfInterest.objects.exists()


# Closing and the minutes.


def test_close_is_refused_while_offers_are_unscored_naming_who_and_what():
    setup = working(2)
    submit(setup.chair, setup.offers[0])
    submit(setup.chair, setup.offers[1])
    submit(setup.voters[0], setup.offers[0])
    with pytest.raises(CommissionError) as refused:
        service.close(setup.commission, setup.chair.user)
    problems = refused.value.problems
    assert any(str(setup.voters[0].user) in p and setup.offers[1].number in p for p in problems)
    assert any(str(setup.voters[1].user) in p for p in problems)
    assert not any(str(setup.chair.user) in p for p in problems)
    setup.commission.refresh_from_db()
    assert setup.commission.status == Commission.Status.WORKING
    assert not setup.commission.minutes_pdf


def test_a_conflict_counts_as_done_for_closing():
    setup = working(2)
    for member in [setup.chair, *setup.voters]:
        submit(member, setup.offers[0])
    service.declare_conflict(setup.voters[0], setup.offers[1], "family", setup.voters[0].user)
    for member in [setup.chair, setup.voters[1]]:
        submit(member, setup.offers[1])
    closed = service.close(setup.commission, setup.chair.user)
    assert closed.status == Commission.Status.CLOSED


def test_only_the_chair_closes():
    setup = working(2)
    finish(setup)
    with pytest.raises(CommissionError, match="chair"):
        service.close(setup.commission, setup.voters[0].user)
    with pytest.raises(CommissionError, match="chair"):
        service.close(setup.commission, setup.official)
    setup.commission.refresh_from_db()
    assert setup.commission.status == Commission.Status.WORKING


def test_minutes_say_who_sat_declared_conflicted_scored_and_how_offers_rank():
    setup = working(2, experts=1)
    paid = setup.voters[0]
    CommissionMember.objects.filter(pk=paid.pk).update(paid=True, fee=Decimal("300.00"))
    first, second = setup.offers
    service.declare_conflict(setup.voters[1], second, "family", setup.voters[1].user)
    submit(setup.chair, first, Decimal("9"), "Bardzo dobry plan działań")
    submit(setup.voters[0], first, Decimal("7.5"), "Rzetelna kalkulacja")
    submit(setup.voters[1], first, Decimal("2"), "Słaba trwałość rezultatów")
    submit(setup.chair, second, Decimal("5"), "Przeciętna oferta")
    submit(setup.voters[0], second, Decimal("5"), "Przeciętna oferta")
    closed = service.close(setup.commission, setup.chair.user)

    text = pdf_text(closed.minutes_pdf)
    assert setup.call.title in text
    for member in [setup.chair, *setup.voters, *setup.experts]:
        assert str(member.user) in text
    assert "Rada Organizacji Nominujących" in text
    assert "300,00" in text or "300.00" in text
    assert "Bardzo dobry plan działań" in text and "Słaba trwałość rezultatów" in text
    assert first.number in text and second.number in text
    # The conflict names the member and the offer, not the ground.
    assert "Did not score this offer" in text
    assert "spouse" not in text and "relative or in-law" not in text
    # first: totals 54, 45, 12 of 60 — spread 42 > 12, flagged; second: 30 and 30.
    assert "large spread" in text
    assert closed.minutes_sha256 and len(closed.minutes_sha256) == 64


def test_minutes_record_why_the_commission_worked_without_ngo_members():
    setup = working(1, ngo=False)
    finish(setup)
    closed = service.close(setup.commission, setup.chair.user)
    text = pdf_text(closed.minutes_pdf)
    assert "Żadna organizacja nie zgłosiła kandydata." in text


def test_closing_emails_members_and_the_department(mailoutbox, django_capture_on_commit_callbacks):
    setup = working(1)
    finish(setup)
    with django_capture_on_commit_callbacks(execute=True):
        service.close(setup.commission, setup.chair.user)
    recipients = {m.to[0] for m in mailoutbox}
    assert setup.voters[0].user.email in recipients
    assert setup.official.email in recipients


def test_every_step_is_in_the_audit_trail():
    setup = working(1, experts=1)
    service.declare_conflict(setup.experts[0], setup.offers[0], "other", setup.experts[0].user)
    finish(setup)
    service.close(setup.commission, setup.chair.user)
    codes = set(
        AuditEntry.objects.filter(object_id=str(setup.commission.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "commission.created",
        "commission_member.added",
        "commission.scoring_started",
        "commission_member.declaration_signed",
        "conflict_of_interest.declared",
        "score_sheet.submitted",
        "commission.closed",
    } <= codes
    # Each entry reads as words, its values as names and labels.
    rows = readable(AuditEntry.objects.filter(object_id=str(setup.commission.pk)))
    text = " ".join(
        f"{row['action']} "
        + " ".join(f"{c['field']} {c['old']} {c['new']}" for c in row["changes"])
        for row in rows
    )
    assert "Conflict of interest declared for an offer" in text
    assert setup.offers[0].number in text
    assert str(setup.chair.user) in text
    assert "commission_member" not in text


def test_removal_is_in_the_audit_trail(evaluation):
    _call, _offers, official, commission = evaluation
    member = service.add_member(commission, person(), Role.CITY, official)
    service.remove_member(member, official)
    assert AuditEntry.objects.filter(action="commission_member.removed").exists()
