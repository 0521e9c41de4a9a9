"""The feed registry: readers get every registered source's items without importing them."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from wspolpraca.core import feed

NOW = timezone.make_aware(datetime(2027, 3, 1, 12, 0))


def item(kind, title, days, **fields):
    return feed.Item(
        kind=kind,
        title=title,
        url=f"/{title}/",
        published=NOW,
        starts=NOW + timedelta(days=days),
        **fields,
    )


@pytest.fixture
def sources(monkeypatch):
    # Only this test's sources (the apps' own need the database).
    monkeypatch.setattr(feed, "_sources", {})
    calls = [item("call", "Nabór", 3, areas=("16",)), item("call", "Drugi nabór", 1)]
    meetings = [item("meeting", "Spotkanie", 2, district=13)]
    feed.register("call", lambda start, end: [i for i in calls if start <= i.starts < end])
    feed.register("meeting", lambda start, end: meetings)
    return None


def test_items_of_every_source_come_in_date_order(sources):
    found = feed.items(NOW, NOW + timedelta(days=7))
    assert [i.title for i in found] == ["Drugi nabór", "Spotkanie", "Nabór"]


def test_a_reader_can_ask_for_some_kinds_only(sources):
    assert [i.kind for i in feed.items(NOW, NOW + timedelta(days=7), kinds={"meeting"})] == [
        "meeting"
    ]


def test_items_are_kept_by_area_and_by_district(sources):
    window = (NOW, NOW + timedelta(days=7))
    assert [i.title for i in feed.items(*window, areas=["16"])] == ["Nabór"]
    assert [i.title for i in feed.items(*window, district=13)] == ["Spotkanie"]


def test_the_window_is_the_sources_to_apply(sources):
    assert [i.title for i in feed.items(NOW, NOW + timedelta(days=2), kinds={"call"})] == [
        "Drugi nabór"
    ]


def test_a_whole_day_item_sorts_with_timed_ones():
    day = feed.Item("deadline", "Termin", "/t/", published=NOW, starts=date(2027, 3, 2))
    timed = item("meeting", "Rano", 1)
    assert sorted([timed, day], key=lambda i: i.sort_key)[0].title == "Termin"


def test_two_sources_cannot_claim_one_kind(sources):
    with pytest.raises(ValueError):
        feed.register("call", lambda start, end: [])
    assert "call" in feed.kinds()


def test_a_kind_registered_as_undated_is_left_out_of_the_dated_kinds():
    feed.register("test_undated", lambda start, end: [], dated=False)
    try:
        assert "test_undated" in feed.kinds()
        assert "test_undated" not in feed.kinds(dated=True)
        assert feed.kinds(dated=False) == sorted({"test_undated", *feed.kinds(dated=False)})
    finally:
        feed.unregister("test_undated")
    assert "test_undated" not in feed.kinds(dated=False)
