"""Who may change what in the public tasks: an official acts for their own department."""

import rules

from wspolpraca.city.models import department_of
from wspolpraca.organizations.rules import is_platform_admin


@rules.predicate
def is_official_of_its_department(user, obj):
    department = department_of(user)
    return department is not None and obj is not None and obj.department_id == department.pk


rules.add_perm(
    "competitions.manage_planned_call", is_platform_admin | is_official_of_its_department
)
rules.add_perm("competitions.manage_call", is_platform_admin | is_official_of_its_department)
