"""The public, read-only JSON API and its documentation page."""

import json
import re

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.pagination import PageNumberPagination

from wspolpraca.organizations.filters import OrganizationFilter
from wspolpraca.organizations.models import (
    Organization,
    OrganizationQuerySet,
    PublicBenefitArea,
)

from .serializers import AreaSerializer, OrganizationDetailSerializer, OrganizationSerializer


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema_view(
    list=extend_schema(
        summary=_("List organizations"),
        description=_(
            "Organizations of the public directory, filtered as on the directory page, 50 per page."
        ),
    ),
    retrieve=extend_schema(
        summary=_("One organization"),
        description=_("Everything the organization's public page shows."),
    ),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = OrganizationFilter
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
class AreaViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AreaSerializer
    pagination_class = None
    filter_backends = []
    queryset = PublicBenefitArea.objects.none()

    def get_queryset(self):
        return PublicBenefitArea.objects.current()


# --- the documentation page -------------------------------------------------------------


def generated_schema():
    """The OpenAPI schema as plain data, generated once per language and cached."""
    key = f"api:schema:{settings.SPECTACULAR_SETTINGS.get('VERSION')}:{get_language()}"
    schema = cache.get(key)
    if schema is None:
        raw = SchemaGenerator().get_schema(request=None, public=True)
        schema = json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))
        cache.set(key, schema, None)
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
    }
    return render(request, "api/docs.html", context)
