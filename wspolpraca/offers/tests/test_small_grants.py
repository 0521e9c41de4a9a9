"""Small grants in public (art. 19a): the list of offers published for comments, an
offer's page, and comments within the window only, by the server's clock."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conftest import login
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import LegalRules
from wspolpraca.core.models import AuditEntry
from wspolpraca.offers import small_grants
from wspolpraca.offers.models import Offer, OfferComment
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
# Submitted (and so published) a day before NOW; its window ends a week after submission.
NOW = datetime(2026, 5, 16, 10, 0, tzinfo=WARSAW)
SUBMITTED = datetime(2026, 5, 15, 12, 0, tzinfo=WARSAW)
UNTIL = SUBMITTED + timedelta(days=7)  # 22 May 2026, 12:00

_numbers = iter(range(1, 100_000))


def small_grant_offer(organization=None, *, submitted_at=SUBMITTED, **fields):
    """A small-grant offer as the submission leaves it: numbered, frozen, with its window."""
    number = next(_numbers)
    start, end = small_grants.comment_window(submitted_at)
    values = {
        "kind": Offer.Kind.SMALL_GRANT,
        "status": Offer.Status.SUBMITTED,
        "organization": organization or OrganizationFactory(),
        "department": DepartmentFactory(),
        "number": f"OF/2026/{number:06d}",
        "title": f"Podwórko sąsiedzkie nr {number}",
        "summary": "Warsztaty dla dzieci na podwórku przy ul. Długiej.",
        "starts": SUBMITTED.date() + timedelta(days=30),
        "ends": SUBMITTED.date() + timedelta(days=60),
        "requested_grant": Decimal("8500.00"),
        "submitted_at": submitted_at,
        "comments_open_from": start,
        "comments_open_until": end,
        "submitted_content": {
            "sections": [
                {
                    "title": "III. Zadanie",
                    "items": [
                        {"label": "Tytuł zadania", "value": f"Podwórko sąsiedzkie nr {number}"},
                        {"label": "Oczekiwane rezultaty", "value": "Odnowione podwórko."},
                    ],
                }
            ],
            "costs": {"total": "9\xa0000,00\xa0zł"},
            "sources": [
                {"label": "Wnioskowana dotacja", "value": "8\xa0500,00\xa0zł", "share": "94,44%"},
                {"label": "Wkład własny", "value": "500,00\xa0zł", "share": "5,56%"},
            ],
        },
    }
    values.update(fields)
    return Offer.objects.create(**values)


def page_of(offer):
    return reverse("small_grants:detail", args=[offer.number])


def comment(client, offer, text="Dobry pomysł, popieram.", author_name="Anna Nowak"):
    return client.post(page_of(offer), {"author_name": author_name, "text": text})


@pytest.fixture
def offer(organization):
    return small_grant_offer(organization)


@pytest.fixture
def resident(outsider):
    return outsider


# The window, by the server's clock


def test_a_comment_at_the_last_second_of_the_window_is_accepted(client, offer, resident):
    login(client, resident)
    with time_machine.travel(UNTIL, tick=False):
        response = comment(client, offer)
    assert response.status_code == 302
    assert OfferComment.objects.filter(offer=offer, author=resident).count() == 1


def test_a_comment_one_second_after_the_window_is_refused_naming_its_end(client, offer, resident):
    login(client, resident)
    with time_machine.travel(UNTIL + timedelta(seconds=1), tick=False):
        response = comment(client, offer, text="Spóźniona uwaga")
    assert response.status_code == 200
    assert not OfferComment.objects.exists()
    html = response.content.decode()
    assert "22 maja 2026, 12:00" in html  # the window's end, in the error summary
    assert "Spóźniona uwaga" in html  # what was typed is kept


def test_adding_a_comment_outside_the_window_raises_a_domain_error(offer, resident):
    with (
        time_machine.travel(UNTIL + timedelta(seconds=1), tick=False),
        pytest.raises(small_grants.CommentError, match="22 maja 2026, 12:00"),
    ):
        small_grants.add_comment(offer, resident, "Anna Nowak", "Za późno")


def test_the_window_is_as_long_as_the_legal_rules_say():
    rules = LegalRules.current()
    rules.small_grant_comment_days = 10
    rules.save()
    start, end = small_grants.comment_window(SUBMITTED)
    assert (start, end) == (SUBMITTED, SUBMITTED + timedelta(days=10))


def test_the_pages_state_the_windows_length_from_the_legal_rules(client, offer):
    rules = LegalRules.current()
    rules.small_grant_comment_days = 10
    rules.save()
    with time_machine.travel(NOW, tick=False):
        listing = client.get(reverse("small_grants:list")).content.decode()
        detail = client.get(page_of(offer)).content.decode()
    assert "na 10 dni" in listing
    assert "w ciągu 10 dni" in detail


# Who may comment


def test_an_anonymous_comment_is_sent_to_sign_in(client, offer):
    with time_machine.travel(NOW, tick=False):
        response = comment(client, offer)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not OfferComment.objects.exists()


def test_an_anonymous_visitor_sees_a_sign_in_link_instead_of_the_form(client, offer):
    with time_machine.travel(NOW, tick=False):
        html = client.get(page_of(offer)).content.decode()
    assert 'id="sign-in-to-comment"' in html
    assert reverse("account_login") + "?next=" in html
    assert 'name="text"' not in html


def test_a_signed_in_person_gets_the_form_signed_with_their_name(client, offer, resident):
    login(client, resident)
    with time_machine.travel(NOW, tick=False):
        response = client.get(page_of(offer))
    assert response.context["form"].initial["author_name"] == resident.full_name
    assert 'name="text"' in response.content.decode()


def test_after_the_window_the_page_has_no_comment_form(client, offer, resident):
    login(client, resident)
    with time_machine.travel(UNTIL + timedelta(seconds=1), tick=False):
        html = client.get(page_of(offer)).content.decode()
    assert 'name="text"' not in html


# What is public


def test_a_draft_small_grant_offer_is_not_found(client, organization):
    draft = small_grant_offer(organization, status=Offer.Status.DRAFT)
    with time_machine.travel(NOW, tick=False):
        assert client.get(page_of(draft)).status_code == 404


def test_a_competition_offer_is_not_found(client, organization):
    competition = small_grant_offer(organization, kind=Offer.Kind.COMPETITION)
    with time_machine.travel(NOW, tick=False):
        assert client.get(page_of(competition)).status_code == 404


def test_a_withdrawn_offer_is_not_found(client, organization):
    withdrawn = small_grant_offer(organization, status=Offer.Status.WITHDRAWN)
    with time_machine.travel(NOW, tick=False):
        assert client.get(page_of(withdrawn)).status_code == 404


def test_the_open_tab_lists_offers_in_their_window_and_the_other_those_past_it(client):
    current = small_grant_offer(title="Ogród społeczny")
    past = small_grant_offer(submitted_at=SUBMITTED - timedelta(days=30), title="Festyn zimowy")
    small_grant_offer(status=Offer.Status.DRAFT, title="Szkic oferty")
    with time_machine.travel(NOW, tick=False):
        open_now = client.get(reverse("small_grants:list")).content.decode()
        closed = client.get(reverse("small_grants:after_comments")).content.decode()
    assert current.title in open_now and past.title not in open_now
    assert past.title in closed and current.title not in closed
    assert "Szkic oferty" not in open_now + closed


def test_the_list_shows_the_offers_facts(client, offer):
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("small_grants:list")).content.decode()
    assert offer.number in html
    assert offer.organization.get_absolute_url() in html
    assert str(offer.department) in html
    assert "8\xa0500,00\xa0zł" in html
    assert "22 maja 2026, 12:00" in html  # comments until


def test_the_offers_page_shows_its_frozen_sections(client, offer):
    with time_machine.travel(NOW, tick=False):
        html = client.get(page_of(offer)).content.decode()
    assert "III. Zadanie" in html
    assert "Odnowione podwórko." in html


def test_the_offers_page_shows_the_costs_and_their_sources_as_submitted(client, offer):
    with time_machine.travel(NOW, tick=False):
        html = client.get(page_of(offer)).content.decode()
    assert "9\xa0000,00\xa0zł" in html
    assert "Wnioskowana dotacja" in html and "94,44%" in html


def test_an_item_of_the_frozen_content_marked_not_public_is_left_out(client, organization):
    content = {
        "sections": [
            {
                "title": "II. Oferent",
                "items": [
                    {"label": "Nazwa", "value": "Fundacja Zdrowie Krakowa"},
                    {"label": "Telefon osoby do kontaktu", "value": "600100200", "public": False},
                ],
            }
        ]
    }
    private = small_grant_offer(organization, submitted_content=content)
    with time_machine.travel(NOW, tick=False):
        html = client.get(page_of(private)).content.decode()
    assert "Fundacja Zdrowie Krakowa" in html
    assert "600100200" not in html


def test_an_offer_whose_frozen_content_has_another_shape_still_shows(client, organization):
    odd = small_grant_offer(organization, submitted_content={"sections": ["x", {"items": "y"}]})
    with time_machine.travel(NOW, tick=False):
        response = client.get(page_of(odd))
    assert response.status_code == 200
    assert odd.title in response.content.decode()
    assert odd.summary in response.content.decode()


def test_script_in_a_comment_is_shown_escaped(client, offer, resident):
    login(client, resident)
    with time_machine.travel(NOW, tick=False):
        comment(client, offer, text="<script>alert('x')</script>")
        html = client.get(page_of(offer)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_script_in_the_offers_title_is_shown_escaped(client, organization):
    hostile = small_grant_offer(organization, title="<script>alert(1)</script>")
    with time_machine.travel(NOW, tick=False):
        pages = [
            client.get(reverse("small_grants:list")).content.decode(),
            client.get(page_of(hostile)).content.decode(),
        ]
    for html in pages:
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# The comment form


def test_an_empty_comment_shows_the_error_beside_the_field_and_keeps_the_name(
    client, offer, resident
):
    login(client, resident)
    with time_machine.travel(NOW, tick=False):
        response = comment(client, offer, text="  ", author_name="Koło Gospodyń")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_text_error"' in html
    assert 'href="#id_text"' in html  # the error summary links to the field
    assert "Koło Gospodyń" in html
    assert not OfferComment.objects.exists()


def test_a_published_comment_is_shown_with_its_signature(client, offer, resident):
    login(client, resident)
    with time_machine.travel(NOW, tick=False):
        response = comment(client, offer, text="Popieram.", author_name="Rada Osiedla")
        added = OfferComment.objects.get()
        assert response["Location"].endswith(f"#uwaga-{added.pk}")
        html = client.get(page_of(offer)).content.decode()
    assert "Rada Osiedla" in html and "Popieram." in html


def test_a_comment_is_recorded_in_the_audit_trail(client, offer, resident):
    login(client, resident)
    with time_machine.travel(NOW, tick=False):
        comment(client, offer, text="Popieram.", author_name="Rada Osiedla")
    entry = AuditEntry.objects.get(action="offer_comment.added")
    assert entry.actor == resident
    assert entry.object_id == str(offer.pk)
    assert entry.changes == {"author_name": [None, "Rada Osiedla"], "text": [None, "Popieram."]}


def test_the_organizations_admins_are_emailed_of_a_comment(
    client, offer, org_admin, org_member, resident, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, resident)
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        comment(client, offer, text="Warto dodać zajęcia dla seniorów.")
    to_organization = [m for m in mailoutbox if m.to == [org_admin.email]]
    assert len(to_organization) == 1
    assert offer.number in to_organization[0].subject
    assert "Warto dodać zajęcia dla seniorów." in to_organization[0].body
    assert page_of(offer) in to_organization[0].body
    assert org_member.email not in [address for m in mailoutbox for address in m.to]


def test_the_department_hears_of_each_comment(
    client, offer, resident, mailoutbox, django_capture_on_commit_callbacks
):
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import UserFactory
    from wspolpraca.city.models import Official

    official = UserFactory(role=User.Role.OFFICIAL)
    Official.objects.create(user=official, department=offer.department)
    login(client, resident)
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        comment(client, offer, text="Proszę o więcej terminów.")
    (message,) = [m for m in mailoutbox if m.to == [official.email]]
    assert offer.number in message.subject and "Proszę o więcej terminów." in message.body


def test_comments_beyond_the_hourly_limit_are_refused(client, offer, resident, rate_limits):
    login(client, resident)
    with time_machine.travel(NOW, tick=False):
        for n in range(small_grants.COMMENTS_PER_HOUR):
            assert comment(client, offer, text=f"Uwaga {n}").status_code == 302
        response = comment(client, offer, text="Jeszcze jedna")
    assert response.status_code == 200
    assert OfferComment.objects.count() == small_grants.COMMENTS_PER_HOUR
    assert "Jeszcze jedna" in response.content.decode()


# Constant queries


@pytest.mark.parametrize("size", [2, 15])
def test_the_list_makes_the_same_queries_whatever_the_number_of_offers(
    client, size, django_assert_max_num_queries
):
    for _n in range(size):
        small_grant_offer()
        small_grant_offer(submitted_at=SUBMITTED - timedelta(days=30))
    with time_machine.travel(NOW, tick=False):
        # The legal rules, a count per tab, the page of offers with their organizations
        # and departments.
        for name in ("small_grants:list", "small_grants:after_comments"):
            with django_assert_max_num_queries(4):
                response = client.get(reverse(name))
            assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [1, 12])
def test_the_offers_page_makes_the_same_queries_whatever_the_number_of_comments(
    client, offer, size, django_assert_max_num_queries
):
    OfferComment.objects.bulk_create(
        OfferComment(offer=offer, author_name=f"Osoba {n}", text="Uwaga", created_at=NOW)
        for n in range(size)
    )
    with time_machine.travel(NOW, tick=False):
        # The offer, the legal rules, the count of comments and their page.
        with django_assert_max_num_queries(4):
            response = client.get(page_of(offer))
    assert response.status_code == 200


# Bad input


@pytest.mark.parametrize("page", ["abc", "-1", "99999999999999999999999"])
def test_a_junk_page_number_shows_a_page_of_the_list(client, offer, page):
    with time_machine.travel(NOW, tick=False):
        assert client.get(reverse("small_grants:list"), {"page": page}).status_code == 200
        assert client.get(page_of(offer), {"page": page}).status_code == 200


@pytest.mark.parametrize("number", ["x" * 300, "a\x00b", "OF/2026/999999"])
def test_an_unknown_or_junk_offer_number_is_not_found(client, number):
    url = reverse("small_grants:detail", args=[number])
    assert client.get(url).status_code == 404
