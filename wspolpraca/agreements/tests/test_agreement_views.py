"""The agreements' pages: who sees what (and who is refused, with nothing changed), the
list's filters and queries, the updated budget's pages, the review, the tranches, the
signing, the annex and each version's PDF."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.agreements import agreements as services
from wspolpraca.agreements.models import Agreement, BudgetUpdate
from wspolpraca.agreements.tests.factories import (
    admin_of,
    budget_lines_for,
    official_for,
    ready_agreement,
    signed_agreement,
)
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.evaluations.tests.factories import official_of
from wspolpraca.offers.models import Offer
from wspolpraca.offers.services import submit_offer
from wspolpraca.offers.tests.factories import complete_small_grant_offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def member_of(organization, role=Membership.Role.MEMBER):
    return MembershipFactory(organization=organization, role=role).user


def url(name, agreement, *args):
    return reverse(f"agreements:{name}", args=[agreement.pk, *args])


@pytest.fixture
def cut():
    """An agreement waiting for the updated budget: 8 000,00 zł of 9 000,00 asked."""
    return ready_agreement(amount=Decimal("8000.00"))


@pytest.fixture
def strangers():
    """An admin and a member of another organization, and a resident with an account."""
    other = OrganizationFactory()
    return [
        member_of(other, Membership.Role.ADMIN),
        member_of(other, Membership.Role.MEMBER),
        UserFactory(),
    ]


def budget_post(agreement, *, own=None, lines=None, extra=None):
    """The budget page's POST for `lines` (the service's shape) and the offer's schedule."""
    default_lines, schedule, default_own = budget_lines_for(agreement)
    lines = default_lines if lines is None else lines
    own = default_own if own is None else own
    data = {
        "cost_lines-TOTAL_FORMS": len(lines),
        "cost_lines-INITIAL_FORMS": len(lines),
        "schedule-TOTAL_FORMS": len(schedule),
        "schedule-INITIAL_FORMS": len(schedule),
        "own_contribution": str(own).replace(".", ","),
        "note": "Mniej godzin warsztatów.",
        "continue": "1",
    }
    for index, line in enumerate(lines):
        data.update(
            {
                f"cost_lines-{index}-action": line["action"] or "0",
                f"cost_lines-{index}-name": line["name"],
                f"cost_lines-{index}-unit": line["unit"],
                f"cost_lines-{index}-unit_cost": str(line["unit_cost"]).replace(".", ","),
                f"cost_lines-{index}-quantity": str(line["quantity"]).replace(".", ","),
                f"cost_lines-{index}-year": line["year"],
            }
        )
    for index, row in enumerate(schedule):
        data.update(
            {
                f"schedule-{index}-action": row["action"],
                f"schedule-{index}-starts": row["starts"].isoformat(),
                f"schedule-{index}-ends": row["ends"].isoformat(),
            }
        )
    data.update(extra or {})
    return data


# The list.


def test_a_member_sees_the_agreements_of_their_organizations_only(client):
    mine = ready_agreement()
    other = ready_agreement()
    login(client, member_of(mine.organization))
    response = client.get(reverse("agreements:list"))
    assert response.status_code == 200
    assert mine.number in response.text
    assert other.number not in response.text


def test_an_official_sees_the_agreements_of_their_department(client):
    mine = ready_agreement()
    other = ready_agreement()
    login(client, official_for(mine))
    response = client.get(reverse("agreements:list"))
    assert mine.number in response.text
    assert other.number not in response.text


def test_the_list_filters_by_status_and_year_in_the_url(client):
    ready = ready_agreement()
    cut = ready_agreement(amount=Decimal("8000.00"), organization=ready.organization)
    login(client, member_of(ready.organization))
    response = client.get(reverse("agreements:list"), {"status": "budget_update"})
    assert cut.number in response.text
    assert ready.number not in response.text
    year = ready.starts.year
    assert ready.number in client.get(reverse("agreements:list"), {"year": year}).text
    assert ready.number not in client.get(reverse("agreements:list"), {"year": year + 3}).text


def test_the_list_makes_the_same_queries_for_2_and_10_agreements(
    client, django_assert_max_num_queries
):
    organization = OrganizationFactory(kind="foundation")
    member = member_of(organization)
    for _index in range(2):
        ready_agreement(organization=organization)
    login(client, member)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("agreements:list")).status_code == 200
    for _index in range(8):
        ready_agreement(organization=organization)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("agreements:list"))
    assert response.text.count("/umowy/") >= 10


# An agreement, its PDF: who is refused.


def test_the_detail_shows_the_amount_in_words_tranches_and_versions(client):
    agreement = signed_agreement(amount=Decimal("8000.00"))
    login(client, member_of(agreement.organization))
    response = client.get(url("detail", agreement))
    assert response.status_code == 200
    text = response.text
    assert "osiem tysięcy złotych, zero groszy" in text
    assert url("version_pdf", agreement, 1) in text
    assert "Signed versions" in text
    assert "accepted" in text.lower()  # the updated budget's state
    assert 'id="tranches-title"' in text


def test_others_are_told_the_agreement_does_not_exist(client, strangers):
    agreement = signed_agreement()
    for person in strangers:
        client.logout()
        login(client, person)
        assert client.get(url("detail", agreement)).status_code == 404
        assert client.get(url("version_pdf", agreement, 1)).status_code == 404


def test_an_official_of_another_department_is_refused(client):
    agreement = signed_agreement()
    login(client, official_of(CallFactory().department))
    assert client.get(url("detail", agreement)).status_code == 404
    assert client.get(url("tranches", agreement)).status_code == 404


def test_the_organizations_member_downloads_each_versions_pdf(client):
    agreement = signed_agreement()
    login(client, member_of(agreement.organization))
    response = client.get(url("version_pdf", agreement, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(url("version_pdf", agreement, 2)).status_code == 404


def test_the_anonymous_are_sent_to_sign_in(client):
    agreement = ready_agreement()
    response = client.get(url("detail", agreement))
    assert response.status_code == 302
    assert "login" in response["Location"]


# The updated budget.


def test_others_get_404_on_the_budget_pages_and_nothing_changes(client, cut, strangers):
    for person in strangers:
        client.logout()
        login(client, person)
        assert client.get(url("budget_update", cut)).status_code == 404
        assert client.post(url("budget_update", cut), budget_post(cut)).status_code == 404
        assert client.post(url("budget_check", cut)).status_code == 404
    assert not BudgetUpdate.objects.exists()


def test_a_member_who_is_not_an_admin_cannot_send_the_budget(client, cut):
    login(client, member_of(cut.organization))
    assert client.get(url("budget_update", cut)).status_code == 403
    assert client.post(url("budget_update", cut), budget_post(cut)).status_code == 403
    assert client.post(url("budget_check", cut)).status_code == 403
    assert not BudgetUpdate.objects.exists()
    assert Agreement.objects.get(pk=cut.pk).status == Agreement.Status.BUDGET_UPDATE


def test_the_budget_form_starts_from_the_offers_costs_with_empty_rows(client, cut):
    login(client, admin_of(cut))
    response = client.get(url("budget_update", cut))
    assert response.status_code == 200
    costs = list(cut.offer.cost_lines.all())
    assert f'name="cost_lines-TOTAL_FORMS" value="{len(costs) + 2}"' in response.text
    for line in costs:
        assert f'value="{line.name}"' in response.text
    assert "Remove this cost" in response.text


def test_add_rows_keeps_what_was_typed_and_adds_empty_rows(client, cut):
    login(client, admin_of(cut))
    data = budget_post(cut, extra={"cost_lines-0-name": "Trenerka zmieniona", "add_rows": "1"})
    data.pop("continue")
    response = client.post(url("budget_update", cut), data)
    assert response.status_code == 200
    assert 'value="Trenerka zmieniona"' in response.text
    lines = len(budget_lines_for(cut)[0])
    assert f'name="cost_lines-TOTAL_FORMS" value="{lines + 5}"' in response.text
    assert "error-summary" not in response.text


def test_a_wrong_sum_is_shown_beside_the_own_contribution_and_keeps_what_was_typed(client, cut):
    login(client, admin_of(cut))
    own = budget_lines_for(cut)[2] + Decimal("100.00")
    response = client.post(url("budget_update", cut), budget_post(cut, own=own))
    assert response.status_code == 200
    assert 'id="id_own_contribution_error"' in response.text
    assert "must be equal" in response.text
    assert f'value="{str(own).replace(".", ",")}"' in response.text
    assert not BudgetUpdate.objects.exists()


def test_the_budget_is_checked_then_sent(client, cut):
    login(client, admin_of(cut))
    response = client.post(url("budget_update", cut), budget_post(cut))
    assert response.status_code == 302
    assert response["Location"] == url("budget_check", cut)
    check = client.get(url("budget_check", cut))
    assert "Check the updated budget before sending it" in check.text
    assert "Mniej godzin warsztatów." in check.text
    assert not BudgetUpdate.objects.exists()
    response = client.post(url("budget_check", cut))
    assert response.status_code == 302
    update = BudgetUpdate.objects.get()
    assert update.status == BudgetUpdate.Status.SUBMITTED
    assert Agreement.objects.get(pk=cut.pk).status == Agreement.Status.BUDGET_REVIEW


def test_a_removed_row_is_left_out_of_the_budget(client, cut):
    login(client, admin_of(cut))
    lines, _schedule, own = budget_lines_for(cut)
    extra_line = {**lines[0], "name": "Do usunięcia", "unit_cost": Decimal("5"), "quantity": 1}
    data = budget_post(cut, lines=[*lines, extra_line])
    data[f"cost_lines-{len(lines)}-DELETE"] = "on"
    assert client.post(url("budget_update", cut), data).status_code == 302
    client.post(url("budget_check", cut))
    names = [line["name"] for line in BudgetUpdate.objects.get().cost_lines]
    assert "Do usunięcia" not in names
    assert len(names) == len(lines)


def test_the_official_accepts_the_budget_on_a_confirmation_page(client, cut):
    lines, schedule, own = budget_lines_for(cut)
    update = services.submit_budget_update(cut, admin_of(cut), lines, schedule, own)
    login(client, official_for(cut))
    review = client.get(url("review_budget", cut, update.pk))
    assert url("accept_budget", cut, update.pk) in review.text
    page = client.get(url("accept_budget", cut, update.pk))
    assert "Accept the updated budget" in page.text
    assert BudgetUpdate.objects.get().status == BudgetUpdate.Status.SUBMITTED
    client.post(url("accept_budget", cut, update.pk))
    assert BudgetUpdate.objects.get().status == BudgetUpdate.Status.ACCEPTED
    assert Agreement.objects.get(pk=cut.pk).status == Agreement.Status.READY


def test_returning_the_budget_asks_for_the_reason(client, cut):
    lines, schedule, own = budget_lines_for(cut)
    update = services.submit_budget_update(cut, admin_of(cut), lines, schedule, own)
    login(client, official_for(cut))
    response = client.post(url("return_budget", cut, update.pk), {"reason": ""})
    assert 'id="id_reason_error"' in response.text
    assert BudgetUpdate.objects.get().status == BudgetUpdate.Status.SUBMITTED
    client.post(url("return_budget", cut, update.pk), {"reason": "Popraw harmonogram."})
    assert BudgetUpdate.objects.get().return_reason == "Popraw harmonogram."


def test_the_organization_cannot_accept_its_own_budget(client, cut):
    lines, schedule, own = budget_lines_for(cut)
    admin = admin_of(cut)
    update = services.submit_budget_update(cut, admin, lines, schedule, own)
    login(client, admin)
    assert client.get(url("review_budget", cut, update.pk)).status_code == 200
    assert client.post(url("accept_budget", cut, update.pk)).status_code == 403
    assert BudgetUpdate.objects.get().status == BudgetUpdate.Status.SUBMITTED


# Tranches, signing, annexes.


def test_the_official_changes_the_tranches_before_signing_and_the_sum_is_checked(client):
    agreement = ready_agreement()
    login(client, official_for(agreement))
    day = timezone.localdate() + dt.timedelta(days=25)
    data = {
        "tranches-TOTAL_FORMS": 1,
        "tranches-INITIAL_FORMS": 1,
        "tranches-0-number": 1,
        "tranches-0-planned_on": day.isoformat(),
        "tranches-0-amount": "8000,00",
    }
    response = client.post(url("tranches", agreement), data)
    assert response.status_code == 200
    assert "must add up to the grant" in response.text
    data["tranches-0-amount"] = "9000,00"
    assert client.post(url("tranches", agreement), data).status_code == 302
    assert agreement.tranches.get().planned_on == day


def test_the_organization_cannot_open_the_official_pages(client):
    agreement = ready_agreement()
    login(client, admin_of(agreement))
    for name in ("tranches", "sign", "annex"):
        assert client.get(url(name, agreement)).status_code == 403
    assert client.post(url("sign", agreement), {"confirm": "1"}).status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.READY


def test_signing_shows_the_amount_in_words_before_it_is_recorded(client):
    agreement = ready_agreement(amount=Decimal("8000.00"), requested=Decimal("8000.00"))
    login(client, official_for(agreement))
    form = {"signed_on": timezone.localdate().isoformat(), "city_representative": "Jan Nowak"}
    check = client.post(url("sign", agreement), form)
    assert check.status_code == 200
    assert "osiem tysięcy złotych, zero groszy" in check.text
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.READY
    response = client.post(url("sign", agreement), {**form, "confirm": "1"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.city_representative == "Jan Nowak"
    assert agreement.versions.count() == 1


def test_the_signing_form_shows_errors_beside_the_fields(client):
    agreement = ready_agreement()
    login(client, official_for(agreement))
    response = client.post(url("sign", agreement), {"signed_on": "", "city_representative": ""})
    assert 'id="id_signed_on_error"' in response.text
    assert 'id="id_city_representative_error"' in response.text


def test_a_cut_agreement_cannot_be_signed_from_the_page(client, cut):
    login(client, official_for(cut))
    response = client.get(url("sign", cut))
    assert "This cannot be done yet" in response.text
    form = {"signed_on": timezone.localdate().isoformat(), "city_representative": "Jan Nowak"}
    client.post(url("sign", cut), {**form, "confirm": "1"})
    assert Agreement.objects.get(pk=cut.pk).status == Agreement.Status.BUDGET_UPDATE


def test_a_signed_agreements_tranches_page_records_payments_only(client):
    agreement = signed_agreement()
    login(client, official_for(agreement))
    page = client.get(url("tranches", agreement))
    assert 'name="payments-0-paid_on"' in page.text
    assert "planned_on" not in page.text
    tampered = {
        "tranches-TOTAL_FORMS": 1,
        "tranches-INITIAL_FORMS": 1,
        "tranches-0-number": 1,
        "tranches-0-planned_on": "2030-01-01",
        "tranches-0-amount": "1,00",
    }
    client.post(url("tranches", agreement), tampered)
    tranche = agreement.tranches.get()
    assert tranche.amount == Decimal("9000.00")
    assert tranche.planned_on != dt.date(2030, 1, 1)
    client.post(
        url("tranches", agreement),
        {
            "payments-TOTAL_FORMS": 1,
            "payments-INITIAL_FORMS": 1,
            "payments-0-number": 1,
            "payments-0-paid_on": timezone.localdate().isoformat(),
        },
    )
    assert agreement.tranches.get().paid_on == timezone.localdate()


def test_a_signed_agreement_refuses_signing_again(client):
    agreement = signed_agreement()
    login(client, official_for(agreement))
    form = {"signed_on": timezone.localdate().isoformat(), "city_representative": "Ktoś inny"}
    response = client.post(url("sign", agreement), {**form, "confirm": "1"})
    assert "already signed" in response.text
    assert Agreement.objects.get(pk=agreement.pk).city_representative != "Ktoś inny"


def test_an_annex_is_confirmed_then_recorded_as_version_2(client):
    agreement = signed_agreement()
    login(client, official_for(agreement))
    form = client.get(url("annex", agreement))
    assert form.status_code == 200
    tranche = agreement.tranches.get()
    data = {
        "reason": "Więcej uczestników.",
        "amount": "9500,00",
        "ends": "",
        "tranches-TOTAL_FORMS": 2,
        "tranches-INITIAL_FORMS": 1,
        "tranches-0-number": tranche.number,
        "tranches-0-year": tranche.year,
        "tranches-0-planned_on": tranche.planned_on.isoformat(),
        "tranches-0-amount": "9000,00",
    }
    response = client.post(url("annex", agreement), data)
    assert response.status_code == 302
    confirm = client.get(response["Location"])
    assert "dziewięć tysięcy pięćset złotych" in confirm.text
    assert agreement.versions.count() == 1
    client.post(response["Location"])
    agreement.refresh_from_db()
    assert agreement.versions.count() == 2
    assert agreement.amount == Decimal("9500.00")
    assert client.get(url("version_pdf", agreement, 2)).status_code == 200


def test_an_annex_needs_a_reason(client):
    agreement = signed_agreement()
    login(client, official_for(agreement))
    response = client.post(
        url("annex", agreement),
        {"reason": "", "amount": "9500", "tranches-TOTAL_FORMS": 0, "tranches-INITIAL_FORMS": 0},
    )
    assert 'id="id_reason_error"' in response.text
    assert agreement.versions.count() == 1


# Small grants.


def test_the_official_prepares_a_small_grant_agreement_after_the_comments(client):
    offer = complete_small_grant_offer()
    offer = submit_offer(offer, by=admin_of(offer.organization))
    Offer.objects.filter(pk=offer.pk).update(
        comments_open_until=timezone.now() - dt.timedelta(minutes=1)
    )
    official = official_of(offer.department)
    login(client, official)
    listing = client.get(reverse("agreements:list"))
    assert reverse("agreements:small_grant", args=[offer.pk]) in listing.text
    response = client.post(reverse("agreements:small_grant", args=[offer.pk]))
    assert response.status_code == 302
    assert Agreement.objects.get(offer=offer).amount == Decimal("4500.00")


def test_a_small_grant_page_is_hidden_from_others(client):
    offer = complete_small_grant_offer()
    offer = submit_offer(offer, by=admin_of(offer.organization))
    login(client, admin_of(offer.organization))
    assert client.post(reverse("agreements:small_grant", args=[offer.pk])).status_code == 404
    assert not Agreement.objects.exists()


def test_the_official_refuses_a_small_grant_with_reasons_on_a_page_of_its_own(client):
    from wspolpraca.evaluations.models import Decision

    offer = complete_small_grant_offer()
    offer = submit_offer(offer, by=admin_of(offer.organization))
    Offer.objects.filter(pk=offer.pk).update(
        comments_open_until=timezone.now() - dt.timedelta(minutes=1)
    )
    login(client, official_of(offer.department))
    page = reverse("agreements:small_grant_refuse", args=[offer.pk])
    assert page in client.get(reverse("agreements:small_grant", args=[offer.pk])).text
    empty = client.post(page, {"reason": ""})
    assert empty.status_code == 200
    assert 'id="id_reason_error"' in empty.text
    assert not Decision.objects.exists()
    response = client.post(page, {"reason": "Brak środków w budżecie wydziału."})
    assert response.status_code == 302
    assert Decision.objects.get(offer=offer).reason == "Brak środków w budżecie wydziału."
    assert (
        reverse("agreements:small_grant", args=[offer.pk])
        not in client.get(reverse("agreements:list")).text
    )
    client.logout()
    login(client, admin_of(offer.organization))
    receipt = client.get(reverse("offers:receipt", args=[offer.pk])).text
    assert "Brak środków w budżecie wydziału." in receipt


def test_the_organization_cannot_refuse_its_own_small_grant(client):
    from wspolpraca.evaluations.models import Decision

    offer = complete_small_grant_offer()
    offer = submit_offer(offer, by=admin_of(offer.organization))
    login(client, admin_of(offer.organization))
    page = reverse("agreements:small_grant_refuse", args=[offer.pk])
    assert client.post(page, {"reason": "Nie."}).status_code == 404
    assert not Decision.objects.exists()


# The draft before signing.


def pdf_words(data):
    import io
    import re

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_parties_read_the_draft_pdf_before_signing_and_nothing_is_kept(client):
    agreement = ready_agreement(amount=Decimal("8000.00"), requested=Decimal("8000.00"))
    for person in (official_for(agreement), member_of(agreement.organization)):
        client.logout()
        login(client, person)
        response = client.get(url("draft_pdf", agreement))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = pdf_words(response.content)
        assert agreement.number in text
        assert "osiem tysięcy złotych" in text
    assert not agreement.versions.exists()


def test_the_detail_links_the_draft_only_while_the_agreement_waits_for_signing(client):
    agreement = ready_agreement()
    login(client, official_for(agreement))
    assert url("draft_pdf", agreement) in client.get(url("detail", agreement)).text
    signed = signed_agreement()
    login(client, official_for(signed))
    assert url("draft_pdf", signed) not in client.get(url("detail", signed)).text
    assert client.get(url("draft_pdf", signed)).status_code == 404


def test_there_is_no_draft_while_the_budget_after_a_cut_is_awaited(client, cut):
    login(client, official_for(cut))
    assert client.get(url("draft_pdf", cut)).status_code == 404


def test_others_cannot_read_the_draft(client, strangers):
    agreement = ready_agreement()
    for person in strangers:
        client.logout()
        login(client, person)
        assert client.get(url("draft_pdf", agreement)).status_code == 404
