"""The acceptance walk of the exchange between organizations (issue 10, point 6), and the
support places and "For you" pages (points 7 and 8), at 1366 and at 390 px, with axe on
every page visited. Each person works in a browser of their own.

1. A member of organization A signs in, goes from the Infrastructure plane to the
   exchange, publishes a need (volunteers, for the charity area, in Podgórze), checks the
   answers and publishes it; the need is on the public list.
2. A member of organization B finds it with a Polish query typed without Polish letters
   and the category filter (a GET form: the filters end up in the address), opens it and
   writes to the author on behalf of B. A's member gets the message by e-mail, without B's
   address; reads the conversation on the site and answers; B reads the answer. No page
   of the walk shows anybody's e-mail address.
3. A's member closes the post through its confirmation page; it leaves the public list.
4. B's member opens the address of the post's edit page and is refused (the 403 page).

The second test: the support places (one open in the evening, which the page says in
words, not by colour) and the "For you" page of a member of an organization with areas
and a district.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons and messages by their text through `shown()` (the msgid through the Polish
catalogue).
"""

import re
from datetime import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (the exchange's rate limits live in the cache: a clean one)
    click_and_check,
    follow,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)

TITLE = "Szukamy wolontariuszy do zbiórki żywności"
DESCRIPTION = (
    "Potrzebujemy dziesięciu osób w sobotę do pomocy przy zbiórce żywności w sklepach "
    "w Podgórzu. Zapewniamy koszulki i ciepłą herbatę."
)
# How a person types it on a phone: no Polish letters, another form of the words.
QUERY = "zbiorka zywnosci"
QUESTION = "Dzień dobry, mamy sześć osób z grupy teatralnej. W jakich godzinach zbiórka?"
ANSWER = "Od 9:00 do 15:00, zbiórka przed sklepem przy ul. Kalwaryjskiej. Dziękujemy!"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture
def world(db):
    """Two verified organizations in Podgórze, each with a member who signs in with a
    password, and two decoy posts of a third: one matches the words but not the category
    (equipment), the other the category but not the words."""
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.exchange.models import Post
    from wspolpraca.exchange.tests.factories import PostFactory
    from wspolpraca.organizations.models import Membership, PublicBenefitArea
    from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

    podgorze = DistrictFactory(number=13, roman="XIII", name="Podgórze")
    charity = PublicBenefitArea.objects.get(code="3")
    food_bank = OrganizationFactory(
        name="Stowarzyszenie Bank Żywności Podgórze",
        district=podgorze,
        areas=[charity],
        email="biuro@bank-zywnosci.example.org",
    )
    member = UserFactory(full_name="Halina Wójcik", email="halina@bank-zywnosci.example.org")
    Membership.objects.create(organization=food_bank, user=member, role=Membership.Role.MEMBER)
    theatre = OrganizationFactory(
        name="Fundacja Teatr Młodych", kind="foundation", email="kontakt@teatr.example.org"
    )
    other = UserFactory(full_name="Paweł Nowak", email="pawel@teatr-mlodych.example.org")
    Membership.objects.create(organization=theatre, user=other, role=Membership.Role.ADMIN)

    neighbours = OrganizationFactory(name="Klub Sąsiedzki Zabłocie", district=podgorze)
    decoys = [
        PostFactory(
            organization=neighbours,
            title="Zbiórka żywności: użyczymy wózków transportowych",
            category=Post.Category.EQUIPMENT,
            areas=[charity],
        ),
        PostFactory(
            organization=neighbours,
            side=Post.Side.NEED,
            title="Wolontariusze na festyn sąsiedzki",
            description="Szukamy osób do pomocy przy festynie na Zabłociu.",
            category=Post.Category.VOLUNTEERS,
            areas=[charity],
        ),
    ]
    return SimpleNamespace(
        podgorze=podgorze,
        charity=charity,
        food_bank=food_bank,
        member=member,
        theatre=theatre,
        other=other,
        decoys=decoys,
        password=PASSWORD,
    )


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


def post_titles(page):
    return [title.strip() for title in page.locator("main .cards h3 a").all_inner_texts()]


def addresses_of(world):
    return [
        world.member.email,
        world.other.email,
        world.food_bank.email,
        world.theatre.email,
    ]


def shows_no_address(page, world):
    """Nobody's e-mail address in the page as served, not even in an attribute; only the
    office's contact address in the footer (a mailbox, not a person)."""
    from django.conf import settings

    html = page.content()
    for address in addresses_of(world):
        assert address not in html, f"{address} shown on {page.url}"
    found = [m.group(0) for m in EMAIL.finditer(html) if m.group(0) != settings.CONTACT_EMAIL]
    assert not found, f"e-mail addresses on {page.url}: {found}"


# 1. A's member publishes a need.


def the_member_publishes_a_need(page, world, seen):
    from wspolpraca.exchange.models import Post

    log_in(page, world.member.email, world.password)
    visit(page, reverse("pages:plane", args=["infrastruktura"]))
    follow(page, reverse("exchange:list"))
    seen(page)
    follow(page, reverse("exchange:create"))
    seen(page)

    form = page.locator("main form[method=post]")
    # Their only organization is already chosen.
    expect(form.locator(f"input[name=author][value='{world.food_bank.pk}']")).to_be_checked()
    form.locator("input[name=side][value=need]").check()
    form.locator("input[name=category][value=volunteers]").check()
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator(f"input[name=areas][value='{world.charity.pk}']").check()
    form.locator("select[name=district]").select_option(str(world.podgorze.pk))
    press(page, shown("Continue"))
    seen(page)

    # Check your answers: everything as typed, nothing published yet.
    assert path_of(page) == reverse("exchange:check"), page.url
    main = page.locator("main")
    for text in (world.food_bank.name, TITLE, DESCRIPTION, world.charity.short_label):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text(shown("volunteers", "exchange category"))
    expect(main).to_contain_text(str(world.podgorze))
    assert not Post.objects.filter(title=TITLE).exists(), "published before the check"
    press(page, shown("Publish the post"))
    seen(page)

    post = Post.objects.get(title=TITLE)
    assert path_of(page) == post.get_absolute_url(), page.url
    assert (post.organization, post.created_by, post.side, post.category) == (
        world.food_bank,
        world.member,
        Post.Side.NEED,
        Post.Category.VOLUNTEERS,
    )
    assert post.district == world.podgorze
    assert list(post.areas.all()) == [world.charity]
    expect(page.locator("main h1")).to_have_text(TITLE)

    # On the public list, newest first.
    follow(page, reverse("exchange:list"))
    seen(page)
    assert post_titles(page)[0] == TITLE, post_titles(page)
    return post


# 2. B's member finds it and writes; A's member answers.


def the_other_finds_it_and_writes(page, world, post, mailoutbox, seen):
    from wspolpraca.exchange.models import Message

    log_in(page, world.other.email, world.password)
    visit(page, reverse("pages:plane", args=["infrastruktura"]))
    follow(page, reverse("exchange:list"))
    seen(page)
    form = page.locator("main form[role=search]")
    form.locator("input[name=q]").fill(QUERY)
    form.locator("select[name=category]").select_option("volunteers")
    click_and_check(page, form.locator("button[type=submit]"))
    seen(page)

    assert path_of(page) == reverse("exchange:list"), page.url
    query = parse_qs(urlsplit(page.url).query)
    assert (query["q"], query["category"]) == ([QUERY], ["volunteers"]), query
    assert post_titles(page) == [TITLE], post_titles(page)

    follow(page, post.get_absolute_url())
    seen(page)
    write_url = reverse("exchange:write", args=[post.pk])
    follow(page, write_url)
    seen(page)
    form = page.locator("main form[method=post]")
    form.locator("select[name=organization]").select_option(str(world.theatre.pk))
    form.locator("textarea[name=body]").fill(QUESTION)
    press(page, shown("Send the message"))
    seen(page)

    conversation_url = reverse("exchange:conversation", args=[post.pk, world.other.pk])
    assert path_of(page) == conversation_url, page.url
    expect(page.locator("main ol.cards")).to_contain_text(QUESTION)
    message = Message.objects.get(post=post)
    assert (message.sender, message.sender_organization, message.from_author) == (
        world.other,
        world.theatre,
        False,
    )

    # A's member is told by e-mail: the message and the link, never B's address.
    told = mails_to(mailoutbox, world.member.email)
    assert len(told) == 1, [(m.to, m.subject) for m in mailoutbox]
    mail = told[0]
    assert TITLE in mail.subject, mail.subject
    assert QUESTION in mail.body, mail.body
    assert world.theatre.name in mail.body, mail.body
    assert conversation_url in mail.body, mail.body
    everything = " ".join(
        [mail.subject, mail.body, mail.from_email or "", *mail.reply_to, *mail.cc, *mail.bcc]
        + [f"{k}: {v}" for k, v in mail.extra_headers.items()]
    )
    assert world.other.email not in everything, everything
    assert mail.to == [world.member.email], mail.to
    return conversation_url


def the_member_answers(page, world, post, conversation_url, seen):
    # From the post's page: the conversations about it, by the writer's name.
    visit(page, reverse("accounts:profile"))
    follow(page, reverse("exchange:mine"))
    seen(page)
    follow(page, post.get_absolute_url())
    seen(page)
    expect(page.locator("main table tbody tr")).to_contain_text(world.other.full_name)
    follow(page, conversation_url)
    seen(page)
    expect(page.locator("main ol.cards")).to_contain_text(QUESTION)
    expect(page.locator("main ol.cards")).to_contain_text(world.theatre.name)
    page.locator("main form[method=post] textarea[name=body]").fill(ANSWER)
    press(page, shown("Send the message"))
    seen(page)
    assert path_of(page) == conversation_url, page.url
    expect(page.locator("main ol.cards li")).to_have_count(2)
    expect(page.locator("main ol.cards li").last).to_contain_text(ANSWER)


def the_other_reads_the_answer(page, world, post, conversation_url, mailoutbox, seen):
    answers = mails_to(mailoutbox, world.other.email)
    assert len(answers) == 1 and ANSWER in answers[0].body, [m.subject for m in answers]
    assert world.member.email not in answers[0].body, answers[0].body

    # B's own way back: their conversations, then the one about the post.
    visit(page, reverse("exchange:list"))
    follow(page, reverse("exchange:conversations"))
    seen(page)
    follow(page, conversation_url)
    seen(page)
    messages = page.locator("main ol.cards li")
    expect(messages).to_have_count(2)
    expect(messages.first).to_contain_text(QUESTION)
    expect(messages.last).to_contain_text(ANSWER)
    expect(messages.last).to_contain_text(world.food_bank.name)


# 3. A's member closes the post.


def the_member_closes_the_post(page, world, post, seen):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.exchange.models import Post

    visit(page, post.get_absolute_url())
    seen(page)
    close_url = reverse("exchange:close", args=[post.pk])
    follow(page, close_url)
    seen(page)
    expect(page.locator("main h1")).to_contain_text(TITLE)
    page.locator("main form input[name=outcome][value=matched_here]").check()
    press(page, shown("Close the post"))
    seen(page)
    assert path_of(page) == post.get_absolute_url(), page.url
    post.refresh_from_db()
    assert (post.status, post.outcome) == (Post.Status.CLOSED, Post.Outcome.MATCHED_HERE)
    assert AuditEntry.objects.filter(action="exchange_post.closed", actor=world.member).exists()

    # Gone from the public list, and from the search that found it.
    follow(page, reverse("exchange:list"))
    seen(page)
    assert TITLE not in post_titles(page), post_titles(page)
    assert sorted(post_titles(page)) == sorted(d.title for d in world.decoys), post_titles(page)
    visit(page, f"{reverse('exchange:list')}?q={QUERY.replace(' ', '+')}&category=volunteers")
    assert post_titles(page) == [], post_titles(page)


# 4. B's member cannot change A's post.


def the_other_is_refused_the_edit_page(page, world, post):
    from wspolpraca.exchange.models import Post

    response = page.goto(reverse("exchange:edit", args=[post.pk]))
    assert response is not None and response.status == 403, response and response.status
    expect(page.locator("main h1")).to_have_text(shown("Access denied"))
    check_a11y(page)
    shows_no_address(page, world)
    post.refresh_from_db()
    assert (post.title, post.status) == (TITLE, Post.Status.CLOSED)


@pytest.mark.both_widths
def test_a_need_published_found_answered_through_the_platform_and_closed(
    page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    def seen(on_page):
        shows_no_address(on_page, world)

    post = the_member_publishes_a_need(page, world, seen)
    other = window()
    conversation_url = the_other_finds_it_and_writes(other, world, post, mailoutbox, seen)
    the_member_answers(page, world, post, conversation_url, seen)
    the_other_reads_the_answer(other, world, post, conversation_url, mailoutbox, seen)
    the_member_closes_the_post(page, world, post, seen)
    the_other_is_refused_the_edit_page(other, world, post)


# The support places and "For you".


@pytest.fixture
def places(db):
    """Three support places, one of them (Centrum Obywatelskie Nowa Huta) open on Tuesday
    until 20:00; the others close at 16:00 or 17:00."""
    from wspolpraca.organizations.tests.factories import DistrictFactory
    from wspolpraca.venues.tests.factories import SupportPlaceFactory

    podgorze = DistrictFactory(number=13, roman="XIII", name="Podgórze")
    nowa_huta = DistrictFactory(number=18, roman="XVIII", name="Nowa Huta")
    stare_miasto = DistrictFactory(number=1, roman="I", name="Stare Miasto")
    evening = SupportPlaceFactory(
        name="Centrum Obywatelskie Nowa Huta",
        district=nowa_huta,
        street="os. Centrum E 1",
        latitude="50.071000",
        longitude="20.037000",
        services="Doradztwo przy zakładaniu fundacji\nSala na spotkania wieczorne",
        hours=[(0, time(9), time(16)), (1, time(14), time(20))],
    )
    daytime = [
        SupportPlaceFactory(
            name="Miejski Ośrodek Wspierania Inicjatyw Społecznych",
            district=stare_miasto,
            street="ul. Reformacka 3",
            latitude="50.063000",
            longitude="19.938000",
            hours=[(0, time(8), time(16)), (2, time(8), time(16))],
        ),
        SupportPlaceFactory(
            name="Punkt Wsparcia Organizacji Podgórze",
            district=podgorze,
            street="ul. Limanowskiego 1",
            latitude="50.045000",
            longitude="19.955000",
            hours=[(3, time(10), time(17))],
        ),
    ]
    return SimpleNamespace(evening=evening, daytime=daytime, podgorze=podgorze)


@pytest.fixture
def member_for_you(places):
    """A member of a culture organization in Podgórze; the feed holds a culture call, a
    training in Podgórze, and a sport call and a training elsewhere, which are not for it."""
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.competitions.tests.factories import CallFactory
    from wspolpraca.events.models import Event
    from wspolpraca.events.tests.factories import EventFactory
    from wspolpraca.organizations.models import Membership, PublicBenefitArea
    from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

    culture = PublicBenefitArea.objects.get(code="16")
    sport = PublicBenefitArea.objects.get(code="17")
    organization = OrganizationFactory(
        name="Stowarzyszenie Łódź Kultury", district=places.podgorze, areas=[culture]
    )
    user = UserFactory(full_name="Ewa Kulturalna", email="ewa@lodz-kultury.example.org")
    Membership.objects.create(organization=organization, user=user)
    shown_ = [
        CallFactory(title="Kultura w dzielnicach 2026", areas=[culture]),
        EventFactory(
            kind=Event.Kind.TRAINING,
            title="Szkolenie z rozliczania dotacji w Podgórzu",
            district=places.podgorze,
        ),
    ]
    hidden = [
        CallFactory(title="Sport dla seniorów 2026", areas=[sport]),
        EventFactory(
            kind=Event.Kind.TRAINING,
            title="Szkolenie z pierwszej pomocy w Nowej Hucie",
            district=DistrictFactory(number=18),
        ),
    ]
    return SimpleNamespace(
        user=user, organization=organization, shown=shown_, hidden=hidden, password=PASSWORD
    )


@pytest.mark.both_widths
def test_support_places_say_evening_hours_in_words_and_for_you_matches_the_organization(
    page, places, member_for_you
):
    from wspolpraca.venues.models import SupportPlace

    visit(page, reverse("pages:plane", args=["infrastruktura"]))
    follow(page, reverse("venues:support_places"))
    cards = page.locator("main ul.cards > li")
    expect(cards).to_have_count(3)
    evening_words = shown("open in the evening")
    evening = page.locator(f"#punkt-{places.evening.pk}")
    expect(evening).to_contain_text(places.evening.name)
    # Said in words next to the place's name and on the evening row of its hours.
    expect(evening.locator("p.meta")).to_contain_text(evening_words)
    tuesday = evening.locator("table tbody tr", has_text="20:00")
    expect(tuesday).to_contain_text("14:00–20:00")
    expect(tuesday).to_contain_text(evening_words)
    expect(evening.locator("table tbody tr", has_text="16:00")).not_to_contain_text(evening_words)
    for place in places.daytime:
        expect(page.locator(f"#punkt-{place.pk}")).not_to_contain_text(evening_words)
    assert SupportPlace.objects.count() == 3

    # The district filter (a GET form) keeps one place.
    form = page.locator("main form[role=search]")
    form.locator("select[name=dzielnica]").select_option(str(places.podgorze.number))
    click_and_check(page, form.locator("button[type=submit]"))
    assert parse_qs(urlsplit(page.url).query)["dzielnica"] == [str(places.podgorze.number)]
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Punkt Wsparcia Organizacji Podgórze")

    # "For you": the member's organization's area (culture) and district (Podgórze) only.
    member = member_for_you
    log_in(page, member.user.email, member.password)
    visit(page, reverse("pages:plane", args=["infrastruktura"]))
    follow(page, reverse("pages:for_you"))
    main = page.locator("main")
    expect(main).to_contain_text(member.organization.name)
    for item in member.shown:
        expect(main.locator(f'a[href="{item.get_absolute_url()}"]')).to_have_count(1)
        expect(main).to_contain_text(item.title)
    for item in member.hidden:
        expect(main).not_to_contain_text(item.title)
