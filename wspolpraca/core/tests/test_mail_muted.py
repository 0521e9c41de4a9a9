"""`mail.muted()`: work replayed rather than done (the demo data) tells nobody."""

import pytest
from django.core import mail as outbox
from django.utils.translation import gettext_lazy

from wspolpraca.core import mail
from wspolpraca.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

TEMPLATE = "core/email/test_notice.txt"
SUBJECT = gettext_lazy("Registration of %(name)s")


def send():
    return mail.send(
        ["a@example.org", "b@example.org"],
        SUBJECT,
        TEMPLATE,
        {"name": "Ala"},
        subject_params={"name": "Fundacja"},
    )


def test_nothing_is_recorded_queued_or_sent_under_muted(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with mail.muted():
            records = send()
    assert records == []
    assert not OutgoingEmail.objects.exists()
    assert callbacks == []
    assert outbox.outbox == []


def test_mail_goes_out_again_after_the_muted_block(django_capture_on_commit_callbacks):
    with mail.muted():
        send()
    with django_capture_on_commit_callbacks(execute=True):
        send()
    assert OutgoingEmail.objects.count() == 2
    assert len(outbox.outbox) == 2


def test_a_nested_muted_block_keeps_the_outer_one_muted():
    with mail.muted():
        with mail.muted():
            send()
        send()
    assert not OutgoingEmail.objects.exists()


def test_leaving_muted_by_an_exception_unmutes():
    with pytest.raises(RuntimeError), mail.muted():
        raise RuntimeError("stop")
    send()
    assert OutgoingEmail.objects.count() == 2
