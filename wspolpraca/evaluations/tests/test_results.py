"""The published results: the public page and PDF, the call's page linking to them, the
days from the deadline to the results, and the requests for the reasons of a decision
within their term (to the second)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import Call, LegalRules
from wspolpraca.core.models import AuditEntry
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.evaluations import decisions
from wspolpraca.evaluations.models import Decision, ReasonsRequest

from .factories import official_of, org_admin_of
from .test_decisions import GRANTED, REJECTED, ready_call, reject_on_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def publish(offers=3, **kwargs):
    """Results published now: the first offer granted 8 500,00 zł, the second rejected,
    the third (when there is one) rejected on formal grounds."""
    call, submitted, official = ready_call(offers, **kwargs)
    decisions.decide(submitted[0], official, GRANTED, amount=Decimal("8500.00"))
    if offers > 1:
        decisions.decide(submitted[1], official, REJECTED, reason="Niska ocena.")
    if offers > 2:
        reject_on_form(submitted[2], official, reason="Brak podpisu.")
    for offer in submitted[3:]:
        decisions.decide(offer, official, GRANTED, amount=Decimal("9000.00"))
    decisions.publish_results(call, official)
    call.refresh_from_db()
    return call, submitted, official


def results_url(call):
    return reverse("evaluations:results", args=[call.pk])


# The results.


def test_results_of_lists_every_decided_offer_in_rank_order():
    call, (granted, rejected, on_form), _official = publish()
    rows = decisions.results_of(call)
    assert [row.offer_pk for row in rows] == [granted.pk, rejected.pk, on_form.pk]
    assert [row.rank for row in rows] == [1, 2, None]
    assert rows[0].applicant == granted.organization.name
    assert rows[0].task == granted.title
    assert rows[0].requested == Decimal("9000.00")
    assert rows[0].amount == Decimal("8500.00") and rows[0].score == Decimal("80.00")
    assert rows[1].amount is None and rows[1].outcome == REJECTED
    assert rows[2].rejected_on_form and rows[2].outcome == REJECTED


def test_results_of_makes_one_query(django_assert_num_queries):
    call, _offers, _official = publish(6)
    with django_assert_num_queries(1):
        assert len(decisions.results_of(call)) == 6


def test_the_results_are_not_found_before_publication(client):
    call, _offers, _official = ready_call()
    assert client.get(results_url(call)).status_code == 404
    assert client.get(reverse("evaluations:results_pdf", args=[call.pk])).status_code == 404
    assert (
        client.get(reverse("evaluations:ask_reasons", args=[call.pk])).status_code == 302
    )  # to sign in first; signed in, it is not found either
    login(client, UserFactory())
    assert client.get(reverse("evaluations:ask_reasons", args=[call.pk])).status_code == 404


def test_the_results_page_shows_applicant_task_amount_and_score(client):
    call, (granted, rejected, on_form), _official = publish()
    response = client.get(results_url(call))
    assert response.status_code == 200
    page = response.content.decode()
    for offer in (granted, rejected, on_form):
        assert offer.organization.name in page
    assert granted.title in page
    assert money(Decimal("8500.00")) in page
    assert "80.00" in page and "75.00" in page
    assert page.count("not awarded") >= 2
    assert "rejected on formal grounds" in page


def test_the_results_page_says_the_days_from_deadline_to_results_and_the_reasons_term(client):
    call, _offers, _official = publish()
    Call.objects.filter(pk=call.pk).update(deadline=call.decided_at - timedelta(days=12))
    call.refresh_from_db()
    page = client.get(results_url(call)).content.decode()
    assert "12 days" in page
    until = timezone.localtime(decisions.reasons_deadline(call))
    assert f"{until:%H:%M}" in page and str(until.year) in page
    assert reverse("evaluations:ask_reasons", args=[call.pk]) in page


@pytest.mark.parametrize("count", [2, 10])
def test_the_results_page_makes_a_constant_number_of_queries(
    client, django_assert_max_num_queries, count
):
    call, _offers, _official = publish(count)
    # The call, its rows, the totals and paging, the commission and its members.
    with django_assert_max_num_queries(8):
        response = client.get(results_url(call))
    assert len(response.context["page"].object_list) == count


def test_the_results_pdf_shows_applicant_task_amount_and_score(client):
    call, (granted, rejected, on_form), _official = publish()
    response = client.get(reverse("evaluations:results_pdf", args=[call.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert granted.organization.name in text
    assert granted.title in text
    assert " ".join(money(Decimal("8500.00")).split()) in text
    assert "80.00" in text
    assert "not awarded" in text


def test_the_calls_page_links_to_the_results_once_decided(client):
    call, _offers, _official = ready_call()
    page = client.get(reverse("competitions:call", args=[call.pk])).content.decode()
    assert results_url(call) not in page
    call, _offers, _official = publish()
    page = client.get(reverse("competitions:call", args=[call.pk])).content.decode()
    assert results_url(call) in page
    assert reverse("evaluations:results_pdf", args=[call.pk]) in page


# Days from the deadline to the results.


def test_days_to_results_counts_calendar_days_from_the_deadline():
    call, _offers, _official = publish(1)
    assert decisions.days_to_results(call) == 1  # the factory's deadline was yesterday
    undecided, _offers, _official = ready_call(1)
    assert decisions.days_to_results(undecided) is None


def test_days_to_results_by_department_averages_each_departments_calls():
    first, _offers, _official = publish(1)
    second, _offers, _official = publish(1)
    Call.objects.filter(pk=second.pk).update(department=first.department)
    Call.objects.filter(pk=first.pk).update(deadline=first.decided_at - timedelta(days=10))
    Call.objects.filter(pk=second.pk).update(deadline=second.decided_at - timedelta(days=21))
    third, _offers, _official = publish(1)
    rows = {row["department_id"]: row for row in decisions.days_to_results_by_department()}
    assert rows[first.department_id]["calls"] == 2
    assert rows[first.department_id]["average_days"] == Decimal("15.5")
    assert rows[third.department_id]["average_days"] == Decimal("1.0")
    year = timezone.localdate(first.decided_at).year
    assert len(decisions.days_to_results_by_department(year=year)) == 2
    assert decisions.days_to_results_by_department(year=year - 1) == []


def test_days_to_results_by_department_is_one_query(django_assert_num_queries):
    publish(1)
    publish(1)
    with django_assert_num_queries(1):
        decisions.days_to_results_by_department()


# Asking for the reasons: the term, to the second.


def test_one_may_ask_for_reasons_at_the_last_second_of_the_term():
    call, (offer, *_rest), _official = publish()
    last = call.decided_at + timedelta(days=LegalRules.current().reasons_request_days)
    with time_machine.travel(last, tick=False):
        asked = decisions.ask_for_reasons(offer, UserFactory(), "Dlaczego obcięto dotację?")
    assert asked.asked_at == last


def test_asking_for_reasons_one_second_after_the_term_is_refused():
    call, (offer, *_rest), _official = publish()
    last = call.decided_at + timedelta(days=LegalRules.current().reasons_request_days)
    with time_machine.travel(last + timedelta(seconds=1), tick=False):
        with pytest.raises(decisions.DecisionError, match="ended"):
            decisions.ask_for_reasons(offer, UserFactory(), "Dlaczego?")
    assert not ReasonsRequest.objects.exists()


def test_the_term_for_reasons_is_read_from_the_legal_rules():
    rules = LegalRules.current()
    rules.reasons_request_days = 14
    rules.save()
    call, (offer, *_rest), _official = publish()
    with time_machine.travel(call.decided_at + timedelta(days=14, seconds=1), tick=False):
        with pytest.raises(decisions.DecisionError):
            decisions.ask_for_reasons(offer, UserFactory(), "Dlaczego?")


def test_reasons_cannot_be_asked_before_the_results():
    call, (offer, *_rest), official = ready_call()
    decisions.decide(offer, official, GRANTED, amount=Decimal("9000.00"))
    with pytest.raises(decisions.DecisionError):
        decisions.ask_for_reasons(offer, UserFactory(), "Dlaczego?")


def test_asking_for_reasons_tells_the_department_and_is_audited(
    django_capture_on_commit_callbacks, mailoutbox
):
    call, (offer, *_rest), official = publish()
    asker = UserFactory()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = decisions.ask_for_reasons(offer, asker, "Dlaczego obcięto dotację?")
    assert [m.to for m in mailoutbox] == [[official.email]]
    assert "Dlaczego obcięto dotację?" in mailoutbox[0].body
    assert reverse("evaluations:answer_reasons", args=[asked.pk]) in mailoutbox[0].body
    entry = AuditEntry.objects.get(action="reasons_request.asked")
    assert entry.actor == asker and entry.object_id == str(asked.pk)


def test_answering_reasons_tells_the_person_and_is_audited(
    django_capture_on_commit_callbacks, mailoutbox
):
    call, (offer, *_rest), official = publish()
    asker = UserFactory()
    asked = decisions.ask_for_reasons(offer, asker, "Dlaczego?")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.answer_reasons(asked, official, "Koszty były zawyżone.")
    asked.refresh_from_db()
    assert asked.answer == "Koszty były zawyżone." and asked.answered_by == official
    assert [m.to for m in mailoutbox] == [[asker.email]]
    assert "Koszty były zawyżone." in mailoutbox[0].body
    entry = AuditEntry.objects.get(action="reasons_request.answered")
    assert entry.actor == official


def test_an_official_of_another_department_cannot_answer():
    call, (offer, *_rest), _official = publish()
    asked = decisions.ask_for_reasons(offer, UserFactory(), "Dlaczego?")
    with pytest.raises(decisions.DecisionError):
        decisions.answer_reasons(asked, official_of(DepartmentFactory()), "Bo tak.")
    asked.refresh_from_db()
    assert asked.answered_at is None


# The pages for reasons.


def test_a_signed_in_person_asks_for_reasons_on_the_page(client):
    call, (offer, *_rest), _official = publish()
    asker = UserFactory()
    login(client, asker)
    url = reverse("evaluations:ask_reasons", args=[call.pk])
    assert client.get(f"{url}?oferta={offer.pk}").status_code == 200
    response = client.post(url, {"offer": offer.pk, "question": "Dlaczego obcięto dotację?"})
    assert response.status_code == 302
    assert ReasonsRequest.objects.get().asked_by == asker


def test_an_anonymous_visitor_is_sent_to_sign_in_before_asking(client):
    call, (offer, *_rest), _official = publish()
    url = reverse("evaluations:ask_reasons", args=[call.pk])
    response = client.post(url, {"offer": offer.pk, "question": "Dlaczego?"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not ReasonsRequest.objects.exists()


def test_the_page_refuses_a_request_after_the_term(client):
    call, (offer, *_rest), _official = publish()
    url = reverse("evaluations:ask_reasons", args=[call.pk])
    last = call.decided_at + timedelta(days=LegalRules.current().reasons_request_days)
    with time_machine.travel(last + timedelta(seconds=1), tick=False):
        login(client, UserFactory())  # a session of that day
        response = client.post(url, {"offer": offer.pk, "question": "Dlaczego?"})
    assert response.status_code == 200
    assert "term" in response.content.decode()
    assert not ReasonsRequest.objects.exists()


def test_the_department_answers_on_the_request_page(client):
    call, (offer, *_rest), official = publish()
    asked = decisions.ask_for_reasons(offer, UserFactory(), "Dlaczego?")
    login(client, official)
    listing = client.get(reverse("evaluations:reasons", args=[call.pk]))
    assert reverse("evaluations:answer_reasons", args=[asked.pk]) in listing.content.decode()
    url = reverse("evaluations:answer_reasons", args=[asked.pk])
    response = client.post(url, {"answer": ""})
    assert response.status_code == 200 and 'id="id_answer_error"' in response.content.decode()
    response = client.post(url, {"answer": "Koszty były zawyżone."})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.answered_by == official


def test_others_cannot_see_or_answer_the_requests(client):
    call, (offer, *_rest), _official = publish()
    asked = decisions.ask_for_reasons(offer, UserFactory(), "Dlaczego?")
    for person in (official_of(DepartmentFactory()), org_admin_of(offer.organization)):
        login(client, person)
        assert client.get(reverse("evaluations:reasons", args=[call.pk])).status_code == 404
        url = reverse("evaluations:answer_reasons", args=[asked.pk])
        assert client.post(url, {"answer": "Bo tak."}).status_code == 404
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_the_grant_row_reads_in_polish_money(client):
    call, (granted, *_rest), _official = publish()
    with translation.override("pl"):
        expected = money(Decimal("8500.00"))
    client.cookies["django_language"] = "pl"
    assert expected in client.get(results_url(call), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert Decision.objects.get(offer=granted).amount == Decimal("8500.00")
