"""Registering an organization on the platform, with or without the KRS.

The rules live here; `registration_views` only moves data between the pages and these
functions. See docs/registration.md for the automatic match rule.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.core import mail
from wspolpraca.core.audit import record

from . import krs as krs_client
from .forms import clean_krs_number
from .models import Membership, Organization
from .services import OrganizationError, snapshot

M2M_FIELDS = ("areas", "target_groups")


class RegistrationError(OrganizationError):
    """A registration rule was broken; `field` names the form field the message belongs to
    and `message` is the text (possibly safe HTML) to show there."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class DuplicateKrs(RegistrationError):
    """The KRS number is already on the platform. The message (safe HTML) links to the claim
    page of the existing record."""

    def __init__(self, organization):
        self.organization = organization
        super().__init__(duplicate_message(organization), field="krs")


def duplicate_message(organization):
    return format_html(
        '{} <a href="{}">{}</a>',
        _("An organization with this KRS number is already on the platform: %(name)s.")
        % {"name": organization.name},
        reverse("organizations:claim", args=[organization.slug]),
        _("Ask to join or administer it"),
    )


def adoptable(organization):
    """A record the KRS watch found and nobody administers yet: registering with its KRS
    number takes it over instead of being refused as a duplicate."""
    return (
        organization.source == Organization.Source.KRS_WATCH
        and organization.is_hidden
        and not organization.memberships.exists()
    )


def existing_with_krs(number, *, exclude_adoptable=True):
    """The organization on the platform that blocks registering `number`, or None."""
    if not number:
        return None
    organization = Organization.objects.filter(krs=number).first()
    if organization is None or (exclude_adoptable and adoptable(organization)):
        return None
    return organization


def check_krs_free(number):
    """Raise DuplicateKrs when `number` (cleaned) is taken."""
    existing = existing_with_krs(number)
    if existing is not None:
        raise DuplicateKrs(existing)


def look_up(number):
    """Step 1: clean the typed number, refuse duplicates, read the register.

    Raises forms.ValidationError for a malformed number, DuplicateKrs, or a KrsError."""
    number = clean_krs_number(number)
    if not number:
        raise RegistrationError(_("Type the KRS number."), field="krs")
    check_krs_free(number)
    return krs_client.find_organization(number, interactive=True)


def registered_email_matches(entity, user):
    """The automatic match rule: the register's e-mail is one of the user's verified ones."""
    email = (entity.email if entity else "").strip()
    if not email or user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True, email__iexact=email).exists()


@transaction.atomic
def register_organization(data, *, by, krs_entity=None):
    """Create an organization from the registration form's cleaned data and make `by` its
    admin.

    `krs_entity` is the KRS extract the platform itself read at step 1 (never data the
    browser sent): when given and its number is the one registered, the organization counts
    as prefilled from the KRS and the automatic match rule may verify it at once.
    """
    data = dict(data)
    if not data.get("logo"):
        data.pop("logo", None)
    m2m = {name: data.pop(name, None) for name in M2M_FIELDS}
    number = data.get("krs") or None
    data["krs"] = number
    from_krs = krs_entity is not None and number is not None and krs_entity.krs == number

    existing = (
        Organization.objects.select_for_update().filter(krs=number).first() if number else None
    )
    if existing is not None and not adoptable(existing):
        raise DuplicateKrs(existing)

    if existing is not None:
        organization = existing
        for key, value in data.items():
            setattr(organization, key, value)
        organization.is_hidden = False
        action = "organization.registered_over_krs_watch"
    else:
        organization = Organization(**data)
        organization.source = Organization.Source.REGISTRATION
        action = "organization.registered"
    organization.verification = Organization.Verification.PENDING
    organization.verified_at = None
    organization.data_confirmed_at = timezone.now()
    if from_krs:
        organization.register_status = Organization.RegisterStatus.ACTIVE
        organization.register_checked_at = timezone.now()
        # The public benefit status is what the KRS says (czyPosiadaStatusOPP), never a
        # box the registering person ticks; the KRS watch keeps it current.
        organization.is_public_benefit = krs_entity.is_public_benefit
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        taken = Organization.objects.filter(krs=number).first()
        if taken is None:
            raise
        raise DuplicateKrs(taken) from None
    for name, values in m2m.items():
        if values is not None:
            getattr(organization, name).set(values)

    Membership.objects.update_or_create(
        organization=organization, user=by, defaults={"role": Membership.Role.ADMIN}
    )
    after = snapshot(organization)
    record(
        by,
        action,
        organization,
        {
            **{key: [None, _audit_value(value)] for key, value in after.items() if value},
            "prefilled_from_krs": [None, from_krs],
            "admin": [None, by.email],
        },
    )

    if settings.KRS_AUTO_VERIFY and from_krs and registered_email_matches(krs_entity, by):
        organization.verification = Organization.Verification.VERIFIED
        organization.verified_at = timezone.now()
        organization.save(update_fields=["verification", "verified_at"])
        record(
            None,
            "organization.verified",
            organization,
            {
                "verification": [
                    Organization.Verification.PENDING,
                    Organization.Verification.VERIFIED,
                ],
                "reason": [
                    "",
                    "automatic: the e-mail address in the KRS is the registering user's "
                    "verified e-mail address",
                ],
            },
        )

    _notify_registration(organization, by)
    return organization


def _audit_value(value):
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    return str(value)


def _notify_registration(organization, user):
    verified = organization.is_verified
    context = {"organization": organization, "user": user, "verified": verified}
    transaction.on_commit(
        lambda: mail.send(
            [user],
            gettext_lazy("Registration of %(name)s"),
            "organizations/email/registration_received.txt",
            context,
            subject_params={"name": organization.name},
        )
    )
    if not verified:
        admin_url = settings.SITE_URL + reverse(
            "admin:organizations_organization_change", args=[organization.pk]
        )
        transaction.on_commit(
            lambda: mail.send(
                [settings.CONTACT_EMAIL],
                gettext_lazy("To verify: %(name)s"),
                "organizations/email/registration_staff.txt",
                {**context, "admin_url": admin_url},
                subject_params={"name": organization.name},
            )
        )
