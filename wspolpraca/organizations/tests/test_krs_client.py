import json
import socket
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from wspolpraca.organizations import krs
from wspolpraca.organizations.krs import (
    KrsEntity,
    KrsError,
    KrsNotAnNgo,
    KrsNotFound,
    KrsStruckOff,
    KrsUnavailable,
)

from .fake_krs import FIXTURES, sample_extract

KRAKOW_FOUNDATION = "odpis-S-0000512345-fundacja-krakow.json"


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English messages (the msgids), whatever the catalogue says."""
    with translation.override("en"):
        yield


def _fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# Parsing.


def test_parse_extract_reads_identity_and_register_data():
    entity = krs.parse_extract(_fixture(KRAKOW_FOUNDATION))
    assert entity.krs == "0000512345"
    assert entity.register == "S"
    assert entity.name == "FUNDACJA ZIELONE PODWÓRKA"
    assert entity.kind == "foundation"
    assert entity.nip == "1005123452"
    assert entity.regon == "159320939"
    assert entity.registration_date == date(2014, 5, 7)
    assert entity.is_public_benefit is True


def test_parse_extract_builds_the_address_and_the_seat():
    entity = krs.parse_extract(_fixture(KRAKOW_FOUNDATION))
    assert entity.street == "ul. Kasztanowa 12/4"
    assert entity.postal_code == "31-222"
    assert entity.city == "Kraków"
    assert entity.seat_municipality == "M. KRAKÓW"
    assert entity.seat_county == "M. KRAKÓW"
    assert entity.seat_town == "KRAKÓW"


def test_parse_extract_normalises_email_and_website():
    entity = krs.parse_extract(_fixture(KRAKOW_FOUNDATION))
    assert entity.email == "kontakt@zielone-podworka.example.org"
    assert entity.website == "https://www.zielone-podworka.example.org"


def test_parse_extract_keeps_goals_and_representation_but_no_people():
    entity = krs.parse_extract(_fixture(KRAKOW_FOUNDATION))
    assert entity.statutory_goals.startswith("1. ZAKŁADANIE I PIELĘGNOWANIE")
    assert "\n2. EDUKACJA" in entity.statutory_goals
    assert entity.representation == (
        "ZARZĄD FUNDACJI\nDWÓCH CZŁONKÓW ZARZĄDU DZIAŁAJĄCYCH ŁĄCZNIE."
    )
    assert "*" not in json.dumps(entity.to_dict())


@pytest.mark.parametrize(
    ("legal_form", "kind"),
    [
        ("FUNDACJA", "foundation"),
        ("STOWARZYSZENIE", "association"),
        ("STOWARZYSZENIE KULTURY FIZYCZNEJ", "association"),
        ("SPÓŁDZIELNIA SOCJALNA", "social_cooperative"),
        ("SAMODZIELNY PUBLICZNY ZAKŁAD OPIEKI ZDROWOTNEJ", "other"),
        ("", "other"),
    ],
)
def test_legal_form_maps_to_organization_kind(legal_form, kind):
    assert krs.kind_for(legal_form) == kind


def test_website_gets_https_when_the_register_gives_none():
    assert krs.normalise_website("WWW.Example.ORG") == "https://www.example.org"
    assert krs.normalise_website("http://example.org") == "http://example.org"
    assert krs.normalise_website("") == ""


def test_entity_survives_a_round_trip_through_the_session():
    entity = krs.parse_extract(_fixture(KRAKOW_FOUNDATION))
    assert KrsEntity.from_dict(json.loads(json.dumps(entity.to_dict()))) == entity


def test_seat_in_the_city_is_recognised_by_gmina_or_town():
    entity = krs.parse_extract(sample_extract("1", "FUNDACJA A", city="KRAKÓW"))
    elsewhere = krs.parse_extract(sample_extract("2", "FUNDACJA B", city="TARNÓW"))
    assert entity.is_seated_in(["M. KRAKÓW"], "kraków")
    assert not elsewhere.is_seated_in(["KRAKÓW", "M. KRAKÓW"], "KRAKÓW")


def test_bulletin_parses_to_sorted_distinct_padded_numbers():
    assert krs.parse_bulletin(["512345", "27", "512345", "4410"]) == [
        "0000000027",
        "0000004410",
        "0000512345",
    ]


def test_not_found_body_is_recognised():
    assert krs.is_not_found_body(_fixture("not-found-404.json"))
    assert not krs.is_not_found_body(_fixture(KRAKOW_FOUNDATION))


def test_sample_extract_has_valid_nip_and_regon():
    from .. import forms

    entity = krs.parse_extract(sample_extract("4410", "STOWARZYSZENIE C", kind="STOWARZYSZENIE"))
    assert forms.clean_nip_number(entity.nip) == entity.nip
    assert forms.clean_regon_number(entity.regon) == entity.regon


def test_every_shared_sample_file_parses():
    folder = Path(settings.BASE_DIR).parent / "shared" / "domain" / "krs"
    if not folder.is_dir():
        pytest.skip(f"no shared KRS samples at {folder}")
    files = sorted(folder.glob("*.json"))
    assert files
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, list):
            numbers = krs.parse_bulletin(data)
            assert numbers and all(len(n) == 10 and n.isdigit() for n in numbers)
            assert numbers == sorted(set(numbers))
        elif "odpis" in data:
            entity = krs.parse_extract(data)
            assert entity.krs.isdigit() and len(entity.krs) == 10
            assert entity.name and entity.kind
            assert entity.registration_date is not None
        else:
            assert krs.is_not_found_body(data), path.name


# The HTTP client against the fake register.


def test_find_organization_reads_register_s(fake_krs):
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    entity = krs.find_organization("512345")
    assert entity.name == "FUNDACJA ZIELONE PODWÓRKA"
    assert fake_krs.requests == ["OdpisAktualny/0000512345?rejestr=S&format=json"]


def test_number_in_neither_register_is_not_found(fake_krs):
    with pytest.raises(KrsNotFound) as error:
        krs.find_organization("0000999999")
    assert "no organization with this number" in str(error.value)
    assert fake_krs.count("rejestr=P") == 1


def test_number_of_a_company_is_not_an_ngo(fake_krs):
    fake_krs.add_extract("600777", "odpis-P-0000600777-spolka.json", register="P")
    with pytest.raises(KrsNotAnNgo):
        krs.find_organization("600777")


def test_social_cooperative_in_register_p_is_accepted(fake_krs):
    fake_krs.add_extract(
        "600778",
        sample_extract("600778", "SPÓŁDZIELNIA SOCJALNA RAZEM", kind="SPÓŁDZIELNIA SOCJALNA"),
        register="P",
    )
    assert krs.find_organization("600778").kind == "social_cooperative"


def test_answer_204_means_struck_off(fake_krs):
    fake_krs.set_status("OdpisAktualny/0000512345?rejestr=S", 204)
    with pytest.raises(KrsStruckOff):
        krs.find_organization("512345")


def test_429_then_200_succeeds_after_a_retry(fake_krs):
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    fake_krs.set_status("OdpisAktualny/512345", 429, times=1)
    assert krs.find_organization("512345").krs == "0000512345"
    assert fake_krs.count("0000512345") == 2


def test_retry_after_header_sets_the_pause(fake_krs, monkeypatch):
    pauses = []
    monkeypatch.setattr(krs, "_sleep", pauses.append)
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    fake_krs.set_status("OdpisAktualny/512345", 429, times=1, headers={"Retry-After": "7"})
    krs.fetch_extract("512345")
    assert pauses == [7.0]


def test_back_off_doubles_between_retries(fake_krs, settings, monkeypatch):
    pauses = []
    monkeypatch.setattr(krs, "_sleep", pauses.append)
    settings.KRS_BACKOFF = 0.5
    settings.KRS_RETRIES = 3
    fake_krs.set_status("*", 503)
    with pytest.raises(KrsUnavailable):
        krs.fetch_extract("512345")
    assert pauses == [0.5, 1.0, 2.0]


def test_repeated_500_means_the_register_is_unavailable(fake_krs, settings):
    settings.KRS_RETRIES = 2
    fake_krs.set_status("*", 500)
    with pytest.raises(KrsUnavailable) as error:
        krs.find_organization("512345")
    assert "fill in the data by hand" in str(error.value)
    assert fake_krs.count("0000512345") == 3


def test_refused_connection_means_the_register_is_unavailable(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.KRS_API_URL = f"http://127.0.0.1:{port}/api/krs"
    settings.KRS_BACKOFF = 0
    with pytest.raises(KrsUnavailable):
        krs.find_organization("512345")


def test_timeout_means_the_register_is_unavailable(fake_krs, settings):
    settings.KRS_TIMEOUT = 0.2
    settings.KRS_RETRIES = 1
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    fake_krs.set_delay("OdpisAktualny/512345", 1.0)
    with pytest.raises(KrsUnavailable):
        krs.find_organization("512345")
    assert fake_krs.count("0000512345") == 2


def test_slow_answer_within_the_timeout_succeeds(fake_krs, settings):
    settings.KRS_TIMEOUT = 2
    fake_krs.add_extract("512345", KRAKOW_FOUNDATION)
    fake_krs.set_delay("OdpisAktualny/512345", 0.2, times=1)
    assert krs.find_organization("512345").krs == "0000512345"


def test_answer_that_is_not_an_extract_means_unavailable(fake_krs):
    fake_krs.add_extract("512345", {"something": "else"})
    with pytest.raises(KrsUnavailable):
        krs.fetch_extract("512345")


def test_fetch_bulletin_returns_padded_numbers(fake_krs):
    fake_krs.add_bulletin("2026-03-02", ["512345", "27", "512345"])
    assert krs.fetch_bulletin(date(2026, 3, 2)) == ["0000000027", "0000512345"]


def test_every_error_is_a_krs_error_with_a_message():
    for cls in (KrsNotFound, KrsStruckOff, KrsNotAnNgo, KrsUnavailable):
        error = cls(krs="0000000001")
        assert isinstance(error, KrsError)
        assert str(error)
        assert error.krs == "0000000001"


def test_error_message_is_translated_when_shown():
    error = KrsUnavailable()
    with translation.override("en"):
        assert str(error) == "The register is not answering right now — fill in the data by hand."


def test_interactive_lookup_gives_up_after_fewer_retries_than_the_watch(fake_krs, settings):
    from wspolpraca.organizations import krs

    settings.KRS_RETRIES = 3
    settings.KRS_INTERACTIVE_RETRIES = 1
    fake_krs.set_status("*", 503)
    with pytest.raises(krs.KrsUnavailable):
        krs.fetch_extract("123456", interactive=True)
    assert fake_krs.count("OdpisAktualny") == 2
