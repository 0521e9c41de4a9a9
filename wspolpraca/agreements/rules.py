"""Who may see and act on an agreement, its reports and controls.

The supervising department manages them; the organization's members read them and its
admins act for it (the updated budget, reports, answers to controls, the rating). No one
else sees them, except what the results and the open data make public.
"""

import rules

from wspolpraca.city.models import department_of
from wspolpraca.organizations.rules import is_platform_admin


def _role_in(user, agreement):
    if not user.is_authenticated or agreement is None:
        return None
    membership = agreement.organization.memberships.filter(user=user).only("role").first()
    return membership.role if membership else None


@rules.predicate
def is_member_of_organization(user, agreement):
    return _role_in(user, agreement) is not None


@rules.predicate
def is_admin_of_organization(user, agreement):
    return _role_in(user, agreement) == "admin"


@rules.predicate
def is_official_of_supervising_department(user, agreement):
    department = department_of(user)
    return (
        department is not None
        and agreement is not None
        and agreement.department_id == department.pk
    )


manages = is_platform_admin | is_official_of_supervising_department
rules.add_perm("agreements.manage_agreement", manages)
rules.add_perm("agreements.view_agreement", manages | is_member_of_organization)
rules.add_perm("agreements.act_for_organization", is_admin_of_organization)
