"""The mayor's decisions on a call's offers: the budget, the cut that needs a reason, the
commission's mean score kept with the decision, the order of things (after the commission,
before the results), the publication of the results, who may decide (from the refused
side), the audit trail and the officials' pages."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import Call, LegalRules
from wspolpraca.core.models import AuditEntry, Freshness
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.evaluations import decisions
from wspolpraca.evaluations.commission import summarize_scores
from wspolpraca.evaluations.models import (
    Commission,
    CommissionMember,
    Decision,
    FormalCheck,
    ScoreSheet,
)
from wspolpraca.evaluations.signals import results_published

from .factories import call_in_evaluation, official_of, org_admin_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GRANTED = Decision.Outcome.GRANTED
REJECTED = Decision.Outcome.REJECTED


def ready_call(offers=3, *, scores=None, budget=None, commission_status="closed"):
    """A call past its deadline whose `offers` offers (each asking 9 000,00 zł) passed the
    formal check and were scored by two voting members (means 80, 75, 70, … unless
    `scores` says), its commission closed; returns (call, [offers], official)."""
    fields = {"budget": budget} if budget is not None else {}
    call, submitted = call_in_evaluation(offers, **fields)
    official = official_of(call.department)
    now = timezone.now()
    for offer in submitted:
        FormalCheck.objects.create(
            offer=offer, status=FormalCheck.Status.PASSED, checked_by=official, checked_at=now
        )
    commission = Commission.objects.create(
        call=call,
        status=commission_status,
        closed_at=now if commission_status == Commission.Status.CLOSED else None,
    )
    members = [
        CommissionMember.objects.create(
            commission=commission, user=UserFactory(), role=role, added_by=official
        )
        for role in (CommissionMember.Role.CHAIR, CommissionMember.Role.CITY)
    ]
    scores = scores or [Decimal(80 - 5 * i) for i in range(offers)]
    for offer, score in zip(submitted, scores, strict=True):
        for member, delta in zip(members, (Decimal("1.5"), Decimal("-1.5")), strict=True):
            ScoreSheet.objects.create(
                member=member, offer=offer, total=score + delta, submitted_at=now
            )
        summarize_scores(offer)
    return call, submitted, official


def reject_on_form(offer, official, reason="Brak podpisu osób upoważnionych."):
    FormalCheck.objects.filter(offer=offer).update(
        status=FormalCheck.Status.FAILED, rejection_reason=reason
    )
    ScoreSheet.objects.filter(offer=offer).delete()
    summarize_scores(offer)


def decide_all(call, offers, official, amount=Decimal("9000.00")):
    for offer in offers:
        decisions.decide(offer, official, GRANTED, amount=amount)


def published_call(offers=3, **kwargs):
    """A call whose results are published: every offer granted what it asked."""
    call, submitted, official = ready_call(offers, **kwargs)
    decide_all(call, submitted, official)
    decisions.publish_results(call, official)
    call.refresh_from_db()
    return call, submitted, official


# The budget.


def test_a_grant_is_recorded_with_the_commissions_mean_score():
    call, (offer, *_rest), official = ready_call()
    decision = decisions.decide(offer, official, GRANTED, amount=Decimal("9000.00"))
    assert decision.outcome == GRANTED
    assert decision.amount == Decimal("9000.00")
    assert decision.score == Decimal("80.00")
    assert decision.decided_by == official


def test_the_grants_may_use_the_whole_budget_exactly():
    call, (first, second, third), official = ready_call(budget=Decimal("23000.00"))
    decide_all(call, [first, second], official)
    decision = decisions.decide(
        third, official, GRANTED, amount=Decimal("5000.00"), reason="Tyle zostało."
    )
    assert decision.amount == Decimal("5000.00")
    assert decisions.granted_total(call) == call.budget


def test_a_grant_beyond_the_budget_is_refused_with_the_amount_left():
    call, (first, second, third), official = ready_call(budget=Decimal("23000.00"))
    decide_all(call, [first, second], official)
    with pytest.raises(decisions.DecisionError) as refused:
        decisions.decide(
            third, official, GRANTED, amount=Decimal("5000.01"), reason="Tyle zostało."
        )
    assert refused.value.field == "amount"
    assert money(Decimal("5000.00")) in str(refused.value)
    assert not Decision.objects.filter(offer=third).exists()


def test_a_grant_below_the_calls_smallest_is_refused_and_the_smallest_accepted():
    call, (offer, *_rest), official = ready_call()
    Call.objects.filter(pk=call.pk).update(min_grant=Decimal("5000.00"))
    with pytest.raises(decisions.DecisionError) as refused:
        decisions.decide(offer, official, GRANTED, amount=Decimal("4999.99"), reason="Mniej.")
    assert refused.value.field == "amount"
    assert money(Decimal("5000.00")) in str(refused.value)
    assert not Decision.objects.filter(offer=offer).exists()
    decision = decisions.decide(
        offer, official, GRANTED, amount=Decimal("5000.00"), reason="Mniej."
    )
    assert decision.amount == Decimal("5000.00")


def test_a_grant_above_the_calls_largest_is_refused():
    call, (offer, *_rest), official = ready_call()
    Call.objects.filter(pk=call.pk).update(max_grant=Decimal("8000.00"))
    with pytest.raises(decisions.DecisionError) as refused:
        decisions.decide(offer, official, GRANTED, amount=Decimal("8000.01"), reason="Limit.")
    assert refused.value.field == "amount"
    assert money(Decimal("8000.00")) in str(refused.value)
    decision = decisions.decide(
        offer, official, GRANTED, amount=Decimal("8000.00"), reason="Limit."
    )
    assert decision.amount == Decimal("8000.00")


def test_changing_a_grant_counts_the_budget_without_its_old_amount():
    call, (first, second), official = ready_call(2, budget=Decimal("18000.00"))
    decide_all(call, [first, second], official)
    decision = decisions.decide(first, official, GRANTED, amount=Decimal("9000.00"))
    assert decision.amount == Decimal("9000.00")
    assert decisions.granted_total(call) == Decimal("18000.00")


@pytest.mark.django_db(transaction=True)
def test_two_officials_deciding_at_once_cannot_exceed_the_budget(monkeypatch):
    """The call's row is locked while a grant is checked against the budget: the second
    official waits, then sees the first one's grant. The sum is made slow so that, without
    the lock, both would see the budget untouched."""
    if connection.vendor == "sqlite":
        pytest.skip("the test database is SQLite in memory, shared by threads only table-wise")
    call, (first, second), official = ready_call(2, budget=Decimal("10000.00"))
    colleague = official_of(call.department)
    counted = decisions.granted_total

    def slow_total(*args, **kwargs):
        total = counted(*args, **kwargs)
        time.sleep(0.5)
        return total

    monkeypatch.setattr(decisions, "granted_total", slow_total)
    outcomes = []

    def attempt(offer, person):
        try:
            decisions.decide(offer, person, GRANTED, amount=Decimal("9000.00"))
            outcomes.append("granted")
        except decisions.DecisionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(first, official)),
        threading.Thread(target=attempt, args=(second, colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["granted", "refused"]
    assert counted(call) == Decimal("9000.00")


def test_a_grant_above_the_request_is_refused():
    call, (offer, *_rest), official = ready_call()
    with pytest.raises(decisions.DecisionError) as refused:
        decisions.decide(offer, official, GRANTED, amount=Decimal("9000.01"))
    assert refused.value.field == "amount"


def test_a_grant_of_nothing_is_refused():
    call, (offer, *_rest), official = ready_call()
    with pytest.raises(decisions.DecisionError) as refused:
        decisions.decide(offer, official, GRANTED, amount=Decimal("0"), reason="Nic.")
    assert refused.value.field == "amount"


# The cut that needs a reason (award_cut_warning_percent, 10 by default).


def test_a_cut_of_exactly_the_limit_needs_no_reason():
    call, (offer, *_rest), official = ready_call()
    decision = decisions.decide(offer, official, GRANTED, amount=Decimal("8100.00"))  # 10.00%
    assert decision.amount == Decimal("8100.00")
    assert decision.reason == ""


def test_a_cut_just_above_the_limit_needs_a_reason():
    call, (offer, *_rest), official = ready_call()
    with pytest.raises(decisions.CutNeedsReason) as refused:
        decisions.decide(offer, official, GRANTED, amount=Decimal("8099.10"))  # 10.01%
    assert refused.value.field == "reason"
    assert "10.01%" in str(refused.value)
    assert not Decision.objects.filter(offer=offer).exists()


def test_a_cut_above_the_limit_is_recorded_with_its_reason():
    call, (offer, *_rest), official = ready_call()
    decision = decisions.decide(
        offer, official, GRANTED, amount=Decimal("8099.10"), reason="Koszty cateringu zawyżone."
    )
    assert decision.reason == "Koszty cateringu zawyżone."


def test_the_limit_of_the_cut_is_read_from_the_legal_rules():
    rules = LegalRules.current()
    rules.award_cut_warning_percent = 20
    rules.save()
    call, (first, second, *_rest), official = ready_call()
    # 10.01% is now within the limit; 20.01% is not.
    assert decisions.decide(first, official, GRANTED, amount=Decimal("8099.10")).reason == ""
    with pytest.raises(decisions.CutNeedsReason):
        decisions.decide(second, official, GRANTED, amount=Decimal("7199.10"))
    rules.award_cut_warning_percent = 5
    rules.save()
    with pytest.raises(decisions.CutNeedsReason):
        decisions.decide(second, official, GRANTED, amount=Decimal("8100.00"))


def test_a_rejection_needs_reasons():
    call, (offer, *_rest), official = ready_call()
    with pytest.raises(decisions.DecisionError) as refused:
        decisions.decide(offer, official, REJECTED, reason="  ")
    assert refused.value.field == "reason"
    decision = decisions.decide(offer, official, REJECTED, reason="Niska ocena merytoryczna.")
    assert decision.outcome == REJECTED and decision.amount is None


def test_a_score_sheet_not_yet_submitted_does_not_count_in_the_mean():
    call, (offer, *_rest), official = ready_call()
    drafting = CommissionMember.objects.create(
        commission=call.commission,
        user=UserFactory(),
        role=CommissionMember.Role.CITY,
        added_by=official,
    )
    ScoreSheet.objects.create(member=drafting, offer=offer, total=Decimal("0"))
    assert decisions.scores_by_offer(call)[offer.pk] == Decimal("80.00")


# When decisions are made.


def test_decisions_are_refused_before_the_commission_is_closed():
    call, (offer, *_rest), official = ready_call(commission_status="working")
    with pytest.raises(decisions.DecisionError, match="commission"):
        decisions.decide(offer, official, GRANTED, amount=Decimal("9000.00"))
    assert not Decision.objects.exists()


def test_decisions_are_refused_after_the_results_are_published():
    call, (offer, *_rest), official = published_call()
    with pytest.raises(decisions.DecisionError, match="final"):
        decisions.decide(offer, official, GRANTED, amount=Decimal("8500.00"))
    assert Decision.objects.get(offer=offer).amount == Decimal("9000.00")


def test_an_offer_rejected_on_form_is_not_decided_by_hand():
    call, (offer, *_rest), official = ready_call()
    reject_on_form(offer, official)
    with pytest.raises(decisions.DecisionError, match="formal"):
        decisions.decide(offer, official, GRANTED, amount=Decimal("9000.00"))


# Who may decide: refused side.


def test_an_official_of_another_department_cannot_decide():
    call, (offer, *_rest), _official = ready_call()
    other = official_of(DepartmentFactory())
    with pytest.raises(decisions.DecisionError):
        decisions.decide(offer, other, GRANTED, amount=Decimal("9000.00"))
    assert not Decision.objects.exists()


def refused_page_posts(client, offer, call):
    response_decide = client.post(
        reverse("evaluations:decide", args=[offer.pk]),
        {"outcome": GRANTED, "amount": "9000,00"},
    )
    response_publish = client.post(reverse("evaluations:publish_results", args=[call.pk]))
    return response_decide, response_publish


def test_an_official_of_another_department_gets_404_and_nothing_changes(client):
    call, (offer, *_rest), _official = ready_call()
    login(client, official_of(DepartmentFactory()))
    for response in refused_page_posts(client, offer, call):
        assert response.status_code == 404
    assert client.get(reverse("evaluations:decisions", args=[call.pk])).status_code == 404
    assert not Decision.objects.exists()
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


def test_an_organizations_admin_gets_404_and_nothing_changes(client):
    call, (offer, *_rest), _official = ready_call()
    login(client, org_admin_of(offer.organization))
    for response in refused_page_posts(client, offer, call):
        assert response.status_code == 404
    assert not Decision.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(client):
    call, (offer, *_rest), _official = ready_call()
    for response in refused_page_posts(client, offer, call):
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert not Decision.objects.exists()
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


# The audit trail.


def test_every_decision_is_audited_with_its_values():
    call, (offer, *_rest), official = ready_call()
    decisions.decide(offer, official, GRANTED, amount=Decimal("9000.00"))
    decisions.decide(offer, official, REJECTED, reason="Budżet wyczerpany.")
    made, changed = AuditEntry.objects.filter(action__startswith="decision.").order_by("pk")
    assert made.action == "decision.made" and made.actor == official
    assert made.changes["outcome"] == [None, GRANTED]
    assert made.changes["amount"] == [None, "9000.00"]
    assert made.changes["score"] == [None, "80.00"]
    assert changed.action == "decision.changed"
    assert changed.changes["outcome"] == [GRANTED, REJECTED]
    assert changed.changes["amount"] == ["9000.00", None]
    assert changed.changes["reason"] == ["", "Budżet wyczerpany."]


# Publishing the results.


def test_publication_is_refused_while_an_offer_is_undecided():
    call, (first, second, third), official = ready_call()
    decide_all(call, [first, second], official)
    with pytest.raises(decisions.PublicationRefused) as refused:
        decisions.publish_results(call, official)
    assert third.number in " ".join(refused.value.obstacles)
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED and call.decided_at is None


def test_publication_is_refused_before_the_commission_is_closed():
    call, offers, official = ready_call(commission_status="working")
    with pytest.raises(decisions.PublicationRefused, match="commission"):
        decisions.publish_results(call, official)


def test_publication_rejects_the_offers_rejected_on_form_with_their_reason():
    call, (first, second, failed), official = ready_call()
    reject_on_form(failed, official, reason="Oferta bez podpisu.")
    decide_all(call, [first, second], official)
    decisions.publish_results(call, official)
    decision = Decision.objects.get(offer=failed)
    assert decision.outcome == REJECTED
    assert decision.reason == "Oferta bez podpisu."
    assert decision.score is None
    assert AuditEntry.objects.filter(action="decision.rejected_on_form").count() == 1


def test_publication_decides_the_call_signals_and_is_audited():
    call, offers, official = ready_call()
    decide_all(call, offers, official)
    received = []

    def receiver(sender, call, by, **kwargs):
        received.append((call.pk, by))

    results_published.connect(receiver)
    try:
        decisions.publish_results(call, official)
    finally:
        results_published.disconnect(receiver)
    call.refresh_from_db()
    assert call.status == Call.Status.DECIDED and call.decided_at is not None
    assert received == [(call.pk, official)]
    entry = AuditEntry.objects.get(action="call.results_published")
    assert entry.actor == official and entry.changes["status"] == ["published", "decided"]


def test_publication_touches_the_public_pages_cache():
    call, offers, official = ready_call()
    decide_all(call, offers, official)
    before = timezone.now()
    decisions.publish_results(call, official)
    assert Freshness.objects.get(key="competitions").changed_at >= before


def test_publication_tells_each_applicants_admins_their_decision(
    django_capture_on_commit_callbacks, mailoutbox
):
    call, (granted, rejected), official = ready_call(2)
    admins = {offer.pk: org_admin_of(offer.organization) for offer in (granted, rejected)}
    mailoutbox.clear()
    decisions.decide(granted, official, GRANTED, amount=Decimal("8500.00"))
    decisions.decide(rejected, official, REJECTED, reason="Słabe uzasadnienie potrzeb.")
    with django_capture_on_commit_callbacks(execute=True):
        decisions.publish_results(call, official)
    by_address = {tuple(message.to): message for message in mailoutbox}
    granted_mail = by_address[(admins[granted.pk].email,)]
    with translation.override("pl"):  # each is written in its recipient's language
        assert money(Decimal("8500.00")) in granted_mail.body
    assert granted.number in granted_mail.subject
    assert reverse("evaluations:ask_reasons", args=[call.pk]) in granted_mail.body
    rejected_mail = by_address[(admins[rejected.pk].email,)]
    assert "Słabe uzasadnienie potrzeb." in rejected_mail.body
    call.refresh_from_db()
    until = timezone.localtime(decisions.reasons_deadline(call))
    assert str(until.year) in rejected_mail.body


def test_publication_is_refused_twice():
    call, offers, official = published_call()
    with pytest.raises(decisions.PublicationRefused, match="already"):
        decisions.publish_results(call, official)


def test_an_official_of_another_department_cannot_publish():
    call, offers, official = ready_call()
    decide_all(call, offers, official)
    with pytest.raises(decisions.DecisionError):
        decisions.publish_results(call, official_of(DepartmentFactory()))
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


# The officials' pages.


def test_the_decisions_page_shows_the_offers_the_budget_and_what_is_left(client):
    call, (first, second, third), official = ready_call(budget=Decimal("30000.00"))
    decisions.decide(first, official, GRANTED, amount=Decimal("9000.00"))
    decisions.decide(second, official, REJECTED, reason="Niska ocena.")
    login(client, official)
    response = client.get(reverse("evaluations:decisions", args=[call.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert first.organization.name in page and third.organization.name in page
    assert money(Decimal("21000.00")) in page  # left of the 30 000,00 zł
    assert "80.00" in page
    rows = list(response.context["page"])
    assert [row.rank for row in rows] == [1, 2, 3]


@pytest.mark.parametrize("count", [2, 10])
def test_the_decisions_page_makes_a_constant_number_of_queries(
    client, django_assert_max_num_queries, count
):
    call, offers, official = ready_call(count, budget=Decimal("200000.00"))
    decide_all(call, offers[: count // 2], official)
    login(client, official)
    url = reverse("evaluations:decisions", args=[call.pk])
    client.get(url)  # the session's first request also writes the session
    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert len(response.context["page"].object_list) == count


def test_the_decide_page_records_a_grant(client):
    call, (offer, *_rest), official = ready_call()
    login(client, official)
    response = client.post(
        reverse("evaluations:decide", args=[offer.pk]),
        {"outcome": GRANTED, "amount": "8500.00", "reason": ""},
    )
    assert response.status_code == 302
    assert Decision.objects.get(offer=offer).amount == Decimal("8500.00")


def test_the_decide_page_asks_for_the_reason_of_a_large_cut_and_keeps_what_was_typed(client):
    call, (offer, *_rest), official = ready_call()
    login(client, official)
    response = client.post(
        reverse("evaluations:decide", args=[offer.pk]),
        {"outcome": GRANTED, "amount": "7000.00", "reason": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_reason_error"' in page
    assert "22.22%" in page
    assert 'value="7000.00"' in page
    assert not Decision.objects.exists()


def test_the_decide_page_refuses_a_grant_over_the_budget_next_to_the_amount(client):
    call, (first, second), official = ready_call(2, budget=Decimal("10000.00"))
    decisions.decide(first, official, GRANTED, amount=Decimal("9000.00"))
    login(client, official)
    response = client.post(
        reverse("evaluations:decide", args=[second.pk]),
        {"outcome": GRANTED, "amount": "8500.00", "reason": "Mniej pieniędzy."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_amount_error"' in page
    assert money(Decimal("1000.00")) in page
    assert "Mniej pieniędzy." in page
    assert not Decision.objects.filter(offer=second).exists()


def test_the_publication_page_lists_the_obstacles(client):
    call, (first, second), official = ready_call(2)
    decisions.decide(first, official, GRANTED, amount=Decimal("9000.00"))
    login(client, official)
    response = client.get(reverse("evaluations:publish_results", args=[call.pk]))
    assert response.status_code == 200
    assert second.number in " ".join(str(o) for o in response.context["obstacles"])
    response = client.post(reverse("evaluations:publish_results", args=[call.pk]))
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


def test_the_publication_page_lists_every_decision_and_publishes(client):
    call, offers, official = ready_call(2)
    decide_all(call, offers, official)
    login(client, official)
    url = reverse("evaluations:publish_results", args=[call.pk])
    page = client.get(url).content.decode()
    for offer in offers:
        assert offer.organization.name in page
    assert money(Decimal("18000.00")) in page
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:results", args=[call.pk])
    call.refresh_from_db()
    assert call.status == Call.Status.DECIDED


# The decision on the offer's own page.


def test_the_applicant_reads_the_decision_and_its_reason_once_the_results_are_out(client):
    call, (offer, *_rest), official = ready_call()
    decisions.decide(offer, official, REJECTED, reason="Zadanie poza zakresem konkursu.")
    admin = org_admin_of(offer.organization)
    login(client, admin)
    receipt = reverse("offers:receipt", args=[offer.pk])
    assert "Zadanie poza zakresem konkursu." not in client.get(receipt).text
    for other in _rest:
        decisions.decide(other, official, GRANTED, amount=Decimal("9000.00"))
    decisions.publish_results(call, official)
    page = client.get(receipt).text
    assert 'id="decision-heading"' in page
    assert "Zadanie poza zakresem konkursu." in page
    assert reverse("evaluations:ask_reasons", args=[call.pk]) in page


def test_the_offer_page_shows_the_cut_grant_and_the_agreement(client):
    call, (offer, *_rest), official = ready_call()
    decisions.decide(offer, official, GRANTED, amount=Decimal("7650.00"), reason="Niższe stawki.")
    for other in _rest:
        decisions.decide(other, official, GRANTED, amount=Decimal("9000.00"))
    decisions.publish_results(call, official)
    login(client, org_admin_of(offer.organization))
    page = client.get(reverse("offers:receipt", args=[offer.pk])).text
    assert "15% less" in page
    agreement = offer.agreement
    assert reverse("agreements:detail", args=[agreement.pk]) in page


# The commission's documents with the results.


def test_the_results_page_names_the_commission_and_links_its_public_minutes(client):
    from wspolpraca.evaluations.tests.commission_factories import finish, working

    setup = working(1)
    finish(setup)
    commission = decisions_close(setup)
    call = setup.call
    (offer,) = setup.offers
    decisions.decide(offer, setup.official, GRANTED, amount=offer.requested_grant)
    decisions.publish_results(call, setup.official)
    page = client.get(reverse("evaluations:results", args=[call.pk])).text
    for member in [setup.chair, *setup.voters]:
        assert member.user.full_name in page
        assert member.user.email not in page
    minutes = reverse("evaluations:public_minutes", args=[call.pk])
    assert minutes in page
    response = client.get(minutes)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert commission.minutes_sha256


def test_the_minutes_are_not_public_before_the_results():
    from django.test import Client

    from wspolpraca.evaluations.tests.commission_factories import finish, working

    setup = working(1)
    finish(setup)
    decisions_close(setup)
    assert (
        Client().get(reverse("evaluations:public_minutes", args=[setup.call.pk])).status_code == 404
    )


def decisions_close(setup):
    from wspolpraca.evaluations import commission as commission_service

    return commission_service.close(setup.commission, setup.chair.user)


def test_a_stale_reason_for_working_without_ngo_members_is_not_shown(client):
    from wspolpraca.evaluations.tests.commission_factories import finish, working

    setup = working(1)  # the first voting member was nominated by an organization
    Commission.objects.filter(pk=setup.commission.pk).update(
        without_ngo_reason="Nikt się nie zgłosił."
    )
    finish(setup)
    decisions_close(setup)
    (offer,) = setup.offers
    decisions.decide(offer, setup.official, GRANTED, amount=offer.requested_grant)
    decisions.publish_results(setup.call, setup.official)
    page = client.get(reverse("evaluations:results", args=[setup.call.pk])).text
    assert "Nikt się nie zgłosił." not in page
