"""The nightly KRS watch.

For one day's KRS bulletin (the numbers with entries that day) it
1. refreshes the organizations already on the platform whose numbers appear, and
2. for numbers above the highest number seen so far (KRS numbers are given in order, so these
   are new entities), reads the extract and, when it is an NGO (register S) seated in the
   municipality, adds it hidden (source "krs_watch") for staff to review and sends it the
   starter pack.

A run is recorded in KrsWatchRun and is resumable: it stores the last number checked, so a
run that failed (the register went down) continues where it stopped; a done day is skipped.
"""

import logging
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wspolpraca.core import mail
from wspolpraca.core.audit import diff, record

from . import krs as krs_client
from .krs import KrsError, KrsNotFound, KrsStruckOff, KrsUnavailable
from .models import KrsWatchRun, Organization

logger = logging.getLogger(__name__)

WARSAW = ZoneInfo("Europe/Warsaw")

# Patched by tests; the pause between requests is settings.KRS_WATCH_DELAY.
_sleep = time.sleep

# Register data the watch keeps current. Contact data (e-mail, website, phone) belongs to the
# organization once it is on the platform, so it is never overwritten.
REGISTER_FIELDS = [
    "name",
    "kind",
    "nip",
    "regon",
    "registration_date",
    "street",
    "postal_code",
    "city",
    "is_public_benefit",
    "statutory_goals",
]


def default_day():
    """Yesterday in Warsaw: the bulletin of a day is complete the next morning."""
    return timezone.localtime(timezone.now(), WARSAW).date() - timedelta(days=1)


def _log(run, message):
    stamp = timezone.localtime(timezone.now(), WARSAW).strftime("%H:%M:%S")
    run.log = f"{run.log}{stamp} {message}\n"
    logger.info("KRS watch %s: %s", run.day, message)


def _threshold(day):
    """The highest KRS number seen before this run: from the last done run before `day`,
    else the highest number of any organization on the platform."""
    previous = (
        KrsWatchRun.objects.filter(status=KrsWatchRun.Status.DONE, day__lt=day)
        .exclude(highest_seen_krs="")
        .order_by("-day")
        .first()
    )
    if previous is not None:
        return previous.highest_seen_krs
    return Organization.objects.exclude(krs=None).aggregate(m=Max("krs"))["m"] or ""


def _same(old, new):
    if isinstance(old, str) and isinstance(new, str):
        return " ".join(old.split()).casefold() == " ".join(new.split()).casefold()
    return old == new


def refresh(organization, entity=None, *, struck_off=False):
    """Bring an organization's register data up to date; returns the audited changes."""
    before = {f: getattr(organization, f) for f in [*REGISTER_FIELDS, "register_status"]}
    if struck_off:
        organization.register_status = Organization.RegisterStatus.STRUCK_OFF
    else:
        organization.register_status = Organization.RegisterStatus.ACTIVE
        values = _fit(entity.organization_fields())
        for name in REGISTER_FIELDS:
            new = values[name]
            if name == "kind" and new == Organization.Kind.OTHER:
                continue
            if new in ("", None) and name != "is_public_benefit":
                continue  # the register left it out: keep what we have
            if not _same(getattr(organization, name), new):
                setattr(organization, name, new)
    organization.register_checked_at = timezone.now()
    after = {f: getattr(organization, f) for f in before}
    changes = diff(before, after)
    organization.save(update_fields=[*before, "register_checked_at"])
    if changes:
        record(None, "organization.refreshed_from_krs", organization, changes)
    return changes


def _fit(values):
    """Cut register texts to the model's lengths, so that one odd entry cannot stop a run."""
    fitted = {}
    for name, value in values.items():
        limit = getattr(Organization._meta.get_field(name), "max_length", None)
        fitted[name] = value[:limit] if isinstance(value, str) and limit else value
    return fitted


def _create(entity, run):
    organization = Organization(
        **_fit(entity.organization_fields()),
        source=Organization.Source.KRS_WATCH,
        is_hidden=True,
        verification=Organization.Verification.PENDING,
        register_status=Organization.RegisterStatus.ACTIVE,
        register_checked_at=timezone.now(),
    )
    organization.save()
    record(
        None,
        "organization.found_by_krs_watch",
        organization,
        {
            "krs": [None, entity.krs],
            "name": [None, entity.name],
            "bulletin_day": [None, str(run.day)],
        },
    )
    return organization


def send_starter_pack(organization, email):
    mail.send(
        [email],
        gettext_lazy("Welcome to cooperation with %(city)s: %(name)s"),
        "organizations/email/starter_pack.txt",
        {
            "organization": organization,
            "municipality": settings.MUNICIPALITY_NAME,
            "starter_pack_path": reverse("pages:detail", args=["pakiet-na-start"]),
            "coordinators_path": reverse("city:coordinators"),
            "register_path": reverse("organizations:register"),
        },
        subject_params={"city": settings.MUNICIPALITY_NAME, "name": organization.name},
    )


def _pause():
    if settings.KRS_WATCH_DELAY > 0:
        _sleep(settings.KRS_WATCH_DELAY)


def _check(number, run, known, threshold):
    """Handle one number of the bulletin; returns True when the register was asked."""
    organization = known.get(number)
    if organization is not None:
        try:
            entity = krs_client.find_organization(number, ngo_only=False)
        except KrsStruckOff:
            with transaction.atomic():
                refresh(organization, struck_off=True)
            _log(run, f"{number}: struck off the register")
        except KrsNotFound:
            _log(run, f"{number}: on the platform but not in the register; left as it is")
            return True
        else:
            with transaction.atomic():
                changes = refresh(organization, entity)
            _log(run, f"{number}: refreshed ({', '.join(changes) or 'no changes'})")
        run.refreshed_count += 1
        return True
    if not threshold or number > threshold:
        try:
            entity = krs_client.fetch_extract(number, "S")
        except (KrsNotFound, KrsStruckOff):
            _log(run, f"{number}: new, not an NGO in register S; skipped")
            return True
        if not entity.is_seated_in(settings.MUNICIPALITY_KRS_GMINA, settings.MUNICIPALITY_KRS_CITY):
            _log(run, f"{number}: new NGO seated in {entity.seat_town or '?'}; skipped")
            return True
        with transaction.atomic():
            organization = _create(entity, run)
        run.new_count += 1
        _log(run, f"{number}: new NGO in the city added for review: {entity.name}")
        if entity.email:
            try:
                send_starter_pack(organization, entity.email)
            except Exception as error:  # the mail server: the record stays, staff can write
                logger.exception("KRS watch: starter pack to %s failed", number)
                _log(run, f"{number}: starter pack could not be sent: {error!r}")
            else:
                _log(run, f"{number}: starter pack sent")
        return True
    return False


def run_watch(day=None):
    """Run (or resume) the watch for `day` (default: yesterday in Warsaw); returns the run.

    Never raises for a failure of the register: the run is marked failed, keeps the last
    number checked, and the next call continues after it."""
    day = day or default_day()
    run, created = KrsWatchRun.objects.get_or_create(day=day)
    if run.status == KrsWatchRun.Status.DONE:
        logger.info("KRS watch %s: already done, skipped", day)
        return run
    if created or not run.highest_seen_krs:
        run.highest_seen_krs = _threshold(day)
        _log(run, f"started; highest number seen before: {run.highest_seen_krs or 'none'}")
    else:
        _log(run, f"resumed after {run.last_checked_krs or 'the start'}")
    # During a run highest_seen_krs holds the threshold, so a resumed run uses the same one.
    threshold = run.highest_seen_krs
    run.status = KrsWatchRun.Status.RUNNING
    run.finished_at = None
    run.save()
    try:
        numbers = krs_client.fetch_bulletin(day)
        run.numbers_in_bulletin = len(numbers)
        _log(run, f"bulletin: {len(numbers)} numbers")
        run.save(update_fields=["numbers_in_bulletin", "log"])
        todo = [n for n in numbers if not run.last_checked_krs or n > run.last_checked_krs]
        known = {}
        for start in range(0, len(todo), 500):
            chunk = todo[start : start + 500]
            known.update((o.krs, o) for o in Organization.objects.filter(krs__in=chunk))
        asked = False
        for number in todo:
            if asked:
                _pause()
            try:
                asked = _check(number, run, known, threshold)
            except KrsUnavailable:
                raise  # the register is down: stop here, the next attempt resumes
            except Exception as error:
                # Something about this one entry: note it and go on, or the run would
                # stop at the same number every night.
                logger.exception("KRS watch %s: %s failed", day, number)
                _log(run, f"{number}: error, skipped: {error!r}")
                asked = True
            run.last_checked_krs = number
            run.save()
        run.highest_seen_krs = max([threshold, *numbers]) if numbers else threshold
        run.status = KrsWatchRun.Status.DONE
        run.finished_at = timezone.now()
        _log(
            run,
            f"done: {run.refreshed_count} refreshed, {run.new_count} new; "
            f"highest number seen: {run.highest_seen_krs or 'none'}",
        )
        run.save()
    except Exception as error:
        message = str(error) if isinstance(error, KrsError) else repr(error)
        logger.exception("KRS watch %s failed", day)
        run.status = KrsWatchRun.Status.FAILED
        run.finished_at = timezone.now()
        _log(run, f"failed after {run.last_checked_krs or 'the start'}: {message}")
        run.save()
    return run
