"""Offers and their rows for tests; `complete_offer` builds one that meets every check."""

import datetime as dt
from decimal import Decimal

import factory

from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.offers.models import Action, CostLine, Offer, Partner, Result
from wspolpraca.organizations.tests.factories import OrganizationFactory


class OfferFactory(factory.django.DjangoModelFactory):
    """A draft offer in an open call (CallFactory's), by a foundation."""

    class Meta:
        model = Offer

    kind = Offer.Kind.COMPETITION
    call = factory.SubFactory(CallFactory)
    department = factory.LazyAttribute(lambda o: o.call.department if o.call else None)
    organization = factory.SubFactory(OrganizationFactory, kind="foundation")


class SmallGrantOfferFactory(OfferFactory):
    kind = Offer.Kind.SMALL_GRANT
    call = None
    department = factory.SubFactory(DepartmentFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    offer = factory.SubFactory(OfferFactory)
    name = factory.Sequence(lambda n: f"Stowarzyszenie Partnerskie {n}")
    kind = "association"
    register_number = factory.Sequence(lambda n: f"KRS {800000 + n:010d}")
    address = "ul. Długa 1, 31-001 Kraków"
    order = factory.Sequence(lambda n: n)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    offer = factory.SubFactory(OfferFactory)
    name = factory.Sequence(lambda n: f"Warsztaty {n}")
    description = "Cotygodniowe spotkania."
    target_group = "Seniorzy"
    starts = factory.LazyAttribute(lambda o: o.offer.starts)
    ends = factory.LazyAttribute(lambda o: o.offer.ends)
    order = factory.Sequence(lambda n: n)


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostLine

    offer = factory.SubFactory(OfferFactory)
    action = None
    name = factory.Sequence(lambda n: f"Koszt {n}")
    unit = "godz."
    unit_cost = Decimal("100.00")
    quantity = Decimal("10")
    year = factory.LazyAttribute(lambda o: o.offer.starts.year if o.offer.starts else 2027)
    order = factory.Sequence(lambda n: n)


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    offer = factory.SubFactory(OfferFactory)
    name = "Uczestnicy"
    target_value = "40 osób"
    monitoring = "Listy obecności"
    order = factory.Sequence(lambda n: n)


DECLARATIONS = {
    "declares_public_benefit": True,
    "declares_fees": True,
    "declares_no_arrears": True,
    "declares_register_data": True,
    "declares_truth": True,
    "declares_personal_data": True,
}


def complete_offer(call=None, *, grant=Decimal("9000.00"), **fields):
    """A draft that meets every check: for `call` (an open CallFactory call by default),
    costs of 10 000,00 zł (9 000,00 zł for one action, 1 000,00 zł administrative), the
    grant and 1 000,00 zł of own contribution (10%) covering them, dates in the call's
    window, every declaration ticked. `fields` override the offer's values."""
    call = call or CallFactory()
    starts = fields.pop("starts", call.task_starts + dt.timedelta(days=1))
    ends = fields.pop("ends", call.task_ends - dt.timedelta(days=1))
    values = {
        "title": "Warsztaty dla seniorów",
        "starts": starts,
        "ends": ends,
        "summary": "Zajęcia w domu kultury dla 40 osób.",
        "complementarity": "Uzupełnia program dzielnicy.",
        "results_effects": "40 osób ukończy warsztaty.",
        "results_change": "Mniej osamotnienia.",
        "results_durability": "Grupa spotyka się dalej.",
        "earlier_activity": "Od 2015 r. prowadzimy zajęcia.",
        "resources": "Dwie trenerki, sala.",
        "contact_name": "Anna Nowak",
        "contact_email": "anna@example.org",
        "contact_phone": "600100200",
        "requested_grant": grant,
        "own_financial": Decimal("10000.00") - grant - Decimal("500.00"),
        "own_personal": Decimal("500.00"),
        "representatives": "Anna Nowak — prezeska",
        **DECLARATIONS,
        **fields,
    }
    offer = OfferFactory(call=call, **values)
    action = ActionFactory(offer=offer, starts=starts, ends=ends)
    CostLineFactory(
        offer=offer,
        action=action,
        name="Trenerka",
        unit_cost=Decimal("100.00"),
        quantity=Decimal("90"),
        year=starts.year,
    )
    CostLineFactory(
        offer=offer,
        action=None,
        name="Księgowość",
        unit="mies.",
        unit_cost=Decimal("250.00"),
        quantity=Decimal("4"),
        year=starts.year,
    )
    if call.results_table_required:
        ResultFactory(offer=offer)
    return offer


def complete_small_grant_offer(**fields):
    """A small-grant draft that meets every check: 60 days, 5 000,00 zł of costs covered by
    a 4 500,00 zł grant and 500,00 zł of own contribution."""
    starts = fields.pop("starts", dt.date.today() + dt.timedelta(days=30))
    values = {
        "title": "Festyn sąsiedzki",
        "starts": starts,
        "ends": starts + dt.timedelta(days=59),
        "summary": "Festyn na osiedlu.",
        "results_effects": "200 uczestników.",
        "contact_name": "Anna Nowak",
        "contact_email": "anna@example.org",
        "requested_grant": Decimal("4500.00"),
        "own_financial": Decimal("500.00"),
        "representatives": "Anna Nowak — prezeska",
        **DECLARATIONS,
        **fields,
    }
    offer = SmallGrantOfferFactory(**values)
    CostLineFactory(
        offer=offer,
        name="Scena",
        unit="szt.",
        unit_cost=Decimal("5000.00"),
        quantity=Decimal("1"),
        year=values["starts"].year,
    )
    return offer
