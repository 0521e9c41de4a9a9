"""E-mail: the one way the platform tells a person something.

    from django.utils.translation import gettext_lazy
    from wspolpraca.core import mail

    mail.send(
        [offer.organization_admins…],            # users, or plain addresses
        gettext_lazy("Offer %(number)s received"), # the subject, translated per recipient
        "offers/email/received.txt",               # the body, a plain-text template
        {"offer": offer},
        subject_params={"number": offer.number},
    )

Each recipient gets a message of their own (nobody sees the others' addresses), rendered
in their language (`User.language`; a plain address gets the site's language), recorded
as an `OutgoingEmail`, and sent by a background task once the current transaction commits,
so a rolled-back change tells nobody. Bulk mail (newsletters, digests) passes
`unsubscribe_url`, which adds the List-Unsubscribe headers (RFC 2369 and 8058).

Work replayed rather than done — the demo data, which goes through months of a year's
calls in seconds — runs under `muted()`, where `send` records and queues nothing.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import OutgoingEmail

# Line breaks and other control characters, which have no place in a header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
SUBJECT_PREFIX = "[Współpraca] "
_muted = ContextVar("mail_muted", default=False)


@contextmanager
def muted():
    """Within this block `send` records nothing, queues nothing and returns [] — for work
    replayed rather than done (the demo data), about which nobody is to be told. Blocks
    nest; leaving one restores what was before, even when it is left by an exception.

        with mail.muted():
            publish_results(call, by=official)   # no applicant hears of it
    """
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def safe_subject(subject):
    """One line of at most 150 characters: a name typed with a line break must neither
    raise BadHeaderError nor add a header of its own."""
    return " ".join(_CONTROL.sub(" ", str(subject)).split())[:150]


def _address_and_language(recipient):
    if isinstance(recipient, str):
        return recipient, settings.LANGUAGE_CODE
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    return recipient.email, language


def send(recipients, subject, template, context=None, *, subject_params=None, unsubscribe_url=""):
    """Queue one message per recipient; returns the `OutgoingEmail` records made (none
    under `muted()`)."""
    if _muted.get():
        return []
    context = {"site_url": settings.SITE_URL, **(context or {})}
    headers = {}
    if unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    rendered = {}  # language → (subject, body): each language rendered once
    records = []
    seen = set()
    for recipient in recipients:
        address, language = _address_and_language(recipient)
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        if language not in rendered:
            with translation.override(language):
                text = str(subject) % subject_params if subject_params else str(subject)
                rendered[language] = (
                    safe_subject(SUBJECT_PREFIX + text),
                    render_to_string(template, context),
                )
        records.append(
            OutgoingEmail(
                to=address,
                subject=rendered[language][0],
                body=rendered[language][1],
                template=template,
                language=language,
                headers=headers,
            )
        )
    OutgoingEmail.objects.bulk_create(records)
    for record in records:
        transaction.on_commit(lambda pk=record.pk: deliver.enqueue(pk))
    return records


@task()
def deliver(pk):
    """Send one queued e-mail and record the outcome; a failure is recorded, then raised
    so the task backend shows it."""
    record = OutgoingEmail.objects.get(pk=pk)
    if record.status == OutgoingEmail.Status.SENT:
        return "already sent"
    message = EmailMessage(record.subject, record.body, None, [record.to], headers=record.headers)
    try:
        message.send()
    except Exception as error:
        record.status = OutgoingEmail.Status.FAILED
        record.error = f"{type(error).__name__}: {error}"
        record.save(update_fields=["status", "error"])
        raise
    record.status = OutgoingEmail.Status.SENT
    record.sent_at = timezone.now()
    record.error = ""
    record.save(update_fields=["status", "sent_at", "error"])
    return "sent"
