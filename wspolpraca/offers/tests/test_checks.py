"""What an offer needs before it is submitted: each check at its edge (exactly at the
call's or the law's number passes, a grosz or a day beyond fails), messages that name the
numbers, and the budget's totals and shares."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from wspolpraca.competitions.models import LegalRules
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.offers import checks
from wspolpraca.offers.models import CostLine
from wspolpraca.offers.tests.factories import (
    CostLineFactory,
    PartnerFactory,
    complete_offer,
    complete_small_grant_offer,
)

pytestmark = pytest.mark.django_db

GROSZ = Decimal("0.01")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages(offer, field=None, **kwargs):
    found = checks.problems(offer, **kwargs)
    return [p.message for p in found if field is None or p.field == field]


def rebalance(offer, grant):
    """Set the grant and make the own financial contribution cover the rest of the costs."""
    total = checks.budget(offer).total
    offer.requested_grant = grant
    offer.own_financial = total - grant - offer.own_personal - offer.own_in_kind
    offer.save()
    return offer


def test_the_complete_offer_has_no_problems():
    assert checks.problems(complete_offer()) == []


def test_the_complete_small_grant_offer_has_no_problems():
    assert checks.problems(complete_small_grant_offer()) == []


# The budget.


def test_the_budget_adds_costs_per_action_administrative_costs_and_years():
    offer = complete_offer()
    action = offer.actions.get()
    CostLineFactory(
        offer=offer, action=action, unit_cost=Decimal("10.50"), quantity=Decimal("2"), year=2099
    )
    numbers = checks.budget(offer)
    assert [a.total for a in numbers.actions] == [Decimal("9021.00")]
    assert numbers.administrative == Decimal("1000.00")
    assert numbers.total == Decimal("10021.00")
    assert dict(numbers.per_year)[2099] == Decimal("21.00")


def test_the_budget_gives_each_source_its_share_and_adds_the_own_contribution():
    offer = complete_offer(own_in_kind=Decimal("0"))
    numbers = checks.budget(offer)
    shares = {source.key: source.share for source in numbers.sources}
    assert shares["requested_grant"] == Decimal("90.00")
    assert numbers.own_contribution == offer.own_financial + offer.own_personal
    assert numbers.own_share == Decimal("10.00")
    assert numbers.balanced


def test_the_budget_splits_a_joint_offers_costs_between_the_offerors():
    offer = complete_offer()
    PartnerFactory(offer=offer, cost_share=Decimal("2500.00"))
    numbers = checks.budget(offer)
    assert (numbers.partner_shares, numbers.lead_share) == (Decimal("2500.00"), Decimal("7500.00"))


def test_a_small_grants_costs_are_never_administrative():
    numbers = checks.budget(complete_small_grant_offer())
    assert (numbers.direct, numbers.administrative) == (Decimal("5000.00"), Decimal("0"))


# Sums and the call's limits.


def test_sources_that_fall_a_grosz_short_of_the_costs_are_named_with_the_difference():
    offer = complete_offer()
    offer.own_financial -= GROSZ
    offer.save()
    (message,) = messages(offer, "requested_grant")
    assert money(Decimal("9999.99")) in message and money(GROSZ) in message


def test_a_grant_exactly_at_the_calls_largest_passes():
    call = CallFactory(max_grant=Decimal("9500.00"), min_own_contribution_percent=0)
    offer = rebalance(complete_offer(call), Decimal("9500.00"))
    assert messages(offer) == []


def test_a_grant_a_grosz_above_the_calls_largest_is_refused_naming_both_amounts():
    call = CallFactory(max_grant=Decimal("9500.00"), min_own_contribution_percent=0)
    offer = rebalance(complete_offer(call), Decimal("9500.01"))
    assert messages(offer) == [
        f"The requested grant of {money(Decimal('9500.01'))} is more than the largest grant "
        f"in the call: {money(Decimal('9500.00'))}."
    ]


def test_a_grant_exactly_at_the_calls_smallest_passes():
    call = CallFactory(min_grant=Decimal("9000.00"))
    assert messages(complete_offer(call)) == []


def test_a_grant_a_grosz_below_the_calls_smallest_is_refused():
    call = CallFactory(min_grant=Decimal("9000.00"), min_own_contribution_percent=0)
    offer = rebalance(complete_offer(call), Decimal("8999.99"))
    (message,) = messages(offer)
    assert money(Decimal("8999.99")) in message and money(Decimal("9000.00")) in message


def test_a_grant_above_all_the_calls_money_is_refused_and_one_equal_to_it_passes():
    call = CallFactory(budget=Decimal("9500.00"), max_grant=None, min_own_contribution_percent=0)
    assert messages(rebalance(complete_offer(call), Decimal("9500.00"))) == []
    offer = rebalance(complete_offer(call), Decimal("9500.01"))
    assert messages(offer) == [
        f"The requested grant of {money(Decimal('9500.01'))} is more than all the money of "
        f"the call: {money(Decimal('9500.00'))}."
    ]


def test_an_own_contribution_exactly_at_the_calls_minimum_passes():
    offer = complete_offer(CallFactory(min_own_contribution_percent=Decimal("10")))
    assert checks.budget(offer).own_share == Decimal("10.00")
    assert messages(offer) == []


def test_an_own_contribution_a_grosz_below_the_calls_minimum_is_refused():
    offer = complete_offer(CallFactory(min_own_contribution_percent=Decimal("10")))
    offer = rebalance(offer, offer.requested_grant + GROSZ)
    (message,) = messages(offer, "own_financial")
    assert money(Decimal("999.99")) in message and "10%" in message
    assert money(Decimal("1000.00")) in message


def test_entrustment_asks_for_no_own_contribution():
    call = CallFactory(funding_mode="entrustment", min_own_contribution_percent=Decimal("50"))
    offer = rebalance(complete_offer(call), Decimal("9500.00"))
    assert messages(offer) == []


def set_administrative_costs(offer, amount):
    CostLine.objects.filter(offer=offer, action=None).update(unit_cost=amount, quantity=1)
    return CostLine.objects.filter(offer=offer, action=None).get()


def test_administrative_costs_exactly_at_the_cap_pass():
    call = CallFactory(admin_cost_cap_percent=Decimal("15"), min_own_contribution_percent=0)
    offer = complete_offer(call)
    CostLine.objects.filter(offer=offer, action__isnull=False).update(
        unit_cost=Decimal("85"), quantity=100
    )
    set_administrative_costs(offer, Decimal("1500.00"))
    assert checks.budget(offer).total == Decimal("10000.00")
    assert messages(offer) == []


def test_administrative_costs_a_grosz_over_the_cap_are_refused():
    call = CallFactory(admin_cost_cap_percent=Decimal("15"), min_own_contribution_percent=0)
    offer = complete_offer(call)
    CostLine.objects.filter(offer=offer, action__isnull=False).update(
        unit_cost=Decimal("85"), quantity=100
    )
    set_administrative_costs(offer, Decimal("1500.01"))
    offer = rebalance(offer, offer.requested_grant)
    (message,) = messages(offer, "administrative_costs")
    assert money(Decimal("1500.01")) in message and "15%" in message


# Dates.


def test_a_task_from_the_first_to_the_last_day_the_call_allows_passes():
    call = CallFactory()
    offer = complete_offer(call, starts=call.task_starts, ends=call.task_ends)
    assert messages(offer) == []


def test_a_task_starting_a_day_before_the_call_allows_is_refused():
    call = CallFactory()
    offer = complete_offer(call, starts=call.task_starts - dt.timedelta(days=1))
    assert messages(offer, "starts")


def test_a_task_ending_a_day_after_the_call_allows_is_refused():
    call = CallFactory()
    offer = complete_offer(call, ends=call.task_ends + dt.timedelta(days=1))
    assert messages(offer, "ends")


def test_a_task_that_ends_before_it_starts_is_refused_and_a_one_day_task_passes():
    call = CallFactory()
    day = call.task_starts + dt.timedelta(days=10)
    assert messages(complete_offer(call, starts=day, ends=day)) == []
    offer = complete_offer(call, starts=day, ends=day - dt.timedelta(days=1))
    assert any("must end on or after" in m for m in messages(offer, "ends"))


def test_an_action_a_day_outside_the_task_is_refused():
    offer = complete_offer()
    action = offer.actions.get()
    action.starts = offer.starts - dt.timedelta(days=1)
    action.ends = offer.ends + dt.timedelta(days=1)
    action.save()
    assert messages(offer, "actions-0-starts") and messages(offer, "actions-0-ends")


# Who may apply, partners, declarations, the deadline.


def test_an_organization_of_a_kind_the_call_does_not_admit_is_refused():
    offer = complete_offer(CallFactory(eligible_kinds=["association"]))
    (message,) = messages(offer)
    assert "Foundation may not apply" in message and "association" in message


def test_a_call_naming_no_kinds_admits_every_organization():
    assert messages(complete_offer(CallFactory(eligible_kinds=[]))) == []


def test_partners_shares_up_to_all_the_costs_pass_and_a_grosz_more_is_refused():
    offer = complete_offer()
    PartnerFactory(offer=offer, cost_share=Decimal("4000.00"))
    partner = PartnerFactory(offer=offer, cost_share=Decimal("6000.00"))
    assert messages(offer) == []
    partner.cost_share += GROSZ
    partner.save()
    (message,) = messages(offer, "partners")
    assert money(Decimal("10000.01")) in message and money(Decimal("10000.00")) in message


def test_every_declaration_not_ticked_is_named():
    offer = complete_offer(declares_truth=False, declares_no_arrears=False)
    assert [p.field for p in checks.problems(offer)] == [
        "declares_no_arrears",
        "declares_truth",
    ]


def test_fees_from_the_people_served_need_paid_activity():
    offer = complete_offer(
        grant=Decimal("8900.00"),
        own_financial=Decimal("500.00"),
        beneficiary_fees=Decimal("100.00"),
    )
    assert messages(offer, "paid_activity")
    offer.paid_activity = True
    assert messages(offer) == []


def test_an_offer_at_the_deadlines_second_passes_and_a_second_later_is_refused():
    offer = complete_offer()
    deadline = offer.call.deadline
    assert messages(offer, now=deadline) == []
    assert messages(offer, now=deadline + dt.timedelta(seconds=1))


def test_the_deadline_is_read_from_the_servers_clock():
    offer = complete_offer()
    with time_machine.travel(offer.call.deadline + dt.timedelta(minutes=1), tick=False):
        assert [p.step for p in checks.problems(offer)] == ["basic"]


# What each kind of offer requires.


def test_an_empty_draft_lists_what_is_missing_in_the_order_of_the_steps():
    offer = complete_offer(title="", resources="", representatives="", requested_grant=None)
    found = checks.problems(offer)
    assert [(p.step, p.field) for p in found if p.missing] == [
        ("task", "title"),
        ("resources", "resources"),
        ("costs", "requested_grant"),
        ("declarations", "representatives"),
    ]


def test_the_results_table_is_required_only_when_the_call_asks_for_it():
    offer = complete_offer(CallFactory(results_table_required=False))
    assert messages(offer) == []
    offer.results.all().delete()
    offer.call.results_table_required = True
    assert messages(offer, "results")


def test_a_small_grant_needs_no_resources_results_change_or_actions():
    offer = complete_small_grant_offer(resources="", results_change="")
    assert messages(offer) == []


# Small grants: the law's numbers, from LegalRules.


def test_a_small_grant_at_the_laws_largest_amount_passes_and_a_grosz_more_is_refused():
    offer = complete_small_grant_offer()
    CostLine.objects.filter(offer=offer).update(unit_cost=Decimal("10500.00"))
    offer = rebalance(offer, Decimal("10000.00"))
    assert messages(offer) == []
    offer = rebalance(offer, Decimal("10000.01"))
    assert messages(offer) == [
        f"A small grant may be at most {money(Decimal('10000.00'))} (art. 19a); you ask for "
        f"{money(Decimal('10000.01'))}."
    ]


def test_the_small_grant_limit_follows_the_legal_rules_row():
    LegalRules.objects.update_or_create(pk=1, defaults={"small_grant_max_amount": Decimal("4000")})
    (message,) = messages(complete_small_grant_offer())
    assert money(Decimal("4000.00")) in message


def test_a_small_grant_task_of_exactly_the_longest_duration_passes_and_a_day_more_fails():
    starts = dt.date(2027, 6, 1)
    rules = LegalRules.current()
    last_day = starts + dt.timedelta(days=rules.small_grant_max_days - 1)
    assert messages(complete_small_grant_offer(starts=starts, ends=last_day)) == []
    offer = complete_small_grant_offer(starts=starts, ends=last_day + dt.timedelta(days=1))
    (message,) = messages(offer, "ends")
    assert f"at most {rules.small_grant_max_days} days" in message
    assert f"lasts {rules.small_grant_max_days + 1} days" in message


# The former statutory caps on small grants: a local policy, off unless set


def submitted_small_grant(organization, grant):
    from django.utils import timezone

    return complete_small_grant_offer(
        organization=organization,
        requested_grant=grant,
        status="submitted",
        submitted_at=timezone.now(),
    )


def test_without_local_caps_earlier_small_grants_do_not_limit_a_new_one():
    offer = complete_small_grant_offer()
    submitted_small_grant(offer.organization, Decimal("9000.00"))
    assert messages(offer) == []


def test_the_yearly_cap_per_organization_allows_exactly_what_is_left():
    LegalRules.objects.update_or_create(
        pk=1, defaults={"small_grant_yearly_cap_per_organization": Decimal("20000")}
    )
    offer = complete_small_grant_offer()  # asks for 4 500,00 zł
    submitted_small_grant(offer.organization, Decimal("15500.00"))
    assert messages(offer) == []
    submitted_small_grant(offer.organization, Decimal("0.01"))
    (message,) = messages(offer)
    assert money(Decimal("20000.00")) in message and money(Decimal("4499.99")) in message


def test_the_share_cap_counts_the_years_calls_and_small_grants():
    LegalRules.objects.update_or_create(pk=1, defaults={"small_grant_share_cap_percent": 20})
    from django.utils import timezone

    # 18 000 of calls this year + 4 500 of small grants: 4 500 is exactly 20%.
    CallFactory(budget=Decimal("18000.00"), deadline=timezone.now())
    offer = complete_small_grant_offer()
    assert messages(offer) == []
    offer = rebalance(offer, Decimal("4500.01"))
    (message,) = messages(offer)
    assert "20%" in message
