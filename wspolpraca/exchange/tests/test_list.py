"""The public list: only live posts, filters in the URL, Polish search, constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.exchange.models import Post
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

from .factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = reverse("exchange:list")


def _listed(response):
    return [post.title for post in response.context["rows"]]


def test_the_list_shows_only_open_unexpired_visible_posts(client):
    live = PostFactory(title="Otwarta oferta")
    PostFactory(title="Zamknięta", status=Post.Status.CLOSED)
    PostFactory(title="Po terminie", expires_on=timezone.localdate() - timedelta(days=1))
    PostFactory(title="Ukryta", is_hidden=True)
    PostFactory(title="Oznaczona jako wygasła", status=Post.Status.EXPIRED)
    assert _listed(client.get(LIST)) == [live.title]


def test_a_post_expiring_today_is_still_listed(client):
    PostFactory(title="Ostatni dzień", expires_on=timezone.localdate())
    assert _listed(client.get(LIST)) == ["Ostatni dzień"]


def test_the_newest_post_comes_first(client):
    PostFactory(title="Starsza")
    PostFactory(title="Nowsza")
    assert _listed(client.get(LIST)) == ["Nowsza", "Starsza"]


def test_filter_by_side(client):
    PostFactory(title="Oferta", side=Post.Side.OFFER)
    PostFactory(title="Potrzeba", side=Post.Side.NEED)
    assert _listed(client.get(LIST, {"side": "need"})) == ["Potrzeba"]


def test_filter_by_category(client):
    PostFactory(title="Sala", category=Post.Category.SPACE)
    PostFactory(title="Sprzęt", category=Post.Category.EQUIPMENT)
    assert _listed(client.get(LIST, {"category": "space"})) == ["Sala"]


def test_filter_by_company_posts(client):
    PostFactory(title="Organizacji")
    PostFactory(title="Firmy", business=True)
    assert _listed(client.get(LIST, {"author": "business"})) == ["Firmy"]


def test_filter_by_area(client):
    seniors = PublicBenefitAreaFactory(code="10")
    culture = PublicBenefitAreaFactory(code="16")
    PostFactory(title="Dla seniorów", areas=[seniors])
    PostFactory(title="Kultura", areas=[culture])
    PostFactory(title="Oba", areas=[seniors, culture])
    assert _listed(client.get(LIST, {"area": "10"})) == ["Oba", "Dla seniorów"]


def test_filter_by_district_includes_posts_for_the_whole_city(client):
    nowa_huta = DistrictFactory(number=18)
    podgorze = DistrictFactory(number=13)
    PostFactory(title="Nowa Huta", district=nowa_huta)
    PostFactory(title="Podgórze", district=podgorze)
    PostFactory(title="Całe miasto", district=None)
    assert _listed(client.get(LIST, {"district": "18"})) == ["Całe miasto", "Nowa Huta"]


def test_the_filters_stay_in_the_pagination_links(client):
    for n in range(Post.PER_PAGE + 1):
        PostFactory(title=f"Potrzeba {n}", side=Post.Side.NEED)
    page = client.get(LIST, {"side": "need"}).content.decode()
    assert 'href="?side=need&amp;page=2"' in page


# Search with the Polish normaliser


def test_searching_a_declined_form_finds_the_organization_by_name(client):
    foundation = OrganizationFactory(name="Fundacja Dobrych Rąk")
    PostFactory(title="Rzutnik do użyczenia", organization=foundation)
    PostFactory(title="Sala w Podgórzu")
    assert _listed(client.get(LIST, {"q": "fundacji"})) == ["Rzutnik do użyczenia"]


def test_searching_without_polish_letters_finds_words_with_them(client):
    PostFactory(title="Zbiórka żywności dla seniorów")
    PostFactory(title="Komputery dla świetlicy")
    assert _listed(client.get(LIST, {"q": "zywnosc"})) == ["Zbiórka żywności dla seniorów"]


def test_search_reads_the_description_too(client):
    PostFactory(title="Pomoc", description="Księgowa pomoże przy sprawozdaniu finansowym.")
    PostFactory(title="Inne", description="Transport busem.")
    assert _listed(client.get(LIST, {"q": "sprawozdania"})) == ["Pomoc"]


def test_search_finds_a_company_by_its_name(client):
    PostFactory(business=True, title="Porady", company_name="Kancelaria Łęcka")
    PostFactory(title="Inne")
    assert _listed(client.get(LIST, {"q": "lecka"})) == ["Porady"]


def test_search_combines_with_the_filters(client):
    PostFactory(title="Sala dla fundacji", side=Post.Side.OFFER, category=Post.Category.SPACE)
    PostFactory(title="Sala potrzebna", side=Post.Side.NEED, category=Post.Category.SPACE)
    assert _listed(client.get(LIST, {"q": "sala", "side": "need"})) == ["Sala potrzebna"]


def test_a_changed_title_is_found_by_its_new_words(client):
    post = PostFactory(title="Stara nazwa")
    post.title = "Warsztaty fotograficzne"
    post.save()
    assert _listed(client.get(LIST, {"q": "fotografia"})) == ["Warsztaty fotograficzne"]


# Queries


def test_the_list_makes_the_same_queries_for_3_and_30_posts(client):
    areas = [PublicBenefitAreaFactory(code="10"), PublicBenefitAreaFactory(code="16")]
    district = DistrictFactory(number=5)
    for _n in range(3):
        PostFactory(areas=areas, district=district)
    client.get(LIST)  # warm the layout's caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(27):
        PostFactory(areas=areas, business=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["rows"]) == Post.PER_PAGE  # a full page
    assert len(many) == len(few)


def test_a_search_makes_the_same_queries_for_3_and_30_posts(client):
    for _n in range(3):
        PostFactory(title="Sala na spotkania")
    client.get(LIST, {"q": "sala"})
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"q": "sala", "area": "33"})
    for _n in range(27):
        PostFactory(title="Sala na warsztaty")
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, {"q": "sala", "area": "33"})
    assert len(response.context["rows"]) == Post.PER_PAGE
    assert len(many) == len(few)
