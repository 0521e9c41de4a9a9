"""Who may see and change an offer.

Members of the offering organization see and edit its drafts; only its admins submit,
withdraw and correct. Officials of the addressed department (and platform admins) read
submitted offers. Nobody changes a submitted offer: a correction is a new offer.
"""

import rules

from wspolpraca.city.models import department_of
from wspolpraca.organizations.rules import is_platform_admin


def _role_in(user, offer):
    if not user.is_authenticated or offer is None:
        return None
    membership = offer.organization.memberships.filter(user=user).only("role").first()
    return membership.role if membership else None


@rules.predicate
def is_offeror_member(user, offer):
    return _role_in(user, offer) is not None


@rules.predicate
def is_offeror_admin(user, offer):
    return _role_in(user, offer) == "admin"


@rules.predicate
def is_draft(user, offer):
    return offer is not None and offer.status == "draft"


@rules.predicate
def is_submitted(user, offer):
    return offer is not None and offer.status == "submitted"


@rules.predicate
def is_official_of_addressed_department(user, offer):
    department = department_of(user)
    return department is not None and offer is not None and offer.department_id == department.pk


rules.add_perm("offers.view_offer_draft", is_offeror_member & is_draft)
rules.add_perm("offers.edit_offer", is_offeror_member & is_draft)
rules.add_perm("offers.submit_offer", is_offeror_admin & is_draft)
rules.add_perm("offers.withdraw_offer", is_offeror_admin & is_submitted)
rules.add_perm("offers.correct_offer", is_offeror_admin & is_submitted)
rules.add_perm("offers.upload_signed_confirmation", is_offeror_admin & is_submitted)
# The submitted offer, its PDF and receipt: its organization and the city.
rules.add_perm(
    "offers.view_submitted_offer",
    ~is_draft & (is_offeror_member | is_official_of_addressed_department | is_platform_admin),
)
