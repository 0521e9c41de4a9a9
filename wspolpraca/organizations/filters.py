"""The directory's filters, shared by the pages, the CSV export, the map and the API."""

import re
from functools import partial

import django_filters
from django import forms
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.search import alias, named_aliases, query_groups, search
from wspolpraca.core.widgets import PlainSelect

from .models import District, Organization, PublicBenefitArea

_SYNONYM_SEPARATOR = re.compile(r"[,;\n]")


class Vocabulary:
    """The areas in force and the districts, each read once per request.

    They give the options of the two filter selects, the area names of exports and map
    popups, and the aliases of search: an area's synonyms ("seniorzy", "emeryt") match the
    organizations working in it, and a district's name ("Nowa Huta", "dzielnica XIII")
    matches the organizations in it.
    """

    @cached_property
    def areas(self):
        return list(PublicBenefitArea.objects.current())

    @cached_property
    def districts(self):
        return list(District.objects.all())

    @cached_property
    def area_labels(self):
        """Area id → short name, in the areas' order and the language of the request."""
        return {area.pk: area.short_label for area in self.areas}

    def area_names(self, ids):
        """The short names of the areas in `ids` (a list, or ids joined by commas as
        `area_ids()` gives them), in the areas' order; areas no longer in force are left out."""
        if isinstance(ids, str):
            ids = {int(i) for i in ids.split(",") if i}
        ids = set(ids or ())
        return [label for pk, label in self.area_labels.items() if pk in ids]

    def area_choices(self):
        return [("", _("all areas"))] + [(area.code, area.short_label) for area in self.areas]

    def district_choices(self):
        return [("", _("all districts"))] + [(d.number, str(d)) for d in self.districts]

    @cached_property
    def aliases(self):
        result = []
        for area in self.areas:
            in_area = partial(_in_area, area.pk)  # built only when a query names it
            for phrase in _SYNONYM_SEPARATOR.split(area.synonyms):
                if phrase.strip():
                    result.append(alias(("area", area.pk), phrase, in_area))
        for district in self.districts:
            in_district = Q(district_id=district.pk)
            for phrase in district_phrases(district):
                result.append(alias(("district", district.pk), phrase, in_district))
        return result

    def named_district_ids(self, query):
        named = named_aliases(query_groups(query), self.aliases)
        return sorted({a.key[1] for a, _covered in named if a.key[0] == "district"})


def _in_area(area_id):
    through = Organization.areas.through
    return Q(pk__in=through.objects.filter(publicbenefitarea_id=area_id).values("organization_id"))


def district_phrases(district):
    """What people call a district: its name ("Bieżanów-Prokocim"), each part of a
    hyphenated name ("Prokocim"), and "dzielnica" with the name, numeral or number."""
    names = [district.name]
    if "-" in district.name:
        names += [part.strip() for part in district.name.split("-") if part.strip()]
    phrases = names + [f"dzielnica {name}" for name in names]
    phrases.append(f"dzielnica {district.number}")
    if district.roman:
        phrases.append(f"dzielnica {district.roman}")
    return phrases


class _GroupIds(Aggregate):
    """The grouped ids joined by commas: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def area_ids():
    """An expression giving, on each organization row, the ids of its areas ("3,17"):
    one correlated lookup on the membership index per row, no query per row."""
    through = Organization.areas.through
    return Subquery(
        through.objects.filter(organization_id=OuterRef("pk"))
        .values("organization_id")
        .annotate(ids=_GroupIds("publicbenefitarea_id"))
        .values("ids")[:1],
        output_field=CharField(),
    )


class OrganizationFilter(django_filters.FilterSet):
    SORTS = {
        "name": (_("name A–Z"), ["sort_name", "id"]),
        "-name": (_("name Z–A"), ["-sort_name", "-id"]),
        "-created": (_("newest on the platform"), ["-created_at", "-id"]),
        "-registered": (
            _("most recently registered"),
            [F("registration_date").desc(nulls_last=True), "-id"],
        ),
    }

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    area = django_filters.ModelChoiceFilter(
        label=_("Public benefit area"),
        # A callable, so that "current" is judged on the day of the request.
        queryset=lambda request: PublicBenefitArea.objects.current(),
        field_name="areas",
        to_field_name="code",
        empty_label=_("all areas"),
        widget=PlainSelect,
        method="filter_area",
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="number",
        empty_label=_("all districts"),
        widget=PlainSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Legal form"),
        choices=Organization.Kind.choices,
        empty_label=_("all forms"),
        widget=PlainSelect,
    )
    opp = django_filters.BooleanFilter(
        label=_("Public benefit status (OPP)"),
        field_name="is_public_benefit",
        widget=PlainSelect(
            choices=[("", _("any")), ("true", _("OPP only")), ("false", _("without OPP"))]
        ),
    )
    verified = django_filters.BooleanFilter(
        label=_("Verification"),
        method="filter_verified",
        widget=PlainSelect(
            choices=[("", _("any")), ("true", _("verified only")), ("false", _("not yet verified"))]
        ),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="filter_sort",
        empty_label=_("relevance or name"),
        widget=PlainSelect,
    )

    class Meta:
        model = Organization
        fields = ["q", "area", "district", "kind", "opp", "verified", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocabulary = Vocabulary()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # The selects show the short names, read with the search's vocabulary (one
            # query each); the values are still checked against the database.
            # (Django's own setter: django-filter's would wrap a callable in a model
            # iterator; a callable stays lazy, so a request that renders no form reads none.)
            set_choices = forms.ChoiceField.choices.fset
            set_choices(form.fields["area"], self.vocabulary.area_choices)
            set_choices(form.fields["district"], self.vocabulary.district_choices)
        return self._form

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return search(queryset, value, aliases=self.vocabulary.aliases)

    def filter_area(self, queryset, name, value):
        # A condition on the row (in the area's list of organizations), not a join: the
        # database can then walk the order or the map tile it is asked for and test each
        # row, instead of starting from every organization of a large area.
        return queryset.filter(_in_area(value.pk))

    def filter_verified(self, queryset, name, value):
        verified = Organization.Verification.VERIFIED
        return (
            queryset.filter(verification=verified)
            if value
            else queryset.exclude(verification=verified)
        )

    def filter_sort(self, queryset, name, value):
        return queryset  # applied in `qs` so that it comes after the search annotation

    @property
    def ranks_name_hits_first(self):
        """True when the results are a search in its natural order (no sort chosen)."""
        if not self.form.is_valid():
            return False
        data = self.form.cleaned_data
        return bool((data.get("q") or "").strip()) and data.get("sort") not in self.SORTS

    @cached_property
    def ranked_districts(self):
        """The districts a search in its natural order names: their organizations first."""
        if not self.ranks_name_hits_first:
            return []
        return self.vocabulary.named_district_ids(self.form.cleaned_data["q"])

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        if sort in self.SORTS:
            return queryset.order_by(*self.SORTS[sort][1])
        if self.ranked_districts:
            # The named district's organizations first, then the rest; in each, name
            # matches first, then by name.
            in_district = Q(district_id__in=self.ranked_districts)
            district_first = Case(
                When(in_district, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
            return queryset.order_by(district_first, "-name_hit", "sort_name", "id")
        if self.ranks_name_hits_first:
            # Name matches first, then the rest, each by name: the same on both databases.
            return queryset.order_by("-name_hit", "sort_name", "id")
        return queryset.order_by("sort_name", "id")
