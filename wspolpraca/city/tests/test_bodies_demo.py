"""The demo's dialogue bodies: the council and six commissions, with everything their
pages show, and the two opinion requests (one answered, one open)."""

import random

import pytest

from wspolpraca.city.models import DialogueBody, OpinionRequest
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.demo.bodies import make_bodies
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_demo_makes_the_council_and_commissions_with_both_kinds_of_requests(client):
    DepartmentFactory()
    orgs = OrganizationFactory.create_batch(5)

    accounts = make_bodies(random.Random(7), orgs)

    assert DialogueBody.objects.filter(kind="council").count() == 1
    assert DialogueBody.objects.filter(kind="commission").count() == 6
    states = sorted(r.current_state for r in OpinionRequest.objects.all())
    assert states == ["answered", "awaiting"]
    assert accounts == [("dialogue body secretary", "sekretarz.kdo@example.org")]
    council = DialogueBody.objects.get(kind="council")
    response = client.get(council.get_absolute_url())
    assert response.status_code == 200
    assert response.context["current_members"] and response.context["former_members"]
    assert make_bodies(random.Random(7), orgs) == []
