"""The newsletter's pages: subscribing (double opt-in), the preferences and unsubscribe
pages reached by a signed link from every e-mail, a signed-in person's own subscription,
and the city's news."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wspolpraca.core import ratelimit
from wspolpraca.core.caching import public_page
from wspolpraca.core.markdown import render as markdown
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import PublicBenefitArea

from . import services, tokens
from .forms import PreferencesForm, SubscribeForm
from .models import Kind, News
from .signals import KEY

NEWS_PER_PAGE = 20


def _add_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


# ---------------------------------------------------------------------------------------
# Subscribing


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_subscription(
                form.cleaned_data["email"],
                form.cleaned_data["areas"],
                form.cleaned_data["kinds"],
                form.cleaned_data["language"],
                ip=ratelimit.client_ip(request),
            )
        except services.NewsletterError as error:
            _add_error(form, error)
        else:
            return redirect("newsletter:check_mail")
    return render(request, "newsletter/subscribe.html", {"form": form})


def check_mail(request):
    return render(request, "newsletter/check_mail.html", {"days": tokens.confirm_days()})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows what the link asks for and a button; POST confirms. Mail scanners
    follow links, and a link followed by a machine must not subscribe anybody."""
    try:
        wanted = services.confirmation_request(token)
    except services.NewsletterError as error:
        return render(
            request, "newsletter/link_invalid.html", {"message": error.message}, status=404
        )
    if request.method == "POST":
        subscriber = services.confirm_subscription(token)
        messages.success(request, _("Your subscription is confirmed. Welcome!"))
        return redirect("newsletter:preferences", tokens.manage_token(subscriber))
    return render(
        request,
        "newsletter/confirm.html",
        {
            "wanted": wanted,
            "address": services.masked(wanted["email"]),
            "kinds": _kind_labels(wanted["kinds"]),
        },
    )


def _kind_labels(kinds):
    labels = dict(Kind.choices)
    return [labels[k] for k in kinds if k in labels]


def _subscriber(token):
    subscriber = tokens.subscriber_for(token)
    if subscriber is None:
        raise Http404
    return subscriber


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = _subscriber(token)
    form = PreferencesForm.for_subscriber(subscriber, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.update_preferences(
            subscriber,
            form.cleaned_data["areas"],
            form.cleaned_data["kinds"],
            form.cleaned_data["language"],
            resubscribe="resubscribe" in request.POST,
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("newsletter:preferences", token)
    return render(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "address": services.masked(subscriber.email),
            "unsubscribe_url": reverse("newsletter:unsubscribe", args=[token]),
        },
    )


@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (mail scanners follow links and must unsubscribe nobody); any POST to the
    signed link — the button here, or a mail client's one-click request — unsubscribes."""
    subscriber = _subscriber(token)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return render(
            request,
            "newsletter/unsubscribed.html",
            {"preferences_url": reverse("newsletter:preferences", args=[token])},
        )
    if subscriber.unsubscribed_at:
        return render(
            request,
            "newsletter/unsubscribed.html",
            {"preferences_url": reverse("newsletter:preferences", args=[token])},
        )
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Unsubscribe from the newsletter?"),
            "consequences": [
                _("No more weekly digests go to %(address)s.")
                % {"address": services.masked(subscriber.email)},
                _("You can subscribe again at any time."),
            ],
            "confirm_button": _("Unsubscribe"),
            "cancel_url": reverse("newsletter:preferences", args=[token]),
            "cancel_label": _("Keep my subscription"),
        },
    )


# ---------------------------------------------------------------------------------------
# A signed-in person's own subscription ("Mój newsletter")


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    user = request.user
    subscriber = services.subscription_of(user)
    verified = services.has_verified_address(user)
    form = PreferencesForm.for_subscriber(subscriber, request.POST or None)
    if subscriber is None and not form.is_bound:
        form.fields["language"].initial = user.language
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if verified:
            services.save_own_subscription(user, data["areas"], data["kinds"], data["language"])
            messages.success(request, _("Your newsletter choices are saved."))
        else:
            services.request_subscription(
                user.email, data["areas"], data["kinds"], data["language"]
            )
            messages.success(
                request, _("We have sent a link to your address: follow it to confirm.")
            )
        return redirect("newsletter:mine")
    active = subscriber is not None and subscriber.is_active
    return render(
        request,
        "newsletter/mine.html",
        {"form": form, "subscriber": subscriber, "active": active, "verified": verified},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mine_unsubscribe(request):
    subscriber = services.subscription_of(request.user)
    if subscriber is None or not subscriber.is_active:
        return redirect("newsletter:mine")
    if request.method == "POST":
        services.unsubscribe(subscriber)
        messages.success(request, _("You are unsubscribed. No more digests will be sent."))
        return redirect("newsletter:mine")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Unsubscribe from the newsletter?"),
            "consequences": [
                _("No more weekly digests go to %(address)s.") % {"address": request.user.email},
                _("You can subscribe again at any time."),
            ],
            "confirm_button": _("Unsubscribe"),
            "cancel_url": reverse("newsletter:mine"),
            "cancel_label": _("Keep my subscription"),
        },
    )


# ---------------------------------------------------------------------------------------
# News


@public_page(KEY)
def news_list(request):
    areas = list(PublicBenefitArea.objects.current())
    area = next((a for a in areas if a.code == request.GET.get("sfera")), None)
    rows = News.objects.published().prefetch_related("areas").order_by("-published_at", "-id")
    if area is not None:
        rows = rows.filter(areas=area)
    page = CappedPaginator(rows, NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "newsletter/news_list.html", {"page": page, "areas": areas, "area": area}
    )


@public_page(KEY)
def news_detail(request, slug):
    news = get_object_or_404(News.objects.published().select_related("author"), slug=slug)
    return render(
        request,
        "newsletter/news_detail.html",
        {"news": news, "body": markdown(news.body), "areas": list(news.areas.all())},
    )
