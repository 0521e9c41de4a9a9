"""A formal correction on the offers' side: the copy (`services.copy_offer`), only the
listed steps open to change (a save, a row added or removed elsewhere is refused and
changes nothing), the pages that show the other steps read-only, and the server that
accepts the correction until its own due time, to the second, and tells of a late
attempt after the refusal's rollback."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from conftest import login
from wspolpraca.competitions.models import Call
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core.models import AuditEntry
from wspolpraca.offers import drafts, services
from wspolpraca.offers.models import Offer
from wspolpraca.offers.tests.factories import complete_offer
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    # English for the pages (the cookie) and for the services called directly (the
    # thread's language, which otherwise is whatever an earlier test left active).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def admin(call):
    return MembershipFactory(role="admin").user


@pytest.fixture
def submitted(call, admin):
    organization = admin.memberships.get().organization
    offer = complete_offer(call, organization=organization)
    offer = services.submit_offer(offer, by=admin)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    return Offer.objects.select_related("call").get(pk=offer.pk)


@pytest.fixture
def due():
    return timezone.now() + dt.timedelta(days=7)


@pytest.fixture
def copy(submitted, admin, due):
    """The formal correction of the costs, due in a week."""
    return services.copy_offer(submitted, admin, editable_steps=["costs"], correction_due=due)


def test_the_copy_holds_the_offers_content_and_rows_with_the_open_steps(copy, submitted, due):
    assert copy.status == Offer.Status.DRAFT
    assert copy.replaces_id == submitted.pk
    assert copy.title == submitted.title
    assert copy.editable_steps == ["costs"]
    assert copy.correction_due == due
    assert copy.cost_lines.count() == submitted.cost_lines.count()
    assert copy.actions.count() == submitted.actions.count()
    assert copy.results.count() == submitted.results.count()
    assert {line.action.name for line in copy.cost_lines.exclude(action=None)} == {
        action.name for action in copy.actions.all()
    }
    entry = AuditEntry.objects.get(action="offer.correction_started")
    assert entry.changes["editable_steps"] == [None, ["costs"]]


def test_copying_again_returns_the_same_copy(copy, submitted, admin, due):
    again = services.copy_offer(submitted, admin, editable_steps=["costs"], correction_due=due)
    assert again.pk == copy.pk


def test_a_correction_draft_left_from_before_the_deadline_becomes_the_formal_one(call, admin, due):
    organization = admin.memberships.get().organization
    offer = services.submit_offer(complete_offer(call, organization=organization), by=admin)
    stale = services.correct_offer(offer, by=admin)
    drafts.save_step(stale, "task", {"title": "Zmieniony tytuł"}, 0, admin)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    copy = services.copy_offer(offer, admin, editable_steps=["task"], correction_due=due)
    assert copy.pk == stale.pk
    assert copy.title == offer.title
    assert copy.editable_steps == ["task"]
    assert copy.cost_lines.count() == offer.cost_lines.count()


def test_the_ordinary_correction_before_the_deadline_still_works(call, admin):
    organization = admin.memberships.get().organization
    offer = services.submit_offer(complete_offer(call, organization=organization), by=admin)
    copy = services.correct_offer(offer, by=admin)
    assert copy.editable_steps is None and copy.correction_due is None
    assert services.correct_offer(offer, by=admin).pk == copy.pk


# Only the listed steps change.


def test_a_save_in_a_step_not_open_to_correction_is_refused_and_nothing_changes(copy, admin):
    with pytest.raises(drafts.StepLocked, match="not open to this correction"):
        drafts.save_step(copy, "task", {"title": "Inny tytuł"}, 0, admin)
    stored = Offer.objects.get(pk=copy.pk)
    assert stored.title == "Warsztaty dla seniorów"
    assert stored.step_revisions == {}


def test_a_save_in_an_open_step_is_accepted(copy, admin):
    drafts.save_step(copy, "costs", {"own_personal": 600}, 0, admin)
    assert Offer.objects.get(pk=copy.pk).own_personal == 600


def test_rows_of_a_step_not_open_are_neither_added_nor_removed(copy, admin):
    action = copy.actions.get()
    with pytest.raises(drafts.StepLocked):
        drafts.add_row(copy, "task", "actions", admin)
    with pytest.raises(drafts.StepLocked):
        drafts.remove_row(copy, "task", "results", copy.results.get().pk, admin)
    assert copy.actions.get() == action
    assert copy.results.count() == 1


def test_rows_of_an_open_step_are_added(copy, admin):
    row, _revision = drafts.add_row(copy, "costs", "cost_lines", admin)
    assert row.offer_id == copy.pk


def test_the_locked_step_page_is_read_only_with_a_notice(client, copy, admin):
    login(client, admin)
    response = client.get(reverse("offers:step", args=[copy.pk, "zadanie"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "read only" in page
    assert "not open to the correction" in page
    assert 'id="step-form"' not in page
    assert "Warsztaty dla seniorów" in page


def test_a_post_to_the_locked_step_is_refused_and_changes_nothing(client, copy, admin):
    login(client, admin)
    url = reverse("offers:step", args=[copy.pk, "zadanie"])
    response = client.post(url, {"revision": 0, "title": "Inny tytuł"})
    assert response.status_code == 403
    assert "not open to this correction" in response.content.decode()
    assert Offer.objects.get(pk=copy.pk).title == "Warsztaty dla seniorów"


def test_an_autosave_of_the_locked_step_is_refused(client, copy, admin):
    login(client, admin)
    url = reverse("offers:autosave", args=[copy.pk, "zadanie"])
    response = client.post(url, {"revision": 0, "title": "Inny tytuł"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert Offer.objects.get(pk=copy.pk).title == "Warsztaty dla seniorów"


def test_the_open_step_is_the_usual_form_with_the_correction_notice(client, copy, admin):
    login(client, admin)
    response = client.get(reverse("offers:step", args=[copy.pk, "koszty"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="step-form"' in page
    assert 'id="correction-notice"' in page


def test_check_your_answers_offers_change_links_only_for_open_steps(client, copy, admin):
    login(client, admin)
    response = client.get(reverse("offers:check", args=[copy.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("offers:step", args=[copy.pk, "koszty"]) + "#id_cost_lines" in page
    assert reverse("offers:step", args=[copy.pk, "zadanie"]) + "#id_title" not in page
    # The call's deadline has passed, but the correction's own due time has not.
    assert "deadline for offers in this call passed" not in page
    assert response.context["problems"] == []


# The correction's own deadline.


def test_the_correction_is_accepted_at_its_due_second(copy, admin, due, submitted):
    with time_machine.travel(due, tick=False):
        corrected = services.submit_offer(copy, by=admin)
    assert corrected.status == Offer.Status.SUBMITTED
    assert Offer.objects.get(pk=submitted.pk).status == Offer.Status.REPLACED


def test_a_submit_one_second_after_due_is_refused_and_told_after_the_rollback(
    copy, admin, due, submitted
):
    heard = []

    def receiver(sender, offer, by, at, **kwargs):
        # The refused transaction is rolled back by now: the copy is still a draft.
        heard.append((offer.pk, by, at, Offer.objects.get(pk=offer.pk).status))

    services.correction_refused_late.connect(receiver)
    try:
        with time_machine.travel(due + dt.timedelta(seconds=1), tick=False):
            with pytest.raises(services.LateCorrection):
                services.submit_offer(copy, by=admin)
    finally:
        services.correction_refused_late.disconnect(receiver)
    assert heard == [(copy.pk, admin, due + dt.timedelta(seconds=1), Offer.Status.DRAFT)]
    assert Offer.objects.get(pk=copy.pk).status == Offer.Status.DRAFT
    assert Offer.objects.get(pk=submitted.pk).status == Offer.Status.SUBMITTED


def test_after_due_the_check_page_says_the_correction_came_too_late(client, copy, admin, due):
    login(client, admin)
    with time_machine.travel(due + dt.timedelta(seconds=1), tick=False):
        response = client.get(reverse("offers:check", args=[copy.pk]))
    assert "can no longer be submitted" in response.content.decode()


def test_an_offer_without_a_correction_due_keeps_the_calls_deadline(call, admin):
    organization = admin.memberships.get().organization
    offer = complete_offer(call, organization=organization)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.OfferError, match="deadline"):
        services.submit_offer(offer, by=admin)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DRAFT
