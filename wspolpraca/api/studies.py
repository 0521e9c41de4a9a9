"""The research library in the API: /api/v1/studies/ and /api/v1/studies/<id>/.

Only what the public list shows: published studies, never drafts, studies awaiting
moderation, rejected or hidden ones, and never who submitted them. The filters are the
list page's (library.filters.StudyFilter), strict: an unknown value is a 400 naming the
parameter.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from wspolpraca.library.filters import FIRST_YEAR, LAST_YEAR, StudyFilter
from wspolpraca.library.models import Study

from .consultations import NamedPagination, _absolute, _documented, _listing
from .filters import OneValueEachMixin
from .serializers import BlankAsNullMixin
from .views import FILTER_ERRORS, NO_SUCH_PAGE, ErrorSerializer, LicensedDataMixin

# --- filters ---------------------------------------------------------------------------


def _year(description):
    return {
        "type": "integer",
        "minimum": FIRST_YEAR,
        "maximum": LAST_YEAR,
        "description": description,
    }


class ApiStudyFilter(OneValueEachMixin, StudyFilter):
    """The library page's filters, each value checked before the database sees it."""

    q = _documented(
        StudyFilter.base_filters["q"],
        {
            "type": "string",
            "maxLength": 200,
            # Django refuses NUL characters in form input (a 400).
            "pattern": "^[^\\x00]*$",
            "description": _(
                "Words of the title, authors, publisher or abstract; any form of a word, "
                "with or without Polish letters. Every word must match."
            ),
        },
    )
    year_from = _documented(
        StudyFilter.base_filters["year_from"], _year(_("Studies published in this year or later."))
    )
    year_to = _documented(
        StudyFilter.base_filters["year_to"], _year(_("Studies published in this year or earlier."))
    )

    class Meta(StudyFilter.Meta):
        pass


def published_studies():
    """Published studies, the newest year first (the list page's order); a page in three
    queries (count, rows, areas and districts prefetched together)."""
    return (
        Study.objects.published()
        .select_related("organization")
        .prefetch_related("areas", "districts")
        .defer("search_name", "search_document")
        .order_by("-year", "-id")
    )


# --- serializers -----------------------------------------------------------------------


class StudyPublisherSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text=_listing(_("Who published it: %(values)s."), Study.PublisherType.choices)
    )
    name = serializers.CharField(help_text=_("The publisher's name, as the study is signed."))
    organization = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The slug of the organization that published it (see /api/v1/organizations/); "
            "null when none is named."
        ),
    )


class StudySerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A published study, as its page shows it."""

    id = serializers.IntegerField(help_text=_("Number of the study."))
    title = serializers.CharField(help_text=_("Title."))
    authors = serializers.CharField(help_text=_("Its authors, as the study names them."))
    publisher = serializers.SerializerMethodField(help_text=_("Who published it."))
    year = serializers.IntegerField(help_text=_("Year of publication."))
    areas = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    districts = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="number",
        help_text=_("Numbers of the districts it concerns; empty: the whole city."),
    )
    abstract = serializers.CharField(help_text=_("What was studied, how, and what came out."))
    licence = serializers.CharField(
        help_text=_listing(_("Licence: %(values)s."), Study.Licence.choices)
    )
    licence_text = serializers.CharField(
        help_text=_("The licence in words; for 'other', the licence the publisher named.")
    )
    file_url = serializers.SerializerMethodField(
        help_text=_("Address of the study's file on this site; null when there is none.")
    )
    file_type = serializers.CharField(
        allow_null=True, help_text=_("Type of the file: pdf, docx, odt, xlsx or ods; null: none.")
    )
    link = serializers.URLField(
        allow_null=True, help_text=_("Where the study is published elsewhere; null: nowhere.")
    )
    published_at = serializers.DateTimeField(help_text=_("When it entered the library."))
    url = serializers.SerializerMethodField(help_text=_("The study's page on this site."))

    class Meta:
        model = Study
        fields = [
            "id",
            "title",
            "authors",
            "publisher",
            "year",
            "areas",
            "districts",
            "abstract",
            "licence",
            "licence_text",
            "file_url",
            "file_type",
            "link",
            "published_at",
            "url",
        ]
        read_only_fields = fields
        blank_as_null = ["file_type", "link"]

    @extend_schema_field(StudyPublisherSerializer)
    def get_publisher(self, obj):
        return {
            "type": obj.publisher_type,
            "name": obj.publisher,
            "organization": obj.organization.slug if obj.organization_id else None,
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, obj):
        if not obj.file:
            return None
        return _absolute(self, reverse("library:study_file", args=[obj.pk]))

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


# --- views -----------------------------------------------------------------------------


class StudyPagination(NamedPagination):
    # In "more than 10,000 studies match": the genitive in Polish, unlike the model's name.
    noun = pgettext_lazy("api count", "studies")


NO_SUCH_STUDY = OpenApiResponse(ErrorSerializer, description=_("No such published study."))


@extend_schema_view(
    list=extend_schema(
        summary=_("List studies"),
        description=_(
            "Published studies of the research library, the newest year first, 50 per page; "
            "never studies awaiting moderation, rejected or hidden ones. The filters are "
            "those of the library's page (/biblioteka/)."
        ),
        responses={200: StudySerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One study"),
        description=_("A published study by its number."),
        responses={200: StudySerializer, 404: NO_SUCH_STUDY},
    ),
)
class StudyViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = StudySerializer
    filterset_class = ApiStudyFilter
    pagination_class = StudyPagination
    queryset = Study.objects.none()
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return published_studies()

    def get_object(self):
        # A number only: anything else is no study (a 404), not a database error.
        if not str(self.kwargs.get("pk", "")).isdigit():
            raise NotFound
        return super().get_object()
