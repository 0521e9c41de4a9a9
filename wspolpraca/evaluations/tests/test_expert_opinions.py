"""The experts' advisory voice: an opinion of each offer, read by the members and kept in
the minutes; experts score nothing."""

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.models import AuditEntry
from wspolpraca.evaluations import commission as service
from wspolpraca.evaluations.commission import CommissionError
from wspolpraca.evaluations.models import ExpertOpinion
from wspolpraca.evaluations.tests.commission_factories import submit, working
from wspolpraca.evaluations.tests.test_commission import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OPINION = "Kalkulacja kosztów realna; harmonogram zbyt napięty w wakacje."


def opinion_url(setup, offer):
    return reverse("evaluations:opinion", args=[setup.commission.pk, offer.pk])


def score_url(setup, offer):
    return reverse("evaluations:score", args=[setup.commission.pk, offer.pk])


# The service.


def test_an_experts_opinion_is_saved_audited_and_read_by_the_members():
    setup = working(1, experts=1)
    expert, offer = setup.experts[0], setup.offers[0]
    service.give_opinion(expert, offer, f"  {OPINION}  ", expert.user)
    (opinion,) = service.opinions_of(offer)
    assert opinion.text == OPINION
    assert opinion.member == expert
    entry = AuditEntry.objects.get(action="expert_opinion.given")
    assert entry.changes["text"] == [None, OPINION]


def test_rewriting_the_opinion_keeps_one_and_records_the_change():
    setup = working(1, experts=1)
    expert, offer = setup.experts[0], setup.offers[0]
    service.give_opinion(expert, offer, "Pierwsza wersja.", expert.user)
    service.give_opinion(expert, offer, OPINION, expert.user)
    assert ExpertOpinion.objects.get().text == OPINION
    entry = AuditEntry.objects.get(action="expert_opinion.changed")
    assert entry.changes["text"] == ["Pierwsza wersja.", OPINION]


def test_an_empty_opinion_is_refused_at_its_field():
    setup = working(1, experts=1)
    expert = setup.experts[0]
    with pytest.raises(CommissionError) as refused:
        service.give_opinion(expert, setup.offers[0], "   ", expert.user)
    assert refused.value.field == "text"
    assert not ExpertOpinion.objects.exists()


def test_a_voting_member_cannot_give_an_advisory_opinion():
    setup = working(1, experts=1)
    with pytest.raises(CommissionError, match="experts"):
        service.give_opinion(setup.chair, setup.offers[0], OPINION, setup.chair.user)
    assert not ExpertOpinion.objects.exists()


def test_nobody_gives_an_opinion_in_an_experts_name():
    setup = working(1, experts=1)
    with pytest.raises(CommissionError):
        service.give_opinion(setup.experts[0], setup.offers[0], OPINION, setup.chair.user)
    assert not ExpertOpinion.objects.exists()


def test_an_expert_with_a_conflict_gives_no_opinion_of_that_offer():
    setup = working(1, experts=1)
    expert, offer = setup.experts[0], setup.offers[0]
    service.declare_conflict(expert, offer, "family", expert.user)
    with pytest.raises(CommissionError, match="conflict"):
        service.give_opinion(expert, offer, OPINION, expert.user)
    assert not ExpertOpinion.objects.exists()


def test_an_expert_who_gave_an_opinion_can_no_longer_declare_a_conflict_for_it():
    setup = working(1, experts=1)
    expert, offer = setup.experts[0], setup.offers[0]
    service.give_opinion(expert, offer, OPINION, expert.user)
    with pytest.raises(CommissionError, match="opinion"):
        service.declare_conflict(expert, offer, "family", expert.user)
    assert not expert.conflicts.exists()
    assert ExpertOpinion.objects.filter(offer=offer).exists()


def test_the_minutes_keep_the_experts_opinion():
    setup = working(1, experts=1)
    expert, offer = setup.experts[0], setup.offers[0]
    service.give_opinion(expert, offer, OPINION, expert.user)
    for member in [setup.chair, *setup.voters]:
        submit(member, offer)
    closed = service.close(setup.commission, setup.chair.user)
    text = pdf_text(closed.minutes_pdf)
    assert str(expert.user) in text
    assert "harmonogram zbyt napięty" in text


def test_no_opinion_is_given_once_the_work_is_closed():
    setup = working(1, experts=1)
    expert, offer = setup.experts[0], setup.offers[0]
    for member in [setup.chair, *setup.voters]:
        submit(member, offer)
    service.close(setup.commission, setup.chair.user)
    expert.commission.refresh_from_db()
    with pytest.raises(CommissionError, match="closed"):
        service.give_opinion(expert, offer, OPINION, expert.user)


# The pages.


def test_the_expert_writes_the_opinion_and_a_member_reads_it_beside_the_offer(client):
    setup = working(1, experts=1)
    expert, offer = setup.experts[0], setup.offers[0]
    login(client, expert.user)
    assert opinion_url(setup, offer) in client.get(score_url(setup, offer)).text
    response = client.post(opinion_url(setup, offer), {"text": OPINION})
    assert response.status_code == 302
    assert response["Location"].startswith(score_url(setup, offer))
    client.logout()
    login(client, setup.voters[0].user)
    page = client.get(score_url(setup, offer)).text
    assert "harmonogram zbyt napięty" in page
    assert opinion_url(setup, offer) not in page


def test_an_empty_opinion_is_shown_next_to_the_field_and_nothing_is_saved(client):
    setup = working(1, experts=1)
    login(client, setup.experts[0].user)
    response = client.post(opinion_url(setup, setup.offers[0]), {"text": ""})
    assert response.status_code == 200
    assert "Write your opinion of the offer." in response.text
    assert 'aria-invalid="true"' in response.text
    assert not ExpertOpinion.objects.exists()


def test_voting_members_and_strangers_cannot_open_the_opinion_page(client):
    setup = working(1, experts=1)
    offer = setup.offers[0]
    for person in (setup.chair.user, setup.voters[0].user, UserFactory(), setup.official):
        client.logout()
        login(client, person)
        assert client.get(opinion_url(setup, offer)).status_code == 404
        assert client.post(opinion_url(setup, offer), {"text": OPINION}).status_code == 404
    assert not ExpertOpinion.objects.exists()
