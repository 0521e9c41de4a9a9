"""Changes to organizations and their people. Each checks, acts, audits and notifies."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wspolpraca.core.audit import diff, record

from .models import ClaimRequest, Invitation, Membership, Organization


class OrganizationError(Exception):
    """A rule was broken; the message is shown to the user as it is."""


AUDITED_FIELDS = [
    "name",
    "short_name",
    "kind",
    "krs",
    "nip",
    "regon",
    "other_register",
    "registration_date",
    "street",
    "postal_code",
    "city",
    "district_id",
    "latitude",
    "longitude",
    "description",
    "statutory_goals",
    "website",
    "email",
    "phone",
    "is_public_benefit",
    "verification",
    "register_status",
    "is_hidden",
]


def snapshot(organization):
    data = {field: getattr(organization, field) for field in AUDITED_FIELDS}
    if organization.pk:
        data["areas"] = [a.code for a in organization.areas.all()]
        data["target_groups"] = [g.name_pl for g in organization.target_groups.all()]
    return data


def _require(user, perm, obj):
    if not user.has_perm(perm, obj):
        raise OrganizationError(_("You are not allowed to do this."))


def notify(to, subject, template, context):
    """Send a plain-text e-mail rendered from a template; `to` is a list of addresses."""
    if not to:
        return
    context = {"site_url": settings.SITE_URL, **context}
    body = render_to_string(template, context)
    send_mail(f"[Współpraca] {subject}", body, None, to)


def admin_emails(organization):
    return list(
        organization.memberships.filter(role=Membership.Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )


@transaction.atomic
def update_organization(organization, form, *, by):
    """Save the organization form of its admin; the admin confirms the data as current."""
    _require(by, "organizations.change_organization_data", organization)
    before = snapshot(Organization.objects.get(pk=organization.pk))
    organization = form.save(commit=False)
    organization.data_confirmed_at = timezone.now()
    organization.save()
    form.save_m2m()
    record(by, "organization.updated", organization, diff(before, snapshot(organization)))
    return organization


@transaction.atomic
def confirm_data(organization, *, by):
    _require(by, "organizations.change_organization_data", organization)
    organization.data_confirmed_at = timezone.now()
    organization.save(update_fields=["data_confirmed_at"])
    record(by, "organization.data_confirmed", organization)


@transaction.atomic
def verify(organization, *, by, approve=True, reason=""):
    """A platform admin verifies (or rejects) a registration; admins are told by e-mail."""
    _require(by, "organizations.verify_organization", organization)
    before = organization.verification
    organization.verification = (
        Organization.Verification.VERIFIED if approve else Organization.Verification.REJECTED
    )
    organization.verified_at = timezone.now() if approve else None
    organization.save(update_fields=["verification", "verified_at"])
    record(
        by,
        "organization.verified" if approve else "organization.rejected",
        organization,
        {
            "verification": [before, organization.verification],
            **({"reason": ["", reason]} if reason else {}),
        },
    )
    transaction.on_commit(
        lambda: notify(
            admin_emails(organization),
            _("Your organization has been verified")
            if approve
            else _("Your registration was not accepted"),
            "organizations/email/verification.txt",
            {"organization": organization, "approved": approve, "reason": reason},
        )
    )
    return organization


def _add_membership(organization, user, role, *, by, action):
    try:
        with transaction.atomic():
            membership = Membership.objects.create(organization=organization, user=user, role=role)
    except IntegrityError:
        membership = Membership.objects.get(organization=organization, user=user)
        if role == Membership.Role.ADMIN and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
    record(by, action, organization, {"member": [None, user.email], "role": [None, role]})
    return membership


@transaction.atomic
def invite(organization, email, role, *, by):
    _require(by, "organizations.invite_member", organization)
    email = email.strip().lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise OrganizationError(_("This person is already a member of the organization."))
    invitation = Invitation.objects.create(
        organization=organization, email=email, role=role, invited_by=by
    )
    record(by, "membership.invited", organization, {"invited": [None, email], "role": [None, role]})
    accept_url = settings.SITE_URL + reverse(
        "organizations:accept_invitation", args=[invitation.token]
    )
    transaction.on_commit(
        lambda: notify(
            [email],
            _("Invitation to %(name)s") % {"name": organization.name},
            "organizations/email/invitation.txt",
            {
                "organization": organization,
                "invitation": invitation,
                "accept_url": accept_url,
                "by": by,
            },
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(invitation, *, user):
    if not invitation.is_open:
        raise OrganizationError(_("This invitation has expired or was already used."))
    if invitation.email.lower() != user.email.lower():
        raise OrganizationError(
            _("This invitation was sent to another e-mail address. Sign in with that address.")
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return _add_membership(
        invitation.organization, user, invitation.role, by=user, action="membership.joined"
    )


def _admin_count(organization):
    return organization.memberships.filter(role=Membership.Role.ADMIN).count()


@transaction.atomic
def leave(organization, *, user):
    membership = (
        Membership.objects.select_for_update().filter(organization=organization, user=user).first()
    )
    if membership is None:
        raise OrganizationError(_("You are not a member of this organization."))
    if (
        membership.role == Membership.Role.ADMIN
        and _admin_count(organization) == 1
        and organization.memberships.count() > 1
    ):
        raise OrganizationError(
            _("You are the only administrator. Hand the administration to another member first.")
        )
    membership.delete()
    record(user, "membership.left", organization, {"member": [user.email, None]})


@transaction.atomic
def remove_member(membership, *, by):
    organization = membership.organization
    _require(by, "organizations.manage_members", organization)
    if membership.user_id == by.pk:
        raise OrganizationError(_("To leave the organization yourself, use “Leave”."))
    membership.delete()
    record(by, "membership.removed", organization, {"member": [membership.user.email, None]})


@transaction.atomic
def transfer_admin(organization, to_membership, *, by, stay_admin=False):
    """Make another member an administrator; the giver becomes a member unless asked not to."""
    _require(by, "organizations.manage_members", organization)
    if to_membership.organization_id != organization.pk:
        raise OrganizationError(_("That person is not a member of this organization."))
    if to_membership.user_id == by.pk:
        raise OrganizationError(_("You are already an administrator."))
    to_membership.role = Membership.Role.ADMIN
    to_membership.save(update_fields=["role"])
    changes = {"admin_added": [None, to_membership.user.email]}
    if not stay_admin:
        Membership.objects.filter(organization=organization, user=by).update(
            role=Membership.Role.MEMBER
        )
        changes["admin_removed"] = [by.email, None]
    record(by, "membership.admin_transferred", organization, changes)


@transaction.atomic
def request_claim(organization, *, user, message=""):
    if organization.memberships.filter(user=user).exists():
        raise OrganizationError(_("You are already a member of this organization."))
    if ClaimRequest.objects.filter(
        organization=organization, user=user, status=ClaimRequest.Status.PENDING
    ).exists():
        raise OrganizationError(_("You have already asked; the administrators will answer."))
    claim = ClaimRequest.objects.create(organization=organization, user=user, message=message)
    record(user, "claim.requested", organization, {"claimant": [None, user.email]})
    recipients = admin_emails(organization) or [settings.CONTACT_EMAIL]
    transaction.on_commit(
        lambda: notify(
            recipients,
            _("Request to join %(name)s") % {"name": organization.name},
            "organizations/email/claim_requested.txt",
            {"organization": organization, "claim": claim},
        )
    )
    return claim


@transaction.atomic
def decide_claim(claim, *, by, approve, reason=""):
    organization = claim.organization
    _require(by, "organizations.decide_claim", organization)
    if claim.status != ClaimRequest.Status.PENDING:
        raise OrganizationError(_("This request has already been decided."))
    claim.status = ClaimRequest.Status.APPROVED if approve else ClaimRequest.Status.REJECTED
    claim.decided_by, claim.decided_at, claim.reason = by, timezone.now(), reason
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record(
        by, f"claim.{claim.status}", organization, {"claimant": [claim.user.email, claim.status]}
    )
    if approve:
        # Nobody administers the record yet: the claimant becomes its admin.
        role = Membership.Role.MEMBER if _admin_count(organization) else Membership.Role.ADMIN
        _add_membership(organization, claim.user, role, by=by, action="membership.claim_approved")
    transaction.on_commit(
        lambda: notify(
            [claim.user.email],
            _("Your request about %(name)s") % {"name": organization.name},
            "organizations/email/claim_decided.txt",
            {"organization": organization, "claim": claim},
        )
    )
    return claim


# Hooks for accounts: data export and erasure (RODO).


def export_memberships(user):
    return {
        "memberships": [
            {"organization": m.organization.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in user.memberships.select_related("organization")
        ],
        "claims": [
            {"organization": c.organization.name, "status": c.status, "message": c.message}
            for c in user.claims.select_related("organization")
        ],
    }


def erasure_obstacles(user):
    reasons = []
    for membership in user.memberships.filter(role=Membership.Role.ADMIN).select_related(
        "organization"
    ):
        org = membership.organization
        if _admin_count(org) == 1 and org.memberships.count() > 1:
            reasons.append(
                _("You are the only administrator of %(name)s: hand it to another member first.")
                % {"name": org.name}
            )
    return reasons
