import csv
from pathlib import Path

import pytest
from django.conf import settings

from wspolpraca.organizations.models import PublicBenefitArea

SHARED = Path(settings.BASE_DIR).parent / "shared" / "domain"


@pytest.mark.django_db
def test_migrations_load_every_area_of_the_act_with_both_labels():
    areas = PublicBenefitArea.objects.current()
    assert areas.count() == 40
    assert not areas.filter(label_en="").exists()


@pytest.mark.django_db
def test_areas_match_the_legal_list_in_shared_data():
    path = SHARED / "public-benefit-areas.csv"
    if not path.exists():
        pytest.skip("shared/domain is not present")
    with open(path, encoding="utf-8") as f:
        legal = {row["code"]: row["label_pl"] for row in csv.DictReader(f)}
    stored = dict(PublicBenefitArea.objects.values_list("code", "label_pl"))
    assert stored == legal


@pytest.mark.django_db
def test_an_area_past_its_validity_is_not_current():
    import datetime

    area = PublicBenefitArea.objects.get(code="34")
    area.valid_to = datetime.date(2020, 1, 1)
    area.save()
    assert not PublicBenefitArea.objects.current().filter(code="34").exists()


def test_district_file_matches_the_shared_list():
    path = SHARED / "krakow-districts.csv"
    if not path.exists():
        pytest.skip("shared/domain is not present")
    ours = (
        Path(settings.BASE_DIR) / "wspolpraca" / "organizations" / "data" / "krakow_districts.csv"
    )
    with open(path, encoding="utf-8") as a, open(ours, encoding="utf-8") as b:
        assert list(csv.DictReader(a)) == list(csv.DictReader(b))
