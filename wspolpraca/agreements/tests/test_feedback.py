"""Ratings of the cooperation (only after the settlement, once, by an admin; shown only as
averages over enough ratings) and the evaluation meetings."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.agreements import feedback
from wspolpraca.agreements.models import Agreement, CooperationRating, EvaluationMeeting
from wspolpraca.agreements.signals import agreement_settled
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core import feed
from wspolpraca.core.models import AuditEntry
from wspolpraca.evaluations.tests.factories import official_of
from wspolpraca.organizations.models import Membership, PublicBenefitArea
from wspolpraca.organizations.tests.factories import MembershipFactory

from .control_factories import admin_for, agreement_for, official_for, rating_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ANSWERS = {"availability": 5, "clarity": 4, "timeliness": 3, "flexibility": 4}


@pytest.fixture
def settled():
    return agreement_for(status=Agreement.Status.SETTLED)


def _settled_in(department, n, score=4, comment=""):
    call = CallFactory(department=department)
    for _ in range(n):
        rating_for(agreement_for(call, status=Agreement.Status.SETTLED), score, comment)


# Rating.


def test_the_admin_rates_a_settled_agreement(settled):
    rating = feedback.rate_cooperation(settled, admin_for(settled), **ANSWERS, comment=" Więcej ")

    assert (rating.department, rating.year) == (settled.department, settled.ends.year)
    assert (rating.availability, rating.flexibility, rating.comment) == (5, 4, "Więcej")


def test_rating_is_refused_before_the_settlement():
    agreement = agreement_for(status=Agreement.Status.SIGNED)

    with pytest.raises(feedback.FeedbackError):
        feedback.rate_cooperation(agreement, admin_for(agreement), **ANSWERS)
    assert not CooperationRating.objects.exists()


def test_rating_twice_is_refused(settled):
    admin = admin_for(settled)
    feedback.rate_cooperation(settled, admin, **ANSWERS)

    with pytest.raises(feedback.FeedbackError):
        feedback.rate_cooperation(settled, admin, **{**ANSWERS, "clarity": 1})
    assert CooperationRating.objects.get().clarity == 4


def test_a_member_who_is_not_an_admin_cannot_rate(settled):
    member = MembershipFactory(organization=settled.organization, role=Membership.Role.MEMBER).user

    with pytest.raises(feedback.FeedbackError):
        feedback.rate_cooperation(settled, member, **ANSWERS)
    assert not CooperationRating.objects.exists()


def test_an_answer_off_the_scale_is_refused(settled):
    with pytest.raises(feedback.FeedbackError):
        feedback.rate_cooperation(settled, admin_for(settled), **{**ANSWERS, "timeliness": 6})


def test_a_rating_leaves_no_trace_in_the_audit_trail(settled):
    before = AuditEntry.objects.count()

    feedback.rate_cooperation(settled, admin_for(settled), **ANSWERS)

    assert AuditEntry.objects.count() == before


def test_the_settlement_invites_the_admins_to_rate(
    settled, mailoutbox, django_capture_on_commit_callbacks
):
    admin = admin_for(settled)

    with django_capture_on_commit_callbacks(execute=True):
        agreement_settled.send(
            sender=Agreement, agreement=settled, by=official_for(settled.department)
        )

    assert [m.to for m in mailoutbox] == [[admin.email]]
    assert reverse("agreements:rate", args=[settled.pk]) in mailoutbox[0].body


def test_no_invitation_once_rated(settled, mailoutbox, django_capture_on_commit_callbacks):
    rating_for(settled)

    with django_capture_on_commit_callbacks(execute=True):
        feedback.invite_to_rate(Agreement, agreement=settled)

    assert mailoutbox == []


def test_the_rating_page_records_the_rating(client, settled):
    login(client, admin_for(settled))
    url = reverse("agreements:rate", args=[settled.pk])
    assert 'type="radio"' in client.get(url).content.decode()

    response = client.post(url, {**ANSWERS, "comment": ""})

    assert response.status_code == 302
    assert CooperationRating.objects.get(agreement=settled).timeliness == 3


def test_the_rating_page_keeps_the_answers_when_one_is_missing(client, settled):
    login(client, admin_for(settled))

    response = client.post(
        reverse("agreements:rate", args=[settled.pk]), {"availability": 5, "clarity": 4}
    )

    page = response.content.decode()
    assert 'id="id_timeliness_error"' in page
    assert re.search(r'name="availability" value="5"[^>]*checked', page)
    assert not CooperationRating.objects.exists()


def test_a_member_gets_403_on_the_rating_page_and_nothing_is_recorded(client, settled):
    member = MembershipFactory(organization=settled.organization, role=Membership.Role.MEMBER).user
    login(client, member)

    response = client.post(reverse("agreements:rate", args=[settled.pk]), ANSWERS)

    assert response.status_code == 403
    assert not CooperationRating.objects.exists()


def test_another_ngos_admin_gets_404_on_the_rating_page(client, settled):
    stranger = admin_for(agreement_for())
    login(client, stranger)

    response = client.post(reverse("agreements:rate", args=[settled.pk]), ANSWERS)

    assert response.status_code == 404
    assert not CooperationRating.objects.exists()


def test_the_rating_page_says_why_before_the_settlement(client):
    agreement = agreement_for(status=Agreement.Status.SIGNED)
    login(client, admin_for(agreement))

    response = client.get(reverse("agreements:rate", args=[agreement.pk]))

    assert "once the grant is settled" in response.content.decode()
    assert 'type="radio"' not in response.content.decode()


# What is shown.


def test_four_ratings_show_nothing():
    department = DepartmentFactory(name="Wydział Sportu", short_name="")
    _settled_in(department, 4, score=2)

    [row] = feedback.department_ratings()

    assert (row.department, row.shown, row.count, row.averages) == (
        "Wydział Sportu",
        False,
        None,
        None,
    )


def test_five_ratings_show_the_averages_per_question():
    department = DepartmentFactory(name="Wydział Sportu", short_name="")
    _settled_in(department, 4, score=4)
    _settled_in(department, 1, score=5)

    [row] = feedback.department_ratings()

    assert row.shown and row.count == 5
    assert [value for _label, value in row.averages] == [feedback._rounded(4.2)] * 4
    assert str(row.overall) == "4.2"


def test_the_public_page_shows_no_number_below_the_minimum(client):
    quiet, busy = DepartmentFactory(name="Wydział Cichy"), DepartmentFactory(name="Wydział Gwarny")
    _settled_in(quiet, 4, score=1)
    _settled_in(busy, 5, score=3)

    page = client.get(reverse("agreements:department_ratings")).content.decode()

    quiet_row = page[page.index("Wydział Cichy") : page.index("</tr>", page.index("Wydział Cichy"))]
    busy_row = page[
        page.index("Wydział Gwarny") : page.index("</tr>", page.index("Wydział Gwarny"))
    ]
    assert "fewer than 5 ratings" in quiet_row
    # Neither the averages nor the count (4) of the ratings below the minimum; the row's
    # other cells (names made by factories) may hold any digit.
    assert "1.0" not in quiet_row and "<td>4</td>" not in quiet_row
    assert "3.0" in busy_row and "<td>5</td>" in busy_row


def test_the_minimum_comes_from_the_settings(settings):
    settings.FEEDBACK_MIN_RATINGS = 3
    _settled_in(DepartmentFactory(), 3)

    assert feedback.department_ratings()[0].shown


def test_the_averages_are_one_query(django_assert_num_queries):
    for _ in range(3):
        _settled_in(DepartmentFactory(), 5)

    with django_assert_num_queries(1):
        rows = feedback.department_ratings(timezone.localdate().year)

    assert len(rows) == 3


def test_comments_are_never_public_and_pooled_for_the_department(client):
    department = DepartmentFactory()
    _settled_in(department, 4, comment="Opiekun nie odbierał telefonu.")
    url = reverse("agreements:department_ratings")
    official = official_of(department)

    assert "Opiekun nie odbierał" not in client.get(url).content.decode()
    login(client, official)
    assert "Opiekun nie odbierał" not in client.get(url).content.decode()  # four: not yet

    _settled_in(department, 1, comment="Szybkie odpowiedzi.")
    page = client.get(url).content.decode()
    assert page.index("Opiekun nie odbierał") < page.index("Szybkie odpowiedzi")
    client.logout()
    assert "Opiekun nie odbierał" not in client.get(url).content.decode()


def test_another_departments_official_does_not_see_the_comments(client):
    department = DepartmentFactory()
    _settled_in(department, 5, comment="Za dużo papierów.")
    login(client, official_of(DepartmentFactory()))

    assert (
        "Za dużo papierów."
        not in client.get(reverse("agreements:department_ratings")).content.decode()
    )


def test_the_public_page_shows_one_year_at_a_time(client):
    department = DepartmentFactory(name="Wydział Lat")
    year = timezone.localdate().year
    _settled_in(department, 5, score=5)
    call = CallFactory(department=department)
    for _ in range(5):
        agreement = agreement_for(
            call,
            status=Agreement.Status.SETTLED,
            starts=dt.date(year - 1, 1, 1),
            ends=dt.date(year - 1, 12, 31),
        )
        rating_for(agreement, score=1)
    url = reverse("agreements:department_ratings")

    latest = client.get(url).content.decode()
    earlier = client.get(url, {"rok": year - 1}).content.decode()

    assert "5.0" in latest and "1.0" not in latest
    assert "1.0" in earlier and "5.0" not in earlier
    assert client.get(url, {"rok": "1999"}).status_code == 404


# Evaluation meetings.


@pytest.fixture
def area():
    return PublicBenefitArea.objects.order_by("position").first()


def _meeting_data(area, **changes):
    held = timezone.localtime() + dt.timedelta(days=30)
    return {
        "area": area.pk,
        "year": timezone.localdate().year,
        "held_at": held.strftime("%Y-%m-%dT%H:%M"),
        "place": "Centrum Obywatelskie, ul. Reymonta 20, sala 1",
        "notes": "",
        **changes,
    }


def test_an_official_enters_a_meeting_listed_publicly_and_audited(client, area):
    department = DepartmentFactory(name="Wydział Kultury")
    official = official_of(department)
    login(client, official)

    response = client.post(reverse("agreements:add_evaluation_meeting"), _meeting_data(area))

    meeting = EvaluationMeeting.objects.get()
    assert response.status_code == 302
    assert (meeting.department, meeting.created_by) == (department, official)
    assert AuditEntry.objects.filter(
        action="evaluation_meeting.added", object_id=str(meeting.pk), actor=official
    ).exists()
    client.logout()
    page = client.get(reverse("agreements:evaluation_meetings")).content.decode()
    assert "ul. Reymonta 20" in page and "Wydział Kultury" in page


def test_a_resident_cannot_enter_a_meeting(client, outsider, area):
    login(client, outsider)

    response = client.post(reverse("agreements:add_evaluation_meeting"), _meeting_data(area))

    assert response.status_code == 403
    assert not EvaluationMeeting.objects.exists()


def test_only_the_meetings_department_changes_it(client, area):
    department = DepartmentFactory()
    meeting = feedback.add_evaluation_meeting(
        official_of(department),
        year=2026,
        area=area,
        held_at=timezone.now() + dt.timedelta(days=3),
        place="Sala 1",
    )
    url = reverse("agreements:edit_evaluation_meeting", args=[meeting.pk])
    login(client, official_of(DepartmentFactory()))
    assert client.post(url, _meeting_data(area, place="Inna sala")).status_code == 403

    login(client, official_of(department))
    client.post(url, _meeting_data(area, notes="Wnioski: dłuższe terminy."))

    meeting.refresh_from_db()
    assert meeting.notes == "Wnioski: dłuższe terminy."
    assert AuditEntry.objects.filter(action="evaluation_meeting.changed").exists()


def test_the_meeting_is_in_the_feed_from_when_it_was_entered(area):
    held = timezone.now() + dt.timedelta(days=20)
    meeting = feedback.add_evaluation_meeting(
        official_of(DepartmentFactory()), year=2026, area=area, held_at=held, place="Sala 2"
    )

    [item] = feed.items(
        timezone.now(), timezone.now() + dt.timedelta(days=30), kinds={"evaluation_meeting"}
    )

    assert item.starts == held and item.place == "Sala 2"
    assert item.areas == (area.code,)
    assert item.published < held
    assert item.url.endswith(f"#spotkanie-{meeting.pk}")


@pytest.mark.parametrize("count", [2, 10])
def test_the_meetings_list_makes_the_same_queries_whatever_its_length(
    client, area, count, django_assert_num_queries
):
    official = official_of(DepartmentFactory())
    for n in range(count):
        feedback.add_evaluation_meeting(
            official,
            year=2026,
            area=area,
            held_at=timezone.now() + dt.timedelta(days=n - 5),
            place="S",
        )

    with django_assert_num_queries(2):  # the page's meetings and their count
        client.get(reverse("agreements:evaluation_meetings"))


def test_the_agreement_page_invites_the_admin_and_tells_the_department_nothing(client, settled):
    url = reverse("agreements:detail", args=[settled.pk])
    rate_url = reverse("agreements:rate", args=[settled.pk])
    login(client, admin_for(settled))
    assert rate_url in client.get(url).content.decode()

    rating_for(settled)
    assert "You rated the cooperation on" in client.get(url).content.decode()
    login(client, official_for(settled.department))
    page = client.get(url).content.decode()
    assert (
        rate_url not in page and "You rated" not in page and "Rating of the cooperation" not in page
    )


@pytest.mark.parametrize("departments", [2, 10])
def test_the_ratings_page_makes_the_same_queries_whatever_its_length(
    client, departments, django_assert_num_queries
):
    call = CallFactory()
    for _ in range(departments):
        rating_for(agreement_for(call, status=Agreement.Status.SETTLED))
        CooperationRating.objects.filter(department=call.department).update(
            department=DepartmentFactory()
        )

    with django_assert_num_queries(2):  # the years, then the averages
        response = client.get(reverse("agreements:department_ratings"))

    assert response.content.decode().count('<th scope="row">') == departments
