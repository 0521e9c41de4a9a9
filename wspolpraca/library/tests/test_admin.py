"""The back office shows studies and topics; a change to a study is audited; only a
platform administrator deletes a topic."""

import pytest
from django.urls import reverse

from conftest import admin_change_data, login
from wspolpraca.core.models import AuditEntry

from .factories import ResearchTopicFactory, StudyFactory

pytestmark = pytest.mark.django_db


def test_the_back_office_shows_a_study_and_a_topic(client, platform_admin):
    study = StudyFactory()
    topic = ResearchTopicFactory()
    login(client, platform_admin)
    for url in (
        reverse("admin:library_study_changelist"),
        reverse("admin:library_study_change", args=[study.pk]),
        reverse("admin:library_researchtopic_changelist"),
        reverse("admin:library_researchtopic_change", args=[topic.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_a_correction_in_the_back_office_is_audited(client, platform_admin):
    study = StudyFactory(title="Diagnoza z literówką")
    login(client, platform_admin)
    url = reverse("admin:library_study_change", args=[study.pk])
    data = admin_change_data(client, url, title="Diagnoza bez literówki")
    data["areas"] = [area.pk for area in study.areas.all()]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    study.refresh_from_db()
    assert study.title == "Diagnoza bez literówki"
    entry = AuditEntry.objects.get(action="study.updated")
    assert entry.changes["title"] == ["Diagnoza z literówką", "Diagnoza bez literówki"]


def test_an_official_cannot_delete_a_topic(client, official):
    from django.contrib.auth.models import Permission

    official.user_permissions.add(*Permission.objects.filter(content_type__app_label="library"))
    official.is_staff = True
    official.save()
    topic = ResearchTopicFactory()
    login(client, official)
    url = reverse("admin:library_researchtopic_delete", args=[topic.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert topic.__class__.objects.filter(pk=topic.pk).exists()
