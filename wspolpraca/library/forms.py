"""The library's forms: a study (prepared by an organization's member or by city staff),
a reason (rejecting, hiding), a research topic and the city's answer to it. Rendered with
the site's form layout (core/forms/)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.uploads import accept_upload
from wspolpraca.organizations.models import District, Organization, PublicBenefitArea

from . import services
from .files import STUDY_TYPES
from .models import TOPIC_ANSWERS, ResearchTopic, Study, study_file_max_size


def add_service_error(form, error):
    """Put a LibraryError next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_label


class StudyForm(forms.Form):
    """A study. An organization's member submits it for one of their organizations; city
    staff say who published it (and may name an organization of the directory)."""

    organization = forms.ChoiceField(
        label=_("On behalf of which organization?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the organization the study is submitted for.")},
    )
    publisher_type = forms.ChoiceField(
        label=_("Who published the study?"),
        choices=[(value, capfirst(label)) for value, label in Study.PublisherType.choices],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who published the study.")},
    )
    publisher_name = forms.CharField(
        label=_("Name of the publisher"),
        max_length=300,
        required=False,
        help_text=_(
            "As the study is signed, e.g. ‘Wydział Polityki Społecznej i Zdrowia’ or "
            "‘Uniwersytet Jagielloński, Instytut Socjologii’."
        ),
    )
    organization_krs = forms.CharField(
        label=_("KRS number of the organization"),
        max_length=10,
        required=False,
        help_text=_(
            "Only when an organization published it and it is in the directory: the study's "
            "page then links to the organization's."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        error_messages={
            "required": _("Enter the title of the study."),
            "max_length": _("Shorten the title to 300 characters or fewer."),
        },
    )
    authors = forms.CharField(
        label=_("Authors"),
        max_length=500,
        help_text=_("People or teams, separated by commas."),
        error_messages={
            "required": _("Enter the authors of the study."),
            "max_length": _("Shorten the list of authors to 500 characters or fewer."),
        },
    )
    year = forms.IntegerField(
        label=_("Year of publication"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
        error_messages={
            "required": _("Enter the year the study was published, e.g. 2024."),
            "invalid": _("Enter the year in digits, e.g. 2024."),
        },
    )
    areas = AreaChoiceField(
        label=_("Public benefit areas"),
        queryset=PublicBenefitArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to five; people filter the library by them."),
        error_messages={"required": _("Choose at least one public benefit area.")},
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave them all unticked when the study concerns the whole city."),
    )
    abstract = forms.CharField(
        label=_("Abstract"),
        max_length=services.MAX_ABSTRACT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was studied, how, and what came out of it, in plain words."),
        error_messages={
            "required": _("Write the abstract."),
            "max_length": _("Shorten the abstract to 5,000 characters or fewer."),
        },
    )
    file = forms.FileField(
        label=_("File of the study"),
        required=False,
        help_text="",
    )
    link = forms.URLField(
        label=_("Link to the study"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where it is published, e.g. in the BIP or on a university's site."),
        error_messages={"invalid": _("Enter the full address, e.g. https://www.bip.krakow.pl/…")},
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=[(value, capfirst(label)) for value, label in Study.Licence.choices],
        widget=forms.RadioSelect,
        help_text=_("What others may do with the study. CC BY 4.0 lets anyone reuse it."),
        error_messages={"required": _("Choose the licence.")},
    )
    licence_other = forms.CharField(
        label=_("The other licence"),
        max_length=300,
        required=False,
        help_text=_("Only when you chose ‘other’: its name, or the terms in a sentence."),
    )

    def __init__(self, *args, organizations=(), staff=False, study=None, **kwargs):
        self.organizations = list(organizations)
        self.staff = staff
        self.study = study
        if study is not None:
            kwargs.setdefault("initial", initial_of(study))
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = PublicBenefitArea.objects.current()
        self.fields["file"].help_text = _(
            "PDF, DOCX, ODT, XLSX or ODS, at most %(size)s MB. Give a file, a link or both."
        ) % {"size": study_file_max_size() // (1024 * 1024)}
        if study is not None and study.file:
            self.fields["file"].help_text = _(
                "A file is attached (%(type)s). Choose another only to replace it."
            ) % {"type": study.file_type.upper()}
        if staff:
            del self.fields["organization"]
        else:
            del self.fields["publisher_type"]
            del self.fields["organization_krs"]
            if study is not None:
                del self.fields["organization"]
            else:
                self.fields["organization"].choices = [
                    (str(org.pk), org.name) for org in self.organizations
                ]
            self.fields["publisher_name"].help_text = _(
                "Leave it empty to sign the study with the organization's name."
            )

    def clean_file(self):
        return accept_upload(
            self.cleaned_data.get("file"), types=STUDY_TYPES, max_size=study_file_max_size()
        )

    def clean_organization_krs(self):
        krs = (self.cleaned_data.get("organization_krs") or "").strip()
        if not krs:
            return None
        if not (krs.isascii() and krs.isdigit()):
            raise forms.ValidationError(_("Enter the KRS number: ten digits."))
        organization = Organization.objects.filter(krs=krs.zfill(10)).first()
        if organization is None:
            raise forms.ValidationError(
                _("No organization with this KRS number is in the directory; leave it empty.")
            )
        return organization

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file")) or bool(self.study is not None and self.study.file)
        checked = {k: v for k, v in data.items() if k != "areas"}
        if "areas" in data:
            checked["areas"] = list(data["areas"])
        for field, message in services.study_errors(checked, has_file=has_file).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        if self.staff and data.get("publisher_type") != Study.PublisherType.NGO:
            if data.get("organization_krs") and "organization_krs" not in self.errors:
                self.add_error(
                    "organization_krs",
                    _("Give a KRS number only when an organization published the study."),
                )
        return data

    def chosen_organization(self):
        """The organization the study is for: the member's choice, or the one staff named."""
        if self.staff:
            return self.cleaned_data.get("organization_krs")
        if self.study is not None:
            return self.study.organization
        chosen = self.cleaned_data.get("organization")
        for org in self.organizations:
            if str(org.pk) == chosen:
                return org
        return None

    def service_data(self):
        data = self.cleaned_data
        values = {name: data[name] for name in services.EDITABLE if name in data}
        values["areas"] = list(data["areas"])
        values["districts"] = list(data["districts"])
        values["file"] = data.get("file") or None
        return values


def initial_of(study):
    initial = {name: getattr(study, name) for name in services.EDITABLE}
    initial["areas"] = [area.pk for area in study.areas.all()]
    initial["districts"] = [district.pk for district in study.districts.all()]
    if study.organization_id and study.organization.krs:
        initial["organization_krs"] = study.organization.krs
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(label="", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, label, help_text, required_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = required_message
        self.fields["reason"].error_messages["max_length"] = _(
            "Shorten the reason to 2,000 characters or fewer."
        )


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("In a few words, e.g. ‘Loneliness of seniors in Nowa Huta’."),
        error_messages={
            "required": _("Enter the topic."),
            "max_length": _("Shorten the topic to 200 characters or fewer."),
        },
    )
    description = forms.CharField(
        label=_("What should be studied and why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What we do not know today, who would use the answer and for what. Everyone "
            "reads it, with your name."
        ),
        error_messages={
            "required": _("Write what should be studied and why."),
            "max_length": _("Shorten the description to 4,000 characters or fewer."),
        },
    )
    areas = AreaChoiceField(
        label=_("Public benefit areas"),
        queryset=PublicBenefitArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to five."),
        error_messages={"required": _("Choose at least one public benefit area.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = PublicBenefitArea.objects.current()

    def clean_areas(self):
        areas = self.cleaned_data["areas"]
        if len(areas) > services.MAX_AREAS:
            raise forms.ValidationError(_("Choose at most five areas."))
        return areas


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The city's answer"),
        choices=[(value, capfirst(ResearchTopic.Status(value).label)) for value in TOPIC_ANSWERS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the city's answer.")},
    )
    answer = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why, and what happens next. The author gets it by e-mail; everyone reads it on "
            "the topic's page."
        ),
        error_messages={
            "required": _("Give the reason for the answer: the author and everyone read it."),
            "max_length": _("Shorten the reason to 4,000 characters or fewer."),
        },
    )
    study = forms.IntegerField(
        label=_("Number of the resulting study"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
        help_text=_(
            "Only for a topic taken up, once the study is published in the library: its "
            "number is on its page."
        ),
        error_messages={"invalid": _("Enter the study's number in digits.")},
    )

    def __init__(self, *args, topic=None, **kwargs):
        if topic is not None and topic.is_answered:
            kwargs.setdefault(
                "initial",
                {"status": topic.status, "answer": topic.answer, "study": topic.study_id},
            )
        super().__init__(*args, **kwargs)

    def clean_study(self):
        number = self.cleaned_data.get("study")
        if number is None:
            return None
        study = Study.objects.published().filter(pk=number).first()
        if study is None:
            raise forms.ValidationError(
                _("No published study has this number. Publish the study first.")
            )
        return study

    def clean(self):
        data = super().clean()
        if data.get("study") and data.get("status") != ResearchTopic.Status.TAKEN_UP:
            self.add_error("study", _("Link a study only to a topic the city has taken up."))
        return data
