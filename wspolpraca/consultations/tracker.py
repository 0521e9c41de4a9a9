"""The postulate tracker's rules: changing a postulate's status, its history and links, and
moving the whole tracker in and out as CSV.

The CSV is the tracker's exchange format, the same one way and the other: what
`export_rows` writes, `import_csv` reads back to the same data. Each function that changes
something checks the permission, changes, and writes the audit entry; a `TrackerError`
carries the message shown to the person and the form field it is about.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date as date_type

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wspolpraca.city.models import Department
from wspolpraca.core.audit import record
from wspolpraca.core.exports import FORMULA_PREFIXES
from wspolpraca.organizations.models import PublicBenefitArea

from .models import Catalogue, Consultation, ProgressNote, TrackedPostulate, TrackerLink

# The CSV's columns, in order; the import refuses a file whose header differs.
COLUMNS = [
    "code",
    "title",
    "description",
    "plane",
    "sector",
    "department",
    "status",
    "status_reason",
    "areas",
    "catalogue",
    "consultation",
    "history",
    "links",
]
AREA_SEPARATOR = "|"
# The most rows one import takes: the 2018 catalogue has under 200, a city's whole tracker
# a few thousand.
MAX_ROWS = 20000
# A code is part of the postulate's address (/postulaty/<code>/): letters, digits, - . _,
# and none of the tracker's own addresses.
CODE_PATTERN = re.compile(r"^[\w.-]+$")
RESERVED_CODES = {"import", "moj-wydzial", "eksport.csv"}
CATALOGUE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
_http_url = URLValidator(schemes=["http", "https"])


class TrackerError(Exception):
    """Why something cannot be done; the message is shown to the person.

    `field` names the form field it is about, so the error stands next to it."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def may_manage(user, postulate):
    return user.has_perm("consultations.manage_tracked_postulate", postulate)


def _check_permission(user, postulate):
    if not may_manage(user, postulate):
        raise PermissionDenied


def _check_date(value, field_name="date"):
    if value is None:
        return timezone.localdate()
    if value > timezone.localdate():
        raise TrackerError(_("The date cannot be in the future."), field_name)
    return value


# ---------------------------------------------------------------------------------------
# Keeping a postulate up to date


@transaction.atomic
def change_status(postulate, by, status, reason="", note_text="", date=None):
    """Set the postulate's status, recorded as a dated step of its history.

    A rejection needs its reason: the public reads why."""
    _check_permission(by, postulate)
    postulate = TrackedPostulate.objects.select_for_update().get(pk=postulate.pk)
    reason = (reason or "").strip()
    note_text = (note_text or "").strip()
    if status not in TrackedPostulate.Status.values:
        raise TrackerError(_("Choose the new status."), "status")
    if status == TrackedPostulate.Status.REJECTED and not reason:
        raise TrackerError(
            _("Give the reason for rejecting the postulate: it is shown to the public."),
            "reason",
        )
    if status == postulate.status and reason == postulate.status_reason:
        raise TrackerError(
            _("The postulate already has this status. Choose another, or add a note instead."),
            "status",
        )
    day = _check_date(date)
    old_status, old_reason = postulate.status, postulate.status_reason
    postulate.status = status
    postulate.status_reason = reason
    postulate.save(update_fields=["status", "status_reason", "updated_at"])
    ProgressNote.objects.create(
        postulate=postulate, date=day, text=note_text or reason, status=status, author=by
    )
    changes = {"status": [old_status, status]}
    if reason != old_reason:
        changes["status_reason"] = [old_reason, reason]
    record(by, "tracked_postulate.status", postulate, changes)
    return postulate


@transaction.atomic
def add_note(postulate, by, text, date=None):
    """Add a dated step to the postulate's history: what was done about it."""
    _check_permission(by, postulate)
    text = (text or "").strip()
    if not text:
        raise TrackerError(_("Write what was done about the postulate."), "text")
    day = _check_date(date)
    note = ProgressNote.objects.create(postulate=postulate, date=day, text=text, author=by)
    record(
        by, "tracked_postulate.changed", postulate, {"note": [None, f"{day.isoformat()} {text}"]}
    )
    return note


def link_error(kind, title, url):
    """(message, field) of what is wrong with a link, or None when it is fine."""
    if kind not in TrackerLink.Kind.values:
        return _("Choose what the link points to."), "kind"
    if not title:
        return _("Enter the title of what the link points to."), "title"
    if len(title) > 300:
        return _("Shorten the title to 300 characters or fewer."), "title"
    if not url:
        return _("Enter the address the link points to."), "url"
    if len(url) > 500:
        return _("Shorten the address to 500 characters or fewer."), "url"
    if url.startswith("/"):
        if url.startswith("//") or any(ch.isspace() for ch in url):
            return _("Enter an address on this site, such as /konkursy/12/."), "url"
        return None
    try:
        _http_url(url)
    except ValidationError:
        return (
            _(
                "Enter an address on this site starting with / (such as /konkursy/12/) "
                "or a full address starting with https://."
            ),
            "url",
        )
    return None


@transaction.atomic
def add_link(postulate, by, kind, title, url):
    """Link the postulate to what answers it: a call, a consultation, a programme."""
    _check_permission(by, postulate)
    title, url = (title or "").strip(), (url or "").strip()
    problem = link_error(kind, title, url)
    if problem:
        raise TrackerError(*problem)
    link = TrackerLink.objects.create(postulate=postulate, kind=kind, title=title, url=url)
    record(by, "tracked_postulate.changed", postulate, {"link": [None, f"{title} — {url}"]})
    return link


# ---------------------------------------------------------------------------------------
# Export


def _history(notes):
    return [
        {"date": note.date.isoformat(), "text": note.text, "status": note.status} for note in notes
    ]


def _links(links):
    return [{"kind": link.kind, "title": link.title, "url": link.url} for link in links]


def _json(value):
    return json.dumps(value, ensure_ascii=False)


def export_rows(queryset):
    """The rows of the CSV (under `COLUMNS`) for `queryset`, read in chunks: the same few
    queries per chunk of entries, however many there are."""
    entries = queryset.select_related("department", "catalogue", "consultation").prefetch_related(
        "areas", "notes", "links"
    )
    for entry in entries.iterator(chunk_size=500):
        yield [
            entry.code,
            entry.title,
            entry.description,
            entry.plane,
            entry.sector,
            entry.department.short_name if entry.department else "",
            entry.status,
            entry.status_reason,
            AREA_SEPARATOR.join(area.code for area in entry.areas.all()),
            entry.catalogue.code if entry.catalogue else "",
            entry.consultation.slug if entry.consultation else "",
            _json(_history(entry.notes.all())),
            _json(_links(entry.links.all())),
        ]


# ---------------------------------------------------------------------------------------
# Import


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (line number, message), in the order of the file.
    errors: list = field(default_factory=list)
    # Rows whose department symbol was unknown and left empty (skip_unknown_departments).
    skipped_departments: int = 0

    @property
    def ok(self):
        return not self.errors


@dataclass
class _Row:
    line: int
    code: str
    values: dict  # the entry's own fields, foreign keys as ids
    area_ids: list
    catalogue_code: str
    history: list
    links: list


def _unneutralise(cell):
    """The cell as it was before the export neutralised it (core.exports): one leading `'`
    that it put before a formula-like start is taken off again."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def _read_text(file):
    data = file.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TrackerError(
                _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."), "file"
            ) from None
    return data.removeprefix("\ufeff")


class _Lookups:
    """Departments, areas, consultations and catalogues, read once per import."""

    def __init__(self):
        self.departments = {}
        for pk, symbol in Department.objects.exclude(short_name="").values_list("pk", "short_name"):
            self.departments.setdefault(symbol.strip().upper(), pk)
        self.areas = dict(PublicBenefitArea.objects.values_list("code", "pk"))
        self.consultations = dict(Consultation.objects.values_list("slug", "pk"))
        self.catalogues = dict(Catalogue.objects.values_list("code", "pk"))


def _parse_history(cell, line, errors):
    try:
        items = json.loads(cell) if cell.strip() else []
    except ValueError:
        errors.append((line, _("The history is not a valid JSON list.")))
        return []
    if not isinstance(items, list):
        errors.append((line, _("The history is not a valid JSON list.")))
        return []
    history = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append((line, _("Step %(n)s of the history is not an object.") % {"n": number}))
            continue
        text, status = item.get("text", ""), item.get("status") or ""
        try:
            day = date_type.fromisoformat(str(item.get("date", "")))
        except ValueError:
            errors.append(
                (line, _("Step %(n)s of the history has no date as YYYY-MM-DD.") % {"n": number})
            )
            continue
        if not isinstance(text, str) or not (text.strip() or status):
            errors.append((line, _("Step %(n)s of the history has no text.") % {"n": number}))
            continue
        if status not in TrackedPostulate.Status.values and status != "":
            errors.append(
                (
                    line,
                    _("Step %(n)s of the history has an unknown status “%(status)s”.")
                    % {"n": number, "status": status},
                )
            )
            continue
        history.append({"date": day.isoformat(), "text": text, "status": status})
    return history


def _parse_links(cell, line, errors):
    try:
        items = json.loads(cell) if cell.strip() else []
    except ValueError:
        errors.append((line, _("The links are not a valid JSON list.")))
        return []
    if not isinstance(items, list):
        errors.append((line, _("The links are not a valid JSON list.")))
        return []
    links = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append((line, _("Link %(n)s is not an object.") % {"n": number}))
            continue
        kind, title, url = (str(item.get(key) or "").strip() for key in ("kind", "title", "url"))
        problem = link_error(kind, title, url)
        if problem:
            errors.append(
                (line, _("Link %(n)s: %(problem)s") % {"n": number, "problem": problem[0]})
            )
            continue
        links.append({"kind": kind, "title": title, "url": url})
    return links


def _choice(value, choices, message, line, errors):
    if value and value not in choices:
        errors.append((line, message % {"value": value}))
        return ""
    return value


def _parse_row(cells, line, lookups, result, skip_unknown_departments, errors):
    cells = [_unneutralise(cell) for cell in cells]
    cell = dict(zip(COLUMNS, cells, strict=True))
    code = cell["code"].strip()
    title = cell["title"].strip()
    description = cell["description"].strip()
    if not code:
        errors.append((line, _("The code is empty.")))
    elif len(code) > 40 or not CODE_PATTERN.match(code):
        errors.append(
            (
                line,
                _("The code “%(code)s” must be at most 40 letters, digits, - . or _.")
                % {"code": code},
            )
        )
    elif code in RESERVED_CODES:
        errors.append(
            (line, _("The code “%(code)s” is the address of a tracker page.") % {"code": code})
        )
    if not title:
        errors.append((line, _("The title is empty.")))
    elif len(title) > 200:
        errors.append((line, _("The title is longer than 200 characters.")))
    if not description:
        errors.append((line, _("The description is empty.")))
    plane = _choice(
        cell["plane"].strip(),
        TrackedPostulate.Plane.values,
        _("Unknown plane “%(value)s”: use I, II or III."),
        line,
        errors,
    )
    sector = _choice(
        cell["sector"].strip(),
        TrackedPostulate.Sector.values,
        _("Unknown sector “%(value)s”."),
        line,
        errors,
    )
    status = (
        _choice(
            cell["status"].strip(),
            TrackedPostulate.Status.values,
            _("Unknown status “%(value)s”."),
            line,
            errors,
        )
        or TrackedPostulate.Status.SUBMITTED
    )
    reason = cell["status_reason"].strip()
    if status == TrackedPostulate.Status.REJECTED and not reason:
        errors.append((line, _("A rejected postulate needs its reason (status_reason).")))

    symbol = cell["department"].strip()
    department_id = None
    if symbol:
        department_id = lookups.departments.get(symbol.upper())
        if department_id is None:
            if skip_unknown_departments:
                result.skipped_departments += 1
            else:
                errors.append(
                    (line, _("Unknown department symbol “%(value)s”.") % {"value": symbol})
                )

    area_ids = []
    for area_code in filter(None, (c.strip() for c in cell["areas"].split(AREA_SEPARATOR))):
        if area_code in lookups.areas:
            area_ids.append(lookups.areas[area_code])
        else:
            errors.append(
                (line, _("Unknown public benefit area code “%(value)s”.") % {"value": area_code})
            )

    catalogue_code = cell["catalogue"].strip()
    if catalogue_code and (len(catalogue_code) > 40 or not CATALOGUE_PATTERN.match(catalogue_code)):
        errors.append(
            (
                line,
                _("The catalogue code “%(value)s” may hold only letters, digits, - and _.")
                % {"value": catalogue_code},
            )
        )
    slug = cell["consultation"].strip()
    consultation_id = None
    if slug:
        consultation_id = lookups.consultations.get(slug)
        if consultation_id is None:
            errors.append((line, _("There is no consultation “%(value)s”.") % {"value": slug}))

    return _Row(
        line=line,
        code=code,
        values={
            "title": title,
            "description": description,
            "plane": plane,
            "sector": sector,
            "department_id": department_id,
            "status": status,
            "status_reason": reason,
            "consultation_id": consultation_id,
        },
        area_ids=sorted(set(area_ids)),
        catalogue_code=catalogue_code,
        history=_parse_history(cell["history"], line, errors),
        links=_parse_links(cell["links"], line, errors),
    )


def _read_rows(text, lookups, result, skip_unknown_departments):
    reader = csv.reader(io.StringIO(text), delimiter=";")
    errors = result.errors
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if header is None or [h.strip() for h in header] != COLUMNS:
        errors.append(
            (
                1,
                _("The first row must name the columns, separated by semicolons: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )
        )
        return []
    rows, seen = [], {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            errors.append((line, _("This line cannot be read as CSV (check the quotes).")))
            break
        if any(cell.strip() for cell in cells):
            if len(rows) >= MAX_ROWS:
                errors.append(
                    (line, _("A file may hold at most %(count)s rows.") % {"count": MAX_ROWS})
                )
                break
            if len(cells) != len(COLUMNS):
                errors.append(
                    (
                        line,
                        _("The row has %(found)s cells; it needs %(count)s, separated by ;.")
                        % {"found": len(cells), "count": len(COLUMNS)},
                    )
                )
            else:
                row = _parse_row(cells, line, lookups, result, skip_unknown_departments, errors)
                if row.code in seen:
                    errors.append(
                        (
                            line,
                            _("The code “%(code)s” is already on line %(line)s.")
                            % {"code": row.code, "line": seen[row.code]},
                        )
                    )
                elif row.code:
                    seen[row.code] = line
                rows.append(row)
        line = reader.line_num + 1
    return rows


def _state(values, area_ids, catalogue, history, links):
    """What an entry holds, comparable between the database and a row of the file."""
    return {**values, "areas": area_ids, "catalogue": catalogue, "history": history, "links": links}


def _stored_state(entry):
    return _state(
        {
            "title": entry.title,
            "description": entry.description,
            "plane": entry.plane,
            "sector": entry.sector,
            "department_id": entry.department_id,
            "status": entry.status,
            "status_reason": entry.status_reason,
            "consultation_id": entry.consultation_id,
        },
        sorted(area.pk for area in entry.areas.all()),
        entry.catalogue.code if entry.catalogue_id else "",
        _history(entry.notes.all()),
        _links(entry.links.all()),
    )


def _row_state(row):
    return _state(row.values, row.area_ids, row.catalogue_code, row.history, row.links)


def _audit_changes(before, after):
    """{key: [old, new]} of what differs, in JSON-safe values the audit trail can name:
    foreign keys as ids (under the fields' names), history and links as their JSON."""

    def plain(state):
        if not state:
            return {}
        values = {key.removesuffix("_id"): value for key, value in state.items()}
        values["history"] = _json(values["history"])
        # Not "links": that name is the reverse relation, which the trail cannot label.
        values["related_links"] = _json(values.pop("links"))
        return values

    old, new = plain(before), plain(after)
    changes = {}
    for key, value in new.items():
        previous = old.get(key)
        if previous != value and not (previous is None and value in ("", [], "[]", None)):
            changes[key] = [previous, value]
    return changes


def _write(row, existing, catalogues, by):
    """Create or update the entry of `row` (`existing`, or a new one) and audit it."""
    before = _stored_state(existing) if existing else None
    if before is not None:
        # The trail names the catalogue by its id, as it does every foreign key.
        before["catalogue"] = existing.catalogue_id
    catalogue_id = catalogues.get(row.catalogue_code) if row.catalogue_code else None
    entry = existing or TrackedPostulate(code=row.code)
    for name, value in row.values.items():
        setattr(entry, name, value)
    entry.catalogue_id = catalogue_id
    entry.save()
    if before is None or before["areas"] != row.area_ids:
        entry.areas.set(row.area_ids)
    if before is None or before["history"] != row.history:
        if before is not None:
            entry.notes.all().delete()
        ProgressNote.objects.bulk_create(
            ProgressNote(
                postulate=entry,
                date=date_type.fromisoformat(step["date"]),
                text=step["text"],
                status=step["status"],
            )
            for step in row.history
        )
    if before is None or before["links"] != row.links:
        if before is not None:
            entry.links.all().delete()
        TrackerLink.objects.bulk_create(TrackerLink(postulate=entry, **link) for link in row.links)
    after = {**_row_state(row), "catalogue": catalogue_id}
    record(by, "tracked_postulate.imported", entry, _audit_changes(before, after))


def import_csv(file, by, *, skip_unknown_departments=False):
    """Create or update tracked postulates from a CSV as `export_rows` writes it, matched
    by code. All or nothing: when any row is wrong, nothing is written and the result
    lists every line's problems.

    An entry's history and links are replaced by those of its row. A catalogue code not
    known yet makes a new catalogue. With `skip_unknown_departments` an unknown department
    symbol leaves the department empty (and is counted) instead of refusing the file.
    """
    result = ImportResult()
    try:
        text = _read_text(file)
    except TrackerError as error:
        result.errors.append((1, error.message))
        return result
    lookups = _Lookups()
    rows = _read_rows(text, lookups, result, skip_unknown_departments)
    if result.errors:
        result.errors.sort(key=lambda error: error[0])
        return result

    with transaction.atomic():
        existing = {}
        codes = [row.code for row in rows]
        for start in range(0, len(codes), 500):
            for entry in (
                TrackedPostulate.objects.filter(code__in=codes[start : start + 500])
                .select_related("catalogue")
                .prefetch_related("areas", "notes", "links")
            ):
                existing[entry.code] = entry
        catalogues = dict(lookups.catalogues)
        for code in sorted({row.catalogue_code for row in rows} - set(catalogues) - {""}):
            catalogues[code] = Catalogue.objects.create(code=code, title=code).pk
        for row in rows:
            entry = existing.get(row.code)
            if entry is not None and _stored_state(entry) == _row_state(row):
                result.unchanged += 1
                continue
            _write(row, entry, catalogues, by)
            if entry is None:
                result.created += 1
            else:
                result.updated += 1
    return result
