"""The exchange's pages: the public list with its filters, a post's page, publishing a
post in two steps (the form, then check your answers), changing, closing and extending
it, conversations about it, and moderation. The rules are in `services`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.core.pagination import CappedPaginator

from . import services
from .filters import PostFilter
from .forms import CloseForm, HideForm, MessageForm, PostForm, ReportForm, add_service_error
from .models import Message, Post
from .rules import may, speaks_for

DRAFT_KEY = "exchange.post_draft"


def _post(request, pk):
    """A post the person may see: hidden ones only for their side and moderators; anyone
    else is told it does not exist."""
    post = get_object_or_404(Post.objects.select_related("organization", "district"), pk=pk)
    if post.is_hidden and not may(request.user, "exchange.see_hidden_post", post):
        raise Http404
    return post


def _own_post(request, pk):
    post = _post(request, pk)
    if not may(request.user, "exchange.change_post", post):
        raise PermissionDenied
    return post


def _with_texts(posts):
    """The page's rows with their area names, looked up once per area."""
    rows = list(posts)
    names = {}
    for post in rows:
        labels = []
        for area in post.areas.all():
            if area.pk not in names:
                names[area.pk] = area.short_label
            labels.append(names[area.pk])
        post.areas_text = " · ".join(labels)
    return rows


# ---------------------------------------------------------------------------------------
# Public


def post_list(request):
    filters = PostFilter(request.GET or None, queryset=Post.objects.live().for_listing())
    page = CappedPaginator(filters.qs.order_by("-created_at", "-id"), Post.PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "exchange/list.html",
        {"filters": filters, "page": page, "rows": _with_texts(page.object_list)},
    )


def detail(request, pk):
    post = _post(request, pk)
    user = request.user
    own = speaks_for(user, post)
    context = {
        "post": post,
        "areas": list(post.areas.all()),
        "own": own,
        "may_moderate": may(user, "exchange.moderate_post", post),
        "conversations": None,
        "mine": None,
    }
    if own:
        # One row per person who wrote, newest first, with their name (never an address).
        threads = (
            Message.objects.filter(post=post)
            .values("correspondent", "correspondent__full_name")
            .annotate(count=Count("id"), last=Max("created_at"))
            .order_by("-last", "correspondent")
        )
        context["conversations"] = CappedPaginator(threads, 25).get_page(request.GET.get("page"))
    elif user.is_authenticated:
        context["mine"] = Message.objects.filter(post=post, correspondent=user).aggregate(
            count=Count("id"), last=Max("created_at")
        )
        context["reported"] = post.reports.filter(reporter=user).exists()
    return render(request, "exchange/detail.html", context)


# ---------------------------------------------------------------------------------------
# Publishing: the form, then check your answers


def _typed(post_data):
    """What a person typed, kept as lists of strings so that it binds the form again."""
    return {name: post_data.getlist(name) for name in post_data if name != "csrfmiddlewaretoken"}


def _as_query_dict(typed):
    data = QueryDict(mutable=True)
    for name, values in (typed or {}).items():
        data.setlist(name, values)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    organizations = services.organizations_of(request.user)
    if request.method == "POST":
        form = PostForm(request.POST, organizations=organizations)
        if form.is_valid():
            request.session[DRAFT_KEY] = _typed(request.POST)
            return redirect("exchange:check")
    elif request.session.get(DRAFT_KEY):
        # Back from "Change" on the check page: what was typed, as it was typed.
        form = PostForm(_as_query_dict(request.session[DRAFT_KEY]), organizations=organizations)
    else:
        initial = {}
        if len(organizations) == 1:
            initial["author"] = str(organizations[0].pk)
        elif not organizations:
            initial["author"] = "business"
        form = PostForm(organizations=organizations, initial=initial)
    return render(
        request, "exchange/form.html", {"form": form, "post": None, "organizations": organizations}
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    typed = request.session.get(DRAFT_KEY)
    if not typed:
        return redirect("exchange:create")
    form = PostForm(_as_query_dict(typed), organizations=services.organizations_of(request.user))
    if not form.is_valid():
        return redirect("exchange:create")
    problem = None
    if request.method == "POST":
        try:
            post = services.publish_post(
                request.user,
                author_kind=form.author_kind(),
                organization=form.organization(),
                areas=list(form.cleaned_data["areas"]),
                company_name=form.cleaned_data["company_name"],
                company_nip=form.cleaned_data["company_nip"],
                **{k: v for k, v in form.values().items() if not k.startswith("company_")},
            )
        except services.ExchangeError as error:
            problem = error.message
        else:
            request.session.pop(DRAFT_KEY, None)
            messages.success(
                request,
                _(
                    "Your post is published and stays up until %(date)s. People write to you "
                    "through the platform; you get each message by e-mail."
                )
                % {"date": formats.date_format(post.expires_on, "j E Y")},
            )
            return redirect(post.get_absolute_url())
    return render(
        request,
        "exchange/check.html",
        {"answers": form.answers(), "problem": problem, "change_url": reverse("exchange:create")},
    )


# ---------------------------------------------------------------------------------------
# The author's side


@login_required
def mine(request):
    posts = Post.objects.authored_by(request.user).for_listing().order_by("-created_at", "-id")
    page = CappedPaginator(posts, Post.PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "exchange/mine.html", {"page": page, "rows": _with_texts(page.object_list)}
    )


@login_required
def my_conversations(request):
    """The conversations the person started about others' posts, newest first."""
    threads = (
        Message.objects.filter(correspondent=request.user)
        .values("post", "post__title")
        .annotate(count=Count("id"), last=Max("created_at"))
        .order_by("-last", "post")
    )
    page = CappedPaginator(threads, 25).get_page(request.GET.get("page"))
    return render(request, "exchange/conversations.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    post = _own_post(request, pk)
    if post.status == Post.Status.CLOSED:
        messages.error(request, _("A closed post cannot be changed."))
        return redirect(post.get_absolute_url())
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(
                post, request.user, areas=list(form.cleaned_data["areas"]), **form.values()
            )
        except services.ExchangeError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The post is saved."))
            return redirect(post.get_absolute_url())
    return render(request, "exchange/form.html", {"form": form, "post": post})


@login_required
@require_http_methods(["GET", "POST"])
def close(request, pk):
    post = _own_post(request, pk)
    obstacles = [_("The post is already closed.")] if post.status == Post.Status.CLOSED else []
    form = CloseForm(request.POST or None)
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            services.close_post(post, request.user, form.cleaned_data["outcome"])
        except services.ExchangeError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The post is closed."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Close the post ‘%(title)s’?") % {"title": post.title},
            "consequences": [
                _("The post leaves the exchange: nobody finds it in the list any more."),
                _("Nobody can start a new conversation about it; the existing ones stay."),
                _("It cannot be opened again; you can publish a new post instead."),
            ],
            "confirm_button": _("Close the post"),
            "cancel_url": post.get_absolute_url(),
            "form": form,
            "obstacles": obstacles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def extend(request, pk):
    post = _own_post(request, pk)
    new_date = services.extended_expiry()
    obstacles = []
    if post.status == Post.Status.CLOSED:
        obstacles.append(_("A closed post cannot be extended. Publish a new one instead."))
    elif post.is_hidden:
        obstacles.append(_("A post hidden by a moderator cannot be extended."))
    if request.method == "POST" and not obstacles:
        try:
            post = services.extend_post(post, request.user)
        except services.ExchangeError as error:
            obstacles.append(error.message)
        else:
            messages.success(
                request,
                _("The post stays up until %(date)s.")
                % {"date": formats.date_format(post.expires_on, "j E Y")},
            )
            return redirect(post.get_absolute_url())
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Keep the post ‘%(title)s’ up longer?") % {"title": post.title},
            "consequences": [
                _("The post stays on the exchange until %(date)s.")
                % {"date": formats.date_format(new_date, "j E Y")},
                _("You get a reminder a week before that day."),
            ],
            "confirm_button": _("Keep the post up"),
            "cancel_url": post.get_absolute_url(),
            "obstacles": obstacles,
        },
    )


# ---------------------------------------------------------------------------------------
# Conversations


@login_required
@require_http_methods(["GET", "POST"])
def write(request, pk):
    """Start (or continue) one's own conversation about somebody else's post."""
    post = _post(request, pk)
    if speaks_for(request.user, post):
        messages.error(request, _("You cannot write to your own post."))
        return redirect(post.get_absolute_url())
    started = Message.objects.filter(post=post, correspondent=request.user).exists()
    if not started and not post.is_live:
        return render(request, "exchange/no_conversation.html", {"post": post}, status=403)
    organizations = services.organizations_of(request.user)
    form = MessageForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(
                post,
                request.user,
                form.cleaned_data["body"],
                organization=form.cleaned_data.get("organization"),
            )
        except services.ExchangeError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your message is sent. You get the answer by e-mail and here, on the platform."),
            )
            return redirect(services.conversation_url(post, request.user.pk))
    return render(request, "exchange/write.html", {"post": post, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request, pk, user_pk):
    post = _post(request, pk)
    if not may(request.user, "exchange.read_conversation", services.conversation(post, user_pk)):
        raise Http404
    rows = Message.objects.filter(post=post, correspondent_id=user_pk).select_related(
        "sender", "sender_organization"
    )
    own = speaks_for(request.user, post)
    if not rows.exists():
        if own:
            raise Http404
        return redirect("exchange:write", pk=post.pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(
                post,
                request.user,
                form.cleaned_data["body"],
                correspondent_id=user_pk,
                organization=None if own else rows.last().sender_organization,
            )
        except services.ExchangeError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(services.conversation_url(post, user_pk) + "#napisz")
    page = CappedPaginator(rows.order_by("created_at", "id"), Message.PER_PAGE, cap=10_000)
    page = page.get_page(request.GET.get("page") or page.num_pages)
    listed = list(page.object_list)
    for message in listed:
        message.signed = services.signature(message, post)
    correspondent = get_object_or_404(get_user_model().objects.only("full_name"), pk=user_pk)
    may_answer = own or not post.is_hidden
    return render(
        request,
        "exchange/conversation.html",
        {
            "post": post,
            "own": own,
            "page": page,
            "rows": listed,
            "form": form if may_answer else None,
            "correspondent_name": services.person_name(correspondent),
        },
    )


# ---------------------------------------------------------------------------------------
# Moderation


@login_required
@require_http_methods(["GET", "POST"])
def hide(request, pk):
    post = _post(request, pk)
    if not may(request.user, "exchange.moderate_post", post):
        raise PermissionDenied
    if post.is_hidden:
        if request.method == "POST":
            services.show_post(post, request.user)
            messages.success(request, _("The post is shown on the exchange again."))
            return redirect(post.get_absolute_url())
        return render(
            request,
            "core/confirm.html",
            {
                "confirm_title": _("Show the post ‘%(title)s’ again?") % {"title": post.title},
                "confirm_intro": post.hidden_reason,
                "confirm_button": _("Show the post"),
                "cancel_url": post.get_absolute_url(),
            },
        )
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(post, request.user, form.cleaned_data["reason"])
        except services.ExchangeError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The post is hidden; its author is told why."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Hide the post ‘%(title)s’?") % {"title": post.title},
            "consequences": [
                _("Nobody but its author and the moderators sees it; the reason is shown to them."),
                _("Its author is told by e-mail, with the reason."),
                _("It is not deleted: it can be shown again."),
            ],
            "confirm_button": _("Hide the post"),
            "cancel_url": post.get_absolute_url(),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    post = _post(request, pk)
    if speaks_for(request.user, post):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(post, request.user, form.cleaned_data["reason"])
        except services.ExchangeError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Thank you. The platform administrators will look at the post.")
            )
            return redirect(post.get_absolute_url())
    return render(request, "exchange/report.html", {"post": post, "form": form})
