"""The pages of surveys: the public list and a survey's page; answering (the questions,
check your answers, the confirmation); the department's builder (settings, questions,
publishing); the results with their exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.city.models import department_of
from wspolpraca.core import charts, exports
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import Organization
from wspolpraca.organizations.rules import is_platform_admin

from . import surveys
from .models import Survey, SurveyParticipation, SurveyQuestion
from .survey_forms import (
    AnswerForm,
    OptionFormSet,
    QuestionForm,
    SurveyFilterForm,
    SurveyForm,
    add_service_error,
    kept_options,
)

PAGE_SIZE = 20
TEXT_ANSWERS_PER_PAGE = 50
SESSION_KEY = "survey-answers-{pk}"


def _survey(slug, user):
    """A survey the person may see: published ones for everyone, drafts for those who
    manage them; anyone else is told it does not exist."""
    survey = get_object_or_404(Survey.objects.select_related("department"), slug=slug)
    if survey.published_at is None and not surveys.may_manage(user, survey):
        raise Http404
    return survey


def _managed(request, slug):
    survey = get_object_or_404(Survey.objects.select_related("department"), slug=slug)
    if not surveys.may_manage(request.user, survey):
        if survey.published_at is None:
            raise Http404
        raise PermissionDenied
    return survey


def _questions(survey):
    return list(
        survey.questions.select_related("show_if__question").prefetch_related("options__topic")
    )


# ---------------------------------------------------------------------------------------
# Public


def survey_list(request):
    """Open surveys (or closed ones with their results published), each marked with what
    the person may do: answer, answered already, or why not."""
    form = SurveyFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    closed = data.get("stan") == "zakonczone"
    now = timezone.now()
    rows = Survey.objects.published().select_related("department").prefetch_related("areas")
    if closed:
        rows = rows.filter(closes_at__lte=now, results_public=True).order_by("-closes_at", "-id")
    else:
        rows = rows.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "id")
    if data.get("obszar"):
        rows = rows.filter(Q(areas=data["obszar"]) | ~Q(audience=Survey.Audience.AREAS))
    page = CappedPaginator(rows.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    if not closed:
        _mark_answerable(request.user, page.object_list)
    return render(
        request,
        "consultations/surveys/list.html",
        {
            "form": form,
            "page": page,
            "closed": closed,
            "may_create": surveys.may_create(request.user),
        },
    )


def _mark_answerable(user, rows):
    """Sets `status` on each survey of a page in two queries, whatever the page's size."""
    if not user.is_authenticated:
        for survey in rows:
            survey.status = "sign_in"
        return
    memberships = list(
        Organization.objects.filter(memberships__user=user).prefetch_related("areas")
    )
    taken = SurveyParticipation.objects.filter(survey__in=rows).filter(
        Q(user=user) | Q(organization__in=memberships)
    )
    by_user = set(taken.filter(user=user).values_list("survey_id", flat=True))
    by_organization = set(taken.values_list("survey_id", "organization_id"))
    for survey in rows:
        organizations = memberships
        if survey.audience == Survey.Audience.AREAS:
            wanted = {a.pk for a in survey.areas.all()}
            organizations = [o for o in memberships if {a.pk for a in o.areas.all()} & wanted]
        if survey.for_organizations and not organizations:
            survey.status = "not_for_you"
        elif survey.per_organization:
            left = [o for o in organizations if (survey.pk, o.pk) not in by_organization]
            survey.status = "answer" if left else "organization_answered"
        else:
            survey.status = "answered" if survey.pk in by_user else "answer"


def survey_detail(request, slug):
    survey = _survey(slug, request.user)
    manages = surveys.may_manage(request.user, survey)
    return render(
        request,
        "consultations/surveys/detail.html",
        {
            "survey": survey,
            "manages": manages,
            "obstacle": surveys.answering_obstacle(request.user, survey),
            "question_count": survey.questions.count(),
            "may_see_results": manages or survey.results_public,
            "areas": list(survey.areas.all()),
        },
    )


# ---------------------------------------------------------------------------------------
# Answering


def _answer_context(request, survey):
    if not request.user.is_authenticated:
        return None, None
    organizations = surveys.eligible_organizations(request.user, survey)
    if survey.per_organization:
        organizations = [
            o for o in organizations if not surveys.already_answered(request.user, survey, o)
        ]
    return organizations, surveys.answering_obstacle(request.user, survey)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, slug):
    survey = _survey(slug, request.user)
    organizations, obstacle = _answer_context(request, survey)
    if obstacle:
        return render(
            request,
            "consultations/surveys/cannot_answer.html",
            {"survey": survey, "obstacle": obstacle},
        )
    questions = _questions(survey)
    key = SESSION_KEY.format(pk=survey.pk)
    if request.method == "POST":
        form = AnswerForm(
            request.POST, survey=survey, questions=questions, organizations=organizations
        )
        if form.is_valid():
            request.session[key] = {k: request.POST.getlist(k) for k in form.fields}
            return redirect("consultations:survey_check", slug=survey.slug)
    else:
        saved = request.session.get(key)
        form = AnswerForm(
            initial=_initial(saved),
            survey=survey,
            questions=questions,
            organizations=organizations,
        )
    single = organizations[0] if survey.for_organizations and len(organizations) == 1 else None
    return render(
        request,
        "consultations/surveys/answer.html",
        {"survey": survey, "form": form, "organization": single},
    )


def _initial(saved):
    """What the person answered before, to fill the form again after "Change"."""
    if not saved:
        return {}
    return {name: values if len(values) != 1 else values[0] for name, values in saved.items()}


@login_required
@require_http_methods(["GET", "POST"])
def check(request, slug):
    """Check your answers: what will be sent, with a "Change" link to each question."""
    survey = _survey(slug, request.user)
    organizations, obstacle = _answer_context(request, survey)
    if obstacle:
        return render(
            request,
            "consultations/surveys/cannot_answer.html",
            {"survey": survey, "obstacle": obstacle},
        )
    key = SESSION_KEY.format(pk=survey.pk)
    saved = request.session.get(key)
    if not saved:
        return redirect("consultations:survey_answer", slug=survey.slug)
    data = _query_dict(saved)
    questions = _questions(survey)
    form = AnswerForm(data, survey=survey, questions=questions, organizations=organizations)
    if not form.is_valid():
        return redirect("consultations:survey_answer", slug=survey.slug)
    if request.method == "POST":
        try:
            surveys.submit_response(
                survey, by=request.user, values=form.kept_values(), organization=form.organization()
            )
        except surveys.SurveyError as error:
            messages.error(request, error.message)
            return redirect("consultations:survey", slug=survey.slug)
        del request.session[key]
        return redirect("consultations:survey_done", slug=survey.slug)
    return render(
        request,
        "consultations/surveys/check.html",
        {"survey": survey, "rows": form.summary(), "organization": form.organization()},
    )


def _query_dict(saved):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, values in saved.items():
        data.setlist(name, values)
    return data


@login_required
def done(request, slug):
    survey = _survey(slug, request.user)
    return render(request, "consultations/surveys/done.html", {"survey": survey})


# ---------------------------------------------------------------------------------------
# The department's builder


@login_required
def department_surveys(request):
    """The surveys of the person's department, every phase; platform admins see all."""
    department = department_of(request.user)
    if department is None and not is_platform_admin(request.user):
        raise PermissionDenied
    rows = Survey.objects.select_related("department")
    if department is not None:
        rows = rows.filter(department=department)
    page = CappedPaginator(rows.order_by("-opens_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/surveys/department.html",
        {"page": page, "department": department},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not surveys.may_create(request.user):
        raise PermissionDenied
    department = department_of(request.user)
    form = SurveyForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        fields, areas = form.service_fields()
        try:
            survey = surveys.create_survey(
                by=request.user,
                department=department or form.cleaned_data["department"],
                areas=areas,
                **fields,
            )
        except surveys.SurveyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Survey saved as a draft. Now add its questions."))
            return redirect("consultations:survey_questions", slug=survey.slug)
    return render(request, "consultations/surveys/form.html", {"form": form, "survey": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    survey = _managed(request, slug)
    form = SurveyForm(request.POST or None, instance=survey, department=survey.department)
    if request.method == "POST" and form.is_valid():
        fields, areas = form.service_fields()
        try:
            surveys.update_survey(
                Survey.objects.get(pk=survey.pk), by=request.user, areas=areas, **fields
            )
        except surveys.SurveyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("consultations:survey_questions", slug=survey.slug)
    return render(request, "consultations/surveys/form.html", {"form": form, "survey": survey})


@login_required
def questions(request, slug):
    survey = _managed(request, slug)
    return render(
        request,
        "consultations/surveys/questions.html",
        {"survey": survey, "questions": _questions(survey), "frozen": surveys.is_frozen(survey)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question(request, slug, pk=None):
    """Add a question (pk None) or change one, with its options."""
    survey = _managed(request, slug)
    instance = get_object_or_404(SurveyQuestion, survey=survey, pk=pk) if pk else SurveyQuestion()
    if request.method == "GET" and surveys.is_frozen(survey):
        messages.error(
            request, _("Somebody has already answered: the questions can no longer change.")
        )
        return redirect("consultations:survey_questions", slug=survey.slug)
    form = QuestionForm(request.POST or None, instance=instance, survey=survey)
    formset = OptionFormSet(request.POST or None, instance=instance, prefix="options")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            surveys.save_question(
                survey, form.save(commit=False), kept_options(formset), by=request.user
            )
        except surveys.SurveyError as error:
            if error.field == "options":
                formset._non_form_errors = formset.error_class([error.message])
                form.add_error(None, error.message)
            else:
                add_service_error(form, error)
        else:
            if "more" in request.POST:
                return redirect(
                    reverse("consultations:survey_question", args=[survey.slug, instance.pk])
                )
            messages.success(request, _("Question saved."))
            return redirect("consultations:survey_questions", slug=survey.slug)
    return render(
        request,
        "consultations/surveys/question.html",
        {"survey": survey, "form": form, "formset": formset, "question": instance},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request, slug, pk):
    survey = _managed(request, slug)
    instance = get_object_or_404(SurveyQuestion, survey=survey, pk=pk)
    back = reverse("consultations:survey_questions", args=[survey.slug])
    if request.method == "POST":
        try:
            surveys.delete_question(instance, by=request.user)
        except surveys.SurveyError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Question deleted."))
        return redirect(back)
    obstacles = []
    if surveys.is_frozen(survey):
        obstacles.append(_("Somebody has already answered: the questions can no longer change."))
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Delete the question “%(text)s”?") % {"text": instance.text},
            "consequences": [_("The question and its options are removed from the survey.")],
            "confirm_button": _("Delete the question"),
            "cancel_url": back,
            "obstacles": obstacles,
        },
    )


@login_required
@require_POST
def question_move(request, slug, pk):
    survey = _managed(request, slug)
    instance = get_object_or_404(SurveyQuestion, survey=survey, pk=pk)
    try:
        surveys.move_question(instance, by=request.user, up=request.POST.get("direction") == "up")
    except surveys.SurveyError as error:
        messages.error(request, error.message)
    return redirect("consultations:survey_questions", slug=survey.slug)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug):
    survey = _managed(request, slug)
    back = reverse("consultations:survey_questions", args=[survey.slug])
    if request.method == "POST":
        try:
            surveys.publish(survey, by=request.user)
        except surveys.SurveyError as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(request, _("Survey published."))
        return redirect(survey.get_absolute_url())
    obstacles = []
    if survey.published_at is not None:
        obstacles.append(_("The survey is already published."))
    elif not survey.questions.exists():
        obstacles.append(_("Add at least one question before publishing."))
    opens = timezone.localtime(survey.opens_at).strftime("%d.%m.%Y")
    closes = timezone.localtime(survey.closes_at).strftime("%d.%m.%Y %H:%M")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Publish the survey “%(title)s”?") % {"title": survey.title},
            "consequences": [
                _(
                    "The survey appears on the site and can be answered from %(opens)s until %(closes)s."
                )
                % {"opens": opens, "closes": closes},
                _(
                    "Who may answer, anonymity and one answer per account or organization can no longer change."
                ),
                _("The questions can change until the first answer arrives."),
            ],
            "confirm_button": _("Publish the survey"),
            "cancel_url": back,
            "obstacles": obstacles,
        },
    )


# ---------------------------------------------------------------------------------------
# Results


def _results_survey(request, slug):
    survey = _survey(slug, request.user)
    if not surveys.may_see_results(request.user, survey):
        raise PermissionDenied
    return survey


def results(request, slug):
    survey = _results_survey(request, slug)
    found = surveys.results(survey)
    for result in found:
        if result.rows:
            result.chart = charts.bar_chart(
                [
                    (r["label"], r["percent"], f"{r['count']} ({r['percent']:g}%)")
                    for r in result.rows
                ],
                title=result.question.text,
                max_value=100,
            )
    has_topics = any("topic" in r for result in found for r in result.rows)
    return render(
        request,
        "consultations/surveys/results.html",
        {
            "survey": survey,
            "results": found,
            "manages": surveys.may_manage(request.user, survey),
            "has_topics": has_topics,
            "trainings_url": reverse("events:topics"),
        },
    )


def text_answers(request, slug, pk):
    survey = _results_survey(request, slug)
    instance = get_object_or_404(
        SurveyQuestion, survey=survey, pk=pk, kind__in=SurveyQuestion.TEXT_KINDS
    )
    page = CappedPaginator(
        surveys.text_answers(instance), TEXT_ANSWERS_PER_PAGE, cap=100_000
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/surveys/text_answers.html",
        {"survey": survey, "question": instance, "page": page},
    )


def export(request, slug, fmt):
    """Every response, for the department only: published results show the counts, never
    the rows (a signed survey's rows name who answered)."""
    survey = _survey(slug, request.user)
    if not surveys.may_manage(request.user, survey):
        raise PermissionDenied
    header, rows = surveys.export_rows(survey)
    name = f"ankieta-{survey.slug}"
    if fmt == "xlsx":
        return exports.xlsx_response(f"{name}.xlsx", header, rows, title=_("Responses"))
    return exports.csv_response(f"{name}.csv", header, rows)


@login_required
@require_POST
def results_publish(request, slug):
    survey = _managed(request, slug)
    public = request.POST.get("public") == "1"
    try:
        surveys.set_results_public(survey, by=request.user, public=public)
    except surveys.SurveyError as error:
        messages.error(request, error.message)
    else:
        if public:
            messages.success(request, _("The results are public now."))
        else:
            messages.success(request, _("The results are visible to the department only."))
    return redirect("consultations:survey_results", slug=survey.slug)
