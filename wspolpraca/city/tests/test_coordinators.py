"""The public coordinators directory (III4) and the departments list."""

import pytest
from django.urls import reverse

from wspolpraca.city.tests.factories import (
    CoordinatorFactory,
    DepartmentFactory,
    PublicBenefitAreaFactory,
)

pytestmark = pytest.mark.django_db


def section(html, element_id):
    """The HTML of the <section> labelled by `element_id`, up to the next top-level one."""
    start = html.index(f'aria-labelledby="{element_id}"')
    end = html.find("</section>", start)
    return html[start:end]


@pytest.fixture
def culture():
    return PublicBenefitAreaFactory(code="TK", label_pl="Kultura testowa")


@pytest.fixture
def sport():
    return PublicBenefitAreaFactory(code="TS", label_pl="Sport testowy")


def test_coordinators_page_lists_each_coordinator_under_their_area(client, culture, sport):
    CoordinatorFactory(full_name="Anna Kulturalna", areas=[culture])
    CoordinatorFactory(full_name="Jan Sportowy", areas=[sport])

    html = client.get(reverse("city:coordinators")).content.decode()

    assert "Anna Kulturalna" in section(html, "area-TK")
    assert "Jan Sportowy" not in section(html, "area-TK")
    assert "Jan Sportowy" in section(html, "area-TS")


def test_coordinators_page_groups_coordinators_by_department(client, culture):
    department = DepartmentFactory(name="Wydział Kultury Testowej")
    CoordinatorFactory(full_name="Anna Kulturalna", department=department, areas=[culture])

    html = client.get(reverse("city:coordinators")).content.decode()

    assert "Anna Kulturalna" in section(html, f"department-{department.pk}")


def test_area_filter_shows_only_coordinators_of_that_area(client, culture, sport):
    CoordinatorFactory(full_name="Anna Kulturalna", areas=[culture])
    CoordinatorFactory(full_name="Jan Sportowy", areas=[sport])

    html = client.get(reverse("city:coordinators"), {"area": "TK"}).content.decode()

    assert "Anna Kulturalna" in html
    assert "Jan Sportowy" not in html


def test_area_filter_keeps_the_chosen_area_selected_in_the_form(client, culture):
    html = client.get(reverse("city:coordinators"), {"area": "TK"}).content.decode()

    assert '<option value="TK" selected>' in html


def test_unknown_area_code_shows_everyone_instead_of_an_error(client, culture):
    CoordinatorFactory(full_name="Anna Kulturalna", areas=[culture])

    response = client.get(reverse("city:coordinators"), {"area": "nope"})

    assert response.status_code == 200
    assert "Anna Kulturalna" in response.content.decode()


def test_inactive_coordinators_are_not_listed(client, culture):
    CoordinatorFactory(full_name="Były Koordynator", areas=[culture], is_active=False)

    html = client.get(reverse("city:coordinators")).content.decode()

    assert "Były Koordynator" not in html


def test_coordinators_page_shows_contacts_as_links(client, culture):
    CoordinatorFactory(email="anna@example.org", phone="+48 12 111 22 33", areas=[culture])

    html = client.get(reverse("city:coordinators")).content.decode()

    assert 'href="mailto:anna@example.org"' in html
    assert 'href="tel:+48121112233"' in html


def _make(n):
    areas = [PublicBenefitAreaFactory() for _ in range(3)]
    for i in range(n):
        CoordinatorFactory(department=DepartmentFactory(), areas=areas[: 1 + i % 3])
    return areas


@pytest.mark.parametrize("rows", [3, 30])
def test_coordinators_page_query_count_does_not_grow_with_data(
    client, rows, django_assert_num_queries
):
    _make(rows)
    # areas, their coordinators, coordinators by department, their areas
    with django_assert_num_queries(5):  # +1: when the data last changed (core.caching)
        client.get(reverse("city:coordinators"))


@pytest.mark.parametrize("rows", [3, 30])
def test_filtered_coordinators_page_query_count_does_not_grow_with_data(
    client, rows, django_assert_num_queries
):
    area = _make(rows)[0]
    with django_assert_num_queries(5):  # +1: when the data last changed (core.caching)
        response = client.get(reverse("city:coordinators"), {"area": area.code})
    assert response.context["selected_area"] == area


@pytest.mark.parametrize("rows", [3, 30])
def test_departments_page_query_count_does_not_grow_with_data(
    client, rows, django_assert_num_queries
):
    _make(rows)
    with django_assert_num_queries(4):  # +1: when the data last changed (core.caching)
        client.get(reverse("city:departments"))


def test_departments_page_lists_each_department_with_its_coordinators(client):
    department = DepartmentFactory(name="Wydział Sportu Testowego", email="ws@example.org")
    CoordinatorFactory(department=department, full_name="Jan Sportowy")

    html = client.get(reverse("city:departments")).content.decode()

    assert "Jan Sportowy" in section(html, f"department-{department.pk}")
    assert "ws@example.org" in html
