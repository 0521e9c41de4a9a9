"""The demo's library: studies of every kind of publisher, a moderation queue, one
rejected, topics with supports and answers, one taken up with its study; nobody e-mailed."""

import random

import pytest

from wspolpraca.accounts.models import User
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.demo.library import make_library
from wspolpraca.library.models import ResearchTopic, Study
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    for code in ("1", "7", "10", "13", "15", "16", "18", "27", "33"):
        PublicBenefitAreaFactory(code=code)
    orgs = [OrganizationFactory() for _n in range(5)]
    MembershipFactory(
        organization=orgs[0],
        user=UserFactory(email="admin.ngo@example.org"),
        role=Membership.Role.ADMIN,
    )
    UserFactory(email="urzednik@example.org", role=User.Role.OFFICIAL)
    for _n in range(12):
        UserFactory()
    return orgs


def test_the_demo_fills_the_library_quietly_and_once(orgs):
    make_library(random.Random(2026), orgs)
    make_library(random.Random(2026), orgs)
    studies = Study.objects.all()
    assert 38 <= studies.count() <= 45
    assert set(studies.values_list("publisher_type", flat=True)) == set(Study.PublisherType)
    assert studies.filter(status="submitted").count() == 3
    assert studies.filter(status="rejected").count() == 1
    assert studies.exclude(file="").exists()
    assert all(s.areas.exists() for s in studies)
    topics = ResearchTopic.objects.all()
    assert 6 <= topics.count() <= 10
    assert topics.filter(support_count__gt=0).exists()
    taken = topics.filter(status=ResearchTopic.Status.TAKEN_UP)
    assert taken.exists() and all(t.study and t.study.is_public for t in taken)
    assert topics.filter(status=ResearchTopic.Status.PROPOSED).exists()
    assert not OutgoingEmail.objects.exists()
