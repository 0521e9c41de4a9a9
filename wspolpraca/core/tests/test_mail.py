"""The one e-mail helper: a message per person, in their language, recorded, sent after
the transaction commits."""

import pytest
from django.core import mail as outbox
from django.db import transaction
from django.utils.translation import gettext_lazy

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core import mail
from wspolpraca.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

TEMPLATE = "core/email/test_notice.txt"
# A subject that is in the catalogue, so the two languages differ.
SUBJECT = gettext_lazy("Registration of %(name)s")


def send(recipients, **kwargs):
    return mail.send(
        recipients,
        SUBJECT,
        TEMPLATE,
        {"name": "Ala"},
        subject_params={"name": "Fundacja"},
        **kwargs,
    )


def test_each_recipient_gets_a_message_of_their_own(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(["a@example.org", "b@example.org"])
    assert sorted(m.to[0] for m in outbox.outbox) == ["a@example.org", "b@example.org"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in outbox.outbox)


def test_a_person_is_written_to_in_their_language(django_capture_on_commit_callbacks):
    polish = UserFactory(email="pl@example.org", language="pl")
    english = UserFactory(email="en@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        send([polish, english])
    by_address = {m.to[0]: m for m in outbox.outbox}
    assert by_address["en@example.org"].subject == "[Współpraca] Registration of Fundacja"
    assert "Hello, Ala." in by_address["en@example.org"].body
    assert by_address["pl@example.org"].subject != by_address["en@example.org"].subject
    assert "Fundacja" in by_address["pl@example.org"].subject


def test_every_message_is_recorded_as_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(["a@example.org"])
    record = OutgoingEmail.objects.get()
    assert (record.to, record.status, record.template) == ("a@example.org", "sent", TEMPLATE)
    assert record.sent_at is not None
    assert record.body == outbox.outbox[0].body


def test_nothing_is_sent_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send(["a@example.org"])
            raise RuntimeError("the change failed")
    assert outbox.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_one_address_given_twice_gets_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(["a@example.org", "A@example.org"])
    assert len(outbox.outbox) == 1


def test_a_failed_delivery_is_recorded_with_its_error(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "wspolpraca.core.tests.failing_email_backend.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        send(["a@example.org"])
    record = OutgoingEmail.objects.get()
    assert record.status == "failed"
    assert "connection refused" in record.error


def test_bulk_mail_carries_the_unsubscribe_headers(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(["a@example.org"], unsubscribe_url="https://example.org/wypisz/abc/")
    message = outbox.outbox[0]
    assert message.extra_headers["List-Unsubscribe"] == "<https://example.org/wypisz/abc/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_subject_typed_with_line_breaks_stays_one_line(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail.send(
            ["a@example.org"],
            SUBJECT,
            TEMPLATE,
            {"name": "x"},
            subject_params={"name": "Fundacja\r\nBcc: x@example.org"},
        )
    assert "\n" not in outbox.outbox[0].subject and "\r" not in outbox.outbox[0].subject


def test_erasing_an_account_drops_the_record_of_emails_sent_to_it(
    django_capture_on_commit_callbacks,
):
    from wspolpraca.accounts.services import erase_account

    person = UserFactory(email="ala@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        send([person, "inny@example.org"])
    erase_account(person)
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["inny@example.org"]
