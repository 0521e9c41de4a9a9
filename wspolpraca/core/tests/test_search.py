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
