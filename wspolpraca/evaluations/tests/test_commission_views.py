"""The commission's pages, mostly from the refused side."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.evaluations import commission as service
from wspolpraca.evaluations.models import (
    Commission,
    CommissionMember,
    ConflictOfInterest,
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
from wspolpraca.evaluations.tests.factories import call_in_evaluation, official_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Role = CommissionMember.Role


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def score_url(setup, offer):
    return url("score", setup.commission.pk, offer.pk)


def score_post(call, action="draft", points="8", justification="Dobrze uzasadnione"):
    data = {"action": action}
    for criterion in call.criteria.all():
        data[f"points_{criterion.pk}"] = points
        data[f"justification_{criterion.pk}"] = justification
    return data


# Setting up.


def test_setup_page_is_not_found_for_people_outside_the_department(client, outsider):
    call, offers = call_in_evaluation(offers=1)
    for user in [outsider, official_of(DepartmentFactory())]:
        login(client, user)
        assert client.get(url("commission_setup", call.pk)).status_code == 404
        response = client.post(
            url("commission_setup", call.pk),
            {"part": "member", "email": outsider.email, "role": "city"},
        )
        assert response.status_code == 404
    assert not Commission.objects.exists()


def test_official_adds_a_member_by_the_email_of_an_existing_account(client):
    call, offers = call_in_evaluation(offers=1)
    official = official_of(call.department)
    someone = person()
    login(client, official)
    response = client.get(url("commission_setup", call.pk))
    assert "must already have an account" in response.text
    response = client.post(
        url("commission_setup", call.pk),
        {"part": "member", "email": someone.email.upper(), "role": "city"},
    )
    assert response.status_code == 302
    assert CommissionMember.objects.get().user == someone


def test_unknown_email_is_refused_next_to_the_field(client):
    call, offers = call_in_evaluation(offers=1)
    login(client, official_of(call.department))
    response = client.post(
        url("commission_setup", call.pk),
        {"part": "member", "email": "nikt@example.org", "role": "city"},
    )
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.text
    assert "create an account" in response.text
    assert 'value="nikt@example.org"' in response.text
    assert not CommissionMember.objects.exists()


def test_nominee_of_an_applicant_is_refused_with_the_reason_next_to_the_field(client):
    call, offers = call_in_evaluation(offers=1)
    applicant = offers[0].organization
    login(client, official_of(call.department))
    response = client.post(
        url("commission_setup", call.pk),
        {"part": "member", "email": person().email, "role": "ngo", "nominated_by": applicant.krs},
    )
    assert response.status_code == 200
    assert 'id="id_nominated_by_error"' in response.text
    assert "has an offer in this call" in response.text
    assert not CommissionMember.objects.exists()


def test_remove_member_asks_on_a_page_of_its_own(client):
    setup = appointed(1)
    member = setup.voters[1]
    login(client, setup.official)
    address = url("commission_remove_member", setup.call.pk, member.pk)
    response = client.get(address)
    assert response.status_code == 200
    assert str(member.user) in response.text
    assert CommissionMember.objects.filter(pk=member.pk).exists()
    assert client.post(address).status_code == 302
    assert not CommissionMember.objects.filter(pk=member.pk).exists()


def test_start_confirmation_lists_what_happens_then_starts(client):
    setup = appointed(2)
    login(client, setup.official)
    address = url("commission_start", setup.call.pk)
    response = client.get(address)
    assert "can no longer change" in response.text
    assert "sees the 2 offers" in response.text
    setup.commission.refresh_from_db()
    assert setup.commission.status == Commission.Status.FORMING
    client.post(address)
    setup.commission.refresh_from_db()
    assert setup.commission.status == Commission.Status.WORKING


def test_start_page_shows_what_is_missing_and_does_not_start(client):
    call, offers = call_in_evaluation(offers=1)
    passed(offers)
    official = official_of(call.department)
    commission = service.commission_for(call, official)
    login(client, official)
    response = client.post(url("commission_start", call.pk))
    assert response.status_code == 200
    assert "no chair" in response.text
    commission.refresh_from_db()
    assert commission.status == Commission.Status.FORMING


# The members' pages.


def test_my_commissions_lists_the_seats_of_the_signed_in_person(client):
    setup = appointed(1)
    login(client, setup.voters[0].user)
    response = client.get(url("my_commissions"))
    assert setup.call.title in response.text
    login(client, person())
    assert setup.call.title not in client.get(url("my_commissions")).text


def test_member_without_two_factor_sign_in_is_sent_to_set_it_up(client):
    setup = appointed(1)
    newcomer = UserFactory()
    service.add_member(setup.commission, newcomer, Role.CITY, setup.official)
    login(client, newcomer)
    response = client.get(url("commission", setup.commission.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_member_who_has_not_signed_sees_only_the_declaration(client):
    setup = working(2, signed=False)
    member = setup.voters[0]
    login(client, member.user)
    response = client.get(url("commission", setup.commission.pk))
    assert response["Location"] == url("declaration", setup.commission.pk)
    response = client.get(url("declaration", setup.commission.pk))
    assert response.status_code == 200
    assert "article 24" in response.text
    for offer in setup.offers:
        assert offer.number not in response.text
        assert offer.organization.name not in response.text
        response = client.get(score_url(setup, offer))
        assert response.status_code == 302
        assert offer.number not in client.get(response["Location"]).text


def test_signing_the_declaration_opens_the_offers(client):
    setup = working(2, signed=False)
    member = setup.voters[0]
    login(client, member.user)
    response = client.post(url("declaration", setup.commission.pk), {})
    assert 'id="id_agree_error"' in response.text
    member.refresh_from_db()
    assert member.declaration_signed_at is None
    client.post(url("declaration", setup.commission.pk), {"agree": "on"})
    member.refresh_from_db()
    assert member.declaration_signed_at is not None
    response = client.get(url("commission", setup.commission.pk))
    for offer in setup.offers:
        assert score_url(setup, offer) in response.text


def test_non_member_gets_404_on_every_page_of_the_commission(client):
    setup = working(1)
    submit(setup.chair, setup.offers[0])
    offer = setup.offers[0]
    pk = setup.commission.pk
    login(client, person())
    for address in [
        url("commission", pk),
        url("declaration", pk),
        url("score", pk, offer.pk),
        url("score_check", pk, offer.pk),
        url("commission_offer_pdf", pk, offer.pk),
        url("conflict", pk, offer.pk),
        url("ranking", pk),
        url("close", pk),
        url("minutes", pk),
    ]:
        assert client.get(address).status_code == 404, address
    assert client.post(url("score", pk, offer.pk), score_post(setup.call)).status_code == 404
    assert ScoreSheet.objects.count() == 1


def test_member_does_not_see_others_scores_before_submitting(client):
    setup = working(1)
    offer = setup.offers[0]
    submit(setup.chair, offer, justification="Ukryte uzasadnienie przewodniczącego")
    member = setup.voters[0]
    login(client, member.user)
    response = client.get(score_url(setup, offer))
    assert response.status_code == 200
    assert "Ukryte uzasadnienie" not in response.text
    assert response.context["others"] == []
    client.post(score_url(setup, offer), score_post(setup.call, "draft"))
    response = client.get(score_url(setup, offer))
    assert "Ukryte uzasadnienie" not in response.text


def test_submission_goes_through_check_your_answers_then_shows_the_others(client):
    setup = working(1)
    offer = setup.offers[0]
    submit(setup.chair, offer, justification="Uzasadnienie przewodniczącego")
    member = setup.voters[0]
    login(client, member.user)
    response = client.post(score_url(setup, offer), score_post(setup.call, "submit", "7.5"))
    assert response["Location"] == url("score_check", setup.commission.pk, offer.pk)
    sheet = ScoreSheet.objects.get(member=member)
    assert sheet.submitted_at is None
    check = client.get(response["Location"])
    assert "final" in check.text
    client.post(response["Location"], {"version": check.context["version"]})
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None
    assert sheet.total == Decimal("45.00")
    page = client.get(score_url(setup, offer))
    assert "Uzasadnienie przewodniczącego" in page.text
    assert page.context["form"] is None


def test_check_page_refuses_a_draft_changed_meanwhile(client):
    setup = working(1)
    offer = setup.offers[0]
    member = setup.voters[0]
    login(client, member.user)
    client.post(score_url(setup, offer), score_post(setup.call, "submit"))
    check_url = url("score_check", setup.commission.pk, offer.pk)
    version = client.get(check_url).context["version"]
    service.save_sheet(member, offer, full_scores(setup.call, Decimal("3")), member.user)
    response = client.post(check_url, {"version": version})
    assert response.status_code == 200
    assert "changed meanwhile" in response.text
    assert ScoreSheet.objects.get(member=member).submitted_at is None


def test_invalid_points_keep_what_was_typed_next_to_the_field(client):
    setup = working(1)
    offer = setup.offers[0]
    login(client, setup.voters[0].user)
    response = client.post(score_url(setup, offer), score_post(setup.call, "draft", "7,25"))
    assert response.status_code == 200
    criterion = setup.call.criteria.order_by("order", "pk").first()
    assert f'id="id_points_{criterion.pk}_error"' in response.text
    assert 'value="7,25"' in response.text
    assert not ScoreSheet.objects.exists()


def test_conflicted_member_cannot_open_the_offer_or_its_scores(client):
    setup = working(1)
    offer = setup.offers[0]
    member = setup.voters[0]
    login(client, member.user)
    response = client.post(url("conflict", setup.commission.pk, offer.pk), {"ground": "family"})
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(member=member, offer=offer).exists()
    submit(setup.chair, offer)
    for address in [
        score_url(setup, offer),
        url("score_check", setup.commission.pk, offer.pk),
        url("commission_offer_pdf", setup.commission.pk, offer.pk),
        url("conflict", setup.commission.pk, offer.pk),
    ]:
        assert client.get(address).status_code == 404, address
    assert client.post(score_url(setup, offer), score_post(setup.call)).status_code == 404
    home = client.get(url("commission", setup.commission.pk))
    assert score_url(setup, offer) not in home.text
    assert "conflict of interest declared" in home.text.lower()
    assert not ScoreSheet.objects.filter(member=member).exists()


def test_conflict_page_asks_for_the_ground(client):
    setup = working(1)
    offer = setup.offers[0]
    login(client, setup.voters[0].user)
    address = url("conflict", setup.commission.pk, offer.pk)
    response = client.get(address)
    assert "cannot be taken back" in response.text
    response = client.post(address, {})
    assert 'id="id_ground_error"' in response.text
    assert not ConflictOfInterest.objects.exists()


def test_expert_reads_the_offer_but_gets_no_score_form(client):
    setup = working(1, experts=1)
    offer = setup.offers[0]
    login(client, setup.experts[0].user)
    response = client.get(score_url(setup, offer))
    assert response.status_code == 200
    assert offer.title in response.text
    assert response.context["form"] is None
    client.post(score_url(setup, offer), score_post(setup.call, "submit"))
    assert not ScoreSheet.objects.exists()


def test_member_downloads_the_offer_pdf(client):
    setup = working(1)
    offer = setup.offers[0]
    login(client, setup.voters[0].user)
    response = client.get(url("commission_offer_pdf", setup.commission.pk, offer.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# The ranking, closing and the minutes.


def test_ranking_is_refused_to_members_and_officials_before_closing(client):
    setup = working(1)
    submit(setup.voters[0], setup.offers[0])
    for user in [setup.voters[0].user, setup.chair.user, setup.official]:
        login(client, user)
        assert client.get(url("ranking", setup.commission.pk)).status_code == 403


def test_chair_sees_the_ranking_once_done_with_every_offer(client):
    setup = working(1)
    submit(setup.chair, setup.offers[0], Decimal("9"))
    login(client, setup.chair.user)
    response = client.get(url("ranking", setup.commission.pk))
    assert response.status_code == 200
    assert "54" in response.text


def test_ranking_page_makes_the_same_number_of_queries_for_2_and_10_offers(client):
    counts = []
    for size in (2, 10):
        setup = working(size, voters=1)
        for offer in setup.offers:
            submit(setup.chair, offer)
        login(client, setup.chair.user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("ranking", setup.commission.pk))
        assert response.status_code == 200
        assert len(response.context["rows"]) == size
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_close_is_refused_with_unscored_offers_listed(client):
    setup = working(2)
    submit(setup.chair, setup.offers[0])
    login(client, setup.chair.user)
    response = client.post(url("close", setup.commission.pk))
    assert response.status_code == 200
    assert str(setup.voters[0].user) in response.text
    assert setup.offers[1].number in response.text
    setup.commission.refresh_from_db()
    assert setup.commission.status == Commission.Status.WORKING


def test_close_is_not_for_other_members(client):
    setup = working(1)
    finish(setup)
    login(client, setup.voters[0].user)
    assert client.post(url("close", setup.commission.pk)).status_code == 404
    setup.commission.refresh_from_db()
    assert setup.commission.status == Commission.Status.WORKING


def test_closing_makes_the_minutes_for_members_and_the_department_only(client, outsider):
    setup = working(1)
    finish(setup)
    login(client, setup.chair.user)
    response = client.post(url("close", setup.commission.pk))
    assert response["Location"] == url("ranking", setup.commission.pk)
    minutes = url("minutes", setup.commission.pk)
    for user in [setup.voters[0].user, setup.official]:
        login(client, user)
        response = client.get(minutes)
        assert response.status_code == 200
        text = " ".join(
            page.extract_text()
            for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
        )
        assert setup.offers[0].number in text
        assert client.get(url("ranking", setup.commission.pk)).status_code == 200
    login(client, outsider)
    assert client.get(minutes).status_code == 404
    login(client, official_of(DepartmentFactory()))
    assert client.get(minutes).status_code == 404


def test_points_are_typed_with_a_decimal_comma_in_polish(client, settings):
    setup = working(1)
    offer = setup.offers[0]
    member = setup.voters[0]
    login(client, member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    response = client.post(
        score_url(setup, offer),
        score_post(setup.call, "draft", "7,5"),
    )
    assert response.status_code == 302
    assert {s.points for s in ScoreSheet.objects.get(member=member).scores.all()} == {
        Decimal("7.5")
    }


def test_member_home_makes_the_same_number_of_queries_for_2_and_10_offers(client):
    counts = []
    for size in (2, 10):
        setup = working(size, voters=1)
        submit(setup.voters[0], setup.offers[0])
        login(client, setup.voters[0].user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("commission", setup.commission.pk))
        assert len(response.context["rows"]) == size
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_setup_page_makes_the_same_number_of_queries_for_2_and_10_members(client):
    counts = []
    for size in (1, 9):
        setup = appointed(1, voters=size)
        login(client, setup.official)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("commission_setup", setup.call.pk))
        assert len(response.context["members"]) == size + 1
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_my_commissions_makes_the_same_number_of_queries_for_2_and_10_seats(client):
    counts = []
    for size in (2, 10):
        user = person()
        for _ in range(size):
            setup = appointed(1, voters=1)
            service.add_member(setup.commission, user, Role.EXPERT, setup.official)
        login(client, user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("my_commissions"))
        assert len(response.context["page"]) == size
        counts.append(len(captured))
    assert counts[0] == counts[1]
