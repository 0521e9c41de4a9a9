from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core import feed

from .factories import NewsFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_news_list_shows_published_news_and_no_drafts_or_future_news(client):
    NewsFactory(title="Opublikowana")
    NewsFactory(title="Szkic", published_at=None)
    NewsFactory(title="Jutrzejsza", published_at=timezone.now() + timedelta(days=1))
    content = client.get(reverse("newsletter:news_list")).content.decode()
    assert "Opublikowana" in content
    assert "Szkic" not in content
    assert "Jutrzejsza" not in content


def test_the_news_list_filters_by_area_in_the_address(client):
    seniors = PublicBenefitAreaFactory(code="7")
    NewsFactory(title="Dla seniorów", areas=[seniors])
    NewsFactory(title="Dla wszystkich")
    content = client.get(reverse("newsletter:news_list"), {"sfera": "7"}).content.decode()
    assert "Dla seniorów" in content
    assert "Dla wszystkich" not in content


def test_a_news_page_renders_its_markdown_safely(client):
    news = NewsFactory(body="**Ważne** <script>alert(1)</script>")
    content = client.get(news.get_absolute_url()).content.decode()
    assert "<strong>Ważne</strong>" in content
    assert "<script>alert(1)" not in content


def test_a_draft_has_no_page(client):
    news = NewsFactory(published_at=None)
    assert client.get(reverse("newsletter:news_detail", args=[news.slug])).status_code == 404


def test_the_news_list_makes_the_same_number_of_queries_whatever_the_size(
    client, django_assert_max_num_queries
):
    area = PublicBenefitAreaFactory(code="7")
    NewsFactory.create_batch(2, areas=[area])
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("newsletter:news_list"))
    NewsFactory.create_batch(30, areas=[area])
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("newsletter:news_list"))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_published_news_is_a_feed_item_of_the_kind_news():
    area = PublicBenefitAreaFactory(code="7")
    news = NewsFactory(title="Nowe zasady", areas=[area])
    now = timezone.now()
    [item] = feed.items(now - timedelta(days=1), now + timedelta(days=1), kinds=["news"])
    assert item.title == "Nowe zasady"
    assert item.url == news.get_absolute_url()
    assert item.areas == ("7",)
