"""Who may do what with an organization. Named predicates, checked with user.has_perm."""

import rules


@rules.predicate
def is_city_staff(user):
    return user.is_authenticated and user.is_city_staff


@rules.predicate
def is_platform_admin(user):
    return user.is_authenticated and (user.is_superuser or user.role == "platform_admin")


@rules.predicate
def is_org_admin(user, organization):
    if not user.is_authenticated or organization is None:
        return False
    return organization.memberships.filter(user=user, role="admin").exists()


@rules.predicate
def is_org_member(user, organization):
    if not user.is_authenticated or organization is None:
        return False
    return organization.memberships.filter(user=user).exists()


@rules.predicate
def is_rejected(user, organization):
    return organization is not None and organization.verification == "rejected"


rules.add_perm("organizations.change_organization_data", is_org_admin | is_platform_admin)
# A rejected registration sends no invitations: its name was not accepted as an
# organization's, and invitations carry it to people's mailboxes.
rules.add_perm("organizations.invite_member", is_org_admin & ~is_rejected)
rules.add_perm("organizations.manage_members", is_org_admin)
rules.add_perm("organizations.see_members", is_org_member | is_city_staff)
rules.add_perm("organizations.verify_organization", is_platform_admin)
rules.add_perm("organizations.decide_claim", is_org_admin | is_platform_admin)
