"""Requests to the city in a browser: an organization's administrator files an
own-initiative offer — chooses the kind, answers (one answer wrong first), checks the
answers and changes one, sends it, and reads the day the city must answer by. Every page
on the way has no axe violation and fits the window, at 1366 px and at 390 px."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, submit, visit


@pytest.fixture
def ngo(db):
    from types import SimpleNamespace

    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.organizations.models import Membership
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory(name="Fundacja Teatr Rynek", kind="foundation")
    admin = UserFactory()
    Membership.objects.create(organization=organization, user=admin, role="admin")
    DepartmentFactory(name="Wydział Sportu")
    culture = DepartmentFactory(name="Wydział Kultury")
    return SimpleNamespace(
        organization=organization, admin=admin, password=PASSWORD, department=culture
    )


def path_of(page):
    from urllib.parse import urlsplit

    return urlsplit(page.url).path


@pytest.mark.both_widths
def test_an_ngo_admin_files_an_own_initiative_offer_through_check_your_answers(page, ngo):
    from django.utils import formats, timezone, translation

    from wspolpraca.competitions.models import CityRequest

    log_in(page, ngo.admin.email, ngo.password)
    visit(page, reverse("city_requests:list"))
    new_url = reverse("city_requests:new")
    page.locator(f'main a[href^="{new_url}"]').click()
    assert path_of(page) == new_url
    check_a11y(page)

    # Step 1: the kind, with the city's term of answer under each.
    page.locator("input[name=kind][value=own_initiative]").check()
    submit(page.locator("main form"))

    # Step 2: the answers; the cost written wrong first.
    form = page.locator("main form")
    form.locator("#id_department").select_option(label=str(ngo.department))
    form.locator("#id_title").fill("Teatr na podwórkach")
    form.locator("#id_description").fill("Spektakle dla dzieci na podwórkach Kazimierza.")
    form.locator("#id_estimated_cost").fill("dużo")
    starts = timezone.localdate() + timedelta(days=90)
    form.locator("#id_starts").fill(starts.isoformat())
    submit(form)
    expect(page.locator("main .error-summary a[href='#id_estimated_cost']")).to_be_visible()
    expect(page.locator("#id_estimated_cost_error")).to_be_visible()
    expect(form.locator("#id_title")).to_have_value("Teatr na podwórkach")
    form.locator("#id_estimated_cost").fill("12 500")
    submit(form)

    # Step 3: check the answers, change one, come back, send.
    assert path_of(page) == reverse("city_requests:check")
    answers = page.locator("main dl.facts")
    expect(answers).to_contain_text("Teatr na podwórkach")
    expect(answers).to_contain_text("12\u00a0500,00\u00a0zł")
    page.locator("main dl.facts a[href$='#id_title']").click()
    page.wait_for_load_state("load")
    form = page.locator("main form")
    expect(form.locator("#id_description")).to_have_value(
        "Spektakle dla dzieci na podwórkach Kazimierza."
    )
    form.locator("#id_title").fill("Teatr na podwórkach Kazimierza")
    submit(form)
    expect(page.locator("main dl.facts")).to_contain_text("Teatr na podwórkach Kazimierza")
    assert not CityRequest.objects.exists()
    submit(page.locator("main form"))

    # Step 4: the confirmation, with the number and the day of the answer.
    request = CityRequest.objects.get()
    assert request.title == "Teatr na podwórkach Kazimierza"
    assert request.organization == ngo.organization
    expect(page.locator("#request-number")).to_have_text(str(request.pk))
    with translation.override("pl"):
        due = formats.date_format(request.answer_due, "j E Y")
    expect(page.locator("main")).to_contain_text(due)
    visit(page, reverse("city_requests:detail", args=[request.pk]))
    expect(page.locator("main h1")).to_have_text("Teatr na podwórkach Kazimierza")
