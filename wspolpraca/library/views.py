"""The research library's pages: the public list of studies with its search and filters, a
study's page and file; preparing a study in steps (the form, check your answers, the
confirmation); the moderation queue; research topics with their supports and the city's
answers. The rules are in `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.core.uploads import private_file_response

from . import services
from .files import MIME_BY_EXTENSION
from .filters import StudyFilter, TopicFilter
from .forms import AnswerForm, ReasonForm, StudyForm, TopicForm, add_service_error
from .models import ResearchTopic, Study, TopicSupport

PAGE_SIZE = 20


def _with_area_texts(rows):
    """The page's rows with their area names, looked up once per area."""
    rows = list(rows)
    names = {}
    for row in rows:
        labels = []
        for area in row.areas.all():
            if area.pk not in names:
                names[area.pk] = area.short_label
            labels.append(names[area.pk])
        row.areas_text = " · ".join(labels)
    return rows


# ---------------------------------------------------------------------------------------
# Public: the list and a study's page


SEARCH_PAGES_CAP = 10


def study_list(request):
    filters = StudyFilter(request.GET or None, queryset=Study.objects.published().for_listing())
    # A search's pages end after 10: counting every match of a common word would cost more
    # than the page, and the newest come first anyway.
    cap = SEARCH_PAGES_CAP * Study.PER_PAGE if request.GET.get("q") else 1000
    page = CappedPaginator(filters.qs.order_by("-year", "-id"), Study.PER_PAGE, cap=cap).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/study_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": _with_area_texts(page.object_list),
            "may_add": request.user.is_authenticated,
        },
    )


def _study(request, pk):
    """A study the person may see; anyone else is told it does not exist. A hidden study's
    page stays, with the reason, for everyone (see the template)."""
    study = get_object_or_404(Study.objects.select_related("organization"), pk=pk)
    if study.status == Study.Status.HIDDEN:
        return study
    if not request.user.has_perm("library.see_study", study):
        raise Http404
    return study


def _managed(request, pk):
    study = _study(request, pk)
    if not request.user.has_perm("library.manage_study", study):
        raise PermissionDenied
    return study


def study_detail(request, pk):
    study = _study(request, pk)
    user = request.user
    sees_all = user.has_perm("library.see_study", study)
    return render(
        request,
        "library/study_detail.html",
        {
            "study": study,
            "sees_all": study.is_public or sees_all,
            "areas": list(study.areas.all()),
            "districts": list(study.districts.all()),
            "topics": list(study.topics.order_by("-support_count", "-id")[:20]),
            "manages": user.has_perm("library.manage_study", study),
            "moderates": user.has_perm("library.moderate_study"),
        },
    )


def study_file(request, pk):
    """The study's file: for everyone once published, before that for its side and staff."""
    study = get_object_or_404(Study, pk=pk)
    return private_file_response(
        study.file,
        allowed=request.user.has_perm("library.see_study", study),
        filename=study.file_name,
        content_type=MIME_BY_EXTENSION.get(study.file_type, "application/octet-stream"),
    )


# ---------------------------------------------------------------------------------------
# Preparing a study: the form, check your answers, the confirmation


def _staff(user):
    return user.has_perm("library.publish_study")


@login_required
@require_http_methods(["GET", "POST"])
def study_new(request):
    """Step 1: the study's questions. Members submit their organization's studies; city
    staff add the city's, its units', universities' and organizations' studies."""
    staff = _staff(request.user)
    organizations = [] if staff else services.organizations_of(request.user)
    if not staff and not organizations:
        return render(request, "library/not_allowed.html", status=403)
    initial = {"organization": str(organizations[0].pk)} if len(organizations) == 1 else {}
    form = StudyForm(
        request.POST or None,
        request.FILES or None,
        organizations=organizations,
        staff=staff,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            study = services.create_study(
                request.user, form.service_data(), organization=form.chosen_organization()
            )
        except services.LibraryError as error:
            add_service_error(form, error)
        else:
            return redirect("library:study_check", pk=study.pk)
    return render(request, "library/study_form.html", {"form": form, "study": None, "staff": staff})


@login_required
@require_http_methods(["GET", "POST"])
def study_edit(request, pk):
    study = _managed(request, pk)
    if "edit" not in study.offers:
        messages.error(request, _("Only a draft or a rejected study can be changed."))
        return redirect(study.get_absolute_url())
    staff = study.added_by_city
    form = StudyForm(request.POST or None, request.FILES or None, staff=staff, study=study)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_study(
                study, request.user, form.service_data(), organization=form.chosen_organization()
            )
        except services.LibraryError as error:
            add_service_error(form, error)
        else:
            return redirect("library:study_check", pk=study.pk)
    return render(
        request, "library/study_form.html", {"form": form, "study": study, "staff": staff}
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_check(request, pk):
    """Step 2: check your answers, each with a "Change" link; the button sends it."""
    study = _managed(request, pk)
    if "submit" not in study.offers:
        return redirect(study.get_absolute_url())
    problems = services.check_problems(study)
    if request.method == "POST" and not problems:
        try:
            services.submit_study(study, request.user)
        except services.LibraryError as error:
            problems.append(error.message)
        else:
            return redirect("library:study_sent", pk=study.pk)
    return render(
        request,
        "library/study_check.html",
        {
            "study": study,
            "areas": list(study.areas.all()),
            "districts": list(study.districts.all()),
            "problems": problems,
            "publishes": study.added_by_city,
        },
    )


@login_required
def study_sent(request, pk):
    """Step 3: the confirmation, with the study's number and what happens next."""
    study = _managed(request, pk)
    return render(request, "library/study_sent.html", {"study": study})


@login_required
def my_studies(request):
    """The studies of the person's organizations in every status, and, for city staff,
    the studies they added."""
    mine = Study.objects.of_organizations_of(request.user).filter(added_by_city=False)
    if _staff(request.user):
        mine = Study.objects.filter(
            Q(pk__in=mine.values("pk")) | Q(added_by_city=True, submitted_by=request.user)
        )
    page = CappedPaginator(
        mine.select_related("organization").order_by("-updated_at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "library/my_studies.html",
        {"page": page, "moderates": request.user.has_perm("library.moderate_study")},
    )


# ---------------------------------------------------------------------------------------
# Moderation


def _moderator(request):
    if not request.user.has_perm("library.moderate_study"):
        raise PermissionDenied


@login_required
def moderation_queue(request):
    """The studies organizations submitted, oldest first."""
    _moderator(request)
    waiting = (
        Study.objects.filter(status=Study.Status.SUBMITTED)
        .select_related("organization", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    page = CappedPaginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "library/moderation_queue.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk):
    """The whole study as it would be published, with "Publish" and "Reject"."""
    _moderator(request)
    study = _study(request, pk)
    if "moderate" not in study.offers:
        messages.info(request, _("This study has been moderated already."))
        return redirect("library:moderation")
    problem = None
    if request.method == "POST":
        try:
            services.approve_study(study, request.user)
        except services.LibraryError as error:
            problem = error.message
        else:
            messages.success(
                request,
                _("“%(title)s” is published in the library; its submitter is told by e-mail.")
                % {"title": study.title},
            )
            return redirect("library:moderation")
    return render(
        request,
        "library/moderate.html",
        {
            "study": study,
            "areas": list(study.areas.all()),
            "districts": list(study.districts.all()),
            "problem": problem,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reject(request, pk):
    _moderator(request)
    study = _study(request, pk)
    form = ReasonForm(
        request.POST or None,
        label=_("Why is the study not published?"),
        help_text=_(
            "Its submitter reads it in the e-mail and can correct the study and submit it again."
        ),
        required_message=_(
            "Write why the study is rejected: its submitter reads it and can correct it."
        ),
    )
    obstacles = [] if "moderate" in study.offers else [_("This study has been moderated already.")]
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            services.reject_study(study, request.user, form.cleaned_data["reason"])
        except services.LibraryError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is rejected; its submitter is told the reason by e-mail.")
                % {"title": study.title},
            )
            return redirect("library:moderation")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Reject “%(title)s”?") % {"title": study.title},
            "consequences": [
                _("The study is not published in the library."),
                _("Its submitter gets an e-mail with your reason and can submit it again."),
            ],
            "confirm_button": _("Reject the study"),
            "cancel_url": reverse("library:moderate", args=[study.pk]),
            "form": form,
            "obstacles": obstacles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hide(request, pk):
    _moderator(request)
    study = _study(request, pk)
    form = ReasonForm(
        request.POST or None,
        label=_("Reason for hiding"),
        help_text=_(
            "Everyone who opens the study's page reads it; its submitter gets it by e-mail."
        ),
        required_message=_("Write why the study is hidden: its page shows the reason to everyone."),
    )
    obstacles = [] if "hide" in study.offers else [_("Only a published study can be hidden.")]
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            services.hide_study(study, request.user, form.cleaned_data["reason"])
        except services.LibraryError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The study is hidden; its page gives the reason."))
            return redirect(study.get_absolute_url())
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Hide “%(title)s”?") % {"title": study.title},
            "consequences": [
                _("The study leaves the list, the search and the API; its file is not served."),
                _("Its page stays, with the title and your reason, for everyone."),
                _("It is not deleted: it can be shown again."),
            ],
            "confirm_button": _("Hide the study"),
            "cancel_url": study.get_absolute_url(),
            "form": form,
            "obstacles": obstacles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def show(request, pk):
    _moderator(request)
    study = _study(request, pk)
    obstacles = [] if "show" in study.offers else [_("Only a hidden study can be shown again.")]
    if request.method == "POST" and not obstacles:
        try:
            services.show_study(study, request.user)
        except services.LibraryError as error:
            obstacles.append(error.message)
        else:
            messages.success(request, _("The study is back in the library."))
            return redirect(study.get_absolute_url())
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Show “%(title)s” again?") % {"title": study.title},
            "confirm_intro": study.hidden_reason,
            "confirm_button": _("Show the study"),
            "cancel_url": study.get_absolute_url(),
            "obstacles": obstacles,
        },
    )


# ---------------------------------------------------------------------------------------
# Research topics


def topic_list(request):
    filters = TopicFilter(request.GET or None, queryset=ResearchTopic.objects.for_listing())
    page = CappedPaginator(filters.ordered(), ResearchTopic.PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = _with_area_texts(page.object_list)
    supported = set()
    if request.user.is_authenticated and rows:
        supported = set(
            TopicSupport.objects.filter(
                user=request.user, topic__in=[topic.pk for topic in rows]
            ).values_list("topic_id", flat=True)
        )
    for topic in rows:
        topic.supported = topic.pk in supported
    return render(
        request, "library/topic_list.html", {"filters": filters, "page": page, "rows": rows}
    )


def topic_detail(request, pk):
    topic = get_object_or_404(
        ResearchTopic.objects.select_related("study", "proposed_by", "answered_by"), pk=pk
    )
    return render(
        request,
        "library/topic_detail.html",
        {
            "topic": topic,
            "areas": list(topic.areas.all()),
            "supported": services.supported(topic, request.user),
            "answers": request.user.has_perm("library.answer_topic"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_new(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.propose_topic(
                request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                areas=list(form.cleaned_data["areas"]),
            )
        except services.LibraryError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your topic is published. Others can support it; the city answers it, "
                    "and you get the answer by e-mail."
                ),
            )
            return redirect(topic.get_absolute_url())
    return render(request, "library/topic_form.html", {"form": form})


@login_required
@require_POST
def topic_support(request, pk):
    """Support the topic, or, with withdraw=1, take one's support back."""
    topic = get_object_or_404(ResearchTopic, pk=pk)
    if request.POST.get("withdraw"):
        services.withdraw_support(topic, request.user)
        messages.success(request, _("Your support is withdrawn."))
    else:
        try:
            services.support_topic(topic, request.user)
        except services.LibraryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: your support is counted."))
    return redirect(topic.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def topic_answer(request, pk):
    if not request.user.has_perm("library.answer_topic"):
        raise PermissionDenied
    topic = get_object_or_404(ResearchTopic.objects.select_related("study"), pk=pk)
    form = AnswerForm(request.POST or None, topic=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_topic(
                topic,
                request.user,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
                study=form.cleaned_data["study"],
            )
        except services.LibraryError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The answer is published; the topic's author is told by e-mail.")
            )
            return redirect(topic.get_absolute_url())
    return render(request, "library/topic_answer.html", {"topic": topic, "form": form})
