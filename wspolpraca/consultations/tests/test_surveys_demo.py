"""The demo surveys build through the services and answer in bulk as the service would."""

import random

import pytest

from wspolpraca.city.models import TrainingTopic
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.consultations import surveys
from wspolpraca.consultations.models import Survey, SurveyParticipation
from wspolpraca.demo.surveys import TRAINING_TOPICS, make_surveys
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .consultation_factories import official_of

pytestmark = pytest.mark.django_db


def test_demo_makes_a_signed_needs_survey_and_an_anonymous_quality_survey():
    official_of(DepartmentFactory(), email="urzednik@example.org")
    orgs = OrganizationFactory.create_batch(12)
    MembershipFactory(organization=orgs[0])
    make_surveys(random.Random(1), orgs)
    needs = Survey.objects.get(anonymous=False)
    quality = Survey.objects.get(anonymous=True)
    assert needs.response_count == 11 and needs.is_open
    assert quality.response_count == 320 and quality.results_public
    assert set(TrainingTopic.objects.values_list("name", flat=True)) == set(TRAINING_TOPICS)
    assert not SurveyParticipation.objects.filter(survey=quality, response__isnull=False).exists()
    first = surveys.results(needs)[0]
    assert sum(r["count"] for r in first.rows) >= 11
    # The demo accounts' organizations are left to answer by hand.
    assert not SurveyParticipation.objects.filter(organization=orgs[0]).exists()
    assert all("topic" in r for r in first.rows)
