"""Agreements (II9): prepared from the published results, the updated budget after a cut,
tranches, the signing with its frozen PDF, annexes, small grants, the audit trail and the
e-mails."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from wspolpraca.agreements import agreements as services
from wspolpraca.agreements.agreements import AgreementError
from wspolpraca.agreements.models import Agreement, AgreementVersion, BudgetUpdate, Tranche
from wspolpraca.agreements.tests.factories import (
    accept_budget,
    admin_of,
    budget_lines_for,
    decided_offer,
    official_for,
    ready_agreement,
    signed_agreement,
)
from wspolpraca.competitions.models import Call
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core.models import AuditEntry, OutgoingEmail
from wspolpraca.evaluations.models import Decision, FormalCheck
from wspolpraca.evaluations.signals import results_published
from wspolpraca.evaluations.tests.factories import official_of
from wspolpraca.offers.models import Offer
from wspolpraca.offers.services import submit_offer
from wspolpraca.offers.tests.factories import complete_small_grant_offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def pdf_text(field_file):
    with field_file.open("rb") as handle:
        data = handle.read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def publish(call, official):
    results_published.send(sender=Call, call=call, by=official)


def actions_of(agreement):
    return list(
        AuditEntry.objects.filter(object_id=str(agreement.pk), action__startswith="agreement.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# Preparing agreements from the results.


def test_publishing_results_prepares_one_agreement_per_granted_offer():
    granted = decided_offer()
    call = granted.call
    official = official_for(call.department)
    other = decided_offer(Decimal("7000.00"), call=call)
    rejected = decided_offer(call=call)
    Decision.objects.filter(offer=rejected).update(outcome=Decision.Outcome.REJECTED, amount=None)
    publish(call, official)
    agreements = Agreement.objects.filter(offer__call=call)
    assert set(agreements.values_list("offer", flat=True)) == {granted.pk, other.pk}
    agreement = Agreement.objects.get(offer=granted)
    assert agreement.amount == Decimal("9000.00")
    assert (agreement.starts, agreement.ends) == (granted.starts, granted.ends)
    assert agreement.department == call.department
    assert agreement.organization == granted.organization
    assert agreement.status == Agreement.Status.READY
    assert agreement.number == (
        f"UM/{timezone.localdate().year}/{call.department.short_name}/{granted.pk:05d}"
    )
    assert Agreement.objects.get(offer=other).number != agreement.number


def test_a_second_publication_creates_nothing():
    offer = decided_offer()
    official = official_for(offer.call.department)
    publish(offer.call, official)
    publish(offer.call, official)
    assert services.prepare_agreements(offer.call, official) == []
    assert Agreement.objects.filter(offer=offer).count() == 1
    assert Tranche.objects.filter(agreement__offer=offer).count() == 1


def test_rejected_offers_get_no_agreement():
    offer = decided_offer()
    Decision.objects.filter(offer=offer).update(outcome=Decision.Outcome.REJECTED, amount=None)
    publish(offer.call, official_for(offer.call.department))
    assert not Agreement.objects.filter(offer=offer).exists()


def test_only_the_calls_department_prepares_its_agreements():
    offer = decided_offer()
    stranger = official_of(CallFactory().department)
    with pytest.raises(AgreementError):
        services.prepare_agreements(offer.call, stranger)
    assert not Agreement.objects.exists()


def test_the_organizations_admins_are_emailed_when_the_agreement_is_prepared(
    mailoutbox, django_capture_on_commit_callbacks
):
    offer = decided_offer(Decimal("8000.00"))
    admin = admin_of(offer.organization)
    with django_capture_on_commit_callbacks(execute=True):
        publish(offer.call, official_for(offer.call.department))
    sent = [m for m in mailoutbox if admin.email in m.to]
    assert len(sent) == 1
    agreement = Agreement.objects.get(offer=offer)
    assert agreement.number in sent[0].subject
    assert f"/umowy/{agreement.pk}/" in sent[0].body


# A cut and the updated budget.


def test_a_cut_grant_waits_for_the_updated_budget_and_cannot_be_signed():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    assert agreement.status == Agreement.Status.BUDGET_UPDATE
    with pytest.raises(AgreementError, match="updated budget"):
        services.sign(agreement, official_for(agreement), timezone.localdate(), "Jan Kowalski")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.BUDGET_UPDATE
    assert not agreement.versions.exists()


def test_signing_is_refused_while_the_updated_budget_is_in_review():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    lines, schedule, own = budget_lines_for(agreement)
    services.submit_budget_update(agreement, admin_of(agreement), lines, schedule, own)
    with pytest.raises(AgreementError):
        services.sign(agreement, official_for(agreement), timezone.localdate(), "Jan Kowalski")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.BUDGET_REVIEW


def test_an_accepted_updated_budget_makes_the_agreement_ready_to_sign():
    agreement = accept_budget(ready_agreement(amount=Decimal("8000.00")))
    assert agreement.status == Agreement.Status.READY
    services.sign(agreement, official_for(agreement), timezone.localdate(), "Jan Kowalski")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.SIGNED


def test_the_updated_costs_must_add_up_to_the_grant_and_the_own_contribution():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    lines, schedule, own = budget_lines_for(agreement)
    with pytest.raises(AgreementError) as refused:
        services.submit_budget_update(
            agreement, admin_of(agreement), lines, schedule, own + Decimal("0.01")
        )
    assert [key for key, _message in refused.value.problems] == ["own_contribution"]
    assert "must be equal" in str(refused.value.problems[0][1])
    assert not BudgetUpdate.objects.exists()
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.BUDGET_UPDATE


def test_the_own_contribution_must_reach_the_calls_minimum_share():
    agreement = ready_agreement(amount=Decimal("8000.00"))  # the call asks for 10%
    lines, schedule, _own = budget_lines_for(agreement, own_contribution=Decimal("800.00"))
    with pytest.raises(AgreementError) as refused:
        services.submit_budget_update(
            agreement, admin_of(agreement), lines, schedule, Decimal("800.00")
        )
    assert any(
        key == "own_contribution" and "10%" in str(message)
        for key, message in refused.value.problems
    )


def test_cost_lines_must_belong_to_the_offers_actions_and_years():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    lines, schedule, own = budget_lines_for(agreement)
    lines[0] = {**lines[0], "action": 999999, "year": agreement.ends.year + 1}
    with pytest.raises(AgreementError) as refused:
        services.submit_budget_update(agreement, admin_of(agreement), lines, schedule, own)
    keys = {key for key, _message in refused.value.problems}
    assert ("cost_lines", 0, "action") in keys
    assert ("cost_lines", 0, "year") in keys


def test_the_schedule_must_give_each_action_within_the_task():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    lines, schedule, own = budget_lines_for(agreement)
    schedule[0] = {**schedule[0], "ends": agreement.ends + dt.timedelta(days=1)}
    with pytest.raises(AgreementError) as refused:
        services.submit_budget_update(agreement, admin_of(agreement), lines, schedule, own)
    assert ("schedule", 0, "ends") in {key for key, _message in refused.value.problems}
    with pytest.raises(AgreementError):
        services.submit_budget_update(agreement, admin_of(agreement), lines, [], own)


def test_a_member_who_is_not_an_admin_cannot_send_the_updated_budget():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    member = MembershipFactory(
        organization=agreement.organization, role=Membership.Role.MEMBER
    ).user
    lines, schedule, own = budget_lines_for(agreement)
    with pytest.raises(AgreementError, match="administrator"):
        services.submit_budget_update(agreement, member, lines, schedule, own)
    assert not BudgetUpdate.objects.exists()


def test_the_department_is_emailed_of_the_updated_budget(
    mailoutbox, django_capture_on_commit_callbacks
):
    agreement = ready_agreement(amount=Decimal("8000.00"))
    official = official_for(agreement)
    lines, schedule, own = budget_lines_for(agreement)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.submit_budget_update(agreement, admin_of(agreement), lines, schedule, own)
    sent = [m for m in mailoutbox if official.email in m.to]
    assert len(sent) == 1
    assert f"/umowy/{agreement.pk}/budzet/{update.pk}/" in sent[0].body


def test_a_returned_budget_needs_a_reason_and_every_version_is_kept(
    mailoutbox, django_capture_on_commit_callbacks
):
    agreement = ready_agreement(amount=Decimal("8000.00"))
    official, admin = official_for(agreement), admin_of(agreement)
    lines, schedule, own = budget_lines_for(agreement)
    first = services.submit_budget_update(agreement, admin, lines, schedule, own, "Pierwsza")
    with pytest.raises(AgreementError):
        services.return_budget_update(first, official, "  ")
    assert BudgetUpdate.objects.get(pk=first.pk).status == BudgetUpdate.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.return_budget_update(first, official, "Za mało godzin warsztatów.")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.BUDGET_UPDATE
    returned = [m for m in mailoutbox if admin.email in m.to and "Za mało godzin" in m.body]
    assert len(returned) == 1
    second = services.submit_budget_update(agreement, admin, lines, schedule, own, "Druga")
    services.accept_budget_update(second, official)
    statuses = dict(BudgetUpdate.objects.values_list("note", "status"))
    assert statuses == {"Pierwsza": "returned", "Druga": "accepted"}


def test_a_returned_or_accepted_budget_cannot_be_reviewed_again():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    lines, schedule, own = budget_lines_for(agreement)
    update = services.submit_budget_update(agreement, admin_of(agreement), lines, schedule, own)
    services.accept_budget_update(update, official_for(agreement))
    with pytest.raises(AgreementError):
        services.return_budget_update(update, official_for(agreement), "Jednak nie.")
    assert BudgetUpdate.objects.get(pk=update.pk).status == BudgetUpdate.Status.ACCEPTED


# Tranches.


def test_the_grant_is_split_by_the_years_costs_rounded_to_the_grosz_remainder_last():
    lines = [{"year": year, "value": Decimal("100.00")} for year in (2027, 2028, 2029)]
    proposal = services.propose_tranches(
        Decimal("100.00"), dt.date(2027, 3, 1), dt.date(2029, 6, 30), lines, dt.date(2027, 3, 15)
    )
    assert proposal == [
        (2027, Decimal("33.33"), dt.date(2027, 3, 15)),
        (2028, Decimal("33.33"), dt.date(2028, 1, 31)),
        (2029, Decimal("33.34"), dt.date(2029, 1, 31)),
    ]


def test_a_two_year_task_gets_yearly_tranches():
    year = timezone.localdate().year + 1
    call = CallFactory(task_starts=dt.date(year, 9, 1), task_ends=dt.date(year + 1, 6, 30))
    agreement = ready_agreement(
        call=call,
        starts=dt.date(year, 10, 1),
        ends=dt.date(year + 1, 5, 31),
        cost_years=[year, year + 1],
    )
    # Costs 10 000,00 zł: 5 500,00 in the first year (half the action and the 1 000,00
    # administrative line), 4 500,00 in the second; the grant of 9 000,00 follows them.
    tranches = list(agreement.tranches.values_list("number", "year", "amount", "planned_on"))
    first_payment = timezone.localdate(agreement.created_at) + dt.timedelta(days=14)
    assert tranches == [
        (1, year, Decimal("4950.00"), first_payment),
        (2, year + 1, Decimal("4050.00"), dt.date(year + 1, 1, 31)),
    ]


def test_the_first_tranche_is_planned_the_set_days_after_signing(settings):
    settings.TRANCHE_DAYS_AFTER_SIGNING = 21
    agreement = ready_agreement()
    signed_on = timezone.localdate() - dt.timedelta(days=3)
    services.sign(agreement, official_for(agreement), signed_on, "Jan Kowalski")
    assert agreement.tranches.get().planned_on == signed_on + dt.timedelta(days=21)


def test_the_official_may_change_tranches_before_signing_if_they_add_up_to_the_grant():
    agreement = ready_agreement()
    official = official_for(agreement)
    day = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(AgreementError, match="add up"):
        services.set_tranches(
            agreement, official, [{"number": 1, "planned_on": day, "amount": Decimal("8999.99")}]
        )
    services.set_tranches(
        agreement, official, [{"number": 1, "planned_on": day, "amount": Decimal("9000.00")}]
    )
    assert agreement.tranches.get().planned_on == day
    # A date the official chose stays when the agreement is signed.
    services.sign(agreement, official, timezone.localdate(), "Jan Kowalski")
    assert agreement.tranches.get().planned_on == day


def test_the_organization_cannot_change_the_tranches():
    agreement = ready_agreement()
    day = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(AgreementError):
        services.set_tranches(
            agreement,
            admin_of(agreement),
            [{"number": 1, "planned_on": day, "amount": Decimal("9000.00")}],
        )
    assert agreement.tranches.get().planned_on != day


def test_payments_are_recorded_only_under_a_signed_agreement():
    agreement = ready_agreement()
    official = official_for(agreement)
    tranche = agreement.tranches.get()
    with pytest.raises(AgreementError):
        services.record_payment(tranche, official, timezone.localdate())
    services.sign(agreement, official, timezone.localdate(), "Jan Kowalski")
    with pytest.raises(AgreementError, match="future"):
        services.record_payment(tranche, official, timezone.localdate() + dt.timedelta(days=1))
    services.record_payment(tranche, official, timezone.localdate())
    assert Tranche.objects.get(pk=tranche.pk).paid_on == timezone.localdate()


# Signing.


def test_signing_freezes_version_1_with_its_checksum_and_pdf():
    agreement = signed_agreement()
    version = agreement.versions.get()
    assert version.number == 1
    assert version.content["number"] == agreement.number
    assert version.content_sha256 == services.documents.sha256_of(version.content)
    assert version.pdf.open("rb").read().startswith(b"%PDF")
    assert agreement.signed_on == timezone.localdate()


def test_the_pdf_states_the_amount_in_polish_words_and_the_updated_costs_after_a_cut(settings):
    settings.LANGUAGE_CODE = "pl"  # the agreement is written in the site's language
    agreement = ready_agreement(amount=Decimal("12345.67"), requested=Decimal("13000.00"))
    official, admin = official_for(agreement), admin_of(agreement)
    lines, schedule, own = budget_lines_for(agreement)
    for line in lines:
        if line["action"] is not None:
            line["name"] = "Trenerka po zmniejszeniu"
    update = services.submit_budget_update(agreement, admin, lines, schedule, own)
    services.accept_budget_update(update, official)
    services.sign(agreement, official, timezone.localdate(), "Jan Kowalski")
    text = pdf_text(agreement.versions.get().pdf)
    assert (
        "dwanaście tysięcy trzysta czterdzieści pięć złotych, sześćdziesiąt siedem groszy" in text
    )
    assert "12 345,67 zł" in text
    assert "Trenerka po zmniejszeniu" in text
    assert "Trenerka " not in text.replace("Trenerka po zmniejszeniu", "")


def test_the_signing_date_cannot_be_in_the_future():
    agreement = ready_agreement()
    with pytest.raises(AgreementError):
        services.sign(
            agreement,
            official_for(agreement),
            timezone.localdate() + dt.timedelta(days=1),
            "Jan Kowalski",
        )
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.READY


def test_signing_sends_agreement_signed(django_capture_on_commit_callbacks):
    from wspolpraca.agreements.signals import agreement_signed

    heard = []

    def receiver(sender, agreement, by, **kwargs):
        heard.append((agreement.pk, by.pk))

    agreement_signed.connect(receiver)
    try:
        agreement = signed_agreement()
    finally:
        agreement_signed.disconnect(receiver)
    assert heard == [(agreement.pk, agreement.signed_by_id)]


# Annexes and what a signed agreement refuses.


def test_an_annex_adds_version_2_and_keeps_version_1_byte_identical():
    agreement = signed_agreement()
    first = agreement.versions.get()
    first_bytes = first.pdf.open("rb").read()
    first_sha = first.content_sha256
    version = services.add_annex(
        agreement,
        official_for(agreement),
        "Zwiększenie liczby warsztatów.",
        amount=Decimal("9500.00"),
    )
    assert version.number == 2
    again = AgreementVersion.objects.get(pk=first.pk)
    assert again.pdf.open("rb").read() == first_bytes
    assert again.content_sha256 == first_sha
    agreement.refresh_from_db()
    assert agreement.amount == Decimal("9500.00")
    assert agreement.tranches.get().amount == Decimal("9500.00")
    text = pdf_text(version.pdf)
    assert "Zwiększenie liczby warsztatów." in text
    assert "dziewięć tysięcy pięćset złotych" in text


def test_an_annex_keeps_paid_tranches_and_the_sum_rule():
    agreement = signed_agreement()
    official = official_for(agreement)
    tranche = agreement.tranches.get()
    services.record_payment(tranche, official, timezone.localdate())
    with pytest.raises(AgreementError):
        services.add_annex(agreement, official, "Więcej pieniędzy.", amount=Decimal("9500.00"))
    later = timezone.localdate() + dt.timedelta(days=40)
    services.add_annex(
        agreement,
        official,
        "Dodatkowa transza.",
        amount=Decimal("9500.00"),
        tranches=[{"number": None, "year": None, "planned_on": later, "amount": Decimal("500")}],
    )
    rows = list(agreement.tranches.values_list("number", "amount", "paid_on"))
    assert rows == [
        (1, Decimal("9000.00"), timezone.localdate()),
        (2, Decimal("500.00"), None),
    ]


def test_an_annex_needs_a_reason_and_a_change():
    agreement = signed_agreement()
    official = official_for(agreement)
    with pytest.raises(AgreementError):
        services.add_annex(agreement, official, "", amount=Decimal("9500.00"))
    with pytest.raises(AgreementError, match="changes nothing"):
        services.add_annex(agreement, official, "Bez zmian.")
    assert agreement.versions.count() == 1


def test_a_signed_agreement_changes_only_through_an_annex():
    agreement = signed_agreement()
    official, admin = official_for(agreement), admin_of(agreement)
    day = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(AgreementError):
        services.set_tranches(
            agreement, official, [{"number": 1, "planned_on": day, "amount": Decimal("9000.00")}]
        )
    with pytest.raises(AgreementError):
        services.sign(agreement, official, timezone.localdate(), "Ktoś inny")
    lines, schedule, own = budget_lines_for(agreement)
    with pytest.raises(AgreementError):
        services.submit_budget_update(agreement, admin, lines, schedule, own)
    with pytest.raises(AgreementError):
        services.add_annex(agreement, admin, "Chcemy więcej.", amount=Decimal("20000.00"))
    agreement.refresh_from_db()
    assert (agreement.amount, agreement.city_representative) == (
        Decimal("9000.00"),
        "Jan Kowalski — Zastępca Prezydenta Miasta",
    )
    assert agreement.versions.count() == 1


# Small grants.


@pytest.fixture
def small_grant_offer():
    offer = complete_small_grant_offer()
    return submit_offer(offer, by=admin_of(offer.organization))


def test_a_small_grant_gets_its_agreement_only_after_the_comment_window(small_grant_offer):
    offer = small_grant_offer
    official = official_of(offer.department)
    with pytest.raises(AgreementError, match="comments"):
        services.prepare_small_grant_agreement(offer, official)
    Offer.objects.filter(pk=offer.pk).update(
        comments_open_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert list(services.small_grants_awaiting(offer.department)) == [offer]
    agreement = services.prepare_small_grant_agreement(offer, official)
    assert agreement.amount == Decimal("4500.00")
    assert agreement.department == offer.department
    assert agreement.status == Agreement.Status.READY
    assert services.prepare_small_grant_agreement(offer, official) == agreement
    assert Agreement.objects.filter(offer=offer).count() == 1
    assert list(services.small_grants_awaiting(offer.department)) == []


def test_another_departments_official_cannot_prepare_a_small_grant_agreement(
    small_grant_offer,
):
    offer = small_grant_offer
    Offer.objects.filter(pk=offer.pk).update(
        comments_open_until=timezone.now() - dt.timedelta(seconds=1)
    )
    stranger = official_of(CallFactory().department)
    with pytest.raises(AgreementError):
        services.prepare_small_grant_agreement(offer, stranger)
    assert not Agreement.objects.exists()


def close_comments(offer):
    Offer.objects.filter(pk=offer.pk).update(
        comments_open_until=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_small_grant_not_awarded_is_recorded_told_and_leaves_the_queue(small_grant_offer):
    offer = small_grant_offer
    close_comments(offer)
    official = official_of(offer.department)
    decision = services.refuse_small_grant(offer, official, "  Brak środków w budżecie.  ")
    assert (decision.outcome, decision.reason) == (
        Decision.Outcome.REJECTED,
        "Brak środków w budżecie.",
    )
    assert list(services.small_grants_awaiting(offer.department)) == []
    entry = AuditEntry.objects.get(action="decision.small_grant_refused")
    assert entry.changes["reason"] == [None, "Brak środków w budżecie."]
    (message,) = OutgoingEmail.objects.filter(template="agreements/email/small_grant_refused.txt")
    assert "Brak środków w budżecie." in message.body
    assert message.to == admin_of(offer.organization).email
    with pytest.raises(AgreementError, match="not to award"):
        services.prepare_small_grant_agreement(offer, official)
    assert not Agreement.objects.exists()


def test_a_small_grant_is_not_refused_without_reasons_or_before_the_comments_close(
    small_grant_offer,
):
    offer = small_grant_offer
    official = official_of(offer.department)
    with pytest.raises(AgreementError, match="comments"):
        services.refuse_small_grant(offer, official, "Brak środków.")
    close_comments(offer)
    with pytest.raises(AgreementError, match="reasons"):
        services.refuse_small_grant(offer, official, "   ")
    assert not Decision.objects.exists()


def test_another_departments_official_cannot_refuse_a_small_grant(small_grant_offer):
    offer = small_grant_offer
    close_comments(offer)
    stranger = official_of(CallFactory().department)
    with pytest.raises(AgreementError):
        services.refuse_small_grant(offer, stranger, "Brak środków.")
    assert not Decision.objects.exists()


# The audit trail.


def test_every_change_of_an_agreement_is_in_the_audit_trail():
    agreement = ready_agreement(amount=Decimal("8000.00"))
    official, admin = official_for(agreement), admin_of(agreement)
    lines, schedule, own = budget_lines_for(agreement)
    first = services.submit_budget_update(agreement, admin, lines, schedule, own)
    services.return_budget_update(first, official, "Popraw harmonogram.")
    second = services.submit_budget_update(agreement, admin, lines, schedule, own)
    services.accept_budget_update(second, official)
    day = timezone.localdate() + dt.timedelta(days=20)
    services.set_tranches(
        agreement, official, [{"number": 1, "planned_on": day, "amount": Decimal("8000.00")}]
    )
    services.sign(agreement, official, timezone.localdate(), "Jan Kowalski")
    services.record_payment(agreement.tranches.get(), official, timezone.localdate())
    services.add_annex(
        agreement, official, "Przedłużenie.", ends=agreement.ends + dt.timedelta(days=5)
    )
    assert actions_of(agreement) == [
        "agreement.prepared",
        "agreement.budget_submitted",
        "agreement.budget_returned",
        "agreement.budget_submitted",
        "agreement.budget_accepted",
        "agreement.tranches_changed",
        "agreement.signed",
        "agreement.tranche_paid",
        "agreement.annex_added",
    ]
    signed = AuditEntry.objects.get(object_id=str(agreement.pk), action="agreement.signed")
    assert signed.actor == official
    assert signed.changes["status"] == ["ready", "signed"]


def test_the_audit_actions_have_labels():
    from wspolpraca.core.audit import _action_labels

    for code in (
        "agreement.prepared",
        "agreement.budget_submitted",
        "agreement.signed",
        "agreement.annex_added",
    ):
        assert code in _action_labels


def test_formal_check_and_decision_come_from_the_factory():
    offer = decided_offer(Decimal("8000.00"))
    assert offer.formal_check.status == FormalCheck.Status.PASSED
    assert offer.decision.amount == Decimal("8000.00")
    assert offer.requested_grant == Decimal("9000.00")
    assert offer.call.deadline < timezone.now()
