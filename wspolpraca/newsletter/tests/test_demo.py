import random

import pytest

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.demo.newsletter import make_newsletter
from wspolpraca.newsletter.models import Digest, News, Subscriber

pytestmark = pytest.mark.django_db


def test_the_demo_makes_subscribers_news_and_a_past_digest_and_emails_nobody():
    UserFactory(email="czlonek@example.org")
    digest = make_newsletter(random.Random(1), subscribers=40)
    assert (
        Subscriber.objects.active().count() == 38
    )  # one waiting, one unsubscribed, one bounced, + the member
    assert Subscriber.objects.get(user__email="czlonek@example.org").is_active
    assert News.objects.published().count() == 6
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE
    assert digest.deliveries.count() == digest.subscriber_count > 0
    assert not OutgoingEmail.objects.exists()
