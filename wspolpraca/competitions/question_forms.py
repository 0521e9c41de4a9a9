"""The form of a question about a call, on the call's page."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .questions import MAX_LENGTH


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        help_text=format_lazy(
            _(
                "The department answers here, for everyone to read; your name is not shown. "
                "You will get the answer by e-mail too. At most {max} characters."
            ),
            max=MAX_LENGTH,
        ),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write your question."),
            "max_length": _(
                "Write at most %(limit_value)s characters; this text has %(show_value)s."
            ),
        },
    )
