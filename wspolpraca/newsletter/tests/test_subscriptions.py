import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.newsletter import services, tokens
from wspolpraca.newsletter.models import Kind, Subscriber

from .factories import SubscriberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def areas():
    return [
        PublicBenefitAreaFactory(code="7", label_en="Older people"),
        PublicBenefitAreaFactory(code="17", label_en="Sport"),
        PublicBenefitAreaFactory(code="16", label_en="Culture"),
    ]


def _subscribe(client, email, areas=(), kinds=("calls", "news"), **extra):
    data = {
        "email": email,
        "areas": [a.pk for a in areas],
        "kinds": list(kinds),
        "language": "en",
        "consent": "on",
        **extra,
    }
    return client.post(reverse("newsletter:subscribe"), data)


def _link(body, name):
    return re.search(rf"https?://\S+/newsletter/{name}/\S+/", body).group(0)


def _path(url):
    return "/" + url.split("/", 3)[3]


# Double opt-in


def test_subscribing_sends_a_confirmation_link_and_confirms_nobody_yet(client, areas):
    response = _subscribe(client, "Anna@Example.org", areas[:2])
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:check_mail")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "anna@example.org"
    assert subscriber.confirmed_at is None
    assert not Subscriber.objects.active().exists()
    sent = OutgoingEmail.objects.get()
    assert sent.to == "anna@example.org"
    assert "/newsletter/potwierdz/" in sent.body


def test_following_the_link_shows_a_button_and_only_the_post_confirms(client, areas):
    _subscribe(client, "anna@example.org", areas[:2])
    url = _path(_link(OutgoingEmail.objects.get().body, "potwierdz"))
    page = client.get(url)
    assert page.status_code == 200
    assert b"Confirm the subscription" in page.content
    assert Subscriber.objects.get().confirmed_at is None  # a mail scanner confirms nothing
    response = client.post(url)
    subscriber = Subscriber.objects.get()
    assert response.status_code == 302
    assert subscriber.confirmed_at is not None
    assert {a.code for a in subscriber.areas.all()} == {"7", "17"}
    assert subscriber.kinds == ["calls", "news"]


def test_an_expired_confirmation_link_is_refused(client, areas):
    _subscribe(client, "anna@example.org", areas[:1])
    url = _path(_link(OutgoingEmail.objects.get().body, "potwierdz"))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(url)
    assert response.status_code == 404
    assert b"has expired" in response.content
    assert Subscriber.objects.get().confirmed_at is None


def test_subscribing_an_address_already_subscribed_says_the_same_and_changes_nothing(client, areas):
    existing = SubscriberFactory(email="anna@example.org", areas=[areas[0]], kinds=["calls"])
    new = client.get(_subscribe(client, "nowa@example.org", areas[1:])["Location"])
    again = client.get(_subscribe(client, "ANNA@example.org", areas[1:])["Location"])
    assert new.content == again.content
    existing.refresh_from_db()
    assert [a.code for a in existing.areas.all()] == ["7"]
    assert existing.kinds == ["calls"]
    # Only the owner of the mailbox can apply the new choices, with the link sent there.
    assert OutgoingEmail.objects.filter(to="anna@example.org").count() == 1


def test_the_form_shows_each_error_next_to_its_field_and_keeps_what_was_typed(client, areas):
    response = client.post(
        reverse("newsletter:subscribe"),
        {"email": "not-an-address", "areas": [areas[0].pk], "language": "en"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="id_email_error"' in content
    assert 'id="id_kinds_error"' in content
    assert 'id="id_consent_error"' in content
    assert 'value="not-an-address"' in content
    assert not Subscriber.objects.exists()


def test_a_fifth_request_for_one_address_in_an_hour_sends_nothing_and_says_the_same(
    client, rate_limits
):
    for _n in range(5):
        response = _subscribe(client, "anna@example.org")
        assert response.status_code == 302
    assert OutgoingEmail.objects.filter(to="anna@example.org").count() == 3


# Preferences by a signed link


def test_the_preferences_link_changes_areas_and_kinds(client, areas):
    subscriber = SubscriberFactory(areas=[areas[0]], kinds=["calls"])
    url = reverse("newsletter:preferences", args=[tokens.manage_token(subscriber)])
    response = client.post(
        url, {"areas": [areas[2].pk], "kinds": ["events", "rooms"], "language": "en"}
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert [a.code for a in subscriber.areas.all()] == ["16"]
    assert subscriber.kinds == ["events", "rooms"]
    assert subscriber.language == "en"


def test_a_token_for_one_subscriber_never_changes_another(client, areas):
    a = SubscriberFactory(areas=[areas[0]], kinds=["calls"])
    b = SubscriberFactory(areas=[areas[1]], kinds=["news"])
    # B's number signed with A's key, B's number with a made-up key, B's number and key
    # unsigned, A's token with a broken signature, and a confirmation link for B's address.
    forged = [
        signing.dumps([b.pk, a.key], salt=tokens.MANAGE_SALT),
        signing.dumps([b.pk, "guessed"], salt=tokens.MANAGE_SALT),
        signing.dumps([b.pk, b.key], salt="another purpose"),
        tokens.manage_token(a)[:-2] + "xx",
        tokens.confirmation_token(b.email, [], ["events"], "en"),
    ]
    for token in forged:
        data = {"areas": [areas[2].pk], "kinds": ["events"], "language": "en"}
        assert client.post(reverse("newsletter:preferences", args=[token]), data).status_code == 404
        assert client.post(reverse("newsletter:unsubscribe", args=[token])).status_code == 404
    # A's own token changes A and nothing else.
    client.post(
        reverse("newsletter:preferences", args=[tokens.manage_token(a)]),
        {"areas": [areas[2].pk], "kinds": ["events"], "language": "en"},
    )
    b.refresh_from_db()
    assert [x.code for x in b.areas.all()] == ["17"]
    assert b.kinds == ["news"]
    assert b.unsubscribed_at is None
    a.refresh_from_db()
    assert a.kinds == ["events"]


def test_the_preferences_page_does_not_show_the_whole_address(client):
    subscriber = SubscriberFactory(email="anna.kowalska@example.org")
    page = client.get(reverse("newsletter:preferences", args=[tokens.manage_token(subscriber)]))
    assert page.status_code == 200
    assert b"anna.kowalska" not in page.content
    assert "a•••@example.org" in page.content.decode()


# Unsubscribing


def test_opening_the_unsubscribe_link_asks_and_unsubscribes_nobody(client):
    subscriber = SubscriberFactory()
    page = client.get(reverse("newsletter:unsubscribe", args=[tokens.manage_token(subscriber)]))
    assert page.status_code == 200
    assert b"Unsubscribe from the newsletter?" in page.content
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None


def test_a_one_click_post_without_csrf_or_login_unsubscribes_at_once():
    subscriber = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("newsletter:unsubscribe", args=[tokens.manage_token(subscriber)]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert not Subscriber.objects.active().filter(pk=subscriber.pk).exists()


def test_an_unsubscribed_person_subscribes_again_from_the_preferences_link(client, areas):
    subscriber = SubscriberFactory(unsubscribed_at=timezone.now())
    url = reverse("newsletter:preferences", args=[tokens.manage_token(subscriber)])
    client.post(url, {"kinds": ["news"], "language": "pl", "resubscribe": "1"})
    subscriber.refresh_from_db()
    assert subscriber.is_active


# A signed-in person's own subscription


def test_a_signed_in_person_with_a_verified_address_subscribes_without_an_email(client, areas):
    user = UserFactory(email="czlonek@example.org")
    login(client, user)
    response = client.post(
        reverse("newsletter:mine"), {"areas": [areas[0].pk], "kinds": ["calls"], "language": "pl"}
    )
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.user == user
    assert subscriber.email == "czlonek@example.org"
    assert subscriber.is_active
    assert not OutgoingEmail.objects.exists()


def test_a_signed_in_person_takes_over_the_subscription_of_their_address(client):
    user = UserFactory(email="czlonek@example.org")
    SubscriberFactory(email="czlonek@example.org", kinds=["news"])
    login(client, user)
    client.post(reverse("newsletter:mine"), {"kinds": ["calls"], "language": "pl"})
    subscriber = Subscriber.objects.get()
    assert subscriber.user == user
    assert subscriber.kinds == ["calls"]


def test_a_changed_account_address_takes_over_that_address_s_own_subscription(client):
    user = UserFactory(email="stary@example.org")
    old = SubscriberFactory(email="stary@example.org", user=user, kinds=["news"])
    SubscriberFactory(email="nowy@example.org", kinds=["news"])
    user.email = "nowy@example.org"
    user.save()
    EmailAddress.objects.create(user=user, email="nowy@example.org", verified=True)
    login(client, user)
    response = client.post(reverse("newsletter:mine"), {"kinds": ["calls"], "language": "pl"})
    assert response.status_code == 302
    taken = Subscriber.objects.get(email="nowy@example.org")
    assert taken.user == user
    assert taken.kinds == ["calls"]
    assert taken.is_active
    old.refresh_from_db()
    assert old.user is None
    assert not old.is_active


def test_a_changed_account_address_moves_its_subscription_when_the_address_has_none(client):
    user = UserFactory(email="stary@example.org")
    SubscriberFactory(email="stary@example.org", user=user, kinds=["news"])
    user.email = "nowy@example.org"
    user.save()
    EmailAddress.objects.create(user=user, email="nowy@example.org", verified=True)
    login(client, user)
    client.post(reverse("newsletter:mine"), {"kinds": ["calls"], "language": "pl"})
    assert Subscriber.objects.get().email == "nowy@example.org"


def test_a_signed_in_person_without_a_verified_address_gets_a_link(client):
    user = UserFactory(email="nowy@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    login(client, user)
    client.post(reverse("newsletter:mine"), {"kinds": ["calls"], "language": "pl"})
    assert not Subscriber.objects.active().exists()
    assert OutgoingEmail.objects.get().to == "nowy@example.org"


def test_my_newsletter_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("newsletter:mine"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_my_newsletter_unsubscribes_after_a_confirmation_page(client):
    user = UserFactory()
    subscriber = SubscriberFactory(email=user.email, user=user)
    login(client, user)
    assert client.get(reverse("newsletter:mine_unsubscribe")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None
    client.post(reverse("newsletter:mine_unsubscribe"))
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_the_confirmation_link_carries_the_choices_not_the_database(areas):
    services.request_subscription("anna@example.org", areas[:1], [Kind.NEWS], "pl")
    token = _link(OutgoingEmail.objects.get().body, "potwierdz").rstrip("/").rsplit("/", 1)[1]
    assert tokens.read_confirmation(token)["k"] == ["news"]
