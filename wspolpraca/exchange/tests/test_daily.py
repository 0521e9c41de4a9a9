"""The daily job: expired posts written down, authors reminded once a week ahead."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wspolpraca.core import jobs
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.exchange import services
from wspolpraca.exchange.models import Post

from .factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TEMPLATE = "exchange/email/expiring.txt"


def _in(days):
    return timezone.localdate() + timedelta(days=days)


def test_the_daily_job_is_registered_with_the_nightly_command():
    assert services.daily_task in jobs._daily


def test_open_posts_past_their_date_are_marked_expired():
    past = PostFactory(expires_on=_in(-1))
    today = PostFactory(expires_on=_in(0))
    closed = PostFactory(expires_on=_in(-5), status=Post.Status.CLOSED)
    assert services.mark_expired() == 1
    for post in (past, today, closed):
        post.refresh_from_db()
    assert past.status == Post.Status.EXPIRED
    assert today.status == Post.Status.OPEN
    assert closed.status == Post.Status.CLOSED


def test_the_author_is_reminded_a_week_before_expiry_and_never_twice():
    post = PostFactory(business=True, expires_on=_in(7))
    PostFactory(business=True, expires_on=_in(8))
    assert services.remind_expiring() == 1
    assert services.remind_expiring() == 0
    email = OutgoingEmail.objects.get(template=TEMPLATE)
    assert email.to == post.created_by.email
    assert post.title in email.body


def test_the_reminder_comes_again_for_a_new_date_after_an_extension():
    post = PostFactory(business=True, expires_on=_in(3))
    services.remind_expiring()
    services.extend_post(post, post.created_by)
    assert services.remind_expiring() == 0  # the new date is two months away
    Post.objects.filter(pk=post.pk).update(expires_on=_in(6))
    assert services.remind_expiring() == 1


def test_closed_hidden_and_expired_posts_get_no_reminder():
    PostFactory(business=True, expires_on=_in(2), status=Post.Status.CLOSED)
    PostFactory(business=True, expires_on=_in(2), is_hidden=True)
    PostFactory(business=True, expires_on=_in(-1))
    assert services.remind_expiring() == 0


def test_the_task_runs_both_parts():
    PostFactory(expires_on=_in(-1))
    PostFactory(business=True, expires_on=_in(1))
    result = services.daily_task.call()
    assert result == {"expired": 1, "reminded": 1}
