"""Who may do what in the evaluation of a call.

The department that owns the call runs it: the formal check, appointing the commission,
entering the mayor's decisions and answering requests for reasons. Commission members act
only through their seat (`commission.seat_of`), which these rules do not replace:
whether a member may open an offer depends on their declaration and conflicts.
"""

import rules

from wspolpraca.city.models import department_of
from wspolpraca.organizations.rules import is_platform_admin


@rules.predicate
def is_official_of_calls_department(user, call):
    department = department_of(user)
    return department is not None and call is not None and call.department_id == department.pk


rules.add_perm("evaluations.manage_evaluation", is_platform_admin | is_official_of_calls_department)
