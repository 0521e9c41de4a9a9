"""The commission's expert, from the first sign-in, at 1366 and at 390 px, with axe on every
page visited: the expert sets up two-factor sign-in, signs the declaration of
impartiality, opens the offer and finds no points to give, sends an empty opinion and is
told at the field, writes the opinion; a voting member, signing in for the first time
too, reads it beside the offer before scoring it.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes are single-use: a clean cache)
    first_sign_in_with_totp,
    follow,
    path_of,
    press,
    shown,
    sign_the_declaration,
    window,  # noqa: F401  (each person's own browser)
)

OPINION = (
    "Rezultaty realne przy tej liczbie uczestników; harmonogram zostawia za mało czasu na "
    "podsumowanie zadania."
)


@pytest.fixture
def commission(db):
    """A call past its deadline, its one offer formally correct, and its commission at
    work: a chair, a member appointed by the mayor and an expert — the last two with
    accounts never signed in and no second factor yet."""
    from wspolpraca.accounts.tests.factories import UserFactory
    from wspolpraca.evaluations import commission as service
    from wspolpraca.evaluations.models import CommissionMember
    from wspolpraca.evaluations.tests.commission_factories import passed, person
    from wspolpraca.evaluations.tests.factories import call_in_evaluation, official_of

    Role = CommissionMember.Role
    call, offers = call_in_evaluation(offers=1)
    passed(offers)
    official = official_of(call.department)
    commission = service.commission_for(call, official)
    service.add_member(commission, person(), Role.CHAIR, official)
    member = UserFactory(full_name="Ewa Zielińska", email="ewa.zielinska@example.org")
    expert = UserFactory(full_name="Krzysztof Jankowski", email="k.jankowski@example.org")
    service.add_member(commission, member, Role.CITY, official)
    service.add_member(commission, expert, Role.EXPERT, official)
    service.update_details(
        commission,
        official,
        appointment_reference="Zarządzenie nr 1/2026",
        without_ngo_reason="Żadna organizacja nie zgłosiła kandydata.",
    )
    commission = service.start_scoring(commission, official)
    return SimpleNamespace(commission=commission, offer=offers[0], member=member, expert=expert)


def the_expert_writes_an_opinion(page, world):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.evaluations.models import ExpertOpinion

    commission, offer = world.commission, world.offer
    score_url = reverse("evaluations:score", args=[commission.pk, offer.pk])
    opinion_url = reverse("evaluations:opinion", args=[commission.pk, offer.pk])
    first_sign_in_with_totp(page, world.expert)
    sign_the_declaration(page, commission)
    follow(page, score_url)
    main = page.locator("main")
    expect(main).to_contain_text(
        shown(
            "As an expert you have an advisory voice: you do not score the offers, you give "
            "your opinion of them."
        )
    )
    expect(main.locator("input[name^=points_]")).to_have_count(0)
    follow(page, opinion_url)
    press(page, shown("Save the opinion"))
    assert path_of(page) == opinion_url, page.url
    error = page.locator("main form").get_by_text(shown("Write your opinion of the offer."))
    expect(error.first).to_be_visible()
    expect(page.locator("main textarea[name=text]")).to_have_attribute("aria-invalid", "true")
    assert not ExpertOpinion.objects.exists()
    page.locator("main textarea[name=text]").fill(OPINION)
    press(page, shown("Save the opinion"))
    assert path_of(page) == score_url, page.url
    expect(page.locator("#opinions").locator("xpath=..")).to_contain_text(OPINION)
    opinion = ExpertOpinion.objects.get(offer=offer)
    assert opinion.member.user == world.expert
    assert AuditEntry.objects.filter(action="expert_opinion.given").count() == 1


def the_member_reads_it_before_scoring(page, world):
    from wspolpraca.evaluations.models import ScoreSheet

    commission, offer = world.commission, world.offer
    score_url = reverse("evaluations:score", args=[commission.pk, offer.pk])
    first_sign_in_with_totp(page, world.member)
    sign_the_declaration(page, commission)
    follow(page, score_url)
    expect(page.locator("#opinions").locator("xpath=..")).to_contain_text(OPINION)
    expect(page.locator("main input[name^=points_]").first).to_be_visible()
    opinion_url = reverse("evaluations:opinion", args=[commission.pk, offer.pk])
    expect(page.locator(f'main a[href="{opinion_url}"]')).to_have_count(0)
    assert not ScoreSheet.objects.filter(offer=offer).exists()


@pytest.mark.both_widths
def test_the_expert_gives_an_opinion_that_the_members_read(page, window, commission):  # noqa: F811
    the_expert_writes_an_opinion(page, commission)
    the_member_reads_it_before_scoring(window(), commission)
