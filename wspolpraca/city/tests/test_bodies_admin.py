"""The back office of the dialogue bodies: platform admins set a body up (audited)."""

import pytest
from django.urls import reverse

from conftest import login
from wspolpraca.city.tests.factories import (
    BodyMeetingFactory,
    DialogueBodyFactory,
    OpinionFactory,
    OpinionRequestFactory,
)
from wspolpraca.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["dialoguebody", "bodymeeting", "opinion", "opinionrequest"])
def test_platform_admin_can_list_each_kind_of_record(client, platform_admin, model):
    body = DialogueBodyFactory(name="KDO Administracyjna")
    BodyMeetingFactory(body=body)
    OpinionFactory(body=body)
    OpinionRequestFactory(body=body)
    login(client, platform_admin)

    response = client.get(reverse(f"admin:city_{model}_changelist"))

    assert response.status_code == 200


def test_adding_a_body_in_the_admin_is_audited(client, platform_admin):
    department = DialogueBodyFactory().department
    login(client, platform_admin)

    response = client.post(
        reverse("admin:city_dialoguebody_add"),
        {
            "kind": "commission",
            "name": "KDO Nowa",
            "slug": "kdo-nowa",
            "department": department.pk,
            "opinion_min_days": 7,
            "is_active": "on",
            "position": 0,
            "members-TOTAL_FORMS": 0,
            "members-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    assert AuditEntry.objects.get(action="dialogue_body.created").changes["name"] == [
        None,
        "KDO Nowa",
    ]


def test_outsider_cannot_open_the_bodies_admin(client, outsider):
    login(client, outsider)

    response = client.get(reverse("admin:city_dialoguebody_changelist"))

    assert response.status_code == 302
