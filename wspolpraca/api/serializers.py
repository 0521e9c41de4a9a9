"""What the public API shows: the directory's public data and the published schedules of
calls, never anything about people.

Members, their e-mails, invitations and claims are not reachable from these serializers;
the organization's own contact data (e-mail, phone, website) is public, as on its page.

A field with no value is null, never an empty string: the schema says which fields may be
null, and a client need not tell "" from null.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wspolpraca.city.models import Department
from wspolpraca.competitions.models import FundingMode, PlannedCall
from wspolpraca.organizations.models import District, Organization, PublicBenefitArea


class BlankAsNullMixin:
    """Optional text fields (Meta.blank_as_null) are given as null when they are empty."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in getattr(self.Meta, "blank_as_null", ()):
            if data.get(name) == "":
                data[name] = None
        return data


class AreaSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    code = serializers.CharField(help_text=_("Code of the area (point of art. 4 ust. 1)."))
    label_pl = serializers.CharField(help_text=_("Name of the area in Polish."))
    label_en = serializers.CharField(
        allow_null=True, help_text=_("Name of the area in English; null if not translated.")
    )

    class Meta:
        model = PublicBenefitArea
        fields = ["code", "label_pl", "label_en"]
        blank_as_null = ["label_en"]


class DistrictSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    number = serializers.IntegerField(help_text=_("Number of the district."))
    roman = serializers.CharField(
        allow_null=True, help_text=_("Number of the district in Roman numerals.")
    )
    name = serializers.CharField(help_text=_("Name of the district."))

    class Meta:
        model = District
        fields = ["number", "roman", "name"]
        blank_as_null = ["roman"]


class OrganizationSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """One organization as the directory lists it."""

    slug = serializers.SlugField(help_text=_("Identifier used in addresses."))
    name = serializers.CharField(help_text=_("Full name."))
    short_name = serializers.CharField(allow_null=True, help_text=_("Short name."))
    kind = serializers.ChoiceField(
        choices=Organization.Kind.choices, help_text=_("Legal form (code).")
    )
    kind_label = serializers.CharField(
        source="get_kind_display", help_text=_("Legal form in the language of the request.")
    )
    krs = serializers.CharField(allow_null=True, help_text=_("KRS number, if any."))
    city = serializers.CharField(allow_null=True, help_text=_("Town."))
    district = DistrictSerializer(allow_null=True, help_text=_("District of the seat."))
    areas = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", help_text=_("Codes of public benefit areas.")
    )
    is_public_benefit = serializers.BooleanField(
        help_text=_("Whether it has public benefit status (OPP).")
    )
    verified = serializers.BooleanField(
        source="is_verified", help_text=_("Whether the city has verified the record.")
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, help_text=_("Latitude (WGS 84).")
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, help_text=_("Longitude (WGS 84).")
    )
    url = serializers.SerializerMethodField(help_text=_("The organization's page on this site."))
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:organization-detail",
        lookup_field="slug",
        help_text=_("This record in the API."),
    )

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "krs",
            "city",
            "district",
            "areas",
            "is_public_benefit",
            "verified",
            "latitude",
            "longitude",
            "url",
            "api_url",
        ]
        read_only_fields = fields
        blank_as_null = ["short_name", "city"]

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class OrganizationDetailSerializer(OrganizationSerializer):
    """One organization with everything its public page shows."""

    street = serializers.CharField(allow_null=True, help_text=_("Street and number."))
    postal_code = serializers.CharField(allow_null=True, help_text=_("Postal code."))
    nip = serializers.CharField(allow_null=True, help_text=_("Tax identification number (NIP)."))
    regon = serializers.CharField(allow_null=True, help_text=_("Statistical number (REGON)."))
    other_register = serializers.CharField(
        allow_null=True, help_text=_("Register and number for bodies outside the KRS.")
    )
    registration_date = serializers.DateField(allow_null=True, help_text=_("Date of registration."))
    description = serializers.CharField(allow_null=True, help_text=_("What the organization does."))
    statutory_goals = serializers.CharField(allow_null=True, help_text=_("Goals from the statute."))
    target_groups = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name_pl", help_text=_("Whom it works for.")
    )
    website = serializers.URLField(allow_null=True, help_text=_("Website of the organization."))
    email = serializers.EmailField(
        allow_null=True, help_text=_("Public contact e-mail of the organization.")
    )
    phone = serializers.CharField(
        allow_null=True, help_text=_("Public contact phone of the organization.")
    )
    verification = serializers.ChoiceField(
        choices=Organization.Verification.choices, help_text=_("Verification status.")
    )
    register_status = serializers.ChoiceField(
        choices=Organization.RegisterStatus.choices, help_text=_("Status in the register.")
    )
    data_confirmed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the organization last confirmed its data.")
    )

    class Meta(OrganizationSerializer.Meta):
        fields = [
            *OrganizationSerializer.Meta.fields,
            "street",
            "postal_code",
            "nip",
            "regon",
            "other_register",
            "registration_date",
            "description",
            "statutory_goals",
            "target_groups",
            "website",
            "email",
            "phone",
            "verification",
            "register_status",
            "data_confirmed_at",
        ]
        read_only_fields = fields
        blank_as_null = [
            *OrganizationSerializer.Meta.blank_as_null,
            "street",
            "postal_code",
            "nip",
            "regon",
            "other_register",
            "description",
            "statutory_goals",
            "website",
            "email",
            "phone",
        ]


class DepartmentSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(
        help_text=_("Identifier of the department (the department filter's value).")
    )
    name = serializers.CharField(help_text=_("Name of the department."))
    short_name = serializers.CharField(allow_null=True, help_text=_("Office symbol."))

    class Meta:
        model = Department
        fields = ["id", "name", "short_name"]
        blank_as_null = ["short_name"]


class PlannedCallSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """One call in a published yearly schedule of calls."""

    id = serializers.IntegerField(help_text=_("Identifier of the planned call."))
    year = serializers.IntegerField(source="schedule.year", help_text=_("Year of the schedule."))
    title = serializers.CharField(help_text=_("The task."))
    description = serializers.CharField(allow_null=True, help_text=_("Description."))
    department = DepartmentSerializer(help_text=_("The department that plans the call."))
    areas = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        read_only=True,
        help_text=_("Codes of its public benefit areas (see /api/v1/areas/)."),
    )
    funding_mode = serializers.ChoiceField(
        choices=FundingMode.choices,
        help_text=_("support: the grant co-finances the task; entrustment: it finances it."),
    )
    planned_announcement = serializers.DateField(help_text=_("Planned date of the announcement."))
    planned_deadline = serializers.DateField(help_text=_("Planned deadline for offers."))
    planned_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Planned amount in zł.")
    )
    announced_before_the_year = serializers.BooleanField(
        help_text=_("Planned to be announced before 1 January of its year.")
    )
    url = serializers.SerializerMethodField(help_text=_("The call on the schedule's page."))

    class Meta:
        model = PlannedCall
        fields = [
            "id",
            "year",
            "title",
            "description",
            "department",
            "areas",
            "funding_mode",
            "planned_announcement",
            "planned_deadline",
            "planned_amount",
            "announced_before_the_year",
            "url",
        ]
        blank_as_null = ["description"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        path = reverse("competitions:schedule", args=[obj.schedule.year]) + f"#planowany-{obj.pk}"
        return request.build_absolute_uri(path) if request else path
