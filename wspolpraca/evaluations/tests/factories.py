"""Calls after their deadline with submitted offers, and the people who evaluate them."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official
from wspolpraca.competitions.models import Call
from wspolpraca.competitions.services import add_statutory_criteria
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.offers.services import submit_offer
from wspolpraca.offers.tests.factories import complete_offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory


def with_totp(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test"})
    return user


def official_of(department, **fields):
    """A city official acting for `department`, with TOTP set up."""
    user = with_totp(UserFactory(role=User.Role.OFFICIAL, **fields))
    Official.objects.create(user=user, department=department)
    return user


def org_admin_of(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user


def submitted_offer(call, *, organization=None, grant=Decimal("9000.00"), **fields):
    """A complete offer submitted to `call` (still open) by an admin of `organization`."""
    organization = organization or OrganizationFactory(kind="foundation")
    offer = complete_offer(call, grant=grant, organization=organization, **fields)
    return submit_offer(offer, by=org_admin_of(organization))


def close_call(call):
    """Move the deadline into the past: the call is in evaluation."""
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(days=1))
    call.refresh_from_db()
    return call


def call_in_evaluation(offers=3, **call_fields):
    """A support-mode call past its deadline with the statutory criteria (10 points each)
    and `offers` submitted offers from different foundations; returns (call, [offers])."""
    call = CallFactory(**call_fields)
    add_statutory_criteria(call)
    submitted = [submitted_offer(call) for _ in range(offers)]
    return close_call(call), submitted
