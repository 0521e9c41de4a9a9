"""What the library holds about a person is in their data export."""

import json

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory

from .factories import ResearchTopicFactory, StudyFactory, TopicSupportFactory

pytestmark = pytest.mark.django_db


def test_my_export_lists_my_studies_topics_and_supports(client):
    me = UserFactory()
    StudyFactory(submitted_by=me, title="Badanie potrzeb seniorów")
    ResearchTopicFactory(proposed_by=me, title="Zbadać dostępność przystanków")
    TopicSupportFactory(user=me, topic=ResearchTopicFactory(title="Zbadać ceny najmu sal"))
    StudyFactory(title="Cudze badanie")
    login(client, me)
    data = json.loads(client.post(reverse("accounts:export")).content)
    assert [s["title"] for s in data["library_studies_submitted"]] == ["Badanie potrzeb seniorów"]
    assert [t["title"] for t in data["research_topics_proposed"]] == [
        "Zbadać dostępność przystanków"
    ]
    assert data["research_topics_supported"] == ["Zbadać ceny najmu sal"]
