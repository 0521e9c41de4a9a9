"""Full-text search that behaves the same on SQLite and PostgreSQL.

One Python normaliser turns text into a *search document*: lower case, Polish Snowball
stems, Polish letters folded to ASCII (ł→l too). The database only matches prefixes of
those plain tokens: SQLite through an FTS5 table, PostgreSQL through a GIN index on
`to_tsvector('simple', …)`. Because both see the same tokens and the same query, both
return the same rows; ordering (name matches first, then by the folded name in `sort_name`) is
done in SQL that is the same on both, independent of the database's collation.

*Aliases* let a caller widen a query word beyond the text: an alias is a phrase ("seniorzy",
"Nowa Huta", "dzielnica XIII") and a condition (the rows of an area, of a district). When a
query names every word of an alias's phrase, the query words that named it match a row if
the text matches *or* the condition holds. The phrase goes through the same normaliser, so
"emerytów" names the alias "emeryt" and "Podgórza" names "Podgórze".
"""

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

import Stemmer
from django.db import connection, connections
from django.db.models import BooleanField, IntegerField, Q, Value, prefetch_related_objects
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = Stemmer.Stemmer("polish")
# Tokens shorter than this are dropped from queries: they would match nearly everything.
MIN_QUERY_TOKEN = 2
MAX_QUERY_TOKENS = 8
# Numbers and Roman numerals in an alias ("dzielnica XIII") are matched whole: "XI" must not
# name district XIII, nor "XVII" district XVIII.
_NUMERAL = re.compile(r"^(\d+|m*(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3}))$")


def fold(text):
    """Lower-case and strip diacritics; ł has no decomposition, so it is mapped by hand."""
    text = text.lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def token_variants(word):
    """The forms under which a word is indexed and looked up.

    The stemmer knows Polish endings with diacritics ("zdrowiem", "łódź"), so we stem the
    word as written and, for words typed without diacritics, the folded word as well.
    """
    word = word.lower()
    variants = {fold(_stemmer.stemWord(word)), _stemmer.stemWord(fold(word))}
    return sorted(v for v in variants if v)


def words(text):
    return _WORD.findall((text or "").replace("_", " "))


def search_document(*parts):
    """The text stored on a row and indexed by the database."""
    tokens = []
    seen = set()
    for part in parts:
        for word in words(part):
            for variant in token_variants(word):
                if variant not in seen:
                    seen.add(variant)
                    tokens.append(variant)
    return " ".join(tokens)


def query_groups(query):
    """Each query word becomes a group of variants; a row must match every group.

    Besides the stems, a long stem is also tried one letter shorter: Polish alternates the
    end of a stem between forms ("seniorzy" / "seniorom"), which the stemmer keeps apart.
    """
    groups = []
    for word in words(query)[:MAX_QUERY_TOKENS]:
        if len(fold(word)) < MIN_QUERY_TOKEN:
            continue
        variants = set(token_variants(word))
        variants |= {v[:-1] for v in variants if len(v) > 5}
        groups.append(sorted(variants))
    return groups


def _shortest_prefixes(group):
    """The variants that no other variant of the group starts: "krakow"* adds nothing to
    "krak"*, and each prefix costs the database its own walk through the index."""
    return [v for v in group if not any(o != v and v.startswith(o) for o in group)]


def _sqlite_match(groups):
    return " AND ".join(
        "(" + " OR ".join(f'"{variant}"*' for variant in _shortest_prefixes(group)) + ")"
        for group in groups
    )


def _postgres_tsquery(groups):
    return " & ".join(
        "(" + " | ".join(f"{variant}:*" for variant in _shortest_prefixes(group)) + ")"
        for group in groups
    )


def match_sql(table, column, groups):
    """SQL (and its params) that is true for rows of `table` whose `column` matches.

    By convention a searchable table has `search_name` and `search_document` columns; on
    SQLite an FTS5 table `<table>_fts` mirrors them (kept in step by triggers), on
    PostgreSQL a GIN index covers `to_tsvector('simple', <column>)`.
    """
    if connection.vendor == "postgresql":
        return (
            f"{table}.{column}_tsv @@ to_tsquery('simple', %s)",
            [_postgres_tsquery(groups)],
        )
    return (
        f"{table}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s)",
        [f"{{{column}}} : ({_sqlite_match(groups)})"],
    )


def row_match_sql(table, column, groups):
    """The same test as `match_sql`, made on the row itself: for every group, a token of
    `column` starts with one of its variants. Tokens are separated by single spaces and
    hold only letters and digits, so LIKE '% variant%' on ' ' || column is a token prefix.

    It reads no index, so it costs nothing up front and a little per row: cheaper than the
    full-text index when the rows are walked in another order (by name) and most of them
    match, as for the broadest words.
    """
    clauses, params = [], []
    for group in groups:
        variants = _shortest_prefixes(group)
        clauses.append(
            "(" + " OR ".join(f"(' ' || {table}.{column}) LIKE %s" for _v in variants) + ")"
        )
        params += [f"% {variant}%" for variant in variants]
    return " AND ".join(clauses), params


# On SQLite a query that at least this share of rows matches is tested row by row while
# the rows are walked in name order (see `_many_rows_match`). Measured at 150,000 rows:
# from about 5 % of the rows, ranking the index's matches costs more than walking.
ROW_BY_ROW_SHARE = 0.05
# Name matches are tested row by row from this share: walking the name order to fill a
# page then reads at most a few thousand rows. Fewer are read from the index of names.
NAMES_ROW_BY_ROW_SHARE = 0.01
DENSITY_SAMPLE = 2000


def _many_rows_match(table, groups):
    """(document, name): whether at least ROW_BY_ROW_SHARE of a sample of the table's rows
    match `groups` in their search document, and in their name.

    SQLite's FTS5 answers a query with the list of every matching row, and the planner
    then sorts those rows: for a word in half of 150,000 rows that costs 100–200 ms. When
    many rows match, walking the name order and testing each row finds a page in a few
    dozen rows and a capped count in a few thousand. Name matches are tested the same way
    unless they are very few: a word that is in many descriptions but in almost no name
    ("świetlica") finds its name matches through the index. The sample (the first rows
    by id) is read in about a millisecond; a wrong guess costs time, never a different
    result.
    """
    document, document_params = row_match_sql(table, "search_document", groups)
    name, name_params = row_match_sql(table, "search_name", groups)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {document} THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN {name} THEN 1 ELSE 0 END), 0) FROM "
            f"(SELECT id, search_name, search_document FROM {table} ORDER BY id "
            f"LIMIT {DENSITY_SAMPLE}) AS {table}",
            [*document_params, *name_params],
        )
        sampled, in_documents, in_names = cursor.fetchone()
    if not sampled:
        return False, False
    return (
        in_documents >= ROW_BY_ROW_SHARE * sampled,
        in_names >= NAMES_ROW_BY_ROW_SHARE * sampled,
    )


class NameHit(RawSQL):
    """The `name_hit` annotation. `match` is its condition (SQL and parameters), which
    `NameHitsFirst` filters on directly, so that the database can start from an index of
    names; `row_by_row` says the search tests each row's document itself (so walking the
    rows in name order is the cheap way to read them)."""

    def __init__(self, match, row_by_row):
        sql, params = match
        super().__init__(f"CASE WHEN {sql} THEN 1 ELSE 0 END", params, output_field=IntegerField())
        self.match = match
        self.row_by_row = row_by_row


class Alias(NamedTuple):
    """A phrase that, named in a query, also matches the rows `condition` (a Q, or a
    function that makes it, called only when a query names the alias) selects.

    `key` is the caller's own name for it (e.g. `("district", 13)`); `words` holds, for each
    word of the phrase, its indexed forms and whether it must be matched whole.
    """

    key: object
    words: tuple
    condition: Q


def alias(key, phrase, condition):
    """An `Alias` for `phrase`; an empty phrase gives one that is never named."""
    return Alias(key, _phrase_forms(phrase), condition)


@lru_cache(maxsize=4096)
def _phrase_forms(phrase):
    # The same few hundred phrases (areas' synonyms, districts' names) on every search.
    forms = []
    for word in words(phrase):
        variants = frozenset(token_variants(word))
        if variants:
            forms.append((variants, bool(_NUMERAL.match(fold(word)))))
    return tuple(forms)


def _names(group, forms, whole):
    if whole:
        return any(variant in forms for variant in group)
    return any(form.startswith(variant) for variant in group for form in forms)


def named_aliases(groups, aliases):
    """The aliases whose every word a query word names, each with the indexes of the query
    words (`groups`) that named it.

    A query word matches an alias word as it matches indexed text, by prefix. When one
    alias is named by a strict subset of the words that name another ("Podgórze" inside
    "Podgórze Duchackie"), only the more specific one is kept.
    """
    found = []
    for candidate in aliases:
        if not candidate.words:
            continue
        covered = set()
        for forms, whole in candidate.words:
            naming = {i for i, group in enumerate(groups) if _names(group, forms, whole)}
            if not naming:
                break
            covered |= naming
        else:
            found.append((candidate, frozenset(covered)))
    return [(a, covered) for a, covered in found if not any(covered < c for _b, c in found)]


def search(queryset, query, aliases=(), *, rank_names=True):
    """Rows of `queryset` matching every word of `query`, annotated with `name_hit`.

    A query word matches a row through its text or, where the word names one of `aliases`,
    through the alias's condition. `name_hit` is about the name only; a list kept in its
    own order (`rank_names=False`) goes without it, and its count need not compute it for
    every match. A query without a usable word matches nothing.
    """
    groups = query_groups(query)
    if not groups:
        if not rank_names:
            return queryset.none()
        return queryset.none().annotate(name_hit=Value(0, output_field=IntegerField()))
    table = queryset.model._meta.db_table
    widened = defaultdict(list)  # query word index → conditions that also match it
    for named, covered in named_aliases(groups, aliases):
        condition = named.condition() if callable(named.condition) else named.condition
        for index in covered:
            widened[index].append(condition)

    row_by_row = names_row_by_row = False
    if connection.vendor == "sqlite":
        row_by_row, names_row_by_row = _many_rows_match(table, groups)
    matcher = row_match_sql if row_by_row else match_sql

    def text_match(some_groups):
        sql, params = matcher(table, "search_document", some_groups)
        return Q(RawSQL(sql, params, output_field=BooleanField()))

    # Words no alias widens stay one text match (one FTS5 MATCH, one tsquery).
    plain = [group for index, group in enumerate(groups) if index not in widened]
    condition = text_match(plain) if plain else Q()
    for index, conditions in sorted(widened.items()):
        either = text_match([groups[index]])
        for extra in conditions:
            either |= extra
        condition &= either
    if not rank_names:
        return queryset.filter(condition)
    name_matcher = row_match_sql if names_row_by_row else match_sql
    return queryset.filter(condition).annotate(
        name_hit=NameHit(name_matcher(table, "search_name", groups), row_by_row)
    )


def install_sql(table, vendor):
    """Statements that create the index structures for `table` on a database of `vendor`."""
    if vendor == "postgresql":
        # Stored vectors: computing them per matching row costs more than the match itself.
        return [
            *(
                f"ALTER TABLE {table} ADD COLUMN {column}_tsv tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('simple', {column})) STORED"
                for column in ("search_name", "search_document")
            ),
            f"CREATE INDEX {table}_doc_gin ON {table} USING gin (search_document_tsv)",
        ]
    fts = f"{table}_fts"
    cols = "search_name, search_document"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
        f"content_rowid='id', prefix='2 3')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, new.search_name, new.search_document);"
        f" END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) "
        f"VALUES ('delete', old.id, old.search_name, old.search_document); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) "
        f"VALUES ('delete', old.id, old.search_name, old.search_document); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, new.search_name, new.search_document);"
        f" END",
    ]


def repair_sqlite_indexes(db):
    """Put back the FTS5 triggers that a table rebuild dropped, and rebuild those indexes.

    To change a column, Django on SQLite builds a new table, copies the rows and drops the
    old table, and the triggers that keep `<table>_fts` in step go with it: rows written
    after that would never be found. This runs after every `migrate` (and so when the test
    database is made) and returns the tables it repaired; on PostgreSQL there is nothing
    to repair (the stored vectors are columns of the table itself).
    """
    if db.vendor != "sqlite":
        return []
    repaired = []
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_fts' "
            "ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
        for fts in indexes:
            wanted = {f"{fts}_{suffix}" for suffix in ("ai", "ad", "au")}
            if wanted <= triggers:
                continue
            for name in sorted(wanted & triggers):
                cursor.execute(f"DROP TRIGGER {name}")
            table = fts.removesuffix("_fts")
            for statement in install_sql(table, "sqlite")[1:]:  # the three triggers
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            repaired.append(table)
    return repaired


def repair_after_migrate(sender, using="default", **kwargs):
    """Connected to post_migrate in CoreConfig.ready()."""
    repair_sqlite_indexes(connections[using])


def uninstall_sql(table, vendor):
    if vendor == "postgresql":
        return [
            f"DROP INDEX IF EXISTS {table}_doc_gin",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_name_tsv",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document_tsv",
        ]
    return [f"DROP TABLE IF EXISTS {table}_fts"] + [
        f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}" for suffix in ("ai", "ad", "au")
    ]


class NameHitsFirst:
    """Search results in the order "name matches first, then the rest, each by name",
    read as two queries that each walk the name order and stop at the page, instead of
    one query that ranks every match (slow for a word that half the rows contain).

    Wraps a queryset annotated by `search()`; slicing returns a list, as Paginator needs.
    Prefetches of the queryset are done once per page, over both parts.
    """

    def __init__(self, queryset, order=("sort_name", "id")):
        self._prefetch = queryset._prefetch_related_lookups
        plain = queryset.prefetch_related(None)
        sql, params = queryset.query.annotations["name_hit"].match
        name_hit = Q(RawSQL(sql, params, output_field=BooleanField()))
        self.every = plain.order_by()
        self.hits = plain.filter(name_hit).order_by(*order)
        self.rest = plain.exclude(name_hit).order_by(*order)
        self._hit_count = None  # (exact count or the limit it reached, the limit)

    def capped_count(self, limit):
        """The number of results, counting at most `limit`: one query in no order, which
        stops at the limit."""
        return self.every[:limit].count()

    def _count_hits(self, limit):
        if self._hit_count is None or self._hit_count[1] < limit:
            self._hit_count = (self.hits.order_by()[:limit].count(), limit)
        return self._hit_count[0]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("NameHitsFirst supports slices only")
        start, stop = index.start or 0, index.stop
        hits = self._count_hits(stop)
        rows = list(self.hits[start:stop]) if start < hits else []
        if stop > hits:
            rows += list(self.rest[max(start - hits, 0) : stop - hits])
        if self._prefetch:
            prefetch_related_objects(rows, *self._prefetch)
        return rows


def name_hits_first(queryset):
    """The results of `search()` in their ranking order, read the cheapest way.

    On PostgreSQL two queries that walk the name index beat ranking every match (measured
    at 150,000 rows: "fundacja" 100 → 31 ms). On SQLite the same holds when the search
    tests each row itself (a query many rows match, see `_many_rows_match`); otherwise
    the planner starts from the FTS5 match, and one query that ranks the few matches is
    cheaper.
    """
    name_hit = queryset.query.annotations.get("name_hit")
    if isinstance(name_hit, NameHit) and (connection.vendor == "postgresql" or name_hit.row_by_row):
        return NameHitsFirst(queryset)
    return queryset.order_by("-name_hit", "sort_name", "id")
