from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wspolpraca.organizations.models import PublicBenefitArea
from wspolpraca.organizations.widgets import AreaChoiceWidget

from .models import Kind


class PreferencesForm(forms.Form):
    """What to send and in which language: the same on every page that changes it."""

    areas = forms.ModelMultipleChoiceField(
        label=_("Public benefit areas"),
        queryset=PublicBenefitArea.objects.none(),
        widget=AreaChoiceWidget,
        required=False,
        help_text=_("Choose none to hear about every area."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("What to send you"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing to hear about.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = PublicBenefitArea.objects.current()
        self.fields["kinds"].initial = self.fields["kinds"].initial or list(Kind.values)
        language = get_language() or settings.LANGUAGE_CODE
        self.fields["language"].initial = self.fields["language"].initial or language[:2]

    @classmethod
    def for_subscriber(cls, subscriber, data=None):
        initial = None
        if subscriber is not None:
            initial = {
                "areas": list(subscriber.areas.all()),
                "kinds": subscriber.kinds,
                "language": subscriber.language,
            }
        return cls(data, initial=initial)


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address; the subscription starts once it is followed."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the city keeps my e-mail address and my choices to send me the "
            "newsletter, until I unsubscribe."
        ),
        help_text=_(
            "Only the platform's administrators see the address. Every e-mail has a link to "
            "change your choices and a link to unsubscribe at once."
        ),
        error_messages={"required": _("Agree to the terms to subscribe.")},
    )

    field_order = ["email", "areas", "kinds", "language", "consent"]
