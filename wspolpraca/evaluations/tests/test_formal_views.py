"""The formal check's pages through HTTP: the officials' start page, a call's overview
(with constant queries), the checklist, the check of an offer, asking for a correction
(form, then check your answers), the rejection; the applicant's correction page and the
offer's receipt; and who is refused."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.competitions.models import Call
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.evaluations import formal
from wspolpraca.evaluations.models import CorrectionRequest, FormalCheck, FormalRequirement
from wspolpraca.evaluations.tests.factories import (
    call_in_evaluation,
    close_call,
    official_of,
    submitted_offer,
)
from wspolpraca.offers.models import Offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def evaluation():
    return call_in_evaluation(offers=2)


@pytest.fixture
def call(evaluation):
    return evaluation[0]


@pytest.fixture
def offer(evaluation):
    return evaluation[1][0]


@pytest.fixture
def official(call):
    return official_of(call.department)


@pytest.fixture
def stranger_official():
    return official_of(CallFactory().department)


@pytest.fixture
def admin(offer):
    return offer.organization.memberships.get(role=Membership.Role.ADMIN).user


@pytest.fixture
def member(offer):
    return MembershipFactory(organization=offer.organization, role="member").user


def all_met(call):
    return {r.pk: (True, "") for r in formal.ensure_checklist(call)}


def costs_requirement(call):
    return next(r for r in formal.ensure_checklist(call) if r.step == "costs")


def one_unmet(call):
    answers = all_met(call)
    answers[costs_requirement(call).pk] = (False, "Wkład własny poniżej 10%.")
    return answers


@pytest.fixture
def asked(offer, official, call):
    check = formal.check_offer(offer, one_unmet(call), official)
    return formal.request_correction(
        check, ["costs"], "Popraw wkład własny.", timezone.now() + dt.timedelta(days=7), official
    )


def checklist_post(call, **overrides):
    data = {}
    for requirement in formal.ensure_checklist(call):
        data[f"met_{requirement.pk}"] = "yes"
        data[f"note_{requirement.pk}"] = ""
    data.update(overrides)
    return data


def check_url(offer):
    return reverse("evaluations:formal_check", args=[offer.pk])


# The start page.


def test_the_start_page_lists_the_departments_calls_in_evaluation(client, call, official):
    other_call, _offers = call_in_evaluation(offers=1)
    login(client, official)
    response = client.get(reverse("evaluations:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert call.title in page
    assert reverse("evaluations:call", args=[call.pk]) in page
    assert other_call.title not in page


def test_the_start_page_refuses_a_signed_in_person_who_is_not_an_official(client, admin):
    login(client, admin)
    assert client.get(reverse("evaluations:index")).status_code == 403


def test_the_start_page_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("evaluations:index"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# A call's overview.


def test_the_overview_lists_every_current_offer_with_its_formal_status(
    client, call, evaluation, official, asked
):
    login(client, official)
    response = client.get(reverse("evaluations:call", args=[call.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for offer in evaluation[1]:
        assert offer.number in page
        assert offer.organization.name in page
        assert check_url(offer) in page
    assert "correction requested" in page.lower()
    assert "due by" in page
    assert reverse("evaluations:checklist", args=[call.pk]) in page


def test_the_overview_is_404_for_an_official_of_another_department(client, call, stranger_official):
    login(client, stranger_official)
    assert client.get(reverse("evaluations:call", args=[call.pk])).status_code == 404


def test_the_overview_is_404_for_the_applicant(client, call, admin):
    login(client, admin)
    assert client.get(reverse("evaluations:call", args=[call.pk])).status_code == 404


def test_the_overviews_queries_do_not_grow_with_the_offers(client, django_assert_max_num_queries):
    call = CallFactory()
    official = official_of(call.department)
    offers = [submitted_offer(call) for _ in range(2)]
    close_call(call)
    check = formal.check_offer(offers[0], one_unmet(call), official)
    formal.request_correction(
        check, ["costs"], "Popraw.", timezone.now() + dt.timedelta(days=3), official
    )
    login(client, official)
    url = reverse("evaluations:call", args=[call.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() + dt.timedelta(days=1))
    more = [submitted_offer(call) for _ in range(8)]
    close_call(call)
    formal.check_offer(more[0], all_met(call), official)
    check = formal.check_offer(more[1], one_unmet(call), official)
    formal.request_correction(
        check, ["costs"], "Popraw.", timezone.now() + dt.timedelta(days=3), official
    )
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 10


def test_the_start_pages_queries_do_not_grow_with_the_calls(
    client, call, official, django_assert_max_num_queries
):
    login(client, official)
    url = reverse("evaluations:index")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        more = CallFactory(department=call.department)
        submitted_offer(more)
        close_call(more)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 6


# The checklist.


def test_the_checklist_page_shows_the_defaults_and_adds_a_requirement(client, call, official):
    login(client, official)
    url = reverse("evaluations:checklist", args=[call.pk])
    response = client.get(url)
    assert response.status_code == 200
    count = FormalRequirement.objects.filter(call=call).count()
    assert count == len(formal.default_requirements(call))
    response = client.post(url, {"text": "Oferta ma załącznik X", "step": "other"})
    assert response.status_code == 302
    assert FormalRequirement.objects.filter(call=call).count() == count + 1


def test_an_empty_requirement_is_refused_next_to_its_field(client, call, official):
    login(client, official)
    response = client.post(reverse("evaluations:checklist", args=[call.pk]), {"text": ""})
    assert response.status_code == 200
    assert 'id="id_text_error"' in response.content.decode()


def test_a_requirement_is_changed_and_removed_on_pages_of_their_own(client, call, official):
    login(client, official)
    requirement = formal.ensure_checklist(call)[0]
    edit = reverse("evaluations:checklist_edit", args=[call.pk, requirement.pk])
    assert requirement.text in client.get(edit).content.decode()
    assert client.post(edit, {"text": "Nowe brzmienie", "step": "basic"}).status_code == 302
    assert FormalRequirement.objects.get(pk=requirement.pk).text == "Nowe brzmienie"
    remove = reverse("evaluations:checklist_remove", args=[call.pk, requirement.pk])
    assert "Remove the requirement" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not FormalRequirement.objects.filter(pk=requirement.pk).exists()


def test_the_checklist_is_locked_once_an_offer_is_checked(client, call, offer, official):
    formal.check_offer(offer, all_met(call), official)
    login(client, official)
    url = reverse("evaluations:checklist", args=[call.pk])
    count = FormalRequirement.objects.filter(call=call).count()
    response = client.post(url, {"text": "Spóźniony wymóg", "step": ""})
    assert response.status_code == 403
    assert FormalRequirement.objects.filter(call=call).count() == count


def test_the_checklist_is_404_for_an_official_of_another_department(
    client, call, stranger_official
):
    login(client, stranger_official)
    url = reverse("evaluations:checklist", args=[call.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Obcy wymóg"}).status_code == 404
    assert not FormalRequirement.objects.filter(text="Obcy wymóg").exists()


# The check of an offer.


def test_the_check_page_shows_the_offer_its_pdf_and_the_checklist(client, offer, official):
    login(client, official)
    response = client.get(check_url(offer))
    page = response.content.decode()
    assert response.status_code == 200
    assert offer.number in page
    assert reverse("offers:pdf", args=[offer.pk]) in page
    for requirement in formal.ensure_checklist(offer.call):
        assert f'name="met_{requirement.pk}"' in page


def test_an_offer_meeting_every_requirement_passes_on_the_page(client, call, offer, official):
    login(client, official)
    response = client.post(check_url(offer), checklist_post(call))
    assert response.status_code == 302
    assert FormalCheck.objects.get(offer=offer).status == FormalCheck.Status.PASSED


def test_a_requirement_not_met_without_a_note_is_shown_next_to_the_note(
    client, call, offer, official
):
    login(client, official)
    requirement = costs_requirement(call)
    response = client.post(
        check_url(offer), checklist_post(call, **{f"met_{requirement.pk}": "no"})
    )
    assert response.status_code == 200
    assert f'id="id_note_{requirement.pk}_error"' in response.content.decode()
    assert not FormalCheck.objects.filter(offer=offer).exists()


def test_an_unmet_requirement_offers_the_correction_and_the_rejection(
    client, call, offer, official
):
    login(client, official)
    requirement = costs_requirement(call)
    data = checklist_post(
        call, **{f"met_{requirement.pk}": "no", f"note_{requirement.pk}": "Brak wkładu."}
    )
    client.post(check_url(offer), data)
    page = client.get(check_url(offer)).content.decode()
    assert reverse("evaluations:formal_correction", args=[offer.pk]) in page
    assert reverse("evaluations:formal_reject", args=[offer.pk]) in page


def test_the_check_page_is_404_for_an_official_of_another_department(
    client, call, offer, stranger_official
):
    login(client, stranger_official)
    assert client.get(check_url(offer)).status_code == 404
    assert client.post(check_url(offer), checklist_post(call)).status_code == 404
    assert not FormalCheck.objects.exists()


def test_the_check_page_is_404_for_the_applicant(client, call, offer, admin):
    login(client, admin)
    assert client.post(check_url(offer), checklist_post(call)).status_code == 404
    assert not FormalCheck.objects.exists()


def test_a_check_on_a_call_still_open_is_refused_on_the_page(client):
    call = CallFactory()
    offer = submitted_offer(call)
    official = official_of(call.department)
    login(client, official)
    page = client.get(check_url(offer)).content.decode()
    assert "starts after the deadline" in page
    response = client.post(check_url(offer), checklist_post(call))
    assert response.status_code == 403
    assert not FormalCheck.objects.exists()


def test_a_replaced_offers_check_page_leads_to_the_corrected_version(
    client, asked, offer, admin, official
):
    from wspolpraca.offers.services import submit_offer

    corrected = submit_offer(formal.start_correction(asked, admin), by=admin)
    login(client, official)
    response = client.get(check_url(offer))
    assert response.status_code == 302
    assert response["Location"] == check_url(corrected)


# Asking for a correction.


def test_asking_for_a_correction_goes_through_check_your_answers(
    client, call, offer, official, admin, mailoutbox, django_capture_on_commit_callbacks
):
    formal.check_offer(offer, one_unmet(call), official)
    login(client, official)
    form_url = reverse("evaluations:formal_correction", args=[offer.pk])
    form = client.get(form_url).context["form"]
    assert form.initial["steps"] == ["costs"]  # preselected from what is not met
    assert "Wkład własny poniżej 10%." in form.initial["message"]
    due_day = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        form_url,
        {"steps": ["costs", "task"], "message": "Popraw budżet.", "due_date": due_day.isoformat()},
    )
    confirm_url = reverse("evaluations:formal_correction_confirm", args=[offer.pk])
    assert response["Location"] == confirm_url
    assert not CorrectionRequest.objects.exists()
    page = client.get(confirm_url).content.decode()
    assert "Popraw budżet." in page and "23:59:59" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url)
    assert response.status_code == 302
    correction_request = CorrectionRequest.objects.get()
    assert correction_request.steps == ["task", "costs"]
    assert timezone.localtime(correction_request.due).date() == due_day
    assert any(admin.email in m.to and "Popraw budżet." in m.body for m in mailoutbox)


def test_a_due_date_that_is_not_after_today_is_refused_next_to_it(client, call, offer, official):
    formal.check_offer(offer, one_unmet(call), official)
    login(client, official)
    response = client.post(
        reverse("evaluations:formal_correction", args=[offer.pk]),
        {"steps": ["costs"], "message": "Popraw.", "due_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert 'id="id_due_date_error"' in response.content.decode()


def test_a_correction_cannot_be_asked_for_an_offer_that_passed(client, call, offer, official):
    formal.check_offer(offer, all_met(call), official)
    login(client, official)
    response = client.post(
        reverse("evaluations:formal_correction", args=[offer.pk]),
        {"steps": ["costs"], "message": "Popraw.", "due_date": "2099-01-01"},
    )
    assert response.status_code == 403
    assert not CorrectionRequest.objects.exists()


# Rejection.


def test_the_rejection_is_confirmed_with_the_reason(
    client, call, offer, official, admin, mailoutbox, django_capture_on_commit_callbacks
):
    formal.check_offer(offer, one_unmet(call), official)
    login(client, official)
    url = reverse("evaluations:formal_reject", args=[offer.pk])
    assert "Reject the offer" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert 'id="id_reason_error"' in response.content.decode()
    assert FormalCheck.objects.get(offer=offer).status == FormalCheck.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Brak wymaganego wkładu."})
    assert response.status_code == 302
    assert FormalCheck.objects.get(offer=offer).status == FormalCheck.Status.FAILED
    assert any(admin.email in m.to and "Brak wymaganego wkładu." in m.body for m in mailoutbox)


# The applicant's side.


def correction_url(correction_request):
    return reverse("evaluations:correction", args=[correction_request.pk])


def start_url(correction_request):
    return reverse("evaluations:correction_start", args=[correction_request.pk])


def test_the_admin_sees_the_request_and_starts_the_correction(client, asked, offer, admin):
    login(client, admin)
    page = client.get(correction_url(asked)).content.decode()
    assert "Popraw wkład własny." in page
    assert "Costs and sources of financing" in page
    assert start_url(asked) in page
    response = client.post(start_url(asked))
    copy = Offer.objects.get(replaces=offer)
    assert response["Location"] == reverse("offers:step", args=[copy.pk, "koszty"])
    assert copy.editable_steps == ["costs"]
    assert (
        reverse("offers:step", args=[copy.pk, "koszty"])
        in client.get(correction_url(asked)).content.decode()
    )


def test_a_member_sees_the_request_read_only_and_cannot_start_it(client, asked, offer, member):
    login(client, member)
    response = client.get(correction_url(asked))
    assert response.status_code == 200
    assert start_url(asked) not in response.content.decode()
    assert client.post(start_url(asked)).status_code == 403
    assert not Offer.objects.filter(replaces=offer).exists()


def test_another_organizations_admin_gets_404_for_the_correction(client, asked, offer):
    stranger = MembershipFactory(role="admin").user
    login(client, stranger)
    assert client.get(correction_url(asked)).status_code == 404
    assert client.post(start_url(asked)).status_code == 404
    assert not Offer.objects.filter(replaces=offer).exists()


def test_a_person_outside_gets_404_for_the_correction(client, asked):
    login(client, UserFactory())
    assert client.get(correction_url(asked)).status_code == 404


def test_a_request_past_due_shows_as_missed_before_the_job_runs(client, asked, admin):
    CorrectionRequest.objects.filter(pk=asked.pk).update(
        due=timezone.now() - dt.timedelta(minutes=1)
    )
    login(client, admin)
    page = client.get(correction_url(asked)).content.decode()
    assert "not corrected by the deadline" in page.lower()
    assert start_url(asked) not in page


# The receipt.


def receipt(client, offer):
    return client.get(reverse("offers:receipt", args=[offer.pk])).content.decode()


def test_the_receipt_shows_a_passed_check(client, call, offer, official, admin):
    formal.check_offer(offer, all_met(call), official)
    login(client, admin)
    assert "meets the formal requirements" in receipt(client, offer)


def test_the_receipt_links_to_the_correction_requested(client, asked, offer, admin):
    login(client, admin)
    assert correction_url(asked) in receipt(client, offer)


def test_the_receipt_shows_the_rejection_with_its_reason(client, call, offer, official, admin):
    check = formal.check_offer(offer, one_unmet(call), official)
    formal.reject_on_form(check, "Brak wymaganego wkładu.", official)
    login(client, admin)
    page = receipt(client, offer)
    assert "rejected on formal grounds" in page
    assert "Brak wymaganego wkładu." in page


def test_the_receipt_of_an_unchecked_offer_says_nothing_of_a_check(client, offer, admin):
    login(client, admin)
    assert 'id="formal-check"' not in receipt(client, offer)
