from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse


class RequireMfaMiddleware:
    """Sends city staff and commission members to set up TOTP before anything else.

    They may still reach the MFA pages, log out, and static files.
    """

    ALLOWED_URL_NAMES = {"account_logout", "set_language"}
    ALLOWED_PREFIXES = ("/accounts/2fa/", "/static/", "/media/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.mfa_required
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and _url_name(request) not in self.ALLOWED_URL_NAMES
            and not _has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _url_name(request):
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
