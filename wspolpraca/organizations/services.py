"""Changes to organizations and their people. Each checks, acts, audits and notifies."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.core import mail, uploads
from wspolpraca.core.audit import diff, record

from .models import ClaimRequest, DirectoryStats, Invitation, Membership, Organization


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


def organization_admins(organization):
    """The organization's admins (users: each is written to in their own language)."""
    return list(
        get_user_model().objects.filter(
            memberships__organization=organization,
            memberships__role=Membership.Role.ADMIN,
            is_active=True,
        )
    )


def platform_admins():
    """Who reviews organizations: platform admins (by role or as superusers), or the
    platform's contact address when there is none yet."""
    admins = list(
        get_user_model().objects.filter(
            Q(role="platform_admin") | Q(is_superuser=True), is_active=True
        )
    )
    return admins or [settings.CONTACT_EMAIL]


# What identifies an organization in law: the platform team verified these against the
# register, so changing any of them needs a new verification.
IDENTITY_FIELDS = ("name", "kind", "krs", "nip", "regon")


@transaction.atomic
def update_organization(organization, form, *, by):
    """Save the organization form of its admin; the admin confirms the data as current.

    A verified organization whose name, legal form, KRS, NIP or REGON changes goes back to
    "pending verification" and the platform admins are told; a replaced or cleared logo is
    deleted from storage."""
    _require(by, "organizations.change_organization_data", organization)
    stored = Organization.objects.get(pk=organization.pk)
    before = snapshot(stored)
    old_logo = stored.logo.name
    organization = form.save(commit=False)
    organization.data_confirmed_at = timezone.now()
    organization.save()
    form.save_m2m()
    after = snapshot(organization)
    record(by, "organization.updated", organization, diff(before, after))
    uploads.delete_replaced(old_logo, organization.logo)

    reverify_if_identity_changed(organization, before, by=by)
    return organization


def identity_of(organization):
    """What reverify_if_identity_changed compares: the identity fields and the verification."""
    return {name: getattr(organization, name) for name in (*IDENTITY_FIELDS, "verification")}


def reverify_if_identity_changed(organization, before, *, by):
    """After a saved change (on the site or in the back office): a verified organization
    whose name, legal form, KRS, NIP or REGON changed goes back to "pending verification",
    audited, and the platform admins are told — unless a platform admin made the change.

    `before` holds the stored values before the change (identity_of or snapshot). Returns
    whether the organization was sent back."""
    changed = [name for name in IDENTITY_FIELDS if before[name] != getattr(organization, name)]
    if (
        changed
        and before["verification"] == Organization.Verification.VERIFIED
        and not by.has_perm("organizations.verify_organization", organization)
    ):
        _send_back_to_verification(organization, changed, by=by)
        return True
    return False


def _send_back_to_verification(organization, changed, *, by):
    organization.verification = Organization.Verification.PENDING
    organization.verified_at = None
    organization.save(update_fields=["verification", "verified_at"])
    record(
        by,
        "organization.verification_reset",
        organization,
        {
            "verification": [
                Organization.Verification.VERIFIED,
                Organization.Verification.PENDING,
            ],
            "changed_fields": [None, changed],
        },
    )
    admin_url = settings.SITE_URL + reverse(
        "admin:organizations_organization_change", args=[organization.pk]
    )
    labels = [str(Organization._meta.get_field(name).verbose_name) for name in changed]
    transaction.on_commit(
        lambda: mail.send(
            platform_admins(),
            gettext_lazy("To verify again: %(name)s"),
            "organizations/email/reverification_staff.txt",
            {
                "organization": organization,
                "user": by,
                "changed": labels,
                "admin_url": admin_url,
            },
            subject_params={"name": organization.name},
        )
    )


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
    if not approve:
        # A rejected organization invites nobody, including with invitations already sent.
        organization.invitations.open().update(cancelled_at=timezone.now())
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
        lambda: mail.send(
            organization_admins(organization),
            gettext_lazy("Your organization has been verified")
            if approve
            else gettext_lazy("Your registration was not accepted"),
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


def _check_invitation_limits(organization, by):
    """Invitations are e-mails the platform sends in a person's name: limit how many one
    account and one organization send, counted from the invitations in the database."""
    now = timezone.now()
    hour, day = now - timedelta(hours=1), now - timedelta(days=1)
    sent_by_account = Invitation.objects.filter(invited_by=by)
    sent_by_organization = Invitation.objects.filter(organization=organization)
    hourly = _("Too many invitations have been sent in the last hour. Try again later.")
    daily = _("Too many invitations have been sent in the last day. Try again tomorrow.")
    limits = [
        (sent_by_account, hour, settings.INVITATIONS_PER_ACCOUNT_HOUR, hourly),
        (sent_by_account, day, settings.INVITATIONS_PER_ACCOUNT_DAY, daily),
        (sent_by_organization, hour, settings.INVITATIONS_PER_ORGANIZATION_HOUR, hourly),
        (sent_by_organization, day, settings.INVITATIONS_PER_ORGANIZATION_DAY, daily),
    ]
    for sent, since, limit, message in limits:
        if sent.filter(created_at__gte=since).count() >= limit:
            raise OrganizationError(message)


@transaction.atomic
def invite(organization, email, role, *, by):
    _require(by, "organizations.invite_member", organization)
    # Serialise invitations of one organization, so the limits below cannot be passed by
    # sending many at the same moment.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    email = email.strip().lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise OrganizationError(_("This person is already a member of the organization."))
    _check_invitation_limits(organization, by)
    invitation = Invitation.objects.create(
        organization=organization, email=email, role=role, invited_by=by
    )
    record(by, "membership.invited", organization, {"invited": [None, email], "role": [None, role]})
    accept_url = settings.SITE_URL + reverse(
        "organizations:accept_invitation", args=[invitation.token]
    )
    # The e-mail names the organization and the inviter's e-mail address only: the
    # inviter's free-text name could be written to pass for the city's words.
    transaction.on_commit(
        lambda: mail.send(
            [email],
            gettext_lazy("Invitation to an organization on the Współpraca platform"),
            "organizations/email/invitation.txt",
            {
                "organization": organization,
                "invitation": invitation,
                "accept_url": accept_url,
                "inviter_email": by.email,
            },
        )
    )
    return invitation


@transaction.atomic
def cancel_invitation(invitation, *, by):
    """An administrator of the organization withdraws an invitation not yet accepted."""
    organization = invitation.organization
    _require(by, "organizations.manage_members", organization)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise OrganizationError(_("This invitation can no longer be cancelled."))
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(
        by,
        "membership.invitation_cancelled",
        organization,
        {"invited": [invitation.email, None], "role": [invitation.role, None]},
    )
    return invitation


def _cancel_invitations_of(user, organization, *, reason, by=None):
    """The invitations `user` sent for `organization` die when they stop administering it."""
    invitations = organization.invitations.open().filter(invited_by=user)
    count = invitations.update(cancelled_at=timezone.now())
    if count:
        record(
            by or user,
            "membership.invitations_cancelled",
            organization,
            {"invitations_cancelled": [None, count], "reason": [None, reason]},
        )
    return count


def invitation_problem(invitation):
    """Why `invitation` cannot be accepted, in words for the invited person; None if it can."""
    if invitation.cancelled_at is not None:
        return _(
            "This invitation has been cancelled by the organization. If you still want to "
            "join, ask its administrators for a new one."
        )
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if not invitation.is_open:
        return _("This invitation has expired. Ask the organization for a new one.")
    if invitation.organization.verification == Organization.Verification.REJECTED:
        return _("This organization's registration was not accepted, so it cannot be joined.")
    return None


@transaction.atomic
def accept_invitation(invitation, *, user):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise OrganizationError(problem)
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
    problem = leave_problem(membership)
    if problem:
        raise OrganizationError(problem)
    membership.delete()
    record(user, "membership.left", organization, {"member": [user.email, None]})
    _cancel_invitations_of(user, organization, reason="left")


def leave_problem(membership):
    """Why the member cannot leave now (in words for them), or None."""
    organization = membership.organization
    if (
        membership.role == Membership.Role.ADMIN
        and _admin_count(organization) == 1
        and organization.memberships.count() > 1
    ):
        return _("You are the only administrator. Hand the administration to another member first.")
    return None


@transaction.atomic
def remove_member(membership, *, by):
    organization = membership.organization
    _require(by, "organizations.manage_members", organization)
    problem = remove_member_problem(membership, by=by)
    if problem:
        raise OrganizationError(problem)
    membership.delete()
    record(by, "membership.removed", organization, {"member": [membership.user.email, None]})
    _cancel_invitations_of(membership.user, organization, reason="removed", by=by)


def remove_member_problem(membership, *, by):
    """Why `by` cannot remove this member (in words for them), or None."""
    if membership.user_id == by.pk:
        return _("To leave the organization yourself, use “Leave”.")
    return None


def transfer_admin_problem(organization, to_membership, *, by):
    """Why `by` cannot hand the administration to this member (in words for them), or None."""
    if to_membership.organization_id != organization.pk:
        return _("That person is not a member of this organization.")
    if to_membership.user_id == by.pk:
        return _("You are already an administrator.")
    return None


@transaction.atomic
def transfer_admin(organization, to_membership, *, by, stay_admin=False):
    """Make another member an administrator; the giver becomes a member unless asked not to."""
    _require(by, "organizations.manage_members", organization)
    problem = transfer_admin_problem(organization, to_membership, by=by)
    if problem:
        raise OrganizationError(problem)
    to_membership.role = Membership.Role.ADMIN
    to_membership.save(update_fields=["role"])
    changes = {"admin_added": [None, to_membership.user.email]}
    if not stay_admin:
        Membership.objects.filter(organization=organization, user=by).update(
            role=Membership.Role.MEMBER
        )
        changes["admin_removed"] = [by.email, None]
    record(by, "membership.admin_transferred", organization, changes)
    if not stay_admin:
        _cancel_invitations_of(by, organization, reason="admin_transferred")


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
    recipients = organization_admins(organization) or [settings.CONTACT_EMAIL]
    transaction.on_commit(
        lambda: mail.send(
            recipients,
            gettext_lazy("Request to join %(name)s"),
            "organizations/email/claim_requested.txt",
            {"organization": organization, "claim": claim},
            subject_params={"name": organization.name},
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
        lambda: mail.send(
            [claim.user],
            gettext_lazy("Your request about %(name)s"),
            "organizations/email/claim_decided.txt",
            {"organization": organization, "claim": claim},
            subject_params={"name": organization.name},
        )
    )
    return claim


# Hooks for accounts: data export and erasure (RODO).


def export_memberships(user):
    """What the organizations app holds about `user`, for their data export. Nothing here
    names another person (accounts masks any address that a free text may contain)."""
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


@transaction.atomic
def erase_person(user, label):
    """Before `user`'s account is erased: their invitations keep the fact, not the identity.

    Invitations sent to any of their addresses get `label` instead of the address, and
    those they sent that are still open die (`invited_by` is emptied by the deletion).
    accounts then removes their addresses and name from the audit trail."""
    addresses = {user.email.lower()} | {
        address.lower() for address in user.emailaddress_set.values_list("email", flat=True)
    }
    received = Q()
    for address in addresses:
        received |= Q(email__iexact=address)
    now = timezone.now()
    Invitation.objects.filter(received, accepted_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    Invitation.objects.filter(received).update(email=label)
    for membership in user.memberships.select_related("organization"):
        _cancel_invitations_of(user, membership.organization, reason="account_erased")
    Invitation.objects.open().filter(invited_by=user).update(cancelled_at=now)


# --- The directory's counts ----------------------------------------------------------------
# Pages read them from one row (DirectoryStats) instead of counting 150,000 rows per request.
# Every save and delete of an organization moves them by what the record counted before and
# after (signals.py); a full recount (`recount_directory`) makes the row the first time and
# follows bulk loads, which send no signals. Writes around the ORM must call it too.


def directory_stats():
    """The directory's counts, in one query."""
    return DirectoryStats.objects.filter(pk=1).first() or recount_directory()


def recount_directory():
    counts = Organization.objects.public().aggregate(
        public=Count("pk"),
        verified=Count("pk", filter=Q(verification=Organization.Verification.VERIFIED)),
    )
    stats, _created = DirectoryStats.objects.update_or_create(
        pk=1,
        defaults={"public_count": counts["public"], "verified_count": counts["verified"]},
    )
    return stats


def count_change(before, after):
    """A record's weight in the counts went from `before` to `after` ((public, verified),
    or None when unknown, which makes a recount)."""
    if before is None or after is None:
        recount_directory()
        return
    if before == after:
        return
    updated = DirectoryStats.objects.filter(pk=1).update(
        public_count=F("public_count") + (after[0] - before[0]),
        verified_count=F("verified_count") + (after[1] - before[1]),
    )
    if not updated:
        recount_directory()
