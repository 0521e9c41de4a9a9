"""The signed links of the newsletter.

- The *confirmation* link carries the whole request (address, areas, kinds, language) and
  expires: nothing is stored or changed until the owner of the mailbox follows it, so
  nobody can change another person's choices by typing their address into the form.
- The *manage* link (preferences, unsubscribe) names one subscriber by number and their
  secret key, signed; it does not expire, since every digest carries it and RFC 8058
  unsubscribe links must keep working. A link for subscriber A never opens B: the number
  and the key are both inside the signature, and the key is checked against the row.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

CONFIRM_SALT = "wspolpraca.newsletter.confirm"
MANAGE_SALT = "wspolpraca.newsletter.manage"


def confirm_days():
    return getattr(settings, "NEWSLETTER_CONFIRM_DAYS", 7)


def confirmation_token(email, area_ids, kinds, language):
    return signing.dumps(
        {"e": email, "a": sorted(area_ids), "k": list(kinds), "l": language},
        salt=CONFIRM_SALT,
        compress=True,
    )


def read_confirmation(token):
    """The request the token carries, or None when it is altered or expired."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_days() * 86400)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    return data


def manage_token(subscriber):
    return signing.dumps([subscriber.pk, subscriber.key], salt=MANAGE_SALT)


def subscriber_for(token):
    """The subscriber a manage token was made for, or None."""
    from .models import Subscriber

    try:
        pk, key = signing.loads(token, salt=MANAGE_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int) or not isinstance(key, str):
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not constant_time_compare(subscriber.key, key):
        return None
    return subscriber
