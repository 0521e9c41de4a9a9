"""Who may run a consultation and answer its postulates: the officials of its owning
department (and platform admins); who may post for an organization: its members."""

import rules

from wspolpraca.city.models import department_of
from wspolpraca.organizations.rules import is_platform_admin


@rules.predicate
def is_official_of_its_department(user, obj):
    department = department_of(user)
    return department is not None and obj is not None and obj.department_id == department.pk


@rules.predicate
def is_official(user):
    return department_of(user) is not None


rules.add_perm("consultations.create_consultation", is_platform_admin | is_official)
rules.add_perm(
    "consultations.manage_consultation", is_platform_admin | is_official_of_its_department
)
# Tracked postulates: their department's officials keep them up to date.
rules.add_perm(
    "consultations.manage_tracked_postulate", is_platform_admin | is_official_of_its_department
)
rules.add_perm("consultations.import_tracker", is_platform_admin)
