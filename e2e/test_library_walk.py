"""The acceptance walk of the research library (issue 11), at 1366 and at 390 px, with axe
on every page visited. Each person works in a browser of their own.

1. A member of an organization signs in, goes from the "Policies" plane to the library and
   adds a study for the organization (a title with Polish letters, authors, year, area,
   district, a small PDF, the licence); checks the answers, where nothing is sent yet,
   and sends it for moderation. Its page shows the member that it is not public; a
   visitor's GET of the page, and of its file, answers 404.
2. A city official (a new account: first sign-in, TOTP set up) opens the moderation queue
   from the profile, opens the study as it would be published and publishes it. The
   submitter gets an e-mail with the study's address.
3. A visitor finds it on the library's list with a query typed without Polish letters and
   the area, district and year filters (a GET form: all of them end up in the address),
   opens it and downloads its file. Two decoys each match part of the search only.
4. A resident signs up and proposes a research topic; the member supports it; the official
   answers it ("taken up", with the reason, linking the published study by its number).
   The resident gets the answer by e-mail; the topic's public page shows the answer and
   links the study, and the study's page links the topic.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons by their text through `shown()` (the msgid through the Polish catalogue).
"""

import signal
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils.text import capfirst
from playwright.sync_api import expect

from e2e.conftest import TEST_TIMEOUT_S
from e2e.helpers import check_a11y, log_in, submit, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes and rate limits live in the cache: a clean one)
    click_and_check,
    download,
    first_sign_in_with_totp,
    follow,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)
from e2e.test_staff_signin import CONFIRM_LINK, fill_and_submit, new_staff

WALK_TIMEOUT_S = 3 * TEST_TIMEOUT_S
TITLE = "Współpraca młodzieży z organizacjami w Podgórzu"
AUTHORS = "Zofia Łęcka, Michał Żurawski"
YEAR = 2025
ABSTRACT = (
    "Ankieta wśród 240 uczniów szkół średnich z Podgórza: gdzie spędzają czas wolny, "
    "czy znają organizacje w dzielnicy i co skłoniłoby ich do wolontariatu."
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# How a person types it on a phone: no Polish letters.
QUERY = "wspolpraca mlodziezy"
TOPIC_TITLE = "Dojazdy młodzieży na zajęcia pozalekcyjne w Podgórzu"
TOPIC_DESCRIPTION = (
    "Ile czasu młodzież z Płaszowa i Rybitw dojeżdża na zajęcia organizacji, i czy "
    "wieczorne autobusy pozwalają wrócić do domu."
)
ANSWER = (
    "Temat podjęty: badanie współpracy młodzieży z organizacjami w Podgórzu pyta także "
    "o dojazdy; w 2027 roku rozszerzymy je o całe miasto."
)
RESIDENT_EMAIL = "mieszkanka.podgorza@example.org"


@pytest.fixture(autouse=True)
def _longer_watchdog(_watchdog):
    """Four people's work, some 40 pages each checked by axe: three times the limit
    conftest gives one test, which still fails a hung browser."""
    signal.alarm(WALK_TIMEOUT_S)


@pytest.fixture
def world(db):
    """A verified organization in Podgórze with a plain member (who signs in with a
    password), a city official never signed in, and two published decoys: one matches the
    words but is about Nowa Huta, the other is about Podgórze and youth with other words."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.library.tests.factories import StudyFactory
    from wspolpraca.organizations.models import Membership, PublicBenefitArea
    from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

    podgorze = DistrictFactory(number=13, roman="XIII", name="Podgórze")
    nowa_huta = DistrictFactory(number=18, roman="XVIII", name="Nowa Huta")
    youth = PublicBenefitArea.objects.get(code="15")
    organization = OrganizationFactory(
        name="Stowarzyszenie Młodzi Podgórze",
        district=podgorze,
        areas=[youth],
        email="biuro@mlodzi-podgorze.example.org",
    )
    member = UserFactory(full_name="Halina Wójcik", email="halina@mlodzi-podgorze.example.org")
    Membership.objects.create(organization=organization, user=member, role=Membership.Role.MEMBER)
    official = new_staff(User.Role.OFFICIAL)
    decoys = [
        StudyFactory(
            title="Współpraca młodzieży ze szkołami w Nowej Hucie",
            year=2024,
            areas=[youth],
            districts=[nowa_huta],
        ),
        StudyFactory(
            title="Czas wolny dzieci w Podgórzu",
            year=2024,
            areas=[youth],
            districts=[podgorze],
        ),
    ]
    return SimpleNamespace(
        podgorze=podgorze,
        youth=youth,
        organization=organization,
        member=member,
        official=official,
        decoys=decoys,
        password=PASSWORD,
    )


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


def study_titles(page):
    return [title.strip() for title in page.locator("main .cards h3 a").all_inner_texts()]


def to_the_library(page):
    visit(page, reverse("pages:plane", args=["polityki"]))
    follow(page, reverse("library:studies"))


# 1. The member submits the study.


def the_member_submits_a_study(page, world):
    from wspolpraca.library.models import Study

    log_in(page, world.member.email, world.password)
    to_the_library(page)
    follow(page, reverse("library:study_new"))

    form = page.locator("main form[enctype]")
    # Their only organization is already chosen.
    expect(
        form.locator(f"input[name=organization][value='{world.organization.pk}']")
    ).to_be_checked()
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=authors]").fill(AUTHORS)
    form.locator("input[name=year]").fill(str(YEAR))
    form.locator(f"input[name=areas][value='{world.youth.pk}']").check()
    form.locator(f"input[name=districts][value='{world.podgorze.pk}']").check()
    form.locator("textarea[name=abstract]").fill(ABSTRACT)
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "ankieta-młodzież.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    form.locator("input[name=licence][value='cc-by-4.0']").check()
    press(page, shown("Continue"))

    # Check your answers: everything as typed, nothing sent yet.
    study = Study.objects.get(title=TITLE)
    assert path_of(page) == reverse("library:study_check", args=[study.pk]), page.url
    main = page.locator("main")
    for text in (world.organization.name, TITLE, AUTHORS, str(YEAR), world.youth.short_label):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text(str(world.podgorze))
    expect(main).to_contain_text("PDF")
    change_title = f"{reverse('library:study_edit', args=[study.pk])}#id_title"
    expect(main.locator(f'a[href="{change_title}"]')).to_have_count(1)
    assert study.status == Study.Status.DRAFT, study.status
    press(page, shown("Send for moderation"))

    sent_url = reverse("library:study_sent", args=[study.pk])
    assert path_of(page) == sent_url, page.url
    expect(page.locator("#study-number")).to_have_text(str(study.pk))
    study.refresh_from_db()
    assert (study.status, study.organization, study.submitted_by) == (
        Study.Status.SUBMITTED,
        world.organization,
        world.member,
    )
    assert (study.publisher_type, study.licence, study.year) == (
        Study.PublisherType.NGO,
        Study.Licence.CC_BY,
        YEAR,
    )
    assert (study.file_type, study.file_size) == ("pdf", len(PDF_BYTES))
    assert list(study.areas.all()) == [world.youth]
    assert list(study.districts.all()) == [world.podgorze]
    assert study.submitted_at is not None and study.published_at is None

    # The member sees it, marked as not public.
    follow(page, study.get_absolute_url())
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator("main .notice")).to_contain_text(
        shown("Not public: %(status)s") % {"status": shown("awaiting moderation", "study status")}
    )
    return study


def a_visitor_cannot_see_it_yet(page, study):
    response = page.goto(study.get_absolute_url())
    assert response is not None and response.status == 404, response and response.status
    check_a11y(page)
    assert TITLE not in page.content()
    file_response = page.request.get(reverse("library:study_file", args=[study.pk]))
    assert file_response.status == 404, file_response.status
    visit(page, reverse("library:studies"))
    assert TITLE not in study_titles(page), study_titles(page)


# 2. The official publishes it.


def the_official_publishes_it(page, world, study, mailoutbox):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.library.models import Study

    first_sign_in_with_totp(page, world.official)
    queue_url = reverse("library:moderation")
    follow(page, queue_url)
    row = page.locator("main table tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world.organization.name)
    follow(page, reverse("library:moderate", args=[study.pk]))
    main = page.locator("main")
    for text in (TITLE, AUTHORS, ABSTRACT, world.organization.name):
        expect(main).to_contain_text(text)
    press(page, shown("Publish the study"))

    assert path_of(page) == queue_url, page.url
    expect(page.locator("main table tbody")).to_contain_text(
        shown("Nothing is waiting. Well done.")
    )
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED, study.status
    assert (study.moderated_by, study.published_at is not None) == (world.official, True)
    assert AuditEntry.objects.filter(action="study.approved", actor=world.official).exists()

    told = mails_to(mailoutbox, world.member.email)
    assert len(told) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert TITLE in told[0].subject, told[0].subject
    assert study.get_absolute_url() in told[0].body, told[0].body
    return study


# 3. A visitor finds it.


def a_visitor_finds_it(page, world, study):
    to_the_library(page)
    form = page.locator("main form[role=search]")
    form.locator("input[name=q]").fill(QUERY)
    form.locator("select[name=area]").select_option(world.youth.code)
    form.locator("select[name=district]").select_option(str(world.podgorze.number))
    form.locator("input[name=year_from]").fill("2020")
    click_and_check(page, form.locator("button[type=submit]"))

    assert path_of(page) == reverse("library:studies"), page.url
    query = parse_qs(urlsplit(page.url).query)
    assert (query["q"], query["area"], query["district"], query["year_from"]) == (
        [QUERY],
        [world.youth.code],
        [str(world.podgorze.number)],
        ["2020"],
    ), query
    assert study_titles(page) == [TITLE], study_titles(page)

    # Each filter matters: the words alone also find the Nowa Huta study.
    visit(page, f"{reverse('library:studies')}?q={QUERY.replace(' ', '+')}")
    assert sorted(study_titles(page)) == sorted([TITLE, world.decoys[0].title]), study_titles(page)
    page.go_back()
    assert study_titles(page) == [TITLE], study_titles(page)

    follow(page, study.get_absolute_url())
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(TITLE)
    for text in (AUTHORS, ABSTRACT, world.organization.name, str(world.podgorze)):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text(shown("CC BY 4.0 (attribution)"))
    assert download(page, reverse("library:study_file", args=[study.pk])) == PDF_BYTES


# 4. Research topics.


def the_resident_signs_up_and_proposes(page, world, mailoutbox):
    from wspolpraca.accounts.tests.factories import PASSWORD
    from wspolpraca.library.models import ResearchTopic

    visit(page, reverse("account_signup"))
    fill_and_submit(page, {"email": RESIDENT_EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    links = [CONFIRM_LINK.search(m.body) for m in mailoutbox if RESIDENT_EMAIL in m.to]
    links = [link for link in links if link]
    assert links, "no confirmation link in an e-mail to the resident"
    visit(page, urlsplit(links[-1].group(0)).path)
    submit(page.locator("main form[method=post]:has(button[type=submit])").first)
    log_in(page, RESIDENT_EMAIL, PASSWORD)

    visit(page, reverse("pages:plane", args=["polityki"]))
    follow(page, reverse("library:topics"))
    follow(page, reverse("library:topic_new"))
    form = page.locator("main form[method=post]")
    form.locator("input[name=title]").fill(TOPIC_TITLE)
    form.locator("textarea[name=description]").fill(TOPIC_DESCRIPTION)
    form.locator(f"input[name=areas][value='{world.youth.pk}']").check()
    press(page, shown("Propose the topic"))

    topic = ResearchTopic.objects.get(title=TOPIC_TITLE)
    assert path_of(page) == topic.get_absolute_url(), page.url
    assert (topic.proposed_by.email, topic.status, topic.support_count) == (
        RESIDENT_EMAIL,
        ResearchTopic.Status.PROPOSED,
        0,
    )
    assert list(topic.areas.all()) == [world.youth]
    expect(page.locator("main h1")).to_have_text(TOPIC_TITLE)
    expect(page.locator("main")).to_contain_text(TOPIC_DESCRIPTION)
    return topic


def the_member_supports_it(page, world, topic):
    from wspolpraca.library.models import TopicSupport

    visit(page, reverse("library:studies"))
    follow(page, reverse("library:topics"))
    expect(page.locator(f"#topic-{topic.pk}")).to_contain_text(TOPIC_TITLE)
    follow(page, topic.get_absolute_url())
    press(page, shown("Support this topic"))
    assert path_of(page) == topic.get_absolute_url(), page.url
    expect(page.locator("#topic-supports")).to_have_text("1")
    expect(page.locator("main")).to_contain_text(shown("You support this topic."))
    topic.refresh_from_db()
    assert topic.support_count == 1
    assert TopicSupport.objects.filter(topic=topic, user=world.member).exists()


def the_official_answers_it(page, world, topic, study, mailoutbox):
    from wspolpraca.library.models import ResearchTopic

    topics_url = reverse("library:topics")
    visit(page, reverse("library:moderation"))
    follow(page, f"{topics_url}?status=proposed", lands_on=topics_url)
    follow(page, topic.get_absolute_url())
    answer_url = reverse("library:topic_answer", args=[topic.pk])
    follow(page, answer_url)
    form = page.locator("main form[method=post]")
    form.locator("input[name=status][value=taken_up]").check()
    form.locator("textarea[name=answer]").fill(ANSWER)
    form.locator("input[name=study]").fill(str(study.pk))
    press(page, shown("Publish the answer"))

    assert path_of(page) == topic.get_absolute_url(), page.url
    topic.refresh_from_db()
    assert (topic.status, topic.answer, topic.study, topic.answered_by) == (
        ResearchTopic.Status.TAKEN_UP,
        ANSWER,
        study,
        world.official,
    )

    told = mails_to(mailoutbox, RESIDENT_EMAIL)
    answered = [m for m in told if TOPIC_TITLE in m.subject]
    assert len(answered) == 1, [m.subject for m in told]
    body = answered[0].body
    for text in (ANSWER, TITLE, topic.get_absolute_url()):
        assert text in body, (text, body)
    return topic


def a_visitor_reads_the_answer(page, topic, study):
    visit(page, reverse("library:topics"))
    card = page.locator(f"#topic-{topic.pk}")
    expect(card).to_contain_text(capfirst(shown("taken up", "research topic status")))
    expect(card.locator(f'a[href="{study.get_absolute_url()}"]')).to_have_text(TITLE)
    follow(page, topic.get_absolute_url())
    main = page.locator("main")
    expect(main).to_contain_text(ANSWER)
    expect(main).to_contain_text(capfirst(shown("taken up", "research topic status")))
    expect(main.locator("#topic-supports")).to_have_text("1")
    follow(page, study.get_absolute_url())
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator(f'main a[href="{topic.get_absolute_url()}"]')).to_have_text(TOPIC_TITLE)


@pytest.mark.both_widths
def test_a_study_submitted_moderated_found_and_a_topic_answered_with_it(
    page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    study = the_member_submits_a_study(page, world)
    visitor = window()
    a_visitor_cannot_see_it_yet(visitor, study)
    official = window()
    study = the_official_publishes_it(official, world, study, mailoutbox)
    a_visitor_finds_it(visitor, world, study)

    topic = the_resident_signs_up_and_proposes(window(), world, mailoutbox)
    the_member_supports_it(page, world, topic)
    topic = the_official_answers_it(official, world, topic, study, mailoutbox)
    a_visitor_reads_the_answer(visitor, topic, study)
