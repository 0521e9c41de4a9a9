import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from .twofactor import has_totp, needs_second_factor, record_totp_activation, session_passed_mfa

# Reached by everyone, whatever the state of their second factor.
ALWAYS_ALLOWED_PREFIXES = ("/static/", "/media/", "/i18n/")
ALWAYS_ALLOWED_URL_NAMES = {"account_logout", "set_language"}


class RequireMfaMiddleware:
    """No page for staff until this session has passed the second factor.

    Applies to the people `needs_second_factor` names (city staff, flagged users, anyone
    with back-office access). Without TOTP they are sent to set it up; allauth asks for the
    password again before that (reauthentication), so that page is open to them too. With
    TOTP but a session that never passed the code (a password-only session), they are sent
    to enter the code (`mfa_reauthenticate`) and then back where they were going. Only
    the pages of those two steps, logging out, the language switch and static files are
    reachable meanwhile. This covers the back office and every staff-only view at once.
    """

    SETUP_PREFIXES = ("/accounts/2fa/",)
    SETUP_URL_NAMES = {"account_reauthenticate"}
    CODE_URL_NAMES = {"mfa_reauthenticate"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not needs_second_factor(user) or request.path.startswith(ALWAYS_ALLOWED_PREFIXES):
            return self.get_response(request)
        url_name = _url_name(request)
        if url_name in ALWAYS_ALLOWED_URL_NAMES:
            return self.get_response(request)
        if not has_totp(user):
            if request.path.startswith(self.SETUP_PREFIXES) or url_name in self.SETUP_URL_NAMES:
                response = self.get_response(request)
                # TOTP set up by this request (the activation form, or allauth replaying it
                # after the password was confirmed): the code just entered counts.
                if request.method == "POST" and has_totp(user):
                    record_totp_activation(request, user)
                return response
            return redirect(reverse("mfa_activate_totp"))
        if session_passed_mfa(request) or url_name in self.CODE_URL_NAMES:
            return self.get_response(request)
        target = reverse("mfa_reauthenticate")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class StaffSessionIdleTimeoutMiddleware:
    """Signs staff out after STAFF_SESSION_IDLE_MINUTES without a request (0: never).

    The time of the last request is kept in the session, written at most once a minute.
    """

    SESSION_KEY = "accounts.last_activity"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
        if idle_limit and needs_second_factor(request.user):
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - last > idle_limit:
                logout(request)
                minutes = settings.STAFF_SESSION_IDLE_MINUTES
                messages.info(
                    request,
                    ngettext(
                        "You were signed out after %(minutes)d minute without activity. "
                        "Please sign in again.",
                        "You were signed out after %(minutes)d minutes without activity. "
                        "Please sign in again.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            if last is None or now - last >= self.WRITE_EVERY_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


def _url_name(request):
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
