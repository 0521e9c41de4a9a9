"""The public, read-only JSON API and its documentation page."""

import json
import re
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from wspolpraca.agreements.statistics import FRESHNESS_KEYS
from wspolpraca.city.models import Department
from wspolpraca.competitions.models import Call, PlannedCall
from wspolpraca.core.caching import public_page
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.core.search import name_hits_first
from wspolpraca.evaluations.models import Decision
from wspolpraca.organizations.models import (
    District,
    Organization,
    OrganizationQuerySet,
    PublicBenefitArea,
)
from wspolpraca.organizations.services import directory_stats

from .calls import ApiCallFilter, CallDetailSerializer, CallSerializer, public_calls
from .filters import ApiOrganizationFilter
from .grants import GrantFilter, GrantSerializer, api_grants
from .schedule import ScheduleFilter, published_planned_calls
from .serializers import (
    AreaSerializer,
    OrganizationDetailSerializer,
    OrganizationSerializer,
    PlannedCallSerializer,
)


class Pagination(PageNumberPagination):
    """50 per page; ?page_size= from 1 up (more than 100 gives 100), anything else a 400.

    The whole directory's count is read from DirectoryStats (kept up to date on every
    change) rather than counted. A filtered list is counted up to COUNT_CAP: beyond it,
    `count` is COUNT_CAP, `count_is_exact` is false and the pages end there (narrow the
    filter, or page through the whole directory, whose count is exact).
    """

    page_size_query_param = "page_size"
    max_page_size = 100
    NOT_FILTERS = {"page", "page_size", "format"}
    COUNT_CAP = 10_000
    # The order of a search's results (see OrganizationFilter.qs): read the cheapest way.
    SEARCH_ORDER = ("-name_hit", "sort_name", "id")

    def paginate_queryset(self, queryset, request, view=None):
        # One value each, as for the filters (api.filters.OneValueEachMixin): which of two
        # page sizes was meant is unknown, and the schema promises one.
        for name in (self.page_query_param, self.page_size_query_param):
            if len(request.query_params.getlist(name)) > 1:
                raise ValidationError({name: [_("Give this parameter once.")]})
        whole_directory = queryset.model is Organization and not (
            set(request.query_params) - self.NOT_FILTERS
        )
        known = directory_stats().public_count if whole_directory else None
        self.django_paginator_class = partial(
            CappedPaginator, cap=self.COUNT_CAP, known_count=known
        )
        if tuple(queryset.query.order_by) == self.SEARCH_ORDER:
            queryset = name_hits_first(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_exact": not self.page.paginator.is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["required"] = [*result.get("required", []), "count_is_exact"]
        result["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": _(
                "False when more than %(cap)s organizations match: count is then %(cap)s "
                "and the pages end there."
            )
            % {"cap": f"{self.COUNT_CAP:,}"},
        }
        return result

    def get_page_number(self, request, paginator):
        """An empty ?page= is no page number (the schema says an integer): a 404, as
        ?page=abc is, not the first page."""
        if request.query_params.get(self.page_query_param) == "":
            return ""
        return super().get_page_number(request, paginator)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number from 1 up.")]}
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = _(
                    "Number of results per page, 50 if not given; more than 100 gives 100."
                )
        return parameters


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong."))


# A refused filter: each parameter named with what is wrong with its value.
FILTER_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description=_("A filter value is not valid; the body names each parameter and its error."),
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("No such organization."))
NO_SUCH_CALL = OpenApiResponse(ErrorSerializer, description=_("No such published call."))
NO_SUCH_PAGE = OpenApiResponse(ErrorSerializer, description=_("There is no such page."))
NO_SUCH_GRANT = OpenApiResponse(ErrorSerializer, description=_("No such awarded grant."))


class LicensedDataMixin:
    """Every response of the API names the licence of the data (RFC 4946 Link header)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = f'<{settings.DATA_LICENCE_URL}>; rel="license"'
        return response


@extend_schema_view(
    list=extend_schema(
        summary=_("List organizations"),
        description=_(
            "Organizations of the public directory, filtered as on the directory page, 50 per page."
        ),
        responses={200: OrganizationSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One organization"),
        description=_("Everything the organization's public page shows."),
        responses={200: OrganizationDetailSerializer, 404: NOT_FOUND},
    ),
)
@method_decorator(public_page("directory"), name="dispatch")
class OrganizationViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    # Any value up to the next slash reaches the view, which answers a documented JSON 404;
    # the router's default ([^/.]+) would leave "a.b" to the site's HTML 404 page.
    lookup_value_regex = "[^/]+"
    filterset_class = ApiOrganizationFilter
    pagination_class = Pagination

    def get_queryset(self):
        queryset = Organization.objects.public().select_related("district")
        if self.action == "retrieve":
            return queryset.prefetch_related("areas", "target_groups")
        return queryset.prefetch_related("areas").defer(*OrganizationQuerySet.LISTING_DEFERRED)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return OrganizationDetailSerializer
        return OrganizationSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("List public benefit areas"),
        description=_(
            "The areas of public tasks in force today; their codes are the values of the "
            "area filter."
        ),
    ),
)
class AreaViewSet(LicensedDataMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AreaSerializer
    pagination_class = None
    filter_backends = []
    queryset = PublicBenefitArea.objects.none()

    def get_queryset(self):
        return PublicBenefitArea.objects.current()


@extend_schema_view(
    list=extend_schema(
        summary=_("List planned calls"),
        description=_(
            "The calls of the published yearly schedules of calls (harmonogram konkursów), "
            "by year and planned announcement, 50 per page."
        ),
        responses={200: PlannedCallSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
)
@method_decorator(public_page("competitions"), name="dispatch")
class ScheduleViewSet(LicensedDataMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PlannedCallSerializer
    filterset_class = ScheduleFilter
    pagination_class = Pagination
    queryset = PlannedCall.objects.none()

    def get_queryset(self):
        return published_planned_calls()


@extend_schema_view(
    list=extend_schema(
        summary=_("List calls"),
        description=_(
            "The city's published calls for offers (open competitions), newest deadline "
            "first, 50 per page: upcoming, open, in evaluation, decided and annulled, "
            "never drafts."
        ),
        responses={200: CallSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One call"),
        description=_("A published call with the texts of its announcement."),
        responses={200: CallDetailSerializer, 404: NO_SUCH_CALL},
    ),
)
class CallViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    """Not cached as the schedule is: a call's phase changes with the clock, not with
    its data (see competitions.views)."""

    filterset_class = ApiCallFilter
    pagination_class = Pagination
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"
    queryset = Call.objects.none()

    def get_queryset(self):
        return public_calls()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CallDetailSerializer
        return CallSerializer


class GrantPagination(Pagination):
    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_is_exact"]["description"] = _(
            "False when more than %(cap)s grants match: count is then %(cap)s and the pages "
            "end there."
        ) % {"cap": f"{self.COUNT_CAP:,}"}
        return result


@extend_schema_view(
    list=extend_schema(
        summary=_("List awarded grants"),
        description=_(
            "The grants awarded in calls whose results are published, newest decision "
            "first, 50 per page, with the call, the organization, the amount and the "
            "agreement. The same grants are in the 360Giving package at /dane/360giving.json."
        ),
        responses={200: GrantSerializer, 400: FILTER_ERRORS, 404: NO_SUCH_PAGE},
    ),
    retrieve=extend_schema(
        summary=_("One awarded grant"),
        description=_("An awarded grant by its id."),
        responses={200: GrantSerializer, 404: NO_SUCH_GRANT},
    ),
)
@method_decorator(public_page(*FRESHNESS_KEYS, "directory"), name="dispatch")
class GrantViewSet(LicensedDataMixin, viewsets.ReadOnlyModelViewSet):
    """Cached as the schedule is: the grants change with decisions, agreements, calls and
    organizations' names, each of which renews the cache (agreements.statistics)."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    pagination_class = GrantPagination
    # Any value up to the next slash reaches the view and gets the documented JSON 404.
    lookup_value_regex = "[^/]+"
    queryset = Decision.objects.none()

    def get_queryset(self):
        return api_grants()


# --- the schema ------------------------------------------------------------------------


def add_filter_values(result, generator, request, public):
    """drf-spectacular postprocessing hook: the values the area, district and department
    filters accept, and the range of years.

    They are data (the areas in force, the city's districts and departments), so the
    schema lists them as enums and a value outside them is a documented 400, not a
    surprise.
    """
    try:
        values = {
            "area": sorted(PublicBenefitArea.objects.current().values_list("code", flat=True)),
            "district": sorted(District.objects.values_list("number", flat=True)),
            "department": sorted(Department.objects.values_list("pk", flat=True)),
        }
    except DatabaseError:  # the system checks generate the schema before `migrate`
        values = {}
    # The years each list's filter accepts: the schedule's range unless said otherwise.
    from .strategies import StrategyFilter

    year_ranges = {"/api/v1/strategies/": StrategyFilter.base_filters["year"].extra}
    for path, methods in result.get("paths", {}).items():
        for operation in methods.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") != "query":
                    continue
                if parameter["name"] in values:
                    parameter["schema"]["enum"] = values[parameter["name"]]
                if parameter["name"] == "year":
                    field = year_ranges.get(path, ScheduleFilter.base_filters["year"].extra)
                    parameter["schema"] = {
                        "type": "integer",
                        "minimum": field["min_value"],
                        "maximum": field["max_value"],
                    }
                if "enum" in parameter["schema"]:
                    # A filter given empty (as the directory's form sends it) is no filter.
                    allowed = [str(value) for value in parameter["schema"]["enum"] if value != ""]
                    parameter["schema"] = {"type": "string", "enum": ["", *allowed]}
                if parameter["name"] == "q":
                    # Django refuses NUL characters in form input (a 400).
                    parameter["schema"]["pattern"] = "^[^\\x00]*$"
    return result


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, always in English, downloaded as wspolpraca-api.yaml (or .json)."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # while English is active: the texts are lazy
        if response.status_code == 200:
            suffix = "json" if "json" in response["Content-Type"] else "yaml"
            response["Content-Disposition"] = f'attachment; filename="wspolpraca-api.{suffix}"'
        response["Content-Language"] = "en"
        return response


# --- the documentation page -------------------------------------------------------------


def generated_schema():
    """The OpenAPI schema as plain data, generated once per language and cached."""
    key = f"api:schema:{settings.SPECTACULAR_SETTINGS.get('VERSION')}:{get_language()}"
    schema = cache.get(key)
    if schema is None:
        raw = SchemaGenerator().get_schema(request=None, public=True)
        schema = json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))
        # A while, not forever: the filter values in it come from the database.
        cache.set(key, schema, 600)
    return schema


_CHOICE = re.compile(r"^\* `([^`]*)` - (.*)$")


def _resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if isinstance(node, dict) and "allOf" in node and len(node["allOf"]) == 1:
        return {
            **_resolve(schema, node["allOf"][0]),
            **{k: v for k, v in node.items() if k != "allOf"},
        }
    return node or {}


def _split_choices(description):
    """drf-spectacular appends "* `value` - label" lines for choices; make them a list."""
    text, choices = [], []
    for line in (description or "").splitlines():
        match = _CHOICE.match(line.strip())
        if match:
            choices.append(match.groups())
        elif line.strip():
            text.append(line.strip())
    return " ".join(text), choices


def _type_name(schema, node):
    ref = node.get("$ref") or (node.get("allOf") or [{}])[0].get("$ref")
    resolved = _resolve(schema, node)
    if ref and "enum" in resolved:
        text = resolved.get("type", "string")
    elif ref:
        text = ref.rsplit("/", 1)[-1]
    elif node.get("type") == "array":
        text = f"array[{_type_name(schema, node.get('items', {}))}]"
    else:
        text = node.get("type", "")
        if node.get("format"):
            text += f" ({node['format']})"
    if node.get("nullable"):
        text += ", null"
    return text


def _fields(schema, node, prefix=""):
    node = _resolve(schema, node)
    required = set(node.get("required", []))
    rows = []
    for name, prop in node.get("properties", {}).items():
        resolved = _resolve(schema, prop)
        description, choices = _split_choices(
            prop.get("description") or resolved.get("description", "")
        )
        rows.append(
            {
                "name": prefix + name,
                "type": _type_name(schema, prop),
                "description": description,
                "choices": choices,
                "required": name in required,
            }
        )
        if resolved.get("properties") and not prefix:
            rows += _fields(schema, resolved, prefix=f"{name}.")
    return rows


def _operations(schema):
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if method.startswith("x-") or method == "parameters":
                continue
            body = _resolve(
                schema,
                operation.get("responses", {})
                .get("200", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {}),
            )
            paginated = "results" in body.get("properties", {})
            if paginated:
                item = body["properties"]["results"].get("items", {})
            elif body.get("type") == "array":
                item = body.get("items", {})
            else:
                item = body
            parameters = []
            for parameter in operation.get("parameters", []):
                description, choices = _split_choices(parameter.get("description", ""))
                parameters.append(
                    {
                        "name": parameter["name"],
                        "in": parameter.get("in", ""),
                        "type": _type_name(schema, parameter.get("schema", {})),
                        "required": parameter.get("required", False),
                        "description": description,
                        "choices": choices,
                    }
                )
            operations.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "paginated": paginated,
                    "fields": _fields(schema, item),
                }
            )
    return operations


def docs(request):
    schema = generated_schema()
    area = PublicBenefitArea.objects.current().values_list("code", flat=True).first()
    organization = Organization.objects.public().values_list("slug", flat=True).first()
    organizations = reverse("api:organization-list")
    examples = [
        (organizations, _("the first page of all organizations")),
        (f"{organizations}?q=zdrowie", _("search, diacritics optional")),
        (f"{organizations}?district=1&kind=foundation", _("foundations in district I")),
        (f"{organizations}?opp=true&sort=-registered", _("OPP, most recently registered first")),
        (f"{organizations}?page=2&page_size=20", _("the second page of 20")),
        (reverse("api:area-list"), _("public benefit areas")),
        (f"{reverse('api:call-list')}?state=open", _("calls open for offers")),
        (reverse("api:grant-list"), _("grants awarded, newest first")),
        (reverse("api:grants-360giving-json"), _("the grants as a 360Giving data package")),
    ]
    if area:
        examples.insert(2, (f"{organizations}?area={area}", _("organizations of one area")))
    if organization:
        examples.append(
            (reverse("api:organization-detail", args=[organization]), _("one organization"))
        )
    context = {
        "info": schema.get("info", {}),
        "operations": _operations(schema),
        "examples": examples,
        "licence_name": settings.DATA_LICENCE_NAME,
        "licence_url": settings.DATA_LICENCE_URL,
    }
    return render(request, "api/docs.html", context)
