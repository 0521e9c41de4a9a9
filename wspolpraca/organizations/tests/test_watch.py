from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations import watch
from wspolpraca.organizations.management.commands.nightly import due_day
from wspolpraca.organizations.models import KrsWatchRun, Organization
from wspolpraca.organizations.tasks import krs_watch_task

from .factories import OrganizationFactory
from .fake_krs import sample_extract

DAY = date(2026, 3, 2)
KNOWN = "0000512345"  # on the platform, in the bulletin
BELOW = "0000004410"  # not on the platform, below the highest number seen: not asked
OUTSIDE = "0000512400"  # new, seated in Tarnów
NEW = "0000512401"  # new, seated in Kraków, has an e-mail address
COMPANY = "0000600777"  # new, a company (register P)
NEW_EMAIL = "nowi@przyklad.example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def register(fake_krs):
    fake_krs.add_extract(KNOWN, "odpis-S-0000512345-fundacja-krakow.json")
    fake_krs.add_extract(OUTSIDE, "odpis-S-0000512400-stowarzyszenie-tarnow.json")
    fake_krs.add_extract(
        NEW, sample_extract(NEW, "FUNDACJA NOWE SĄSIEDZTWO", email=NEW_EMAIL, opp=False)
    )
    fake_krs.add_extract(COMPANY, "odpis-P-0000600777-spolka.json", register="P")
    fake_krs.add_bulletin(DAY, ["4410", "512345", "512345", "512400", "512401", "600777"])
    return fake_krs


@pytest.fixture
def known():
    return OrganizationFactory(
        krs=KNOWN,
        name="Fundacja Zielone Podwórka",
        nip="",
        email="biuro@zielone.example.org",
        is_public_benefit=False,
    )


@pytest.fixture
def previous_run(db):
    return KrsWatchRun.objects.create(
        day=date(2026, 3, 1), status=KrsWatchRun.Status.DONE, highest_seen_krs="0000512350"
    )


def test_watch_refreshes_register_data_of_known_organizations(register, known, previous_run):
    run = watch.run_watch(DAY)
    known.refresh_from_db()
    assert run.refreshed_count == 1
    assert known.nip == "1005123452"
    assert known.regon == "159320939"
    assert known.is_public_benefit is True
    assert known.register_status == Organization.RegisterStatus.ACTIVE
    assert known.register_checked_at is not None


def test_refresh_keeps_the_organizations_contact_data_and_tidy_name(register, known, previous_run):
    watch.run_watch(DAY)
    known.refresh_from_db()
    assert known.email == "biuro@zielone.example.org"
    assert known.name == "Fundacja Zielone Podwórka"


def test_refresh_is_audited_with_the_changes(register, known, previous_run):
    watch.run_watch(DAY)
    entry = AuditEntry.objects.get(action="organization.refreshed_from_krs")
    assert entry.object_id == str(known.pk)
    assert entry.actor is None
    assert entry.changes["nip"] == ["", "1005123452"]
    assert entry.changes["register_status"] == ["unknown", "active"]
    assert "email" not in entry.changes


def test_watch_marks_organizations_struck_off(register, known, previous_run):
    register.set_status(f"OdpisAktualny/{KNOWN}?rejestr=S", 204)
    watch.run_watch(DAY)
    known.refresh_from_db()
    assert known.register_status == Organization.RegisterStatus.STRUCK_OFF


def test_watch_adds_a_new_ngo_seated_in_the_city_hidden_for_review(register, previous_run):
    run = watch.run_watch(DAY)
    found = Organization.objects.get(krs=NEW)
    assert run.new_count == 1
    assert found.name == "FUNDACJA NOWE SĄSIEDZTWO"
    assert found.source == Organization.Source.KRS_WATCH
    assert found.is_hidden is True
    assert found.verification == Organization.Verification.PENDING
    assert AuditEntry.objects.filter(
        action="organization.found_by_krs_watch", object_id=str(found.pk)
    ).exists()


def test_watch_skips_new_ngos_seated_outside_the_city(register, previous_run):
    watch.run_watch(DAY)
    assert not Organization.objects.filter(krs=OUTSIDE).exists()


def test_watch_skips_companies(register, previous_run):
    watch.run_watch(DAY)
    assert not Organization.objects.filter(krs=COMPANY).exists()
    assert register.count(f"{COMPANY}?rejestr=P") == 0


def test_watch_sends_the_starter_pack_to_the_register_email(
    register, previous_run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        watch.run_watch(DAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [NEW_EMAIL]
    assert "FUNDACJA NOWE SĄSIEDZTWO" in message.subject
    assert "/strony/pakiet-na-start/" in message.body
    assert "/miasto/koordynatorzy/" in message.body


def test_new_ngo_without_email_gets_no_starter_pack(
    register, previous_run, django_capture_on_commit_callbacks
):
    register.add_extract(NEW, sample_extract(NEW, "FUNDACJA BEZ POCZTY"))
    with django_capture_on_commit_callbacks(execute=True):
        watch.run_watch(DAY)
    assert Organization.objects.filter(krs=NEW).exists()
    assert mail.outbox == []


def test_watch_checks_only_numbers_above_the_highest_seen(register, previous_run):
    watch.run_watch(DAY)
    assert register.count(BELOW) == 0
    assert register.count(OUTSIDE) == 1
    assert register.count(NEW) == 1


def test_first_watch_starts_above_the_highest_krs_on_the_platform(register, known):
    OrganizationFactory(krs="0000512399")
    run = watch.run_watch(DAY)
    assert "highest number seen before: 0000512399" in run.log
    assert register.count(BELOW) == 0
    assert register.count(OUTSIDE) == 1
    assert run.new_count == 1


def test_done_run_stores_the_highest_number_seen(register, previous_run):
    run = watch.run_watch(DAY)
    assert run.status == KrsWatchRun.Status.DONE
    assert run.highest_seen_krs == COMPANY
    assert run.last_checked_krs == COMPANY
    assert run.numbers_in_bulletin == 5
    assert run.finished_at is not None


def test_run_log_tells_each_step(register, known, previous_run):
    run = watch.run_watch(DAY)
    assert f"{KNOWN}: refreshed" in run.log
    assert f"{OUTSIDE}: new NGO seated in TARNÓW; skipped" in run.log
    assert f"{NEW}: new NGO in the city added for review" in run.log
    assert "done: 1 refreshed, 1 new" in run.log


def test_done_day_is_not_run_again(register, previous_run):
    watch.run_watch(DAY)
    asked = len(register.requests)
    run = watch.run_watch(DAY)
    assert run.status == KrsWatchRun.Status.DONE
    assert len(register.requests) == asked
    assert Organization.objects.filter(krs=NEW).count() == 1


def test_failed_run_keeps_its_place_and_resumes_after_it(register, known, previous_run, settings):
    settings.KRS_RETRIES = 1
    register.set_status(f"OdpisAktualny/{OUTSIDE}", 500)
    failed = watch.run_watch(DAY)
    assert failed.status == KrsWatchRun.Status.FAILED
    assert failed.last_checked_krs == KNOWN
    assert "not answering" in failed.log

    register.rules.clear()
    resumed = watch.run_watch(DAY)
    assert resumed.status == KrsWatchRun.Status.DONE
    assert register.count(f"OdpisAktualny/{KNOWN}") == 1
    assert resumed.refreshed_count == 1
    assert resumed.new_count == 1
    assert Organization.objects.filter(krs=NEW).exists()


def test_unreadable_bulletin_fails_the_run_without_progress(fake_krs, previous_run):
    fake_krs.set_status(f"Biuletyn/{DAY.isoformat()}", 503)
    run = watch.run_watch(DAY)
    assert run.status == KrsWatchRun.Status.FAILED
    assert run.last_checked_krs == ""


def test_watch_pauses_between_requests(register, previous_run, settings, monkeypatch):
    pauses = []
    monkeypatch.setattr(watch, "_sleep", pauses.append)
    settings.KRS_WATCH_DELAY = 0.25
    watch.run_watch(DAY)
    # Three numbers need the register (512400, 512401, 600777): two pauses between them.
    assert pauses == [0.25, 0.25]


def test_default_day_is_yesterday_in_warsaw():
    # 23:30 UTC on 2 March is already 3 March in Warsaw.
    with time_machine.travel(datetime(2026, 3, 2, 23, 30, tzinfo=UTC), tick=False):
        assert watch.default_day() == date(2026, 3, 2)


def test_task_runs_the_watch(register, previous_run):
    result = krs_watch_task.enqueue(DAY.isoformat())
    assert result.return_value["status"] == "done"
    assert KrsWatchRun.objects.get(day=DAY).new_count == 1


def test_krs_watch_command_runs_a_day(register, previous_run, capsys):
    call_command("krs_watch", "--day", DAY.isoformat())
    assert KrsWatchRun.objects.get(day=DAY).status == KrsWatchRun.Status.DONE
    assert "1 new" in capsys.readouterr().out


def test_krs_watch_command_fails_loudly(fake_krs, previous_run):
    fake_krs.set_status("*", 500)
    with pytest.raises(CommandError):
        call_command("krs_watch", "--day", DAY.isoformat())


def test_nightly_queues_yesterdays_watch(register, previous_run):
    with time_machine.travel(datetime(2026, 3, 3, 2, 0, tzinfo=UTC), tick=False):
        call_command("nightly")
    assert KrsWatchRun.objects.get(day=DAY).status == KrsWatchRun.Status.DONE


def test_nightly_skips_a_day_already_done(register, previous_run, capsys):
    KrsWatchRun.objects.create(day=DAY, status=KrsWatchRun.Status.DONE)
    with time_machine.travel(datetime(2026, 3, 3, 2, 0, tzinfo=UTC), tick=False):
        call_command("nightly")
    assert "already done" in capsys.readouterr().out
    assert register.requests == []


def test_nightly_loop_waits_for_the_watch_hour(settings):
    settings.KRS_WATCH_HOUR = 3
    # 01:30 UTC is 02:30 in Warsaw (winter time): too early.
    assert due_day(datetime(2026, 3, 3, 1, 30, tzinfo=UTC)) is None
    assert due_day(datetime(2026, 3, 3, 2, 30, tzinfo=UTC)) == DAY


def test_nightly_loop_queues_once_a_day(settings):
    settings.KRS_WATCH_HOUR = 3
    assert due_day(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), last_enqueued=DAY) is None
    assert due_day(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), last_enqueued=DAY) == date(2026, 3, 3)


def test_overlong_register_text_is_cut_to_fit(register, previous_run):
    register.add_extract(NEW, sample_extract(NEW, "FUNDACJA " + "BARDZO " * 60))
    run = watch.run_watch(DAY)
    assert run.status == KrsWatchRun.Status.DONE
    assert len(Organization.objects.get(krs=NEW).name) == 300


def test_failed_starter_pack_keeps_the_record_and_the_run_going(
    register, previous_run, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(watch, "send_starter_pack", broken)
    run = watch.run_watch(DAY)
    assert run.status == KrsWatchRun.Status.DONE
    assert Organization.objects.filter(krs=NEW).exists()
    assert f"{NEW}: starter pack could not be sent" in run.log


def test_one_broken_entry_is_skipped_and_the_run_goes_on(register, previous_run, monkeypatch):
    real_create = watch._create

    def create(entity, run):
        if entity.krs == NEW:
            raise ValueError("odd entry")
        return real_create(entity, run)

    monkeypatch.setattr(watch, "_create", create)
    run = watch.run_watch(DAY)
    assert run.status == KrsWatchRun.Status.DONE
    assert f"{NEW}: error, skipped" in run.log
    assert run.last_checked_krs == COMPANY
