"""The library's list filters: every filter a URL parameter, so a filtered list can be
shared and works without JavaScript. The API takes the same filters (api/studies.py)."""

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.search import search
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import District, PublicBenefitArea

from .models import ResearchTopic, Study

FIRST_YEAR = 1900
LAST_YEAR = 2100


def _areas(request):
    return PublicBenefitArea.objects.current()


class _ShortAreaField(django_filters.fields.ModelChoiceField):
    # The statutory wording runs to two lines; the select shows the plain short names.
    def label_from_instance(self, obj):
        return obj.short_label


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = _ShortAreaField


class YearField(forms.IntegerField):
    """A year in four digits: "2020.0", " 2020" and "+2020" are refused."""

    def to_python(self, value):
        if value not in self.empty_values and not (
            isinstance(value, str) and value.isascii() and value.isdigit()
        ):
            raise forms.ValidationError(_("Enter a year in digits, e.g. 2020."), code="invalid")
        return super().to_python(value)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


def _choices(choices):
    return [(value, capfirst(label)) for value, label in choices]


class StudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    area = AreaFilter(
        label=_("Public benefit area"),
        queryset=_areas,
        field_name="areas",
        to_field_name="code",
        empty_label=_("all areas"),
        widget=PlainSelect,
        method="filter_area",
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
        field_name="districts",
        to_field_name="number",
        empty_label=_("all districts"),
        widget=PlainSelect,
        method="filter_district",
    )
    publisher = django_filters.ChoiceFilter(
        label=_("Published by"),
        field_name="publisher_type",
        choices=_choices(Study.PublisherType.choices),
        empty_label=_("anyone"),
        widget=PlainSelect,
    )
    year_from = YearFilter(
        label=_("From the year"),
        field_name="year",
        lookup_expr="gte",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
    )
    year_to = YearFilter(
        label=_("To the year"),
        field_name="year",
        lookup_expr="lte",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
    )
    licence = django_filters.ChoiceFilter(
        label=_("Licence"),
        choices=_choices(Study.Licence.choices),
        empty_label=_("any licence"),
        widget=PlainSelect,
    )

    class Meta:
        model = Study
        fields = ["q", "area", "district", "publisher", "year_from", "year_to", "licence"]

    def filter_search(self, queryset, name, value):
        # The list keeps its order (newest first) when searched: nothing to rank.
        return search(queryset, value, rank_names=False)

    def filter_area(self, queryset, name, value):
        # A subquery rather than a join: the database starts from the area's few studies
        # instead of scanning every year of the list and probing each one's areas.
        links = Study.areas.through.objects.filter(publicbenefitarea=value).values("study_id")
        return queryset.filter(pk__in=links)

    def filter_district(self, queryset, name, value):
        # Studies that name the district; those of the whole city would bury them. A
        # subquery rather than a join: no duplicate rows beside the area's join.
        links = Study.districts.through.objects.filter(district=value).values("study_id")
        return queryset.filter(pk__in=links)


class TopicFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=_choices(ResearchTopic.Status.choices),
        empty_label=_("every status"),
        widget=PlainSelect,
    )
    area = AreaFilter(
        label=_("Public benefit area"),
        queryset=_areas,
        field_name="areas",
        to_field_name="code",
        empty_label=_("all areas"),
        widget=PlainSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[("support", _("most supported first")), ("new", _("newest first"))],
        empty_label=None,
        method="filter_sort",
        widget=PlainSelect,
    )

    class Meta:
        model = ResearchTopic
        fields = ["status", "area", "sort"]

    def filter_sort(self, queryset, name, value):
        return queryset  # applied by `ordered`, after the other filters

    def ordered(self):
        if self.is_bound and self.is_valid() and self.form.cleaned_data.get("sort") == "new":
            return self.qs.order_by("-created_at", "-id")
        return self.qs.order_by("-support_count", "-id")
