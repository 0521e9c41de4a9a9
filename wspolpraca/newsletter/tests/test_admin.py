import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from conftest import login, with_totp
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.audit import AuditEntry
from wspolpraca.newsletter import services
from wspolpraca.newsletter.models import DigestDelivery, News

from .factories import SubscriberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ADDRESS = "tajny.adres@example.org"


@pytest.fixture
def staff_official():
    """An official in the back office whose group was also given every permission on the
    newsletter's models: the admin must still refuse the addresses."""
    sync_role_groups()
    user = with_totp(UserFactory(role=User.Role.OFFICIAL))
    apply_role(user)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="newsletter"))
    return user


@pytest.fixture
def sent_digest(fake_feed):
    fake_feed.add("call", "Konkurs")
    SubscriberFactory(email=ADDRESS)
    digest = services.build_digest(timezone.localdate())
    return services.send_digests(digest)


def test_an_official_is_refused_the_subscribers_whatever_the_permissions(
    client, staff_official, sent_digest
):
    login(client, staff_official)
    subscriber_pk = DigestDelivery.objects.get().subscriber_id
    for url in (
        reverse("admin:newsletter_subscriber_changelist"),
        reverse("admin:newsletter_subscriber_change", args=[subscriber_pk]),
        reverse("admin:newsletter_digestdelivery_changelist"),
        reverse("admin:newsletter_digestdelivery_change", args=[DigestDelivery.objects.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert ADDRESS not in response.content.decode()


def test_an_official_sees_the_send_log_counts_but_no_address(client, staff_official, sent_digest):
    login(client, staff_official)
    listing = client.get(reverse("admin:newsletter_digest_changelist"))
    page = client.get(reverse("admin:newsletter_digest_change", args=[sent_digest.pk]))
    assert listing.status_code == page.status_code == 200
    for response in (listing, page):
        assert ADDRESS not in response.content.decode()
    assert "shown to platform administrators only" in page.content.decode()
    assert "sent: 1" in page.content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:newsletter_subscriber_changelist") not in index


def test_a_platform_admin_sees_the_addresses_of_the_deliveries(client, platform_admin, sent_digest):
    login(client, platform_admin)
    response = client.get(
        reverse("admin:newsletter_digestdelivery_changelist")
        + f"?digest__id__exact={sent_digest.pk}"
    )
    assert response.status_code == 200
    assert ADDRESS in response.content.decode()


def test_the_bounce_action_records_a_bounce_with_who_did_it(client, platform_admin):
    subscriber = SubscriberFactory(email=ADDRESS)
    login(client, platform_admin)
    client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "mark_bounce", "_selected_action": [subscriber.pk]},
    )
    subscriber.refresh_from_db()
    assert subscriber.bounce_count == 1
    entry = AuditEntry.objects.get(action="subscriber.bounce_marked")
    assert entry.actor == platform_admin
    assert ADDRESS not in entry.object_repr  # the trail, which officials read, names no address


def test_news_added_in_the_back_office_records_its_author(client, platform_admin):
    login(client, platform_admin)
    response = client.post(
        reverse("admin:newsletter_news_add"),
        {
            "title": "Nabór do rady",
            "lead": "Zgłoś kandydata.",
            "body": "",
            "published_at_0": "2026-12-01",
            "published_at_1": "10:00",
            "slug": "",
        },
    )
    assert response.status_code == 302
    news = News.objects.get()
    assert news.author == platform_admin
    assert news.slug == "nabor-do-rady"
