"""The exchange's forms: a post (publishing and changing it), a message, closing a post,
hiding it and reporting it. Rendered with the site's form layout (core/forms/)."""

from datetime import timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wspolpraca.organizations.forms import clean_nip_number
from wspolpraca.organizations.models import District, PublicBenefitArea

from . import services
from .models import Post, default_days, max_days

BUSINESS = "business"
MAX_AREAS = 5
MAX_DESCRIPTION = 4000


def add_service_error(form, error):
    """Put an ExchangeError next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_label


class PostForm(forms.Form):
    """A post: who posts it (on publishing only), what, where and until when."""

    author = forms.ChoiceField(
        label=_("Who is posting?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is posting.")},
    )
    company_name = forms.CharField(
        label=_("Name of the company"),
        max_length=200,
        required=False,
        help_text=_("Only when you post for a company. It is shown with the post."),
    )
    company_nip = forms.CharField(
        label=_("NIP of the company"),
        max_length=20,
        required=False,
        help_text=_("Ten digits. It tells organizations which company they deal with."),
    )
    side = forms.ChoiceField(
        label=_("Do you offer something or need it?"),
        choices=[(value, capfirst(label)) for value, label in Post.Side.choices],
        widget=forms.RadioSelect,
        help_text=_("A company posts offers only."),
        error_messages={"required": _("Choose whether you offer something or need it.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[(value, capfirst(label)) for value, label in Post.Category.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "Organizations: services, knowledge, equipment, volunteers or space. Companies: "
            "pro bono work, employee volunteering, jobs for people with disabilities, "
            "equipment or space."
        ),
        error_messages={"required": _("Choose the category.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("What you offer or need, in a few words, e.g. ‘Sala na 30 osób w soboty’."),
        error_messages={
            "required": _("Enter the title."),
            "max_length": _("Shorten the title to 150 characters or fewer."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What exactly, when, on what terms. Do not give e-mail addresses or phone "
            "numbers: people write to you through the platform."
        ),
        error_messages={
            "required": _("Write the description."),
            "max_length": _("Shorten the description to 4,000 characters or fewer."),
        },
    )
    areas = AreaChoiceField(
        label=_("Public benefit areas"),
        queryset=PublicBenefitArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to five; people filter the exchange by them."),
        error_messages={"required": _("Choose at least one public benefit area.")},
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("the whole city"),
        help_text=_("Leave ‘the whole city’ when it does not concern one district."),
    )
    expires_on = forms.DateField(
        label=_("Keep the post up until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, e.g. 31.12.2026.")},
    )

    def __init__(self, *args, organizations=(), instance=None, **kwargs):
        self.instance = instance
        self.organizations = list(organizations)
        if instance is not None:
            kwargs.setdefault("initial", initial_of(instance))
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = PublicBenefitArea.objects.current()
        today = timezone.localdate()
        if instance is None:
            self.fields["author"].choices = [
                (str(org.pk), org.name) for org in self.organizations
            ] + [(BUSINESS, _("A company (a business offer)"))]
            self.fields["expires_on"].help_text = _(
                "Leave it empty for %(date)s. At most %(days)s days from today."
            ) % {
                "date": formats.date_format(today + timedelta(days=default_days()), "j E Y"),
                "days": max_days(),
            }
        else:
            del self.fields["author"]
            if instance.author_kind != Post.AuthorKind.BUSINESS:
                del self.fields["company_name"]
                del self.fields["company_nip"]
            self.fields["expires_on"].required = True
            self.fields["expires_on"].error_messages["required"] = _("Enter the date.")
            self.fields["expires_on"].help_text = _("At most %(days)s days from today.") % {
                "days": max_days()
            }

    def author_kind(self):
        if self.instance is not None:
            return self.instance.author_kind
        author = self.cleaned_data.get("author")
        if not author:
            return None
        return Post.AuthorKind.BUSINESS if author == BUSINESS else Post.AuthorKind.ORGANIZATION

    def organization(self):
        author = self.cleaned_data.get("author")
        for org in self.organizations:
            if str(org.pk) == author:
                return org
        return None

    def clean_company_nip(self):
        return clean_nip_number(self.cleaned_data.get("company_nip"))

    def clean_areas(self):
        areas = self.cleaned_data["areas"]
        if len(areas) > MAX_AREAS:
            raise forms.ValidationError(_("Choose at most five areas."))
        return areas

    def clean(self):
        data = super().clean()
        kind = self.author_kind()
        if kind == Post.AuthorKind.BUSINESS and "company_name" in self.fields:
            if not (data.get("company_name") or "").strip() and "company_name" not in self.errors:
                self.add_error("company_name", _("Enter the name of the company."))
        expires_on = data.get("expires_on")
        if self.instance is not None and expires_on == self.instance.expires_on:
            expires_on = None  # an unchanged date may lie in the past: extend instead
        if kind:
            errors = services.content_errors(
                kind, data.get("side"), data.get("category"), expires_on
            )
            for field, message in errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def values(self):
        """The cleaned answers as the services take them."""
        data = self.cleaned_data
        values = {
            "side": data["side"],
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "district": data["district"],
            "expires_on": data["expires_on"],
        }
        if "company_name" in self.fields and self.author_kind() == Post.AuthorKind.BUSINESS:
            values["company_name"] = data["company_name"]
            values["company_nip"] = data["company_nip"]
        return values

    def answers(self):
        """(field name, label, lines) for the check-your-answers page."""
        data = self.cleaned_data
        kind = self.author_kind()
        rows = []
        if kind == Post.AuthorKind.BUSINESS:
            rows.append(("author", self.fields["author"].label, [_("A company")]))
            rows.append(("company_name", self.fields["company_name"].label, [data["company_name"]]))
            rows.append(
                (
                    "company_nip",
                    self.fields["company_nip"].label,
                    [data["company_nip"]] if data["company_nip"] else [],
                )
            )
        else:
            rows.append(("author", self.fields["author"].label, [self.organization().name]))
        default = timezone.localdate() + timedelta(days=default_days())
        rows += [
            ("side", self.fields["side"].label, [Post.Side(data["side"]).label]),
            ("category", self.fields["category"].label, [Post.Category(data["category"]).label]),
            ("title", self.fields["title"].label, [data["title"]]),
            ("description", self.fields["description"].label, [data["description"]]),
            ("areas", self.fields["areas"].label, [area.short_label for area in data["areas"]]),
            (
                "district",
                self.fields["district"].label,
                [str(data["district"]) if data["district"] else _("the whole city")],
            ),
            (
                "expires_on",
                self.fields["expires_on"].label,
                [formats.date_format(data["expires_on"] or default, "j E Y")],
            ),
        ]
        return rows


def initial_of(post):
    return {
        "company_name": post.company_name,
        "company_nip": post.company_nip,
        "side": post.side,
        "category": post.category,
        "title": post.title,
        "description": post.description,
        "areas": [area.pk for area in post.areas.all()],
        "district": post.district_id,
        "expires_on": post.expires_on,
    }


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The other side reads it here and gets it by e-mail, without your address. "
            "Do not give your e-mail address or phone number unless you want to."
        ),
        error_messages={
            "required": _("Write your message."),
            "max_length": _("Shorten the message to 5,000 characters or fewer."),
        },
    )
    organization = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=None,
        required=False,
        empty_label=_("only myself"),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if organizations:
            from wspolpraca.organizations.models import Organization

            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=[org.pk for org in organizations]
            ).order_by("sort_name", "id")
        else:
            del self.fields["organization"]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(value, capfirst(label)) for value, label in Post.Outcome.choices],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("It helps the city see what the exchange is good for."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The post's author reads it on the post's page and in an e-mail."),
        error_messages={"required": _("Give the reason: the post's author reads it.")},
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: it is an advertisement, it is offensive, it asks for money. "
            "Platform administrators read your report; the author does not learn who sent it."
        ),
        error_messages={
            "required": _("Say what is wrong with the post."),
            "max_length": _("Shorten the report to 2,000 characters or fewer."),
        },
    )
