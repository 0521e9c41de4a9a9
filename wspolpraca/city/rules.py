"""Who may do what with the dialogue bodies. A body's records (members, meetings, minutes,
opinions) are kept by its keepers: the secretary accounts named on the body and the staff
of the department that services it (platform administrators too). Any city staff member
may ask a body for an opinion; residents and NGO people may not."""

import rules

from wspolpraca.organizations.rules import is_city_staff, is_platform_admin


@rules.predicate
def is_body_secretary(user, body):
    if not user.is_authenticated or body is None:
        return False
    return body.secretaries.filter(pk=user.pk).exists()


@rules.predicate
def is_of_servicing_department(user, body):
    if not user.is_authenticated or body is None or not user.is_city_staff:
        return False
    official = getattr(user, "official", None)
    return official is not None and official.department_id == body.department_id


keeps_body = is_body_secretary | is_of_servicing_department | is_platform_admin


@rules.predicate
def keeps_body_of(user, obj):
    """For a meeting, opinion or request: the keeper of its body."""
    return obj is not None and keeps_body(user, obj.body)


# Adding and changing a body's members, meetings, minutes and opinions.
rules.add_perm("city.keep_body", keeps_body)
# Recording a body's answer to an opinion request: only the keepers of that body.
rules.add_perm("city.answer_opinion_request", keeps_body_of)
# Asking a body for an opinion on a draft: city staff.
rules.add_perm("city.request_opinion", is_city_staff)
