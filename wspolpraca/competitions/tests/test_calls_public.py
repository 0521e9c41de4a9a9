"""The public pages of calls: the list by phase with its filters, a call's page with every
item the law requires, its versions, and its public questions and answers."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions import questions
from wspolpraca.competitions.models import Call, CallAttachment, CallQuestion, Criterion
from wspolpraca.core.models import AuditEntry, OutgoingEmail
from wspolpraca.organizations.models import PublicBenefitArea

from .factories import (
    CallFactory,
    CallQuestionFactory,
    CallVersionFactory,
    CriterionFactory,
)

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
LIST = reverse("competitions:calls")


def at(*args):
    return datetime(*args, tzinfo=WARSAW)


def pl(text):
    """A message as the Polish page shows it (whatever the catalogue holds yet)."""
    with translation.override("pl"):
        return str(text)


@pytest.fixture
def culture():
    return PublicBenefitArea.objects.get(code="16")


@pytest.fixture
def sport():
    return PublicBenefitArea.objects.get(code="17")


def listed(response):
    return [call.title for call in response.context["page"]]


def detail(call):
    return reverse("competitions:call", args=[call.pk])


def ask_url(call):
    return reverse("competitions:call_ask", args=[call.pk])


# Phases, by the clock


@pytest.fixture
def spring_call():
    """Offers from 1 March 2027 at 8:00 until 22 March 2027 at 15:30."""
    return CallFactory(
        title="Wiosna w dzielnicach",
        offers_from=at(2027, 3, 1, 8, 0),
        deadline=at(2027, 3, 22, 15, 30),
    )


@time_machine.travel(at(2027, 2, 20, 12, 0), tick=False)
def test_before_offers_are_taken_the_call_is_listed_as_upcoming(client, spring_call):
    assert listed(client.get(reverse("competitions:calls_upcoming"))) == ["Wiosna w dzielnicach"]
    assert listed(client.get(LIST)) == []


@time_machine.travel(at(2027, 3, 22, 15, 30), tick=False)
def test_at_the_deadline_itself_the_call_is_still_open(client, spring_call):
    assert listed(client.get(LIST)) == ["Wiosna w dzielnicach"]
    assert spring_call.phase == Call.Phase.OPEN


@time_machine.travel(at(2027, 3, 22, 15, 30, 1), tick=False)
def test_a_second_after_the_deadline_the_call_moves_to_evaluation(client, spring_call):
    assert listed(client.get(LIST)) == []
    assert listed(client.get(reverse("competitions:calls_evaluation"))) == ["Wiosna w dzielnicach"]


def test_the_decided_tab_lists_results_and_annulments_each_labelled(client):
    CallFactory(title="Rozstrzygnięty", status=Call.Status.DECIDED)
    CallFactory(title="Unieważniony", status=Call.Status.ANNULLED)
    response = client.get(reverse("competitions:calls_decided"))
    html = response.content.decode()
    assert sorted(listed(response)) == ["Rozstrzygnięty", "Unieważniony"]
    assert f"{pl(Call.Phase.ANNULLED.label)}</span>" in html
    assert f"{pl(Call.Phase.DECIDED.label)}</span>" in html


def test_the_deadline_is_shown_to_the_minute_in_the_citys_time(client):
    CallFactory(title="Termin", deadline=at(2030, 3, 22, 15, 30))
    assert "22 marca 2030, 15:30" in client.get(LIST).content.decode()


def test_each_tab_shows_how_many_calls_it_holds(client):
    CallFactory.create_batch(2)
    CallFactory(status=Call.Status.DECIDED)
    response = client.get(LIST)
    counts = {item["tab"].key: item["count"] for item in response.context["tabs"]}
    assert counts == {"open": 2, "upcoming": 0, "evaluation": 0, "decided": 1}


def test_a_call_taking_offers_from_its_publication_is_listed_as_open(client):
    CallFactory(title="Od publikacji", offers_from=None)
    assert listed(client.get(LIST)) == ["Od publikacji"]


# Drafts


def test_a_draft_is_not_found(client):
    draft = CallFactory(status=Call.Status.DRAFT, published_at=None)
    assert client.get(detail(draft)).status_code == 404


def test_a_draft_is_not_listed_in_any_tab(client):
    CallFactory(title="Szkic", status=Call.Status.DRAFT)
    for name in ["calls", "calls_upcoming", "calls_evaluation", "calls_decided"]:
        assert "Szkic" not in client.get(reverse(f"competitions:{name}")).content.decode()


def test_a_drafts_version_is_not_found(client):
    version = CallVersionFactory(call=CallFactory(status=Call.Status.DRAFT), number=1)
    url = reverse("competitions:call_version", args=[version.call.pk, 1])
    assert client.get(url).status_code == 404


def test_a_signed_in_person_cannot_ask_about_a_draft(client, outsider):
    draft = CallFactory(status=Call.Status.DRAFT)
    login(client, outsider)
    assert client.post(ask_url(draft), {"text": "Pytanie?"}).status_code == 404
    assert not CallQuestion.objects.exists()


# The call's page


def test_the_page_shows_every_item_the_law_requires(client, culture):
    call = CallFactory(
        title="Kultura w dzielnicach",
        areas=[culture],
        budget=Decimal("250000"),
        min_grant=Decimal("5000"),
        max_grant=Decimal("40000"),
        min_own_contribution_percent=Decimal("10"),
        admin_cost_cap_percent=Decimal("12.5"),
        eligible_kinds=["foundation", "association"],
        description="Opis zadania publicznego.",
        award_rules="Zasady przyznawania dotacji.",
        task_conditions="Warunki realizacji zadania.",
        selection_procedure="Tryb wyboru ofert.",
        previous_funding="Zadania zlecone w latach ubiegłych.",
        other_information="Inne informacje.",
        contact="Anna Nowak, tel. 12 616 00 00",
        deadline=at(2030, 3, 22, 15, 30),
        published_bip_on=datetime(2030, 2, 20).date(),
        published_board_on=datetime(2030, 2, 21).date(),
    )
    html = client.get(detail(call)).content.decode()
    for text in [
        "Kultura w dzielnicach",
        "250\xa0000,00\xa0zł",
        "5\xa0000,00\xa0zł",
        "40\xa0000,00\xa0zł",
        "10%",
        "12,50%",
        "fundacja, stowarzyszenie",
        "Opis zadania publicznego.",
        "Zasady przyznawania dotacji.",
        "Warunki realizacji zadania.",
        "Tryb wyboru ofert.",
        "Zadania zlecone w latach ubiegłych.",
        "Inne informacje.",
        "Anna Nowak",
        "22 marca 2030, 15:30",
        "20 lutego 2030",
        "21 lutego 2030",
        culture.short_label,
    ]:
        assert text in html, text


def test_the_criteria_are_grouped_by_kind_with_points_and_weight(client):
    call = CallFactory()
    CriterionFactory(call=call, kind=Criterion.Kind.OWN, name="Zasięg", max_points=5)
    CriterionFactory(
        call=call,
        kind=Criterion.Kind.STATUTORY,
        name="Kalkulacja kosztów",
        max_points=10,
        weight=Decimal("1.50"),
    )
    response = client.get(detail(call))
    groups = [
        (str(label), [c.name for c in rows]) for label, rows in response.context["criteria_groups"]
    ]
    assert groups == [
        (str(Criterion.Kind.STATUTORY.label), ["Kalkulacja kosztów"]),
        (str(Criterion.Kind.OWN.label), ["Zasięg"]),
    ]
    assert "1,50" in response.content.decode()


def test_the_attachments_link_to_their_public_files(client):
    call = CallFactory()
    attachment = CallAttachment.objects.create(
        call=call, title="Wzór oferty", file=ContentFile(b"%PDF-1.4", name="wzor.pdf")
    )
    html = client.get(detail(call)).content.decode()
    assert f'href="{attachment.file.url}"' in html
    assert "Wzór oferty" in html


def test_an_annulled_call_shows_its_reason(client):
    call = CallFactory(status=Call.Status.ANNULLED, annulment_reason="Nie wpłynęła żadna oferta.")
    html = client.get(detail(call)).content.decode()
    assert 'id="uniewaznienie"' in html
    assert "Nie wpłynęła żadna oferta." in html


def test_an_open_call_links_to_the_offer_form_and_a_closed_one_does_not(client):
    open_call = CallFactory()
    closed = CallFactory(deadline=timezone.now() - timedelta(days=1))
    start = reverse("offers:start", args=[open_call.pk])
    assert start in client.get(reverse("competitions:call", args=[open_call.pk])).content.decode()
    page = client.get(reverse("competitions:call", args=[closed.pk])).content.decode()
    assert reverse("offers:start", args=[closed.pk]) not in page


# Versions


def test_every_version_is_listed_and_each_is_viewable(client):
    call = CallFactory()
    CallVersionFactory(call=call, number=1)
    CallVersionFactory(call=call, number=2, change_note="Przedłużono termin składania ofert.")
    html = client.get(detail(call)).content.decode()
    assert "Przedłużono termin składania ofert." in html
    for number in (1, 2):
        url = reverse("competitions:call_version", args=[call.pk, number])
        assert f'href="{url}"' in html
        page = client.get(url)
        assert page.status_code == 200
        assert call.title in page.content.decode()
        assert "Możliwość realizacji zadania" in page.content.decode()


def test_a_version_written_by_the_publishing_service_shows_its_items_and_criteria(client):
    from wspolpraca.competitions.services import add_version

    call = CallFactory(award_rules="Zasady w wersji pierwszej.")
    CriterionFactory(call=call, kind=Criterion.Kind.OWN, name="Zasięg")
    CriterionFactory(call=call, kind=Criterion.Kind.STATUTORY, name="Koszty")
    add_version(call, None, "")
    response = client.get(reverse("competitions:call_version", args=[call.pk, 1]))
    assert "Zasady w wersji pierwszej." in response.content.decode()
    groups = [[c["name"] for c in rows] for _label, rows in response.context["criteria_groups"]]
    assert groups == [["Koszty"], ["Zasięg"]]


def test_a_version_shows_the_wording_it_froze_not_the_current_one(client):
    call = CallFactory(title="Tytuł dzisiejszy")
    CallVersionFactory(
        call=call,
        number=1,
        content={"items": [{"label": "Zadanie publiczne", "value": "Tytuł pierwotny"}]},
    )
    html = client.get(reverse("competitions:call_version", args=[call.pk, 1])).content.decode()
    assert "Tytuł pierwotny" in html


def test_a_version_with_content_of_another_shape_still_shows(client):
    call = CallFactory()
    CallVersionFactory(call=call, number=1, content=["nie", "słownik"])
    url = reverse("competitions:call_version", args=[call.pk, 1])
    assert client.get(url).status_code == 200


def test_a_version_that_does_not_exist_is_not_found(client):
    call = CallFactory()
    for number in ("7", "99999999999999999999"):
        assert client.get(f"{detail(call)}wersje/{number}/").status_code == 404


# Filters


def test_filters_keep_calls_of_one_area_department_mode_and_budget(client, culture, sport):
    mine = DepartmentFactory()
    CallFactory(title="Tak", department=mine, areas=[culture], budget=Decimal("50000"))
    CallFactory(title="Inna sfera", department=mine, areas=[sport], budget=Decimal("50000"))
    CallFactory(title="Inny wydział", areas=[culture], budget=Decimal("50000"))
    CallFactory(
        title="Powierzenie",
        department=mine,
        areas=[culture],
        budget=Decimal("50000"),
        funding_mode="entrustment",
    )
    CallFactory(title="Za duży", department=mine, areas=[culture], budget=Decimal("500000"))
    CallFactory(title="Za mały", department=mine, areas=[culture], budget=Decimal("500"))
    params = {
        "area": "16",
        "department": mine.pk,
        "mode": "support",
        "budget_min": "1000",
        "budget_max": "100000",
    }
    assert listed(client.get(LIST, params)) == ["Tak"]


def test_the_title_search_finds_a_word_of_the_title(client):
    CallFactory(title="Letnie półkolonie")
    CallFactory(title="Turniej szachowy")
    assert listed(client.get(LIST, {"q": "szach"})) == ["Turniej szachowy"]


def test_the_phase_tabs_keep_the_filters(client):
    html = client.get(LIST, {"area": "16"}).content.decode()
    assert f'href="{reverse("competitions:calls_decided")}?area=16"' in html


def test_a_wrong_filter_value_is_shown_next_to_its_field_and_ignored(client):
    CallFactory(title="Jest")
    response = client.get(LIST, {"budget_min": "dużo", "mode": "free"})
    assert response.status_code == 200
    assert listed(response) == ["Jest"]
    assert {"budget_min", "mode"} <= set(response.context["filter"].errors)


def test_the_list_is_paginated(client):
    CallFactory.create_batch(21)
    first = client.get(LIST)
    assert len(first.context["page"]) == 20
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 1
    assert client.get(LIST, {"page": "abc"}).status_code == 200


# The same number of queries whatever the data


@pytest.mark.parametrize("count", [2, 25])
def test_the_list_makes_the_same_queries_whatever_it_holds(
    client, culture, django_assert_max_num_queries, count
):
    for _n in range(count):
        CallFactory(areas=[culture])
    # the area asked for, the selects' options (departments, areas), the tabs' counts,
    # the calls, their areas
    with django_assert_max_num_queries(6):
        client.get(LIST, {"area": "16"})


@pytest.mark.parametrize("count", [1, 15])
def test_the_call_page_makes_the_same_queries_whatever_it_holds(
    client, culture, outsider, django_assert_max_num_queries, count
):
    call = CallFactory(areas=[culture])
    for n in range(count):
        CriterionFactory(call=call)
        CallVersionFactory(call=call, number=n + 1)
        CallQuestionFactory(call=call, answered=True)
        CallQuestionFactory(call=call, asked_by=outsider)
    login(client, outsider)
    # session, user, the call, its areas, criteria, attachments, versions, answered
    # questions, the person's own waiting questions
    with django_assert_max_num_queries(9):
        client.get(detail(call))


# Hostile input


def test_script_in_a_call_question_and_answer_is_shown_as_text(client):
    script = '<script>alert("x")</script>'
    call = CallFactory(
        title=script,
        description=script,
        contact=script,
        annulment_reason=script,
        status=Call.Status.ANNULLED,
    )
    CriterionFactory(call=call, name=script, description=script)
    CallQuestionFactory(call=call, question=script, answer=script, answered=True)
    CallVersionFactory(
        call=call,
        number=1,
        change_note=script,
        content={"items": [{"label": script, "value": script}], "criteria": [{"name": script}]},
    )
    for url in [detail(call), reverse("competitions:call_version", args=[call.pk, 1])]:
        html = client.get(url).content.decode()
        assert script not in html
        assert "&lt;script&gt;" in html
    html = client.get(reverse("competitions:calls_decided")).content.decode()
    assert script not in html


# Questions and answers


def test_answered_questions_are_public_without_the_askers_name(client):
    asker = UserFactory(full_name="Jan Pytający", email="jan.pytajacy@example.org")
    call = CallFactory()
    CallQuestionFactory(
        call=call,
        asked_by=asker,
        question="Czy koszty wolontariatu się liczą?",
        answer="Tak, jako wkład osobowy.",
        answered=True,
    )
    html = client.get(detail(call)).content.decode()
    assert "Czy koszty wolontariatu się liczą?" in html
    assert "Tak, jako wkład osobowy." in html
    assert "Jan Pytający" not in html and "jan.pytajacy" not in html


def test_unanswered_questions_are_not_public(client):
    call = CallFactory()
    CallQuestionFactory(call=call, question="Pytanie bez odpowiedzi")
    assert "Pytanie bez odpowiedzi" not in client.get(detail(call)).content.decode()


def test_the_asker_sees_their_own_question_waiting_for_an_answer(client, outsider):
    call = CallFactory()
    CallQuestionFactory(call=call, asked_by=outsider, question="Moje pytanie")
    CallQuestionFactory(call=call, question="Cudze pytanie")
    html = login(client, outsider).get(detail(call)).content.decode()
    assert "Moje pytanie" in html and "Cudze pytanie" not in html


def test_an_anonymous_visitor_is_sent_to_log_in_to_ask(client):
    call = CallFactory()
    response = client.post(ask_url(call), {"text": "Pytanie?"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not CallQuestion.objects.exists()


def test_an_anonymous_visitor_sees_a_link_to_log_in_instead_of_the_form(client):
    html = client.get(detail(CallFactory())).content.decode()
    assert reverse("account_login") in html
    assert 'name="text"' not in html


def test_a_signed_in_person_asks_and_the_departments_officials_are_emailed(
    client, outsider, django_capture_on_commit_callbacks
):
    department = DepartmentFactory()
    official = UserFactory(email="urzednik@example.org")
    Official.objects.create(user=official, department=department)
    call = CallFactory(department=department)
    login(client, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(call), {"text": "Czy można złożyć dwie oferty?"})
    assert response.status_code == 302
    question = CallQuestion.objects.get()
    assert (question.call, question.asked_by) == (call, outsider)
    assert question.question == "Czy można złożyć dwie oferty?"
    sent = OutgoingEmail.objects.get()
    assert sent.to == "urzednik@example.org"
    assert "Czy można złożyć dwie oferty?" in sent.body
    entry = AuditEntry.objects.get(action="call_question.asked")
    assert entry.actor == outsider and entry.object_id == str(question.pk)


def test_an_empty_question_is_refused_next_to_the_field(client, outsider):
    call = CallFactory()
    response = login(client, outsider).post(ask_url(call), {"text": "   "})
    assert response.status_code == 200
    assert 'id="id_text_error"' in response.content.decode()
    assert not CallQuestion.objects.exists()


def test_a_too_long_question_is_refused_and_the_text_is_kept(client, outsider):
    call = CallFactory()
    text = "ą" * (questions.MAX_LENGTH + 1)
    response = login(client, outsider).post(ask_url(call), {"text": text})
    html = response.content.decode()
    assert 'id="id_text_error"' in html
    assert text in html
    assert not CallQuestion.objects.exists()


def test_asking_after_the_deadline_is_refused_by_the_server(client, outsider):
    call = CallFactory(deadline=at(2027, 3, 22, 15, 30), offers_from=at(2027, 3, 1, 8, 0))
    with time_machine.travel(at(2027, 3, 22, 15, 31), tick=False):
        login(client, outsider)
        response = client.post(ask_url(call), {"text": "Spóźnione pytanie"}, follow=True)
        html = response.content.decode()
        with pytest.raises(questions.QuestionsClosed) as refusal:
            questions.check_open(call)
    assert not CallQuestion.objects.exists()
    assert pl(refusal.value) in html
    assert 'name="text"' not in html


def test_an_annulled_call_takes_no_questions(client, outsider):
    call = CallFactory(status=Call.Status.ANNULLED)
    login(client, outsider).post(ask_url(call), {"text": "Pytanie"})
    assert not CallQuestion.objects.exists()


def test_asking_is_limited_per_person(client, outsider, rate_limits, monkeypatch):
    monkeypatch.setattr(questions, "QUESTIONS_PER_HOUR", 2)
    call = CallFactory()
    login(client, outsider)
    for n in range(3):
        response = client.post(ask_url(call), {"text": f"Pytanie {n}"})
    assert CallQuestion.objects.count() == 2
    assert 'id="id_text_error"' in response.content.decode()
    assert "Pytanie 2" in response.content.decode()


def test_an_official_answers_and_the_asker_is_emailed(django_capture_on_commit_callbacks):
    department = DepartmentFactory()
    official = UserFactory()
    Official.objects.create(user=official, department=department)
    asker = UserFactory(email="pytajacy@example.org")
    question = CallQuestionFactory(call=CallFactory(department=department), asked_by=asker)
    with django_capture_on_commit_callbacks(execute=True):
        questions.answer_question(question, official, "Tak, można.")
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Tak, można.", official)
    assert question.answered_at is not None
    sent = OutgoingEmail.objects.get()
    assert sent.to == "pytajacy@example.org" and "Tak, można." in sent.body
    assert AuditEntry.objects.filter(action="call_question.answered", actor=official).exists()


def test_an_official_of_another_department_cannot_answer():
    from django.core.exceptions import PermissionDenied

    other = UserFactory()
    Official.objects.create(user=other, department=DepartmentFactory())
    question = CallQuestionFactory()
    with pytest.raises(PermissionDenied):
        questions.answer_question(question, other, "Nie moje.")
    question.refresh_from_db()
    assert question.answer == ""


def test_asking_directly_after_the_deadline_raises(outsider):
    call = CallFactory(deadline=at(2020, 1, 1, 12, 0), offers_from=at(2019, 12, 1, 12, 0))
    with pytest.raises(questions.QuestionsClosed):
        questions.ask_question(call, outsider, "Pytanie")


def test_without_officials_the_question_goes_to_the_departments_address(
    outsider, django_capture_on_commit_callbacks
):
    call = CallFactory(department=DepartmentFactory(email="wydzial@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        questions.ask_question(call, outsider, "Pytanie")
    assert OutgoingEmail.objects.get().to == "wydzial@example.org"


# The way in


def test_the_public_tasks_plane_links_to_the_calls(client):
    html = client.get(reverse("pages:plane", args=["zadania-publiczne"])).content.decode()
    assert f'href="{LIST}"' in html


def test_a_call_in_evaluation_still_has_its_page_and_takes_no_questions(client, outsider):
    call = CallFactory(deadline=at(2020, 1, 1, 12, 0), offers_from=at(2019, 12, 1, 12, 0))
    response = login(client, outsider).get(detail(call))
    assert response.status_code == 200
    assert 'name="text"' not in response.content.decode()


def test_published_calls_taking_offers_show_the_question_form_to_signed_in_people(client, outsider):
    call = CallFactory()
    html = login(client, outsider).get(detail(call)).content.decode()
    assert 'name="text"' in html
    assert f'action="{ask_url(call)}"' in html


# Malformed input

JUNK_QUERIES = [
    {"page": "99999999999999999999999"},
    {"area": "abc"},
    {"department": "99999999999999999999999"},
    {"mode": "junk"},
    {"budget_min": "1e999"},
    {"budget_max": "NaN"},
    {"budget_min": "-5"},
    {"q": "a\x00b"},
    {"q": "konkurs " * 800},
    {"area": ["16", "abc"]},
]


def test_junk_in_the_address_or_the_form_never_gives_a_server_error(client, outsider):
    call = CallFactory()
    CallVersionFactory(call=call, number=1)
    urls = [LIST, detail(call), reverse("competitions:call_version", args=[call.pk, 1])]
    for url in urls:
        for query in JUNK_QUERIES:
            assert client.get(url, query).status_code < 500, (url, query)
    assert client.get("/konkursy/99999999999999999999999/").status_code == 404
    response = login(client, outsider).post(ask_url(call), {"text": "a\x00b", "junk": "1"})
    assert response.status_code < 500
    assert not CallQuestion.objects.exists()
