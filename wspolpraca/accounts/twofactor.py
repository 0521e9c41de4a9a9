"""Who must sign in with a second factor, and whether this session did.

allauth keeps, in the session, a record of each way the person proved who they are
("password", "mfa", ...). A session counts as two-factor only when it holds an "mfa"
record: the code asked at sign-in, the code asked again by `mfa_reauthenticate`, or the
code that set up TOTP in this very session (see RequireMfaMiddleware). A session made any
other way (Django's own admin login, `force_login`) holds none, so it reaches no staff page.
"""

from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.models import Authenticator


def needs_second_factor(user):
    """City staff, people flagged to need it, and anyone with back-office access."""
    return user.is_authenticated and (user.mfa_required or user.is_staff)


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request):
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def record_totp_activation(request, user):
    """The code that activated TOTP was a second factor too: count it for this session."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )
