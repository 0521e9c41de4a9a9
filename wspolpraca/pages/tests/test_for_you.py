from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core import feed
from wspolpraca.organizations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganizationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = reverse("pages:for_you")


@pytest.fixture
def trainings():
    """A "training" source whose items the test sets; the real one lives in `events`."""
    shown = []
    original = feed._sources.get("training"), feed._labels.get("training")
    feed.unregister("training")
    feed.register("training", lambda start, end: list(shown), label="Training")
    yield shown
    feed.unregister("training")
    if original[0]:
        feed.register("training", original[0], label=original[1])


def training(title, *, areas=(), district=None, days=5):
    now = timezone.now()
    return feed.Item(
        kind="training",
        title=title,
        url="/wydarzenia/1/",
        published=now,
        starts=now + timedelta(days=days),
        areas=tuple(areas),
        district=district,
    )


@pytest.fixture
def member():
    culture = PublicBenefitAreaFactory(code="CULT")
    organization = OrganizationFactory(name="Fundacja Sztuki", district=DistrictFactory(number=13))
    organization.areas.add(culture)
    return MembershipFactory(organization=organization).user


def test_for_you_shows_items_of_the_organizations_area_or_district_only(client, member, trainings):
    trainings += [
        training("Culture workshop", areas=["CULT"]),
        training("Podgórze meeting", district=13),
        training("Sport camp", areas=["SPORT"], district=2),
    ]
    login(client, member)
    page = client.get(URL).content.decode()
    assert "Culture workshop" in page
    assert "Podgórze meeting" in page
    assert "Sport camp" not in page


def test_for_you_never_shows_an_organization_the_person_is_not_a_member_of(
    client, member, trainings
):
    stranger = OrganizationFactory(name="Klub Sportowy Obcy")
    login(client, member)
    page = client.get(URL, {"organizacja": stranger.pk}).content.decode()
    assert "Klub Sportowy Obcy" not in page
    assert "Fundacja Sztuki" in page


def test_for_you_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_for_you_tells_a_person_without_an_organization_how_to_find_one(client, trainings):
    from wspolpraca.accounts.tests.factories import UserFactory

    login(client, UserFactory())
    page = client.get(URL).content.decode()
    assert "not a member of any organization" in page


def test_for_you_makes_the_same_number_of_queries_for_one_item_or_many(client, member, trainings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, member)
    trainings.append(training("One", areas=["CULT"]))
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    trainings.extend(training(f"Many {n}", areas=["CULT"]) for n in range(30))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_for_you_lists_rooms_published_before_today_in_the_organizations_district(client, member):
    from wspolpraca.venues.tests.factories import BuildingFactory, RoomFactory

    RoomFactory(
        name="Sala w Podgórzu", building=BuildingFactory(district=DistrictFactory(number=13))
    )
    RoomFactory(
        name="Sala w Nowej Hucie", building=BuildingFactory(district=DistrictFactory(number=18))
    )
    login(client, member)
    page = client.get(URL).content.decode()
    assert "Sala w Podgórzu" in page
    assert "Sala w Nowej Hucie" not in page
