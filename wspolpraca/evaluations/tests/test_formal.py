"""The formal check's rules (evaluations.formal): the checklist, the check, a correction
asked for, made in time, refused as late or missed, a rejection on formal grounds, the
audit trail and the e-mails; and who is refused."""

import datetime as dt

import pytest
import time_machine
from django.utils import formats, timezone, translation

from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core import jobs
from wspolpraca.core.models import AuditEntry
from wspolpraca.evaluations import formal
from wspolpraca.evaluations.models import (
    CorrectionRequest,
    FormalCheck,
    FormalCheckAnswer,
    FormalRequirement,
)
from wspolpraca.evaluations.tests.factories import (
    call_in_evaluation,
    official_of,
    submitted_offer,
)
from wspolpraca.offers import drafts
from wspolpraca.offers.models import Offer
from wspolpraca.offers.services import OfferError, submit_offer
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def evaluation():
    call, offers = call_in_evaluation(offers=2)
    return call, offers


@pytest.fixture
def call(evaluation):
    return evaluation[0]


@pytest.fixture
def offer(evaluation):
    return evaluation[1][0]


@pytest.fixture
def official(call):
    return official_of(call.department)


@pytest.fixture
def admin(offer):
    return offer.organization.memberships.get(role=Membership.Role.ADMIN).user


def all_met(call):
    return {r.pk: (True, "") for r in formal.ensure_checklist(call)}


def one_unmet(call, step="costs", note="Wkład własny poniżej 10%."):
    answers = all_met(call)
    requirement = next(r for r in formal.ensure_checklist(call) if r.step == step)
    answers[requirement.pk] = (False, note)
    return answers


def due_in(days=7):
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def asked(offer, official, call):
    """A correction of the costs asked for, due in a week."""
    check = formal.check_offer(offer, one_unmet(call), official)
    return formal.request_correction(check, ["costs"], "Popraw wkład własny.", due_in(), official)


def actions(code):
    return AuditEntry.objects.filter(action=code)


# The checklist.


def test_the_checklist_is_made_once_from_the_defaults(call):
    first = formal.ensure_checklist(call)
    second = formal.ensure_checklist(call)
    assert [r.pk for r in first] == [r.pk for r in second]
    assert len(first) == len(formal.default_requirements(call))
    assert FormalRequirement.objects.filter(call=call).count() == len(first)


def test_each_default_requirement_names_a_part_of_the_offer_form(call):
    for requirement in formal.ensure_checklist(call):
        assert requirement.step in drafts.STEPS


def test_the_default_budget_requirement_carries_the_calls_limits(call):
    with translation.override("en"):
        texts = [str(text) for text, step in formal.default_requirements(call) if step == "costs"]
    assert "20" in texts[0] and "10%" in texts[0] and "15%" in texts[0]


def test_the_results_table_requirement_only_where_the_call_requires_it():
    call = CallFactory(results_table_required=False)
    with translation.override("en"):
        texts = [str(text) for text, _step in formal.default_requirements(call)]
    assert not any("III.6" in text for text in texts)


def test_the_official_adds_changes_and_removes_requirements_with_audit(call, official):
    formal.ensure_checklist(call)
    added = formal.add_requirement(call, "Oferta podpisana", "declarations", official)
    formal.change_requirement(added, "Oferta podpisana przez zarząd", "declarations", official)
    assert FormalRequirement.objects.get(pk=added.pk).text == "Oferta podpisana przez zarząd"
    formal.remove_requirement(added, official)
    assert not FormalRequirement.objects.filter(pk=added.pk).exists()
    assert actions("formal.requirement_added").count() == 1
    assert actions("formal.requirement_changed").count() == 1
    assert actions("formal.requirement_removed").count() == 1


def test_the_checklist_cannot_change_once_an_offer_is_checked(call, offer, official):
    formal.check_offer(offer, all_met(call), official)
    requirement = formal.ensure_checklist(call)[0]
    with pytest.raises(formal.FormalCheckError):
        formal.add_requirement(call, "Nowy wymóg", "", official)
    with pytest.raises(formal.FormalCheckError):
        formal.remove_requirement(requirement, official)
    assert FormalRequirement.objects.filter(call=call).count() == len(
        formal.default_requirements(call)
    )


def test_an_official_of_another_department_cannot_change_the_checklist(call):
    stranger = official_of(CallFactory().department)
    with pytest.raises(formal.FormalCheckError):
        formal.add_requirement(call, "Nowy wymóg", "", stranger)
    assert not FormalRequirement.objects.filter(call=call, text="Nowy wymóg").exists()


# The check.


def test_an_offer_meeting_every_requirement_passes(offer, official, call):
    check = formal.check_offer(offer, all_met(call), official)
    assert check.status == FormalCheck.Status.PASSED
    assert check.checked_by == official
    assert FormalCheckAnswer.objects.filter(check_record=check, met=True).count() == len(
        formal.ensure_checklist(call)
    )
    entry = actions("formal.checked").get()
    assert entry.changes["status"] == ["pending", "passed"]


def test_an_offer_not_meeting_a_requirement_waits_for_the_officials_choice(offer, official, call):
    check = formal.check_offer(offer, one_unmet(call), official)
    assert check.status == FormalCheck.Status.PENDING
    assert [r.step for r in formal.unmet_requirements(check)] == ["costs"]


def test_a_requirement_not_met_needs_a_note(offer, official, call):
    with pytest.raises(formal.FormalCheckError):
        formal.check_offer(offer, one_unmet(call, note="  "), official)
    assert not FormalCheck.objects.filter(offer=offer).exists()


def test_every_requirement_needs_an_answer(offer, official, call):
    answers = all_met(call)
    answers.popitem()
    with pytest.raises(formal.FormalCheckError):
        formal.check_offer(offer, answers, official)
    assert not FormalCheckAnswer.objects.exists()


def test_a_check_on_a_call_still_open_is_refused():
    call = CallFactory()
    offer = submitted_offer(call)
    official = official_of(call.department)
    with pytest.raises(formal.FormalCheckError, match="deadline"):
        formal.check_offer(offer, all_met(call), official)
    assert not FormalCheck.objects.exists()
    assert not actions("formal.checked").exists()


def test_an_official_of_another_department_cannot_check_the_offer(offer, call):
    stranger = official_of(CallFactory().department)
    with pytest.raises(formal.FormalCheckError):
        formal.check_offer(offer, all_met(call), stranger)
    assert not FormalCheck.objects.exists()


def test_the_applicant_cannot_check_its_own_offer(offer, call, admin):
    with pytest.raises(formal.FormalCheckError):
        formal.check_offer(offer, all_met(call), admin)
    assert not FormalCheck.objects.exists()


def test_a_passed_offer_is_not_checked_again(offer, official, call):
    formal.check_offer(offer, all_met(call), official)
    with pytest.raises(formal.FormalCheckError):
        formal.check_offer(offer, one_unmet(call), official)
    assert FormalCheck.objects.get(offer=offer).status == FormalCheck.Status.PASSED


# Asking for a correction.


def test_a_correction_request_emails_the_admins_what_which_parts_and_when(
    offer, official, call, admin, mailoutbox, django_capture_on_commit_callbacks
):
    check = formal.check_offer(offer, one_unmet(call), official)
    due = due_in(5)
    with django_capture_on_commit_callbacks(execute=True):
        correction_request = formal.request_correction(
            check, ["costs", "task"], "Popraw wkład własny do 10%.", due, official
        )
    assert correction_request.steps == ["task", "costs"]
    assert FormalCheck.objects.get(pk=check.pk).status == FormalCheck.Status.CORRECTION
    [message] = [m for m in mailoutbox if admin.email in m.to]
    with translation.override("pl"):
        due_text = formats.date_format(timezone.localtime(due), "j E Y, H:i:s")
        parts = [str(drafts.STEPS["task"]), str(drafts.STEPS["costs"])]
    assert "Popraw wkład własny do 10%." in message.body
    assert due_text in message.body
    for part in parts:
        assert part in message.body
    assert str(drafts.STEPS["offeror"]) not in message.body
    assert f"/ocena/korekta/{correction_request.pk}/" in message.body
    entry = actions("formal.correction_requested").get()
    assert entry.changes["steps"] == [None, ["task", "costs"]]


def test_a_correction_is_asked_for_only_when_a_requirement_is_not_met(offer, official, call):
    check = formal.check_offer(offer, all_met(call), official)
    with pytest.raises(formal.FormalCheckError):
        formal.request_correction(check, ["costs"], "Popraw.", due_in(), official)
    assert not CorrectionRequest.objects.exists()


def test_the_correction_must_be_due_in_the_future(offer, official, call):
    check = formal.check_offer(offer, one_unmet(call), official)
    with pytest.raises(formal.FormalCheckError):
        formal.request_correction(
            check, ["costs"], "Popraw.", timezone.now() - dt.timedelta(seconds=1), official
        )
    assert not CorrectionRequest.objects.exists()


def test_a_correction_needs_parts_of_the_offer_and_a_message(offer, official, call):
    check = formal.check_offer(offer, one_unmet(call), official)
    with pytest.raises(formal.FormalCheckError):
        formal.request_correction(check, [], "Popraw.", due_in(), official)
    with pytest.raises(formal.FormalCheckError):
        formal.request_correction(check, ["costs"], "   ", due_in(), official)
    with pytest.raises(formal.FormalCheckError):
        formal.request_correction(check, ["basic"], "Popraw.", due_in(), official)
    assert not CorrectionRequest.objects.exists()


def test_the_check_waits_while_a_correction_may_still_come(asked, offer, official, call):
    with pytest.raises(formal.FormalCheckError):
        formal.check_offer(offer, all_met(call), official)
    with pytest.raises(formal.FormalCheckError):
        formal.reject_on_form(asked.check_record, "Brak wkładu", official)
    assert FormalCheck.objects.get(offer=offer).status == FormalCheck.Status.CORRECTION


def test_the_default_due_is_the_settings_days_ahead_on_a_working_day(settings):
    settings.FORMAL_CORRECTION_DAYS = 7
    now = timezone.make_aware(dt.datetime(2027, 3, 1, 10, 0))  # a Monday
    due = formal.default_correction_due(now)
    assert timezone.localtime(due).date() == dt.date(2027, 3, 8)
    assert timezone.localtime(due).time() == dt.time(23, 59, 59)
    settings.FORMAL_CORRECTION_DAYS = 5  # a Saturday: moved to Monday
    assert timezone.localtime(formal.default_correction_due(now)).date() == dt.date(2027, 3, 8)


# The applicant's correction.


def test_an_admin_starts_the_correction_as_a_new_version_open_in_the_asked_parts(
    asked, offer, admin
):
    copy = formal.start_correction(asked, admin)
    assert copy.replaces_id == offer.pk
    assert copy.status == Offer.Status.DRAFT
    assert copy.editable_steps == ["costs"]
    assert copy.correction_due == asked.due
    assert formal.start_correction(asked, admin).pk == copy.pk
    assert actions("formal.correction_started").count() == 2


def test_an_organization_member_who_is_not_admin_cannot_start_the_correction(asked, offer):
    member = MembershipFactory(organization=offer.organization, role="member").user
    with pytest.raises(formal.FormalCheckError):
        formal.start_correction(asked, member)
    assert not Offer.objects.filter(replaces=offer).exists()


def test_another_organizations_admin_cannot_start_the_correction(asked, offer):
    stranger = MembershipFactory(role="admin").user
    with pytest.raises(formal.FormalCheckError):
        formal.start_correction(asked, stranger)
    assert not Offer.objects.filter(replaces=offer).exists()


def test_the_correction_cannot_be_started_after_its_due_time(asked, offer, admin):
    with time_machine.travel(asked.due + dt.timedelta(seconds=1)):
        with pytest.raises(formal.FormalCheckError):
            formal.start_correction(asked, admin)
    assert not Offer.objects.filter(replaces=offer).exists()


def test_a_correction_submitted_before_due_moves_the_check_and_marks_it_corrected(
    asked, offer, admin, official, mailoutbox, django_capture_on_commit_callbacks
):
    copy = formal.start_correction(asked, admin)
    with django_capture_on_commit_callbacks(execute=True):
        corrected = submit_offer(copy, by=admin)
    asked.refresh_from_db()
    assert asked.status == CorrectionRequest.Status.CORRECTED
    assert asked.corrected_offer_id == corrected.pk
    assert asked.corrected_at == corrected.submitted_at
    check = FormalCheck.objects.get(pk=asked.check_record_id)
    assert check.offer_id == corrected.pk
    assert check.status == FormalCheck.Status.PENDING
    assert check.answers.filter(met=False).count() == 1  # kept for reference
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.REPLACED
    assert actions("formal.corrected").exists()
    assert actions("formal.check_moved").exists()
    [message] = [m for m in mailoutbox if official.email in m.to]
    assert corrected.number in message.body
    assert f"/ocena/oferta/{corrected.pk}/ocena-formalna/" in message.body


def test_the_corrected_offer_is_checked_again_and_may_pass(asked, admin, official, call):
    copy = formal.start_correction(asked, admin)
    corrected = submit_offer(copy, by=admin)
    check = formal.check_offer(corrected, all_met(call), official)
    assert check.status == FormalCheck.Status.PASSED


def test_a_correction_at_its_due_second_is_accepted(asked, admin):
    copy = formal.start_correction(asked, admin)
    with time_machine.travel(asked.due, tick=False):
        corrected = submit_offer(copy, by=admin)
    assert corrected.status == Offer.Status.SUBMITTED
    asked.refresh_from_db()
    assert asked.status == CorrectionRequest.Status.CORRECTED


def test_a_correction_one_second_after_due_is_refused_and_the_attempt_recorded(asked, offer, admin):
    copy = formal.start_correction(asked, admin)
    with time_machine.travel(asked.due + dt.timedelta(seconds=1), tick=False):
        with pytest.raises(OfferError, match="due"):
            submit_offer(copy, by=admin)
    assert Offer.objects.get(pk=copy.pk).status == Offer.Status.DRAFT
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SUBMITTED
    asked.refresh_from_db()
    assert asked.late_attempts == 1
    assert asked.status == CorrectionRequest.Status.MISSED
    entry = actions("formal.late_correction_refused").get()
    assert entry.changes["late_attempts"] == [0, 1]
    assert entry.actor == admin
    assert FormalCheck.objects.get(offer=offer).status == FormalCheck.Status.CORRECTION


# Missed corrections and rejection.


def test_the_daily_job_marks_open_requests_past_due_as_missed(asked, offer, official, call):
    with time_machine.travel(asked.due + dt.timedelta(minutes=1)):
        assert formal.is_missed(asked)  # shown as missed before the job runs
        assert formal.mark_missed_corrections() == 1
        assert formal.mark_missed_corrections() == 0
    asked.refresh_from_db()
    assert asked.status == CorrectionRequest.Status.MISSED
    assert actions("formal.correction_missed").count() == 1


def test_the_daily_job_leaves_requests_still_due(asked):
    assert formal.mark_missed_corrections() == 0
    asked.refresh_from_db()
    assert asked.status == CorrectionRequest.Status.OPEN


def test_the_missed_corrections_job_is_registered_daily():
    assert formal.mark_missed_corrections_task in jobs._daily


def test_rejection_emails_the_admins_the_reason(
    offer, official, call, admin, mailoutbox, django_capture_on_commit_callbacks
):
    check = formal.check_offer(offer, one_unmet(call), official)
    with django_capture_on_commit_callbacks(execute=True):
        formal.reject_on_form(check, "Oferta złożona przez partię polityczną.", official)
    check.refresh_from_db()
    assert check.status == FormalCheck.Status.FAILED
    assert check.rejection_reason == "Oferta złożona przez partię polityczną."
    [message] = [m for m in mailoutbox if admin.email in m.to]
    assert "Oferta złożona przez partię polityczną." in message.body
    assert actions("formal.rejected").get().changes["status"] == ["pending", "failed"]


def test_rejection_needs_a_reason(offer, official, call):
    check = formal.check_offer(offer, one_unmet(call), official)
    with pytest.raises(formal.FormalCheckError):
        formal.reject_on_form(check, "  ", official)
    assert FormalCheck.objects.get(pk=check.pk).status == FormalCheck.Status.PENDING


def test_an_offer_meeting_every_requirement_is_not_rejected(offer, official, call):
    check = formal.check_offer(offer, all_met(call), official)
    with pytest.raises(formal.FormalCheckError):
        formal.reject_on_form(check, "Powód", official)


def test_after_a_missed_correction_the_offer_is_rejected(asked, offer, official):
    with time_machine.travel(asked.due + dt.timedelta(hours=1)):
        check = formal.reject_on_form(asked.check_record, "Nie poprawiono.", official)
    assert check.status == FormalCheck.Status.FAILED
    asked.refresh_from_db()
    assert asked.status == CorrectionRequest.Status.MISSED


def test_another_departments_official_cannot_reject(offer, official, call):
    check = formal.check_offer(offer, one_unmet(call), official)
    stranger = official_of(CallFactory().department)
    with pytest.raises(formal.FormalCheckError):
        formal.reject_on_form(check, "Powód", stranger)
    assert FormalCheck.objects.get(pk=check.pk).status == FormalCheck.Status.PENDING
    assert not actions("formal.rejected").exists()
