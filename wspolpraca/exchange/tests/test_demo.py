"""The demo's exchange: both sides, several categories, companies, ended posts, a thread."""

import random

import pytest

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.demo.exchange import make_exchange
from wspolpraca.exchange.models import Message, Post
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    orgs = [OrganizationFactory() for _n in range(20)]
    MembershipFactory(
        organization=orgs[0],
        user=UserFactory(email="admin.ngo@example.org"),
        role=Membership.Role.ADMIN,
    )
    MembershipFactory(
        organization=orgs[1],
        user=UserFactory(email="admin2.ngo@example.org"),
        role=Membership.Role.ADMIN,
    )
    UserFactory(email="mieszkanka@example.org")
    UserFactory(email="admin@example.org", role="platform_admin")
    return orgs


def test_the_demo_posts_offers_and_needs_of_both_kinds_of_author_quietly(orgs):
    accounts = make_exchange(random.Random(2026), orgs)
    posts = Post.objects.all()
    assert 25 <= posts.count() <= 35
    assert {p.side for p in posts} == {"offer", "need"}
    assert len({p.category for p in posts}) >= 6
    assert posts.filter(author_kind="business").count() >= 3
    assert posts.filter(status="closed").exists()
    assert posts.filter(status="expired").exists()
    assert posts.filter(is_hidden=True).exists()
    assert Post.objects.live().count() >= 15
    assert accounts == [("company (exchange)", "firma@example.org")]
    assert not OutgoingEmail.objects.exists()


def test_the_demo_conversation_is_between_the_two_demo_organizations(orgs):
    make_exchange(random.Random(2026), orgs)
    thread = list(Message.objects.order_by("created_at"))
    assert len(thread) == 3
    assert {m.post.organization for m in thread} == {orgs[0]}
    assert [m.from_author for m in thread] == [False, True, False]
    assert thread[0].sender.email == "admin2.ngo@example.org"


def test_the_demo_is_made_once(orgs):
    make_exchange(random.Random(1), orgs)
    count = Post.objects.count()
    make_exchange(random.Random(1), orgs)
    assert Post.objects.count() == count
