"""A feed the tests control: the registry's sources are replaced for the test by one
list of items of the kinds the newsletter reads (other apps' sources are left out)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wspolpraca.core import feed
from wspolpraca.newsletter.services import news_feed

LABELS = {
    "call": "Call deadline",
    "planned_call": "Planned call",
    "consultation": "Consultation",
    "consultation_meeting": "Consultation meeting",
    "training": "Training",
    "event": "Event",
    "meeting": "Meeting",
    "room": "Room",
    "news": "News",
}


class FakeFeed:
    def __init__(self):
        self.items = []

    def add(self, kind, title, *, areas=(), published=None, starts=None, url=None):
        published = published or timezone.now() - timedelta(days=2)
        item = feed.Item(
            kind=kind,
            title=title,
            url=url or f"/{kind}/{len(self.items) + 1}/",
            published=published,
            starts=starts or published + timedelta(days=10),
            areas=tuple(areas),
        )
        self.items.append(item)
        return item

    def source(self, kind):
        def items_of_kind(start, end):
            return [
                i for i in self.items if i.kind == kind and start <= (i.starts or i.published) < end
            ]

        return items_of_kind


@pytest.fixture
def fake_feed(monkeypatch):
    fake = FakeFeed()
    sources = {kind: fake.source(kind) for kind in LABELS if kind != "news"}
    sources["news"] = news_feed
    monkeypatch.setattr(feed, "_sources", sources)
    monkeypatch.setattr(feed, "_labels", dict(LABELS))
    return fake
