"""Commissions for the tests of the commission's part: appointed, started and signed."""

from decimal import Decimal
from types import SimpleNamespace

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.evaluations import commission as service
from wspolpraca.evaluations.models import CommissionMember, FormalCheck
from wspolpraca.evaluations.tests.factories import call_in_evaluation, official_of, with_totp
from wspolpraca.organizations.tests.factories import OrganizationFactory

Role = CommissionMember.Role


def passed(offers):
    for offer in offers:
        FormalCheck.objects.create(offer=offer, status=FormalCheck.Status.PASSED)
    return offers


def person(**fields):
    """A person with an account and TOTP set up (members must sign in with two factors)."""
    return with_totp(UserFactory(**fields))


def appointed(offers=3, *, voters=2, experts=0, ngo=True, **call_fields):
    """A call past its deadline whose offers all passed the formal check, and its commission
    being appointed: a chair, `voters` other voting members (the first nominated by an
    organization when `ngo`), `experts` experts. Nobody has signed yet."""
    call, offer_list = call_in_evaluation(offers=offers, **call_fields)
    passed(offer_list)
    official = official_of(call.department)
    commission = service.commission_for(call, official)
    chair = service.add_member(commission, person(), Role.CHAIR, official)
    voting = []
    for index in range(voters):
        if ngo and index == 0:
            voting.append(
                service.add_member(
                    commission,
                    person(),
                    Role.NGO,
                    official,
                    nominated_by=OrganizationFactory(name="Rada Organizacji Nominujących"),
                )
            )
        else:
            voting.append(service.add_member(commission, person(), Role.CITY, official))
    expert_list = [
        service.add_member(commission, person(), Role.EXPERT, official) for _ in range(experts)
    ]
    if not ngo:
        commission.without_ngo_reason = "Żadna organizacja nie zgłosiła kandydata."
        commission.save(update_fields=["without_ngo_reason"])
    return SimpleNamespace(
        call=call,
        offers=offer_list,
        official=official,
        commission=commission,
        chair=chair,
        voters=voting,
        experts=expert_list,
    )


def working(offers=3, *, signed=True, **kwargs):
    """As `appointed`, with scoring started and (when `signed`) every declaration signed."""
    setup = appointed(offers, **kwargs)
    setup.commission = service.start_scoring(setup.commission, setup.official)
    members = [setup.chair, *setup.voters, *setup.experts]
    if signed:
        members = [service.sign_declaration(m, m.user) for m in members]
    setup.chair, *rest = members
    setup.voters = rest[: len(setup.voters)]
    setup.experts = rest[len(setup.voters) :]
    for member in members:
        member.commission = setup.commission
    return setup


def full_scores(call, points=Decimal("8"), justification="Uzasadnienie oceny."):
    """Points and a justification for every criterion of `call`."""
    return {
        criterion.pk: {"points": points, "justification": f"{justification} ({criterion.name})"}
        for criterion in call.criteria.all()
    }


def submit(member, offer, points=Decimal("8"), justification="Uzasadnienie oceny."):
    return service.save_sheet(
        member,
        offer,
        full_scores(member.commission.call, points, justification),
        member.user,
        submit=True,
    )


def finish(setup, points=Decimal("8")):
    """Every voting member submits every offer's sheet."""
    for member in [setup.chair, *setup.voters]:
        for offer in setup.offers:
            submit(member, offer, points)
