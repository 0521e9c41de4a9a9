"""How allauth fits this site: the client address it counts sign-in attempts against, and
no second password prompt right after the first."""

import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings
from django.utils import translation

from wspolpraca.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A new account gets its e-mails in the language it signed up in."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        """The same address as the site's own limits use (see core.ratelimit.client_ip).

        allauth's own reading fails with a server error when X-Forwarded-For has fewer
        entries than TRUSTED_PROXY_COUNT; a request that did not pass our proxies is
        counted against its direct peer instead.
        """
        return client_ip(request)

    def is_reauthentication_required(self, *, app, **kwargs):
        """A sign-in with the password is as fresh a proof as a confirmation of it.

        allauth counts only a separate confirmation as recent, so staff who sign in for
        the first time would type the password twice in a row: at sign-in, then again
        before the TOTP set-up and the recovery codes. Within the reauthentication window
        of a sign-in (which for staff with TOTP also took the code, see
        RequireMfaMiddleware) the two-factor pages need no second password; later, allauth
        asks again as it intends.
        """
        request = self.request
        if app == "allauth.mfa" and request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            signed_in_at = [r["at"] for r in records if r.get("method") == "password"]
            if signed_in_at and time.time() - max(signed_in_at) < (
                app_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
