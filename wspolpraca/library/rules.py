"""Who may do what in the research library. Named predicates, checked with user.has_perm.

A study an organization submits is its members' to prepare, submit and follow; a study
city staff add (the city's own, a unit's, a university's, or an organization's they enter
for it) is the staff's. City staff (officials, coordinators, platform admins) publish
studies directly, moderate what organizations submit, hide and show studies, and answer
research topics. Anyone signed in proposes and supports topics.
"""

import rules

from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.rules import is_city_staff


@rules.predicate
def is_member_of(user, organization):
    if not user.is_authenticated or organization is None:
        return False
    return Membership.objects.filter(organization=organization, user=user).exists()


@rules.predicate
def is_studys_side(user, study):
    """City staff for a study the city added; otherwise a member of its organization."""
    if not user.is_authenticated or study is None:
        return False
    if study.added_by_city:
        return user.is_city_staff
    return Membership.objects.filter(organization_id=study.organization_id, user=user).exists()


@rules.predicate
def is_public_study(user, study):
    return study is not None and study.is_public


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated


# Submitting a study for an organization: its members.
rules.add_perm("library.submit_study", is_member_of)
# The city's own studies (and those of units and universities): staff publish them.
rules.add_perm("library.publish_study", is_city_staff)
rules.add_perm("library.moderate_study", is_city_staff)
rules.add_perm("library.manage_study", is_studys_side)
# Unmoderated, rejected and hidden studies are read by their side and by staff only.
rules.add_perm("library.see_study", is_public_study | is_studys_side | is_city_staff)
rules.add_perm("library.propose_topic", is_signed_in)
rules.add_perm("library.support_topic", is_signed_in)
rules.add_perm("library.answer_topic", is_city_staff)
