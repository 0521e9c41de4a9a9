"""Load the 2018 catalogue of postulates into the tracker, with the consultation it came
from (the 2018 consultation of the cooperation programme 2019–2022, its meetings and
numbers as the report records them). Running it again changes nothing."""

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from wspolpraca.city.models import Department
from wspolpraca.consultations import tracker
from wspolpraca.consultations.models import Catalogue, Consultation, Meeting
from wspolpraca.core.audit import record
from wspolpraca.organizations.models import PublicBenefitArea

DATA = Path(__file__).resolve().parents[2] / "data"
CATALOGUE_CODE = "2018"
CATALOGUE_TITLE = "Postulaty z konsultacji programu współpracy na lata 2019–2022 (2018)"
# Area 33: activity for NGOs and public benefit organizations, what the programme is about.
CONSULTATION_AREA = "33"
CONSULTATION_FORMS = ["meeting", "workshop", "online"]
MEETING_STARTS, MEETING_ENDS = time(10), time(13)


def _local(day, at):
    return timezone.make_aware(datetime.combine(day, at))


class Command(BaseCommand):
    help = (
        "Import a tracker CSV (default: the 2018 catalogue) and the 2018 consultation it "
        "came from. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DATA / "catalogue_2018.csv"), help="The CSV file."
        )
        parser.add_argument(
            "--consultation",
            default=str(DATA / "consultation_2018.json"),
            help="The consultation's JSON (slug, title, summary, department, opens, closes, "
            "participants, organizations, meetings).",
        )
        parser.add_argument(
            "--skip-unknown-departments",
            action="store_true",
            help="Leave the department empty on rows whose department symbol is unknown, "
            "instead of refusing the file.",
        )

    def handle(self, *args, path, consultation, skip_unknown_departments, **options):
        csv_path = Path(path)
        if not csv_path.is_file():
            raise CommandError(f"No CSV file at {csv_path}.")
        with transaction.atomic():
            loaded = self.load_consultation(Path(consultation))
            catalogue, _created = Catalogue.objects.get_or_create(
                code=CATALOGUE_CODE, defaults={"title": CATALOGUE_TITLE}
            )
            if catalogue.title != CATALOGUE_TITLE or (
                loaded and catalogue.consultation_id != loaded.pk
            ):
                catalogue.title = CATALOGUE_TITLE
                if loaded:
                    catalogue.consultation = loaded
                catalogue.save()
            with csv_path.open("rb") as file:
                result = tracker.import_csv(
                    file, None, skip_unknown_departments=skip_unknown_departments
                )
            if not result.ok:
                for line, message in result.errors:
                    self.stderr.write(f"{csv_path.name}, line {line}: {message}")
                raise CommandError(
                    f"Nothing imported: {len(result.errors)} errors in {csv_path.name}."
                )
        self.stdout.write(
            f"{csv_path.name}: {result.created} added, {result.updated} changed, "
            f"{result.unchanged} unchanged."
        )
        if result.skipped_departments:
            self.stdout.write(
                f"{result.skipped_departments} rows had an unknown department symbol; "
                "their department is left empty."
            )

    def load_consultation(self, path):
        """The consultation of `path`, created or brought up to date; None without a file."""
        if not path.is_file():
            self.stdout.write(f"No consultation file at {path}: the consultation is skipped.")
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            opens = datetime.strptime(data["opens"], "%Y-%m-%d").date()
            closes = datetime.strptime(data["closes"], "%Y-%m-%d").date()
            slug, symbol = data["slug"], data["department"]
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path.name} cannot be read: {error!r}") from None
        department = Department.objects.filter(short_name=symbol).first()
        if department is None:
            raise CommandError(
                f"The consultation's department {symbol} does not exist: add it in the back "
                "office first."
            )
        try:
            area = PublicBenefitArea.objects.get(code=CONSULTATION_AREA)
        except PublicBenefitArea.DoesNotExist:
            raise CommandError(f"Public benefit area {CONSULTATION_AREA} does not exist.") from None
        closed = _local(closes, time.min)
        consultation, created = Consultation.objects.update_or_create(
            slug=slug,
            defaults={
                "department": department,
                "title": data["title"],
                "summary": data.get("summary", ""),
                "document_title": data.get("document_title") or data["title"],
                "information_from": opens - timedelta(days=7),
                "opens_on": opens,
                "closes_on": closes,
                "report_due": closes + timedelta(days=30),
                "forms": CONSULTATION_FORMS,
                "recorded_participants": data.get("participants"),
                "recorded_organizations": data.get("organizations"),
                "announced_at": closed,
                "answers_published_at": closed,
                "report_published_at": closed,
            },
        )
        consultation.areas.set([area])
        for meeting in data.get("meetings", []):
            day = datetime.strptime(meeting["date"], "%Y-%m-%d").date()
            kind = meeting.get("kind")
            Meeting.objects.update_or_create(
                consultation=consultation,
                title=meeting["title"],
                starts_at=_local(day, MEETING_STARTS),
                defaults={
                    "kind": kind if kind in Meeting.Kind.values else Meeting.Kind.MEETING,
                    "ends_at": _local(day, MEETING_ENDS),
                    "place": meeting.get("place") or "",
                },
            )
        if created:
            record(None, "consultation.created", consultation, {"slug": [None, slug]})
        self.stdout.write(
            f"Consultation {slug}: {'created' if created else 'updated'}, "
            f"{consultation.meetings.count()} meetings."
        )
        return consultation
