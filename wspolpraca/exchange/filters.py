"""The exchange list's filters: every filter a URL parameter, so a filtered list can be
shared and works without JavaScript."""

import django_filters
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.search import search
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import District, PublicBenefitArea

from .models import Post


def _areas(request):
    return PublicBenefitArea.objects.current()


class _ShortAreaField(django_filters.fields.ModelChoiceField):
    # The statutory wording runs to two lines; the select shows the plain short names.
    def label_from_instance(self, obj):
        return obj.short_label


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = _ShortAreaField


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    side = django_filters.ChoiceFilter(
        label=_("Offers or needs"),
        choices=Post.Side.choices,
        empty_label=_("offers and needs"),
        widget=PlainSelect,
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=Post.Category.choices,
        empty_label=_("all categories"),
        widget=PlainSelect,
    )
    author = django_filters.ChoiceFilter(
        label=_("Posted by"),
        field_name="author_kind",
        choices=[
            (Post.AuthorKind.ORGANIZATION, _("organizations")),
            (Post.AuthorKind.BUSINESS, _("companies")),
        ],
        empty_label=_("organizations and companies"),
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
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="number",
        empty_label=_("all districts"),
        widget=PlainSelect,
        method="filter_district",
    )

    class Meta:
        model = Post
        fields = ["q", "side", "category", "author", "area", "district"]

    def filter_search(self, queryset, name, value):
        # The list keeps its order (newest first) when searched: nothing to rank.
        return search(queryset, value, rank_names=False)

    def filter_district(self, queryset, name, value):
        # A post for the whole city concerns every district too.
        from django.db.models import Q

        return queryset.filter(Q(district=value) | Q(district__isnull=True))
