"""The draft offer's pages through HTTP: the steps saved with their button and as they are
typed (autosave), the conflict page, rows added and removed, check your answers, starting
an offer, the list; who is refused; hostile input shown as text; query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.offers import drafts
from wspolpraca.offers.forms import StepForms
from wspolpraca.offers.models import Action, CostLine, Offer
from wspolpraca.offers.tests.factories import (
    ActionFactory,
    CostLineFactory,
    OfferFactory,
    PartnerFactory,
    ResultFactory,
    SmallGrantOfferFactory,
    complete_offer,
    complete_small_grant_offer,
)
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def english(client, settings):
    """The pages in English, so assertions read the msgids whatever the catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def offer():
    return complete_offer()


@pytest.fixture
def admin(offer):
    return MembershipFactory(organization=offer.organization, role="admin").user


@pytest.fixture
def member(offer):
    return MembershipFactory(organization=offer.organization, role="member").user


@pytest.fixture
def stranger():
    """An admin of another organization."""
    return MembershipFactory(role="admin").user


def step_url(offer, slug):
    return reverse("offers:step", args=[offer.pk, slug])


def autosave_url(offer, slug):
    return reverse("offers:autosave", args=[offer.pk, slug])


def posted(offer, slug, **changes):
    """What the step's form posts as it stands, with `changes`."""
    step = drafts.step_by_slug(offer, slug)
    bundle = StepForms(Offer.objects.get(pk=offer.pk), step)
    data = {"revision": drafts.revision_of(Offer.objects.get(pk=offer.pk), step.key)}
    for name, field in bundle.form.fields.items():
        value = bundle.form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = field.widget.format_value(value) or ""
    for formset in bundle.formsets.values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form[name].value()
                data[form.add_prefix(name)] = (
                    "" if value is None else field.widget.format_value(value) or ""
                )
    data.update(changes)
    return data


def slot(html, field_id):
    """The text of a field's message area (`<id>_check`)."""
    match = re.search(rf'<p class="error-message" id="{field_id}_check"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no message area for {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").strip()


# Who may do what.


def editing_urls(offer):
    action = ActionFactory(offer=offer) if offer.kind == "competition" else None
    urls = [step_url(offer, step.slug) for step in drafts.steps_for(offer)]
    urls += [autosave_url(offer, step.slug) for step in drafts.steps_for(offer)]
    urls.append(reverse("offers:check", args=[offer.pk]))
    if action:
        urls.append(reverse("offers:remove_row", args=[offer.pk, "zadanie", "actions", action.pk]))
    return urls


def test_another_organizations_admin_gets_404_on_every_step_and_autosave(client, offer, stranger):
    login(client, stranger)
    for url in editing_urls(offer):
        method = client.post if "autozapis" in url else client.get
        assert method(url, {"revision": 0}).status_code == 404, url


def test_another_organizations_post_changes_nothing(client, offer, stranger):
    login(client, stranger)
    response = client.post(step_url(offer, "zadanie"), posted(offer, "zadanie", title="Przejęte"))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.title == "Warsztaty dla seniorów"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, offer):
    response = client.get(step_url(offer, "zadanie"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_signed_out_autosave_asks_to_sign_in_again_and_saves_nothing(client, offer):
    response = client.post(autosave_url(offer, "zadanie"), posted(offer, "zadanie", title="X"))
    assert response.status_code == 401
    html = response.content.decode()
    assert 'data-autosave-state="signed_out"' in html
    assert f"{reverse('account_login')}?next={step_url(offer, 'zadanie')}" in html
    offer.refresh_from_db()
    assert offer.title == "Warsztaty dla seniorów"


def test_a_plain_member_edits_a_step(client, offer, member):
    login(client, member)
    response = client.post(step_url(offer, "zadanie"), posted(offer, "zadanie", title="Nowy"))
    assert response.status_code == 302
    assert response["Location"] == step_url(offer, "zasoby")
    offer.refresh_from_db()
    assert (offer.title, offer.updated_by) == ("Nowy", member)


@pytest.mark.parametrize("status", [Offer.Status.SUBMITTED, Offer.Status.WITHDRAWN])
def test_nobody_edits_an_offer_that_is_no_longer_a_draft(client, offer, admin, status):
    data = posted(offer, "zadanie", title="Zmienione")
    Offer.objects.filter(pk=offer.pk).update(status=status)
    login(client, admin)
    for url in editing_urls(offer):
        response = client.post(url, data) if "autozapis" in url else client.get(url)
        assert response.status_code == 403, url
    assert client.post(step_url(offer, "zadanie"), data).status_code == 403
    offer.refresh_from_db()
    assert offer.title == "Warsztaty dla seniorów"


def test_the_refusal_of_a_submitted_offer_says_it_can_no_longer_be_changed(client, offer, admin):
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.SUBMITTED)
    login(client, admin)
    response = client.get(step_url(offer, "zadanie"))
    assert "This offer can no longer be changed" in response.content.decode()


def test_an_unknown_step_is_404(client, offer, admin):
    login(client, admin)
    assert client.get(step_url(offer, "nieznany")).status_code == 404


def test_a_small_grant_has_no_resources_step(client, admin):
    offer = complete_small_grant_offer()
    MembershipFactory(organization=offer.organization, user=admin)
    login(client, admin)
    assert client.get(step_url(offer, "zasoby")).status_code == 404


# Saving with the button.


def test_an_unreadable_date_is_shown_next_to_its_field_and_the_rest_is_saved(client, offer, admin):
    login(client, admin)
    data = posted(offer, "zadanie", title="Nowy tytuł", starts="32.13.2027")
    response = client.post(step_url(offer, "zadanie"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert slot(html, "id_starts") == "Enter a date, such as 15.03.2027."
    assert 'href="#id_starts"' in html and 'value="32.13.2027"' in html
    offer.refresh_from_db()
    assert offer.title == "Nowy tytuł" and offer.starts is not None


def test_amounts_are_read_as_people_type_them(client, offer, admin):
    login(client, admin)
    client.post(step_url(offer, "koszty"), posted(offer, "koszty", own_in_kind="1 234,5 zł"))
    offer.refresh_from_db()
    assert offer.own_in_kind == Decimal("1234.50")


def test_the_last_step_leads_to_check_your_answers(client, offer, admin):
    login(client, admin)
    response = client.post(step_url(offer, "oswiadczenia"), posted(offer, "oswiadczenia"))
    assert response["Location"] == reverse("offers:check", args=[offer.pk])


def test_a_button_save_from_an_old_page_shows_both_versions_and_keeps_what_was_typed(
    client, offer, admin, member
):
    old_page = posted(offer, "zadanie", title="Wersja Piotra")
    login(client, admin)
    client.post(step_url(offer, "zadanie"), posted(offer, "zadanie", title="Wersja Anny"))
    login(client, member)
    response = client.post(step_url(offer, "zadanie"), old_page)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this section" in html
    assert "Wersja Anny" in html and 'value="Wersja Piotra"' in html
    assert 'name="revision" id="step-revision" value="1"' in html
    assert "hx-post" not in html.split('id="step-form"')[1].split(">")[0]
    offer.refresh_from_db()
    assert offer.title == "Wersja Anny"


def test_keeping_ones_version_after_a_conflict_saves_it(client, offer, admin, member):
    old_page = posted(offer, "zadanie", title="Wersja Piotra")
    login(client, admin)
    client.post(step_url(offer, "zadanie"), posted(offer, "zadanie", title="Wersja Anny"))
    login(client, member)
    client.post(step_url(offer, "zadanie"), old_page)
    client.post(step_url(offer, "zadanie"), {**old_page, "revision": 1, "stay": "1"})
    offer.refresh_from_db()
    assert (offer.title, offer.updated_by) == ("Wersja Piotra", member)


# Autosave.


def test_autosave_saves_and_answers_with_the_time_and_the_new_revision(client, offer, admin):
    login(client, admin)
    moment = timezone.make_aware(dt.datetime(2026, 12, 10, 14, 2, 31))
    with time_machine.travel(moment, tick=False):
        response = client.post(
            autosave_url(offer, "zadanie"), posted(offer, "zadanie", summary="Nowy opis")
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved at 14:02:31." in html
    assert 'id="step-revision" value="1" hx-swap-oob="true"' in html
    offer.refresh_from_db()
    assert offer.summary == "Nowy opis"


def test_autosave_never_sends_back_the_inputs_being_typed_in(client, offer, admin):
    login(client, admin)
    html = client.post(
        autosave_url(offer, "koszty"), posted(offer, "koszty", requested_grant="9000")
    ).content.decode()
    assert not re.search(r'<(input|textarea|select)[^>]+name="(?!revision)', html)


def test_the_live_check_shows_a_grant_above_the_calls_largest_next_to_the_field(
    client, offer, admin
):
    login(client, admin)
    data = posted(offer, "koszty", requested_grant="20000,01")
    html = client.post(autosave_url(offer, "koszty"), data).content.decode()
    assert (
        "The requested grant of 20,000.01\xa0zł is more than the largest grant in the call: "
        in (slot(html, "id_requested_grant"))
    )
    assert 'id="id_requested_grant_check" hx-swap-oob="true"' in html
    assert 'id="budget-summary" aria-labelledby="budget-title" hx-swap-oob="true"' in html


def test_the_costs_page_shows_the_live_checks_of_what_is_saved(client, offer, admin):
    offer.requested_grant = Decimal("20000.01")
    offer.save()
    login(client, admin)
    html = client.get(step_url(offer, "koszty")).content.decode()
    assert "more than the largest grant in the call" in slot(html, "id_requested_grant")


def test_an_unreadable_amount_in_autosave_is_named_next_to_it_and_not_saved(client, offer, admin):
    login(client, admin)
    data = posted(offer, "koszty", own_in_kind="dużo", other_public_funds="100")
    html = client.post(autosave_url(offer, "koszty"), data).content.decode()
    assert slot(html, "id_own_in_kind") == "Enter an amount in złoty, such as 1234,50."
    assert "One answer could not be read" in html
    offer.refresh_from_db()
    assert (offer.own_in_kind, offer.other_public_funds) == (Decimal("0"), Decimal("100"))


def test_a_second_tabs_autosave_from_an_older_revision_shows_the_conflict(client, offer, admin):
    login(client, admin)
    second_tab = posted(offer, "zadanie", title="Z drugiej karty")
    client.post(autosave_url(offer, "zadanie"), posted(offer, "zadanie", title="Z pierwszej"))
    response = client.post(autosave_url(offer, "zadanie"), second_tab)
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-autosave-state="conflict"' in html and "Compare the two versions" in html
    offer.refresh_from_db()
    assert offer.title == "Z pierwszej"


def test_autosave_adds_a_row_after_the_others_without_resending_them(client, offer, admin):
    login(client, admin)
    data = posted(offer, "zadanie", add="actions")
    html = client.post(
        autosave_url(offer, "zadanie"), data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="add"
    ).content.decode()
    new = Action.objects.filter(offer=offer).order_by("-order").first()
    assert Action.objects.filter(offer=offer).count() == 2
    assert 'hx-swap-oob="beforeend:#actions-rows"' in html
    assert f'id="row-actions-{new.pk}" data-new-row' in html
    assert f'name="actions-1-id" value="{new.pk}"' in html
    assert 'id="id_actions-TOTAL_FORMS" value="2" hx-swap-oob="true"' in html


def test_the_forms_own_autosave_never_adds_a_row_even_with_the_add_buttons_name(
    client, offer, admin
):
    login(client, admin)
    client.post(
        autosave_url(offer, "zadanie"),
        posted(offer, "zadanie", add="actions"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER="step-form",
    )
    assert Action.objects.filter(offer=offer).count() == 1


# Rows without JavaScript.


def test_the_add_button_saves_the_page_and_adds_an_empty_row(client, offer, admin):
    login(client, admin)
    response = client.post(
        step_url(offer, "zadanie"), posted(offer, "zadanie", title="Zapisany", add="results")
    )
    result = offer.results.order_by("-order").first()
    assert response["Location"] == f"{step_url(offer, 'zadanie')}#row-results-{result.pk}"
    assert offer.results.count() == 2
    offer.refresh_from_db()
    assert offer.title == "Zapisany"


def test_a_cost_is_added_under_the_action_its_button_names(client, offer, admin):
    action = offer.actions.get()
    login(client, admin)
    client.post(step_url(offer, "koszty"), posted(offer, "koszty", add=f"cost_lines:{action.pk}"))
    assert CostLine.objects.filter(offer=offer, action=action).count() == 2


def test_a_rows_remove_button_saves_and_asks_on_a_page_of_its_own(client, offer, admin):
    result = ResultFactory(offer=offer, name="Do usunięcia")
    login(client, admin)
    response = client.post(
        step_url(offer, "zadanie"), posted(offer, "zadanie", remove=f"results:{result.pk}")
    )
    confirm = reverse("offers:remove_row", args=[offer.pk, "zadanie", "results", result.pk])
    assert response["Location"] == confirm
    page = client.get(confirm).content.decode()
    assert "Remove result 2 (Do usunięcia)?" in page
    client.post(confirm, {"revision": drafts.revision_of(Offer.objects.get(pk=offer.pk), "task")})
    assert not offer.results.filter(pk=result.pk).exists()


def test_an_action_with_costs_cannot_be_removed(client, offer, admin):
    action = offer.actions.get()
    login(client, admin)
    url = reverse("offers:remove_row", args=[offer.pk, "zadanie", "actions", action.pk])
    assert "This action has costs in section V" in client.get(url).content.decode()
    client.post(url, {"revision": 0})
    assert Action.objects.filter(pk=action.pk).exists()


# Hostile input.


def test_hostile_input_is_shown_as_text_on_the_steps_and_the_summary(client, offer, admin):
    PartnerFactory(offer=offer, name=HOSTILE)
    offer.title = HOSTILE
    offer.summary = HOSTILE
    offer.save()
    CostLine.objects.filter(offer=offer).update(name=HOSTILE)
    login(client, admin)
    for url in [
        step_url(offer, "oferent"),
        step_url(offer, "zadanie"),
        step_url(offer, "koszty"),
        reverse("offers:check", args=[offer.pk]),
        reverse("offers:list"),
    ]:
        html = client.get(url).content.decode()
        assert HOSTILE not in html, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, url


# Check your answers.


def test_check_your_answers_links_each_problem_to_its_field_on_its_step(client, offer, admin):
    offer.title = ""
    offer.requested_grant = Decimal("20000.01")
    offer.save()
    login(client, admin)
    html = client.get(reverse("offers:check", args=[offer.pk])).content.decode()
    assert f'href="{step_url(offer, "zadanie")}#id_title"' in html
    assert f'href="{step_url(offer, "koszty")}#id_requested_grant"' in html
    assert "more than the largest grant in the call" in html
    assert reverse("offers:submit", args=[offer.pk]) not in html


def test_an_admin_may_submit_a_ready_offer_from_check_your_answers(client, offer, admin):
    login(client, admin)
    html = client.get(reverse("offers:check", args=[offer.pk])).content.decode()
    assert f'action="{reverse("offers:submit", args=[offer.pk])}"' in html
    assert html.count(f'href="/oferty/{offer.pk}/krok/') > 20


def test_a_member_is_told_that_an_administrator_submits(client, offer, member):
    login(client, member)
    html = client.get(reverse("offers:check", args=[offer.pk])).content.decode()
    assert "Only an administrator of" in html
    assert reverse("offers:submit", args=[offer.pk]) not in html


# Starting an offer.


def test_a_member_of_one_organization_starts_an_offer_in_an_open_call(client):
    call = CallFactory()
    membership = MembershipFactory()
    login(client, membership.user)
    assert client.get(reverse("offers:start", args=[call.pk])).status_code == 200
    response = client.post(
        reverse("offers:start", args=[call.pk]), {"organization": membership.organization.pk}
    )
    offer = Offer.objects.get()
    assert (offer.call, offer.organization) == (call, membership.organization)
    assert response["Location"] == step_url(offer, "podstawowe")


def test_a_person_in_several_organizations_chooses_one(client):
    call = CallFactory()
    user = UserFactory()
    first, second = MembershipFactory(user=user), MembershipFactory(user=user)
    login(client, user)
    html = client.get(reverse("offers:start", args=[call.pk])).content.decode()
    assert first.organization.name in html and second.organization.name in html
    response = client.post(reverse("offers:start", args=[call.pk]), {})
    assert response.status_code == 200 and not Offer.objects.exists()
    client.post(reverse("offers:start", args=[call.pk]), {"organization": second.organization.pk})
    assert Offer.objects.get().organization == second.organization


def test_nobody_starts_an_offer_for_an_organization_they_are_not_in(client):
    call = CallFactory()
    membership = MembershipFactory()
    login(client, membership.user)
    client.post(reverse("offers:start", args=[call.pk]), {"organization": OrganizationFactory().pk})
    assert not Offer.objects.exists()


def test_a_call_after_its_deadline_refuses_clearly(client):
    call = CallFactory()
    membership = MembershipFactory()
    with time_machine.travel(call.deadline + dt.timedelta(seconds=1), tick=False):
        login(client, membership.user)
        response = client.post(
            reverse("offers:start", args=[call.pk]), {"organization": membership.organization.pk}
        )
    assert response.status_code == 403
    assert "The deadline for offers passed on" in response.content.decode()
    assert not Offer.objects.exists()


def test_a_person_in_no_organization_is_told_how_to_get_one(client):
    call = CallFactory()
    login(client, UserFactory())
    response = client.get(reverse("offers:start", args=[call.pk]))
    assert response.status_code == 403
    assert "You are not a member of any organization" in response.content.decode()


def test_a_draft_call_cannot_be_applied_to(client):
    call = CallFactory(status="draft")
    login(client, MembershipFactory().user)
    assert client.get(reverse("offers:start", args=[call.pk])).status_code == 404


def test_a_small_grant_offer_is_started_for_the_chosen_department(client):
    membership = MembershipFactory()
    department = DepartmentFactory()
    login(client, membership.user)
    client.post(
        reverse("offers:start_small_grant"),
        {"organization": membership.organization.pk, "department": department.pk},
    )
    offer = Offer.objects.get()
    assert (offer.kind, offer.department) == ("small_grant", department)


# The list of offers.


def test_the_list_shows_the_offers_of_the_persons_organizations_only(client, offer, admin):
    OfferFactory(title="Oferta innej organizacji")
    login(client, admin)
    html = client.get(reverse("offers:list")).content.decode()
    assert offer.title in html and "Oferta innej organizacji" not in html
    assert reverse("offers:start", args=[offer.call.pk]) in html


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_makes_as_many_queries_for_many_offers_as_for_one(client):
    membership = MembershipFactory(role="admin")
    OfferFactory(organization=membership.organization)
    login(client, membership.user)
    few = queries(client, reverse("offers:list"))
    for _ in range(8):
        OfferFactory(organization=membership.organization)
    SmallGrantOfferFactory(organization=membership.organization)
    assert queries(client, reverse("offers:list")) == few


@pytest.mark.parametrize("slug", ["oferent", "zadanie", "koszty", "oswiadczenia"])
def test_a_step_page_makes_as_many_queries_for_many_rows_as_for_few(client, offer, admin, slug):
    login(client, admin)
    few = queries(client, step_url(offer, slug))
    partners = [PartnerFactory(offer=offer) for _ in range(3)]
    for n in range(6):
        action = ActionFactory(offer=offer, partner=partners[n % 3])
        CostLineFactory(offer=offer, action=action)
        CostLineFactory(offer=offer)
        ResultFactory(offer=offer)
    assert queries(client, step_url(offer, slug)) == few


def test_check_your_answers_makes_as_many_queries_for_many_rows_as_for_few(client, offer, admin):
    login(client, admin)
    url = reverse("offers:check", args=[offer.pk])
    few = queries(client, url)
    partners = [PartnerFactory(offer=offer) for _ in range(3)]
    for n in range(6):
        ActionFactory(offer=offer, partner=partners[n % 3])
        CostLineFactory(offer=offer)
        ResultFactory(offer=offer)
    assert queries(client, url) == few


# Junk input.

BIG = "99999999999999999999999"
JUNK_FORMS = [
    {"revision": "abc", "title": "x"},
    {"revision": BIG},
    {"revision": "0", "add": "junk"},
    {"revision": "0", "add": f"cost_lines:{BIG}"},
    {"revision": "0", "remove": "actions:abc"},
    {"revision": "0", "actions-TOTAL_FORMS": "abc", "actions-INITIAL_FORMS": "x"},
    {
        "revision": "0",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "2",
        "actions-0-id": "abc",
        "actions-1-id": BIG,
        "actions-0-starts": "2027-02-30",
        "cost_lines-TOTAL_FORMS": "1",
        "cost_lines-INITIAL_FORMS": "1",
        "cost_lines-0-id": "1",
        "cost_lines-0-unit_cost": "1e999",
        "cost_lines-0-quantity": "NaN",
        "cost_lines-0-year": BIG,
        "requested_grant": "Infinity",
    },
]


def test_junk_in_addresses_and_forms_never_gives_a_server_error(client, offer, admin):
    action = offer.actions.get()
    urls = [f"/oferty/nowa/{BIG}/", f"/oferty/{BIG}/krok/zadanie/", f"/oferty/{BIG}/sprawdz/"]
    for slug in ["oferent", "zadanie", "koszty", "x" * 300]:
        urls += [step_url(offer, slug), autosave_url(offer, slug)]
    urls += [
        reverse("offers:remove_row", args=[offer.pk, "zadanie", "junk", action.pk]),
        f"/oferty/{offer.pk}/krok/zadanie/usun/actions/{BIG}/",
    ]
    login(client, admin)
    for url in urls:
        assert client.get(url, {"page": "abc"}).status_code < 500, url
        for data in JUNK_FORMS:
            assert client.post(url, data).status_code < 500, (url, data)
