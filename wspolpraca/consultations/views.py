"""The pages of consultations: the public list and page, taking part (postulates,
support, meetings), and the owning department's work (preparing, announcing, remarks
received elsewhere, moderation, answers, the report)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.city.models import Department, department_of
from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.core.caching import public_page
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import Organization

from . import services
from .filters import ConsultationFilter
from .forms import (
    AnswerForm,
    AttachmentForm,
    ConsultationForm,
    HideForm,
    MeetingForm,
    PostulateForm,
    RemarkForm,
    ReportForm,
    SectionFormSet,
    add_service_error,
    default_timeline,
)
from .models import Attachment, Consultation, Meeting, Postulate, Registration, Response
from .signals import KEY

PAGE_SIZE = 20
POSTULATES_PER_PAGE = Postulate.PER_PAGE
REPORT_ROWS = 50
ANSWERS_PER_PAGE = 100


def _consultation(slug, user=None):
    """A consultation the person may see: announced ones for everyone, drafts for those
    who manage them; anyone else is told it does not exist."""
    consultation = get_object_or_404(Consultation.objects.select_related("department"), slug=slug)
    if consultation.announced_at is None or consultation.information_from > timezone.localdate():
        if user is None or not services.may_manage(user, consultation):
            raise Http404
    return consultation


def _managed(request, slug):
    consultation = get_object_or_404(Consultation.objects.select_related("department"), slug=slug)
    if not services.may_manage(request.user, consultation):
        if consultation.announced_at is None:
            raise Http404
        raise PermissionDenied
    return consultation


def _organizations_of(user):
    if not user.is_authenticated:
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("sort_name", "id"))


# ---------------------------------------------------------------------------------------
# Public


@public_page(KEY)
def consultation_list(request):
    filters = ConsultationFilter(
        request.GET,
        queryset=Consultation.objects.public()
        .select_related("department")
        .prefetch_related("areas"),
    )
    page = CappedPaginator(filters.qs.order_by("-opens_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    department = department_of(request.user)
    return render(
        request,
        "consultations/list.html",
        {"filters": filters, "page": page, "department": department},
    )


@public_page(KEY)
def department(request, symbol):
    """A department's consultations, with the reports past due flagged."""
    unit = get_object_or_404(Department, short_name=symbol)
    rows = (
        Consultation.objects.public()
        .filter(department=unit)
        .prefetch_related("areas")
        .order_by("-opens_on", "-id")
    )
    manages = department_of(request.user) == unit
    drafts = (
        Consultation.objects.filter(department=unit, announced_at__isnull=True)
        if manages
        else Consultation.objects.none()
    )
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/department.html",
        {"unit": unit, "page": page, "drafts": drafts, "manages": manages},
    )


@public_page(KEY)
def detail(request, slug):
    consultation = _consultation(slug, request.user)
    manages = services.may_manage(request.user, consultation)
    sections = list(consultation.sections.all())
    by_number = {str(s.number): s for s in sections}
    chosen = by_number.get(request.GET.get("sekcja", ""))
    # Answers by their keys (an index each), not joined: a join would have the database
    # read every answer of every consultation to build its hash table.
    postulates = (
        consultation.postulates.select_related("section", "organization")
        .prefetch_related("response")
        .order_by("number")
    )
    if chosen:
        postulates = postulates.filter(section=chosen)
    # The counts are kept on the rows: no page counts the postulates.
    known = chosen.postulate_count if chosen else consultation.postulate_count
    if chosen and manages:
        known = None  # the department also sees the hidden ones: counted, capped
    page = CappedPaginator(
        postulates, POSTULATES_PER_PAGE, cap=100_000, known_count=known
    ).get_page(request.GET.get("page"))
    listed = page.object_list
    if not chosen:
        # Numbers run 1, 2, 3… in a consultation: a page is a range of them, read through
        # the index instead of skipping the rows of the pages before it.
        first = (page.number - 1) * POSTULATES_PER_PAGE
        listed = postulates.filter(number__gt=first, number__lte=first + POSTULATES_PER_PAGE)
    rows = list(services.with_texts(listed))
    supported = set()
    if request.user.is_authenticated:
        supported = set(
            consultation.postulates.filter(
                supports__user=request.user, pk__in=[p.pk for p in rows]
            ).values_list("pk", flat=True)
        )
    meetings = list(consultation.meetings.all())
    registered = set()
    if request.user.is_authenticated and meetings:
        registered = set(
            Registration.objects.filter(meeting__in=meetings, user=request.user)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("meeting_id", flat=True)
        )
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "offers": consultation.offers,
            "manages": manages,
            "sections": sections,
            "chosen": chosen,
            "page": page,
            "rows": rows,
            "supported": supported,
            "meetings": meetings,
            "registered": registered,
            "attachments": list(consultation.attachments.all()),
            "areas": list(consultation.areas.all()),
            "districts": list(consultation.districts.all()),
            "answers_public": "read_answers" in consultation.offers,
        },
    )


@require_http_methods(["GET", "POST"])
def meeting(request, slug, pk):
    consultation = _consultation(slug, request.user)
    item = get_object_or_404(Meeting, consultation=consultation, pk=pk)
    mine = None
    if request.user.is_authenticated:
        mine = (
            Registration.objects.filter(meeting=item, user=request.user)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            if request.POST.get("action") == "cancel":
                services.cancel_registration(item, request.user)
                messages.success(request, _("Your registration is cancelled."))
            else:
                registration = services.register(item, request.user)
                if registration.status == Registration.Status.WAITING:
                    messages.success(
                        request,
                        _(
                            "The meeting is full: you are on the waiting list. We will write "
                            "if a place frees up."
                        ),
                    )
                else:
                    messages.success(request, _("Your place is confirmed."))
        except services.ConsultationError as error:
            messages.error(request, error.message)
        return redirect(item.get_absolute_url())
    taken = item.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return render(
        request,
        "consultations/meeting.html",
        {
            "consultation": consultation,
            "meeting": item,
            "mine": mine,
            "taken": taken,
            "free": None if item.capacity is None else max(item.capacity - taken, 0),
            "can_register": "register" in consultation.offers and item.starts_at > timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, slug):
    consultation = _consultation(slug, request.user)
    organizations = _organizations_of(request.user)
    if "submit" not in consultation.offers:
        return render(
            request,
            "consultations/closed.html",
            {"consultation": consultation},
            status=403 if request.method == "POST" else 200,
        )
    initial = {"section": request.GET.get("sekcja", "")}
    form = PostulateForm(
        request.POST or None,
        consultation=consultation,
        organizations=organizations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            postulate = services.submit_postulate(
                consultation,
                request.user,
                proposal=form.cleaned_data["proposal"],
                justification=form.cleaned_data["justification"],
                section=form.cleaned_data["section"],
                organization=form.cleaned_data["organization"],
            )
        except services.ConsultationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your postulate no. %(number)s is published. The department will answer "
                    "every postulate after the consultation closes; you will get an e-mail."
                )
                % {"number": postulate.number},
            )
            return redirect(postulate.get_absolute_url())
    return render(
        request,
        "consultations/submit.html",
        {"consultation": consultation, "form": form},
    )


@login_required
@require_POST
def support(request, slug, number):
    consultation = _consultation(slug, request.user)
    postulate = get_object_or_404(Postulate, consultation=consultation, number=number)
    try:
        services.support(postulate, request.user)
        messages.success(request, _("You support postulate no. %(number)s.") % {"number": number})
    except services.ConsultationError as error:
        messages.error(request, error.message)
    return redirect(postulate.get_absolute_url())


@public_page(KEY)
def report(request, slug):
    consultation = _consultation(slug, request.user)
    manages = services.may_manage(request.user, consultation)
    if "read_report" not in consultation.offers and not manages:
        raise Http404
    # Every postulate is in the report, one part of the document at a time, REPORT_ROWS
    # to a page (the PDF holds them all).
    # A short report is one page; a long one is read a part of the document at a time.
    sections = list(consultation.sections.all())
    whole_report = consultation.postulate_count <= REPORT_ROWS and "sekcja" not in request.GET
    chosen = request.GET.get("sekcja", "0")
    section = next((s for s in sections if str(s.number) == chosen), None)
    if whole_report:
        rows = services.report_rows(consultation)
    else:
        rows = services.report_rows(consultation, section, whole=section is None)
    page = CappedPaginator(rows, REPORT_ROWS, cap=100_000).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/report.html",
        {
            "consultation": consultation,
            "facts": services.report_facts(consultation),
            "sections": sections,
            "whole_report": whole_report,
            "chosen": "" if whole_report else chosen,
            "section": section,
            "rows": list(services.with_texts(page.object_list)),
            "page": page,
            "manages": manages,
            "preview": "read_report" not in consultation.offers,
        },
    )


def report_pdf(request, slug):
    consultation = _consultation(slug, request.user)
    if "read_report" not in consultation.offers or not consultation.report_pdf:
        raise Http404
    response = FileResponse(
        consultation.report_pdf.open("rb"),
        as_attachment=True,
        filename=f"raport-{consultation.slug}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------
# The department's work


def _unique_slug(title):
    base = slugify(title)[:60] or "konsultacje"
    slug, n = base, 2
    while Consultation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    unit = department_of(request.user)
    if unit is None:
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, request.FILES or None, initial=default_timeline())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            consultation = form.save(commit=False)
            consultation.department = unit
            consultation.slug = _unique_slug(consultation.title)
            consultation.created_by = request.user
            consultation.save()
            form.save_m2m()
            services.replace_sections(
                consultation,
                services.split_into_sections(form.cleaned_data["draft_text"]),
                request.user,
            )
            record(
                request.user, "consultation.created", consultation, diff({}, snapshot(consultation))
            )
        messages.success(
            request,
            _("The draft consultation is saved. Check how the document was split into sections."),
        )
        return redirect("consultations:sections", consultation.slug)
    return render(request, "consultations/form.html", {"form": form, "consultation": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    consultation = _managed(request, slug)
    if consultation.announced_at:
        messages.error(
            request, _("An announced consultation's timeline and subject cannot change.")
        )
        return redirect(consultation.get_absolute_url())
    form = ConsultationForm(request.POST or None, request.FILES or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        before = snapshot(Consultation.objects.get(pk=consultation.pk))
        consultation = form.save()
        record(
            request.user, "consultation.changed", consultation, diff(before, snapshot(consultation))
        )
        messages.success(request, _("The consultation is saved."))
        return redirect(consultation.get_absolute_url())
    return render(request, "consultations/form.html", {"form": form, "consultation": consultation})


@login_required
@require_http_methods(["GET", "POST"])
def sections(request, slug):
    consultation = _managed(request, slug)
    if consultation.announced_at:
        messages.error(request, _("The sections cannot change once the consultation is announced."))
        return redirect(consultation.get_absolute_url())
    initial = [{"title": s.title, "text": s.text} for s in consultation.sections.all()]
    formset = SectionFormSet(request.POST or None, initial=initial, prefix="sekcje")
    if request.method == "POST" and formset.is_valid():
        kept = [
            (f.cleaned_data["title"].strip(), f.cleaned_data["text"].strip())
            for f in formset.forms
            if f.cleaned_data.get("title") and not f.cleaned_data.get("DELETE")
        ]
        if not kept:
            messages.error(request, _("The document needs at least one section."))
        else:
            services.replace_sections(consultation, kept, request.user)
            messages.success(request, _("The sections are saved."))
            return redirect(consultation.get_absolute_url())
    return render(
        request, "consultations/sections.html", {"consultation": consultation, "formset": formset}
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request, slug):
    """Documents beside the draft (an explanatory note, a map), in PDF; added any time
    before the report, never removed once the consultation is public."""
    consultation = _managed(request, slug)
    if consultation.report_published_at:
        raise PermissionDenied
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        attachment = Attachment.objects.create(
            consultation=consultation,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
        record(
            request.user,
            "consultation.changed",
            consultation,
            {"attachment": [None, attachment.title]},
        )
        messages.success(request, _("The attachment is added."))
        return redirect("consultations:attachments", slug)
    return render(
        request,
        "consultations/attachments.html",
        {"consultation": consultation, "form": form, "attachments": consultation.attachments.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, slug):
    consultation = _managed(request, slug)
    if consultation.phase not in (
        Consultation.Phase.DRAFT,
        Consultation.Phase.ANNOUNCED,
        Consultation.Phase.INFORMATION,
        Consultation.Phase.OPEN,
    ):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        record(
            request.user,
            "consultation.changed",
            consultation,
            {"meeting": [None, f"{item.title} {item.starts_at:%Y-%m-%d %H:%M}"]},
        )
        messages.success(request, _("The meeting is added."))
        return redirect(consultation.get_absolute_url())
    return render(
        request, "consultations/meeting_form.html", {"consultation": consultation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def announce(request, slug):
    """Check your answers, then announce: the consultation becomes public on its
    information date and the organizations of its areas are invited."""
    consultation = _managed(request, slug)
    if consultation.announced_at:
        return redirect(consultation.get_absolute_url())
    problems = list(
        services.timeline_errors(
            consultation.information_from,
            consultation.opens_on,
            consultation.closes_on,
            consultation.report_due,
        ).values()
    ) + services.forms_problems(consultation)
    if not consultation.sections.exists():
        problems.append(_("Add the draft document's sections."))
    if request.method == "POST" and not problems:
        try:
            services.announce(consultation, request.user)
        except services.ConsultationError as error:
            problems.append(error.message)
        else:
            messages.success(
                request,
                _(
                    "The consultation is announced. The organizations of its areas are being "
                    "invited by e-mail."
                ),
            )
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/announce.html",
        {
            "consultation": consultation,
            "problems": problems,
            "sections": list(consultation.sections.all()),
            "meetings": list(consultation.meetings.all()),
            "areas": list(consultation.areas.all()),
            "districts": list(consultation.districts.all()),
            "invited": services.invited_organizations(consultation)
            .exclude(email="")[:1001]
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enter_remark(request, slug):
    consultation = _managed(request, slug)
    if "enter_remark" not in consultation.offers:
        raise PermissionDenied
    form = RemarkForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            postulate = services.enter_remark(
                consultation,
                request.user,
                proposal=data["proposal"],
                justification=data["justification"],
                section=data["section"],
                author_name=data["author_name"],
                source=data["source"],
                received_on=data["received_on"],
            )
        except services.ConsultationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Remark no. %(number)s is entered.") % {"number": postulate.number}
            )
            return redirect(postulate.get_absolute_url())
    return render(
        request, "consultations/remark.html", {"consultation": consultation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def hide(request, slug, number):
    consultation = _managed(request, slug)
    postulate = get_object_or_404(Postulate, consultation=consultation, number=number)
    if postulate.is_hidden:
        if request.method == "POST":
            services.show_postulate(postulate, request.user)
            messages.success(request, _("The postulate is shown again."))
            return redirect(postulate.get_absolute_url())
        return render(
            request,
            "core/confirm.html",
            {
                "confirm_title": _("Show postulate no. %(number)s again?") % {"number": number},
                "confirm_button": _("Show the postulate"),
                "cancel_url": postulate.get_absolute_url(),
            },
        )
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hide_postulate(postulate, request.user, form.cleaned_data["reason"])
        messages.success(request, _("The postulate is hidden; its reason is shown instead."))
        return redirect(postulate.get_absolute_url())
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Hide postulate no. %(number)s?") % {"number": number},
            "confirm_intro": postulate.proposal,
            "consequences": [
                _("Nobody but the department will read it; the reason is shown in its place."),
                _("It is not deleted: it keeps its number and can be shown again."),
            ],
            "confirm_button": _("Hide the postulate"),
            "cancel_url": postulate.get_absolute_url(),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answers(request, slug):
    """The department's workspace: every postulate with its drafted answer, the suggested
    groups of similar ones, review, and publication."""
    consultation = _managed(request, slug)
    if request.method == "POST":
        response = get_object_or_404(
            Response, consultation=consultation, pk=request.POST.get("review", 0) or 0
        )
        try:
            services.review(response, request.user)
            messages.success(request, _("The answer is marked as reviewed."))
        except services.ConsultationError as error:
            messages.error(request, error.message)
        return redirect("consultations:answers", slug)
    rows = consultation.postulates.select_related(
        "section", "organization", "author", "response"
    ).order_by("number")
    page = CappedPaginator(
        rows, ANSWERS_PER_PAGE, cap=1_000_000, known_count=consultation.postulate_count
    ).get_page(request.GET.get("page"))
    suggestions = []
    if "answer" in consultation.offers:
        # Every visible postulate's terms are compared; only the suggested ones are shown.
        candidates = consultation.postulates.filter(is_hidden=False).only(
            "pk", "number", "terms", "response", "proposal"
        )
        suggestions = services.suggest_groups(list(candidates))
    return render(
        request,
        "consultations/answers.html",
        {
            "consultation": consultation,
            "postulates": page.object_list,
            "page": page,
            "suggestions": suggestions,
            "missing": services.unanswered(consultation).count(),
            "can_answer": "answer" in consultation.offers,
        },
    )


def _answer_form_page(request, consultation, postulates):
    response = postulates[0].response if len({p.response_id for p in postulates}) == 1 else None
    initial = {"outcome": response.outcome, "reason": response.reason} if response else {}
    form = AnswerForm(
        request.POST if "outcome" in request.POST or "reason" in request.POST else None,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            services.answer(
                postulates,
                request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except services.ConsultationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The answer is drafted. Mark it as reviewed before publication."),
            )
            return redirect("consultations:answers", consultation.slug)
    return render(
        request,
        "consultations/answer.html",
        {
            "consultation": consultation,
            "postulates": postulates,
            "form": form,
            "numbers": ",".join(str(p.number) for p in postulates),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, slug, number):
    consultation = _managed(request, slug)
    if "answer" not in consultation.offers:
        raise PermissionDenied
    postulate = get_object_or_404(
        Postulate.objects.select_related("section", "response", "organization"),
        consultation=consultation,
        number=number,
    )
    if request.method == "POST" and request.POST.get("action") == "ungroup":
        services.ungroup(postulate, request.user)
        messages.success(request, _("The postulate is taken out of its group."))
        return redirect("consultations:answers", slug)
    return _answer_form_page(request, consultation, [postulate])


@login_required
@require_http_methods(["POST"])
def answer_group(request, slug):
    """One answer for several similar postulates, confirmed by the official."""
    consultation = _managed(request, slug)
    if "answer" not in consultation.offers:
        raise PermissionDenied
    raw = request.POST.getlist("numbers") or request.POST.get("group", "").split(",")
    numbers = sorted({int(n) for n in raw if n.strip().isdigit()})
    postulates = list(
        consultation.postulates.filter(number__in=numbers, is_hidden=False)
        .select_related("section", "response", "organization")
        .order_by("number")
    )
    if len(postulates) < 2:
        messages.error(request, _("Choose at least two postulates to answer together."))
        return redirect("consultations:answers", slug)
    return _answer_form_page(request, consultation, postulates)


@login_required
@require_http_methods(["GET", "POST"])
def publish_answers(request, slug):
    consultation = _managed(request, slug)
    obstacles = []
    if "answer" not in consultation.offers:
        obstacles.append(_("Answers are published after the consultation closes."))
    missing = services.unanswered(consultation).count()
    if missing:
        obstacles.append(
            _("%(count)s postulates have no reviewed answer yet.") % {"count": missing}
        )
    if request.method == "POST" and not obstacles:
        try:
            services.publish_answers(consultation, request.user)
        except services.ConsultationError as error:
            messages.error(request, error.message)
            return redirect("consultations:answers", slug)
        messages.success(
            request, _("The answers are published and the authors are told by e-mail.")
        )
        return redirect("consultations:report", slug)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Publish the answers to every postulate?"),
            "consequences": [
                _("Every answer, with its reason, becomes public on the consultation's page."),
                _("The authors of the postulates get an e-mail."),
                _("Accepted postulates are handed to the postulate tracker under your department."),
                _("The answers cannot be changed afterwards."),
            ],
            "confirm_button": _("Publish the answers"),
            "cancel_url": reverse("consultations:answers", args=[slug]),
            "obstacles": obstacles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish_report(request, slug):
    consultation = _managed(request, slug)
    obstacles = []
    if "report" not in consultation.offers:
        obstacles.append(_("The report is published once every postulate has a published answer."))
    form = ReportForm(request.POST or None, initial={"summary": consultation.report_summary})
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            services.publish_report(consultation, request.user, form.cleaned_data["summary"])
        except services.ConsultationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The report is published. Its PDF is being prepared and appears here shortly."),
            )
            return redirect("consultations:report", slug)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Publish the consultation's report?"),
            "consequences": [
                _(
                    "The report, with every postulate and its answer, becomes public as a page "
                    "and a PDF."
                ),
                _("It cannot be changed afterwards."),
            ],
            "confirm_button": _("Publish the report"),
            "cancel_url": reverse("consultations:report", args=[slug]),
            "obstacles": obstacles,
            "form": form,
        },
    )
