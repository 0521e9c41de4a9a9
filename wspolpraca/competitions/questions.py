"""Public questions about a call and the department's answers.

Anyone signed in may ask while the call is published and its deadline has not passed; the
department's officials are told by e-mail and answer in the back office. An answer is
public on the call's page, without the name of the person who asked, and is e-mailed to
them. Both steps are recorded in the audit trail.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wspolpraca.city.models import department_recipients
from wspolpraca.core import mail
from wspolpraca.core.audit import record

from .models import Call, CallQuestion

# The longest question or answer, in characters: a question, not a document.
MAX_LENGTH = 2000
# Questions one person may ask in an hour, over all calls (core.ratelimit).
QUESTIONS_PER_HOUR = 10


class QuestionError(Exception):
    """Why a question or an answer cannot be taken; the message is shown to the person."""


class QuestionsClosed(QuestionError):
    """The call no longer takes questions."""


def accepts_questions(call):
    """Questions are taken while the call is published and its deadline has not passed:
    while it is upcoming or open."""
    return call.phase in (Call.Phase.UPCOMING, Call.Phase.OPEN)


def check_open(call):
    """Raise QuestionsClosed, saying why, when `call` takes no questions now."""
    if not accepts_questions(call):
        raise QuestionsClosed(
            _(
                "Questions about this call are no longer taken: they may be asked only "
                "while it is published and before its deadline for offers."
            )
        )


def may_answer(user, call):
    """Those who manage the call: its department's officials and platform admins."""
    return user.has_perm("competitions.manage_call", call)


def _clean_text(text, empty_message):
    text = (text or "").strip()
    if not text:
        raise QuestionError(empty_message)
    if len(text) > MAX_LENGTH:
        raise QuestionError(
            _("Write at most %(max)s characters; this text has %(count)s.")
            % {"max": MAX_LENGTH, "count": len(text)}
        )
    return text


def _answer_url(question):
    """Where an official answers: the question in the back office, if it is there yet."""
    try:
        path = reverse("admin:competitions_callquestion_change", args=[question.pk])
    except NoReverseMatch:
        path = reverse("admin:index")
    return settings.SITE_URL + path


@transaction.atomic
def ask_question(call, user, text):
    """Record `user`'s question about `call` and tell the department's officials."""
    if not user.is_authenticated:
        raise PermissionDenied
    check_open(call)
    text = _clean_text(text, _("Write your question."))
    question = CallQuestion.objects.create(call=call, question=text, asked_by=user)
    record(
        user, "call_question.asked", question, {"call": [None, call.pk], "question": [None, text]}
    )
    # Nobody assigned to the department yet: its own address, else the platform's.
    recipients = department_recipients(call.department)
    context = {
        "call": call,
        "question": question,
        "call_url": settings.SITE_URL + call.get_absolute_url(),
        "answer_url": _answer_url(question),
    }
    transaction.on_commit(
        lambda: mail.send(
            recipients,
            gettext_lazy("A question about the call %(title)s"),
            "competitions/email/question_asked.txt",
            context,
            subject_params={"title": call.title},
        )
    )
    return question


@transaction.atomic
def answer_question(question, user, text):
    """Publish the department's answer to `question` (or correct it) and e-mail the asker."""
    call = question.call
    if not may_answer(user, call):
        raise PermissionDenied
    text = _clean_text(text, _("Write the answer."))
    before = question.answer
    question.answer = text
    question.answered_by = user
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    record(user, "call_question.answered", question, {"answer": [before or None, text]})
    asker = question.asked_by
    if asker is not None and asker.is_active and asker.email:
        context = {
            "call": call,
            "question": question,
            "call_url": f"{settings.SITE_URL}{call.get_absolute_url()}#pytanie-{question.pk}",
        }
        transaction.on_commit(
            lambda: mail.send(
                [asker],
                gettext_lazy("The answer to your question about %(title)s"),
                "competitions/email/question_answered.txt",
                context,
                subject_params={"title": call.title},
            )
        )
    return question
