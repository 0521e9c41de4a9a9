"""The form of a public comment on a small-grant offer, on the offer's page."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .small_grants import MAX_COMMENT_LENGTH, MAX_NAME_LENGTH

TOO_LONG = _("Write at most %(limit_value)s characters; this text has %(show_value)s.")


class CommentForm(forms.Form):
    author_name = forms.CharField(
        label=_("Sign the comment with"),
        help_text=_(
            "Your name, or the name of the organization or group you speak for. It is "
            "shown with the comment."
        ),
        max_length=MAX_NAME_LENGTH,
        error_messages={
            "required": _("Write the name to sign the comment with."),
            "max_length": TOO_LONG,
        },
    )
    text = forms.CharField(
        label=_("Your comment"),
        help_text=format_lazy(
            _(
                "Comments are public: everyone can read yours on this page, signed with the "
                "name above, and the organization is told of it. At most {max} characters."
            ),
            max=MAX_COMMENT_LENGTH,
        ),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your comment."), "max_length": TOO_LONG},
    )
