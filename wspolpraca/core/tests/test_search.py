import pytest

from wspolpraca.core.search import fold, query_groups, search_document


def test_fold_lowercases_and_strips_polish_diacritics_including_l_stroke():
    assert fold("Łódź ŻÓŁĆ ąęśń") == "lodz zolc aesn"


def test_search_document_holds_stems_without_diacritics():
    document = search_document("Fundacja Zdrowie Krakowa").split()
    assert "fundacj" in document
    assert all(token.isascii() for token in document)


def test_inflected_query_words_share_a_variant_with_the_indexed_word():
    indexed = set(search_document("Fundacja Zdrowie"))
    indexed = set(search_document("Fundacja Zdrowie").split())
    for group in query_groups("fundacji zdrowia"):
        assert any(any(token.startswith(v) for token in indexed) for v in group)


def test_one_letter_words_are_ignored_in_queries():
    assert query_groups("a w z") == []


# Aliases: phrases that widen a query word to the rows of a condition


def _named(query, *phrases):
    from django.db.models import Q

    from wspolpraca.core.search import alias, named_aliases

    aliases = [alias(phrase, phrase, Q()) for phrase in phrases]
    return {a.key: sorted(covered) for a, covered in named_aliases(query_groups(query), aliases)}


def test_an_inflected_query_word_names_an_alias():
    assert _named("emerytów", "emeryt") == {"emeryt": [0]}
    assert _named("Podgórza", "Podgórze") == {"Podgórze": [0]}


def test_an_alias_is_named_only_when_every_word_of_its_phrase_is_named():
    assert _named("nowa", "Nowa Huta") == {}
    assert _named("teatr nowa huta", "Nowa Huta") == {"Nowa Huta": [1, 2]}


def test_numerals_in_an_alias_are_matched_whole():
    assert _named("dzielnica XI", "dzielnica XIII", "dzielnica XI") == {"dzielnica XI": [0, 1]}
    assert _named("dzielnica XVII", "dzielnica XVIII") == {}
    assert _named("dzielnicy 1", "dzielnica 13") == {}


def test_the_more_specific_of_two_named_aliases_is_kept():
    assert _named("Podgórze Duchackie", "Podgórze", "Podgórze Duchackie") == {
        "Podgórze Duchackie": [0, 1]
    }


def test_aliases_named_by_different_words_are_all_kept():
    assert _named("seniorzy podgórze", "seniorzy", "Podgórze") == {
        "seniorzy": [0],
        "Podgórze": [1],
    }


def test_an_empty_phrase_is_never_named():
    assert _named("cokolwiek", "", " ") == {}


@pytest.mark.django_db
def test_search_index_lost_in_a_sqlite_table_rebuild_is_repaired_after_migrate(monkeypatch):
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    from wspolpraca.organizations.models import Organization
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its vectors in the table itself")
    # Searches read the index (none tests the rows themselves, as for a word many rows hold).
    monkeypatch.setattr("wspolpraca.core.search.ROW_BY_ROW_SHARE", 2.0)
    # What Django's table rebuild (an AlterField on SQLite) leaves behind: no triggers.
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER organizations_organization_fts_{suffix}")
    OrganizationFactory(name="Fundacja Zapomniana")
    assert not Organization.objects.search("zapomniana").exists()
    app = apps.get_app_config("organizations")
    post_migrate.send(sender=app, app_config=app, using="default", verbosity=0, interactive=False)
    assert Organization.objects.search("zapomniana").exists()
    OrganizationFactory(name="Fundacja Nowsza")
    assert Organization.objects.search("nowsza").exists()
