"""Surveys (PRODUCT.md I6): the rules of building, publishing, answering and counting.

The views call these functions and nothing else changes a survey. Each one checks who
acts and the survey's state, changes it, writes the audit entry and raises a
`SurveyError` whose message the page shows next to the field it is about.

Anonymity is kept by the data model (see the note above `models.Survey`); this module
adds that an anonymous survey's participation row never names the response, and that
both are written in one transaction.

Skip conditions ("ask only if the answer to question Q is/includes option O") are
decided here, on the server, from the answers themselves: a question whose condition is
not met is not required and what was typed into it is dropped. The answering form shows
every question with a hint saying when to answer it, so it works without JavaScript.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.city.models import TrainingTopic, department_of
from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.organizations.models import Organization
from wspolpraca.organizations.rules import is_platform_admin

from .models import (
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from .rules import is_official_of_its_department

# What the surveys' audit entries say (registered in apps.py with the consultations').
AUDIT_ACTIONS = {
    "survey.created": gettext_lazy("Survey prepared"),
    "survey.changed": gettext_lazy("Survey changed"),
    "survey.published": gettext_lazy("Survey published"),
    "survey.results_published": gettext_lazy("Survey results published"),
    "survey.results_withdrawn": gettext_lazy("Survey results withdrawn from the public"),
    "survey.question_added": gettext_lazy("Question added to a survey"),
    "survey.question_changed": gettext_lazy("Survey question changed"),
    "survey.question_moved": gettext_lazy("Survey question moved"),
    "survey.question_deleted": gettext_lazy("Survey question deleted"),
}
AUDIT_FIELDS = {
    "question": gettext_lazy("question"),
    "options": gettext_lazy("options"),
}

# Settings that an answer relies on: fixed once a survey is published.
FIXED_WHEN_PUBLISHED = ("audience", "anonymous", "per_organization", "areas")
SCALE_LIMIT = 10
# Addresses under /ankiety/ that are pages, not surveys.
RESERVED_SLUGS = {"nowa", "moj-wydzial"}
TEXT_LIMITS = {SurveyQuestion.Kind.SHORT_TEXT: 300, SurveyQuestion.Kind.LONG_TEXT: 5000}

may_manage_survey = is_platform_admin | is_official_of_its_department


class SurveyError(Exception):
    """Why something cannot be done; `field` names the form field it is about."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def may_create(user):
    return user.is_authenticated and (is_platform_admin(user) or department_of(user) is not None)


def may_manage(user, survey):
    return user.is_authenticated and may_manage_survey.test(user, survey)


def may_see_results(user, survey):
    return survey.results_public or may_manage(user, survey)


def is_frozen(survey):
    """Questions stay as they are once somebody has answered: answers refer to them."""
    return survey.response_count > 0 or survey.participations.exists()


def window(opens_on, closes_on):
    """The moments a survey opens and closes, from the days chosen: from the start of the
    first day to the end of the last one, in the city's time."""
    opens_at = timezone.make_aware(datetime.combine(opens_on, time.min))
    closes_at = timezone.make_aware(datetime.combine(closes_on + timedelta(days=1), time.min))
    return opens_at, closes_at


def unique_slug(title, exclude=None):
    base = slugify(title)[:70] or "ankieta"
    slug, n = (base, 1) if base not in RESERVED_SLUGS else (f"{base}-2", 2)
    taken = Survey.objects.exclude(pk=exclude).filter(slug__startswith=base)
    existing = set(taken.values_list("slug", flat=True))
    while slug in existing:
        n += 1
        slug = f"{base}-{n}"
    return slug


# ---------------------------------------------------------------------------------------
# Building


def create_survey(*, by, department, areas=(), **fields):
    if not may_create(by):
        raise SurveyError(_("Only the city's officials prepare surveys."))
    if not is_platform_admin(by) and department != department_of(by):
        raise SurveyError(_("You can prepare surveys of your own department only."), "department")
    _check_settings(fields, areas)
    with transaction.atomic():
        survey = Survey.objects.create(
            department=department, slug=unique_slug(fields["title"]), created_by=by, **fields
        )
        survey.areas.set(areas)
        record(by, "survey.created", survey)
    return survey


def update_survey(survey, *, by, areas=(), **fields):
    _check_manager(survey, by)
    before = snapshot(survey)
    if survey.published_at is not None:
        after = {**before, **fields, "areas": sorted(a.pk for a in areas)}
        for name in FIXED_WHEN_PUBLISHED:
            if before.get(name) != after.get(name):
                raise SurveyError(
                    _("This cannot change after the survey is published: people answer on it."),
                    name,
                )
    _check_settings(fields, areas)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(survey, name, value)
        survey.save()
        survey.areas.set(areas)
        changes = diff(before, snapshot(survey))
        if changes:
            record(by, "survey.changed", survey, changes)
    return survey


def _check_settings(fields, areas):
    if fields["closes_at"] <= fields["opens_at"]:
        raise SurveyError(_("The closing day must not be before the opening day."), "closes_on")
    audience = fields.get("audience", Survey.Audience.EVERYONE)
    if audience == Survey.Audience.AREAS and not areas:
        raise SurveyError(_("Choose at least one area."), "areas")
    if fields.get("per_organization") and audience == Survey.Audience.EVERYONE:
        raise SurveyError(
            _("One answer per organization needs a survey addressed to organizations."),
            "per_organization",
        )


def _check_manager(survey, by):
    if not may_manage(by, survey):
        raise SurveyError(_("Only the officials of the survey's department may change it."))


def _check_questions_editable(survey, by):
    _check_manager(survey, by)
    if is_frozen(survey):
        raise SurveyError(_("Somebody has already answered: the questions can no longer change."))


def condition_choices(survey, before=None):
    """Options a question may depend on: those of choice questions before `before`."""
    options = SurveyOption.objects.filter(
        question__survey=survey,
        question__kind__in=SurveyQuestion.CHOICE_KINDS,
    ).select_related("question")
    if before is not None and before.pk:
        options = options.filter(question__position__lt=before.position)
    return options.order_by("question__position", "position", "id")


def _check_question(survey, question, options):
    kind = question.kind
    if kind in SurveyQuestion.CHOICE_KINDS and len(options) < 2:
        raise SurveyError(_("Give at least two options to choose from."), "options")
    if kind == SurveyQuestion.Kind.SCALE:
        if not question.scale_max or not 2 <= question.scale_max <= SCALE_LIMIT:
            raise SurveyError(
                _("Give the highest point of the scale, from 2 to %(limit)s.")
                % {"limit": SCALE_LIMIT},
                "scale_max",
            )
    else:
        question.scale_max = None
        question.scale_min_label = question.scale_max_label = ""
    if kind != SurveyQuestion.Kind.MULTIPLE:
        question.max_choices = None
    elif question.max_choices and question.max_choices > len(options):
        raise SurveyError(_("The limit is more than the number of options."), "max_choices")
    if question.show_if_id is not None:
        condition = question.show_if
        if (
            condition.question.survey_id != survey.pk
            or condition.question_id == question.pk
            or (question.position and condition.question.position >= question.position)
        ):
            raise SurveyError(
                _("A question can depend only on an earlier question of this survey."), "show_if"
            )


def _option_values(options):
    return [(o.text, o.topic_id) for o in options]


def save_question(survey, question, options, *, by):
    """Add `question` (unsaved) at the end of `survey`, or save changes to it, with its
    options as a list of unsaved or changed `SurveyOption`s, in order."""
    _check_questions_editable(survey, by)
    if not question.is_choice:
        options = []
    adding = question.pk is None
    if adding:
        last = survey.questions.aggregate(last=Max("position"))["last"] or 0
        question.position = last + 1
    _check_question(survey, question, options)
    with transaction.atomic():
        before = {} if adding else snapshot(SurveyQuestion.objects.get(pk=question.pk))
        old_options = [] if adding else _option_values(question.options.all())
        question.survey = survey
        question.save()
        kept = []
        for position, option in enumerate(options, start=1):
            option.question = question
            option.position = position
            option.save()
            kept.append(option.pk)
        stale = question.options.exclude(pk__in=kept)
        if SurveyQuestion.objects.filter(show_if__in=stale).exists():
            raise SurveyError(
                _("A later question depends on an option you removed; change that question first."),
                "options",
            )
        stale.delete()
        changes = diff(before, snapshot(question))
        new_options = _option_values(options)
        if old_options != new_options:
            changes["options"] = [
                ", ".join(t for t, _topic in old_options),
                ", ".join(t for t, _topic in new_options),
            ]
        action = "survey.question_added" if adding else "survey.question_changed"
        record(by, action, survey, {"question": [None, question.text], **changes})
    return question


def delete_question(question, *, by):
    survey = question.survey
    _check_questions_editable(survey, by)
    if SurveyQuestion.objects.filter(show_if__question=question).exists():
        raise SurveyError(_("A later question depends on this one; change that question first."))
    with transaction.atomic():
        text = question.text
        question.delete()
        _renumber(survey)
        record(by, "survey.question_deleted", survey, {"question": [text, None]})


def move_question(question, *, by, up):
    """Swap a question with the one before (up) or after it; a question never moves above
    the question it depends on, nor below one that depends on it."""
    survey = question.survey
    _check_questions_editable(survey, by)
    questions = list(survey.questions.all())
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(questions):
        return
    first, second = sorted([questions[index], questions[other_index]], key=lambda q: q.position)
    if second.show_if_id and second.show_if.question_id == first.pk:
        raise SurveyError(_("A question cannot move above the question it depends on."))
    with transaction.atomic():
        first_position, second_position = first.position, second.position
        # Through a free position: (survey, position) is unique.
        first.position = 0
        first.save(update_fields=["position"])
        second.position = first_position
        second.save(update_fields=["position"])
        first.position = second_position
        first.save(update_fields=["position"])
        record(
            by,
            "survey.question_moved",
            survey,
            {"question": [question.text, question.text]},
        )


def _renumber(survey):
    for position, question in enumerate(survey.questions.order_by("position"), start=1):
        if question.position != position:
            SurveyQuestion.objects.filter(pk=question.pk).update(position=position)


def publish(survey, *, by):
    _check_manager(survey, by)
    if survey.published_at is not None:
        raise SurveyError(_("The survey is already published."))
    if not survey.questions.exists():
        raise SurveyError(_("Add at least one question before publishing."))
    if survey.closes_at <= timezone.now():
        raise SurveyError(_("The closing day has passed; change the dates first."), "closes_on")
    with transaction.atomic():
        survey.published_at = timezone.now()
        survey.save(update_fields=["published_at"])
        record(by, "survey.published", survey)
    return survey


def set_results_public(survey, *, by, public):
    _check_manager(survey, by)
    if survey.published_at is None:
        raise SurveyError(_("Publish the survey first."))
    if survey.results_public == public:
        return survey
    with transaction.atomic():
        survey.results_public = public
        survey.save(update_fields=["results_public"])
        action = "survey.results_published" if public else "survey.results_withdrawn"
        record(by, action, survey)
    return survey


# ---------------------------------------------------------------------------------------
# Answering


def eligible_organizations(user, survey):
    """The organizations `user` may answer for (empty for a survey of everyone)."""
    if not user.is_authenticated or not survey.for_organizations:
        return []
    organizations = Organization.objects.filter(memberships__user=user)
    if survey.audience == Survey.Audience.AREAS:
        organizations = organizations.filter(areas__in=survey.areas.all())
    return list(organizations.distinct().order_by("sort_name", "id"))


def already_answered(user, survey, organization=None):
    participations = SurveyParticipation.objects.filter(survey=survey)
    if survey.per_organization:
        return participations.filter(organization=organization).exists()
    return participations.filter(user=user).exists()


def answering_obstacle(user, survey, organizations=None):
    """Why `user` cannot answer `survey` now, or None."""
    phase = survey.phase()
    if phase == Survey.Phase.SCHEDULED:
        return _("The survey opens on %(day)s.") % {
            "day": timezone.localtime(survey.opens_at).strftime("%d.%m.%Y")
        }
    if phase != Survey.Phase.OPEN:
        return _("The survey is closed.")
    if not user.is_authenticated:
        return _("Sign in to answer.")
    if survey.for_organizations:
        organizations = (
            eligible_organizations(user, survey) if organizations is None else organizations
        )
        if not organizations:
            if survey.audience == Survey.Audience.AREAS:
                return _("The survey is for organizations working in its areas.")
            return _("The survey is for organizations: their members answer for them.")
        if survey.per_organization and all(
            already_answered(user, survey, o) for o in organizations
        ):
            return _("Your organization has already answered this survey.")
    if not survey.per_organization and already_answered(user, survey):
        return _("You have already answered this survey.")
    return None


def applicable(questions, values):
    """The questions to be answered, given `values` ({question pk: answer}): a question
    with a condition counts only if the question it depends on counts and its answer is
    (single choice) or includes (multiple choice) the option named."""
    counted = set()
    for question in questions:
        if question.show_if_id is None:
            counted.add(question.pk)
            continue
        parent = question.show_if.question_id
        answer = values.get(parent)
        if parent in counted and answer is not None:
            chosen = answer if isinstance(answer, list | tuple | set) else [answer]
            if question.show_if_id in {int(c) for c in chosen}:
                counted.add(question.pk)
    return counted


def submit_response(survey, *, by, values, organization=None):
    """Store one response: `values` {question pk: option pk | [option pks] | int | str},
    already checked by the form. Refuses a second answer, also when two arrive at once
    (the database's unique constraint decides)."""
    obstacle = answering_obstacle(by, survey)
    if obstacle:
        raise SurveyError(obstacle)
    if survey.for_organizations:
        if organization is None or organization not in eligible_organizations(by, survey):
            raise SurveyError(_("Choose the organization you answer for."), "organization")
        if survey.per_organization and already_answered(by, survey, organization):
            raise SurveyError(
                _("%(name)s has already answered this survey.") % {"name": organization},
                "organization",
            )
    questions = list(survey.questions.select_related("show_if"))
    counted = applicable(questions, values)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey)
            SurveyParticipation.objects.create(
                survey=survey,
                user=by,
                organization=organization if survey.for_organizations else None,
                per_organization=survey.per_organization,
                response=None if survey.anonymous else response,
            )
            SurveyAnswer.objects.bulk_create(_answers(response, questions, counted, values))
            Survey.objects.filter(pk=survey.pk).update(response_count=F("response_count") + 1)
    except IntegrityError as error:
        if survey.per_organization:
            raise SurveyError(
                _("Your organization has already answered this survey."), "organization"
            ) from error
        raise SurveyError(_("You have already answered this survey.")) from error
    return response


def _answers(response, questions, counted, values):
    rows = []
    for question in questions:
        value = values.get(question.pk)
        if question.pk not in counted or value in (None, "", []):
            continue  # skipped questions' answers are dropped
        if question.kind == SurveyQuestion.Kind.MULTIPLE:
            rows += [
                SurveyAnswer(response=response, question=question, option_id=int(pk))
                for pk in value
            ]
        elif question.kind == SurveyQuestion.Kind.SINGLE:
            rows.append(SurveyAnswer(response=response, question=question, option_id=int(value)))
        elif question.kind == SurveyQuestion.Kind.SCALE:
            rows.append(SurveyAnswer(response=response, question=question, value=int(value)))
        else:
            rows.append(SurveyAnswer(response=response, question=question, text=value.strip()))
    return rows


# ---------------------------------------------------------------------------------------
# Results


def training_topics_planned(topic_ids, now=None):
    """{topic pk: upcoming published trainings on it}, through the events' reverse
    relation `TrainingTopic.events` (added by the events app; without it, None)."""
    if not topic_ids:
        return {}
    if not any(f.name == "events" for f in TrainingTopic._meta.get_fields()):
        return None
    now = now or timezone.now()
    planned = Count(
        "events",
        filter=Q(events__kind="training", events__status="published", events__starts_at__gte=now),
    )
    topics = TrainingTopic.objects.filter(pk__in=topic_ids).annotate(planned=planned)
    return dict(topics.values_list("pk", "planned"))


class QuestionResult:
    """What one question's answers add up to: rows of (label, count, percent) for choices
    and scales, the answered count, and for text questions a few first answers."""

    def __init__(self, question, answered):
        self.question = question
        self.answered = answered
        self.rows = []
        self.texts = []
        self.mean = None

    def percent(self, count):
        return round(100 * count / self.answered, 1) if self.answered else 0.0


def results(survey, text_sample=5):
    """Every question's result in a constant number of queries, whatever the number of
    responses: the counts come from GROUP BY over the answers."""
    questions = list(survey.questions.prefetch_related("options__topic").order_by("position"))
    answered, by_option, by_value = _tallies(questions)
    topic_ids = {o.topic_id for q in questions for o in q.options.all() if o.topic_id}
    planned = training_topics_planned(topic_ids)
    texts = _text_samples(survey, [q for q in questions if q.is_text], text_sample)
    found = []
    for question in questions:
        result = QuestionResult(question, answered.get(question.pk, 0))
        if question.is_choice:
            for option in question.options.all():
                count = by_option.get(option.pk, 0)
                row = {"label": option.text, "count": count, "percent": result.percent(count)}
                if option.topic_id:
                    row["topic"] = option.topic
                    row["planned"] = None if planned is None else planned.get(option.topic_id, 0)
                result.rows.append(row)
        elif question.kind == SurveyQuestion.Kind.SCALE:
            values = by_value[question.pk]
            total = sum(values.values())
            if total:
                result.mean = round(sum(v * n for v, n in values.items()) / total, 2)
            for point in range(1, (question.scale_max or 0) + 1):
                label = str(point)
                if point == 1 and question.scale_min_label:
                    label = f"1 — {question.scale_min_label}"
                elif point == question.scale_max and question.scale_max_label:
                    label = f"{point} — {question.scale_max_label}"
                count = values.get(point, 0)
                result.rows.append(
                    {"label": label, "count": count, "percent": result.percent(count)}
                )
        else:
            result.texts = texts.get(question.pk, [])
        found.append(result)
    return found


def _tallies(questions):
    """(answered per question, answers per option, answers per point of each scale), in
    two queries that read only the index of the answers, not the answers themselves: one
    count per (question, option, point), and the people who answered each multiple-choice
    question (several rows per person there). Every other question has one row per
    person who answered it, so its count is the sum of its groups."""
    ids = [q.pk for q in questions]
    answered, by_option, by_value = defaultdict(int), {}, defaultdict(dict)
    counts = (
        SurveyAnswer.objects.filter(question__in=ids)
        .values_list("question", "option", "value")
        .annotate(n=Count("*"))
        .order_by()
    )
    for question, option, value, n in counts:
        answered[question] += n
        if option is not None:
            by_option[option] = n
        elif value is not None:
            by_value[question][value] = n
    multiple = [q.pk for q in questions if q.kind == SurveyQuestion.Kind.MULTIPLE]
    if multiple:
        answered.update(
            SurveyAnswer.objects.filter(question__in=multiple)
            .values("question")
            .annotate(n=Count("response", distinct=True))
            .values_list("question", "n")
            .order_by()
        )
    return answered, by_option, by_value


def _text_samples(survey, questions, limit):
    """A few text answers of each text question, in one query (a window per question)."""
    if not questions or not limit:
        return {}
    from django.db.models import Window
    from django.db.models.functions import RowNumber

    ranked = (
        SurveyAnswer.objects.filter(question__in=questions)
        .exclude(text="")
        .annotate(rank=Window(RowNumber(), partition_by=F("question"), order_by=F("id").asc()))
        .values("question", "text", "rank")
    )
    samples = defaultdict(list)
    for row in ranked.filter(rank__lte=limit):
        samples[row["question"]].append(row["text"])
    return samples


def text_answers(question):
    """All text answers to `question`, for paging (in the order of their random keys,
    which says nothing about who or when)."""
    return SurveyAnswer.objects.filter(question=question).exclude(text="").order_by("id")


def export_rows(survey):
    """The header and the rows of the export: one row per response, one column per
    question (several choices joined with "; "); in a signed survey, who answered first.
    Read in two ordered streams merged by response, so memory stays flat."""
    questions = list(survey.questions.order_by("position"))
    column = {q.pk: i for i, q in enumerate(questions)}
    header = [_("Response")]
    if not survey.anonymous:
        header += [_("Person"), _("Organization")]
    header += [f"{i}. {q.text}" for i, q in enumerate(questions, start=1)]

    def rows():
        responses = (
            SurveyResponse.objects.filter(survey=survey)
            .order_by("id")
            .values_list("id", "participation__user__email", "participation__organization__name")
        )
        answers = (
            SurveyAnswer.objects.filter(response__survey=survey)
            .order_by("response_id", "option__position")
            .values_list("response_id", "question_id", "option__text", "value", "text")
            .iterator(chunk_size=2000)
        )
        pending = next(answers, None)
        for pk, email, organization in responses.iterator(chunk_size=2000):
            cells = [[] for _q in questions]
            while pending is not None and pending[0] == pk:
                _r, question, option, value, text = pending
                cells[column[question]].append(option or (str(value) if value else text))
                pending = next(answers, None)
            row = [str(pk)]
            if not survey.anonymous:
                row += [email or "", organization or ""]
            yield row + ["; ".join(c) for c in cells]

    return header, rows()


def export_person_data(user):
    """The surveys `user` answered, for their data export: in a signed survey with the
    answers; in an anonymous one only that they took part, since nothing ties the answers
    to them."""
    rows = []
    participations = (
        SurveyParticipation.objects.filter(user=user)
        .select_related("survey", "organization")
        .prefetch_related("response__answers__question", "response__answers__option")
        .order_by("pk")
    )
    for participation in participations:
        answers = None
        if participation.response_id:
            answers = [
                {
                    "question": a.question.text,
                    "answer": a.text or (a.option.text if a.option_id else a.value),
                }
                for a in participation.response.answers.all()
            ]
        rows.append(
            {
                "survey": participation.survey.title,
                "organization": (
                    participation.organization.name if participation.organization_id else None
                ),
                "answers": answers,
            }
        )
    return {"surveys_answered": rows}
