"""The forms of a consultation: preparing it, its sections and meetings, a postulate, a
remark received outside the platform, an answer, hiding, the report."""

from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.uploads import IMAGE_TYPES, PDF, accept_upload
from wspolpraca.organizations.models import District, PublicBenefitArea

from . import services
from .models import Consultation, Meeting, Postulate, Response

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_ERRORS = {"required": _("Enter the date."), "invalid": _("Enter a real date.")}


def add_service_error(form, error):
    """Put a ConsultationError next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ConsultationForm(forms.ModelForm):
    draft_text = forms.CharField(
        label=_("Text of the draft document"),
        help_text=_(
            "Paste the draft. It is split into numbered sections at lines such as "
            "‘§ 1’, ‘Art. 2’, ‘Rozdział III’ or ‘4.’ (else at each paragraph); you can "
            "adjust the sections next."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    document = forms.FileField(
        label=_("Or upload the draft"),
        help_text=_("A Word (.docx), OpenDocument (.odt) or plain text (.txt) file."),
        required=False,
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "document_title",
            "summary",
            "areas",
            "districts",
            "forms",
            "information_from",
            "opens_on",
            "closes_on",
            "report_due",
            "contact_email",
            "infographic",
            "infographic_text",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "infographic_text": forms.Textarea(attrs={"rows": 3}),
            "areas": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "information_from": DATE_WIDGET,
            "opens_on": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
            "report_due": DATE_WIDGET,
        }
        help_texts = {
            "title": _("What is consulted, in words a resident understands."),
            "information_from": _(
                "From this day the consultation and its draft are public, before it opens."
            ),
            "report_due": _("Leave empty for the day the rules suggest."),
            "contact_email": _("Where remarks can be sent by e-mail."),
        }
        error_messages = {
            "title": {"required": _("Enter the subject of the consultation.")},
            "document_title": {"required": _("Enter the title of the draft document.")},
            "summary": {"required": _("Write the summary in plain language.")},
            "areas": {"required": _("Choose at least one public benefit area.")},
            "information_from": DATE_ERRORS,
            "opens_on": DATE_ERRORS,
            "closes_on": DATE_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Stored as a JSON list; chosen from the forms the rules know.
        self.fields["forms"] = forms.MultipleChoiceField(
            label=_("Forms of participation"),
            choices=Consultation.Form.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose the forms of participation.")},
        )
        self.fields["areas"].queryset = PublicBenefitArea.objects.current()
        self.fields["districts"].queryset = District.objects.all()
        self.fields["report_due"].required = False
        self.fields["report_due"].error_messages = {"invalid": _("Enter a real date.")}
        rules = services.ConsultationRules.current()
        self.fields["forms"].help_text = _(
            "At least %(count)s; one of them an open meeting or workshop."
        ) % {"count": rules.min_forms}
        self.fields["opens_on"].help_text = _(
            "At least %(days)s days after the information starts."
        ) % {"days": rules.information_days}
        self.fields["closes_on"].help_text = _(
            "At least %(days)s days of consultation, the first and last day included."
        ) % {"days": rules.open_days}
        if self.instance.pk:
            del self.fields["draft_text"]
            del self.fields["document"]

    def clean_infographic(self):
        return accept_upload(
            self.cleaned_data.get("infographic"),
            types=IMAGE_TYPES,
            max_size=settings.LOGO_MAX_SIZE,
        )

    def clean(self):
        data = super().clean()
        dates = [data.get(name) for name in ("information_from", "opens_on", "closes_on")]
        if all(dates):
            report_due = data.get("report_due") or services.suggested_report_due(dates[2])
            data["report_due"] = report_due
            for field, message in services.timeline_errors(*dates, report_due).items():
                if field not in self.errors:
                    self.add_error(field, message)
        if data.get("infographic") and not (data.get("infographic_text") or "").strip():
            self.add_error("infographic_text", _("Say in words what the infographic shows."))
        if "draft_text" in self.fields:
            upload = data.get("document")
            if upload:
                try:
                    data["draft_text"] = services.text_of_upload(upload)
                except services.ConsultationError as error:
                    add_service_error(self, error)
            if not (data.get("draft_text") or "").strip() and "document" not in self.errors:
                self.add_error(
                    "draft_text", _("Paste the text of the draft, or upload it as a file.")
                )
        return data


class SectionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self):
        data = super().clean()
        title, text = (data.get("title") or "").strip(), (data.get("text") or "").strip()
        if text and not title:
            self.add_error("title", _("Give the section a title."))
        if title and not text:
            self.add_error("text", _("Write the text of the section."))
        return data


SectionFormSet = forms.formset_factory(SectionForm, extra=1, can_delete=True)


class MeetingForm(forms.ModelForm):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    starts = forms.TimeField(
        label=_("Starts at"),
        widget=TIME_WIDGET,
        error_messages={
            "required": _("Enter the time it starts."),
            "invalid": _("Enter a time such as 17:30."),
        },
    )
    ends = forms.TimeField(
        label=_("Ends at"),
        widget=TIME_WIDGET,
        error_messages={
            "required": _("Enter the time it ends."),
            "invalid": _("Enter a time such as 19:00."),
        },
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "place", "capacity"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "title": {"required": _("Enter the topic of the meeting.")},
            "place": {"required": _("Enter where it takes place.")},
        }

    def __init__(self, *args, consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = _("Between %(opens)s and %(closes)s.") % {
            "opens": consultation.opens_on.strftime("%d.%m.%Y"),
            "closes": consultation.closes_on.strftime("%d.%m.%Y"),
        }
        self.order_fields(["kind", "title", "day", "starts", "ends", "place", "capacity"])

    def clean(self):
        data = super().clean()
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day and not (self.consultation.opens_on <= day <= self.consultation.closes_on):
            self.add_error("day", _("The meeting must take place while the consultation is open."))
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The meeting must end after it starts."))
        return data

    def save(self, commit=True):
        meeting = super().save(commit=False)
        meeting.consultation = self.consultation
        data = self.cleaned_data
        meeting.starts_at = timezone.make_aware(datetime.combine(data["day"], data["starts"]))
        meeting.ends_at = timezone.make_aware(datetime.combine(data["day"], data["ends"]))
        if commit:
            meeting.save()
        return meeting


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the attachment"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("A PDF of at most 10 MB."))

    def clean_file(self):
        return accept_upload(
            self.cleaned_data.get("file"), types=(PDF,), max_size=settings.ATTACHMENT_MAX_SIZE
        )


class PostulateForm(forms.Form):
    section = forms.ChoiceField(label=_("Which part of the document is it about?"))
    organization = forms.ChoiceField(label=_("On whose behalf"), widget=forms.RadioSelect)
    proposal = forms.CharField(
        label=_("The change you propose"),
        help_text=_("What should the document say, add or leave out?"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the change you propose.")},
    )
    justification = forms.CharField(
        label=_("Why"),
        help_text=_("Your reasons help the department answer."),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write why you propose it.")},
    )

    def __init__(self, *args, consultation, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {str(s.number): s for s in consultation.sections.all()}
        self.fields["section"].choices = [("", _("the whole document"))] + [
            (number, str(section)) for number, section in self.sections.items()
        ]
        self.fields["section"].required = False
        self.organizations = {str(o.pk): o for o in organizations}
        self.fields["organization"].choices = [("", _("myself, as a resident"))] + [
            (pk, o.name) for pk, o in self.organizations.items()
        ]
        self.fields["organization"].required = False
        if not organizations:
            self.fields["organization"].widget = forms.HiddenInput()

    def clean_section(self):
        return self.sections.get(self.cleaned_data.get("section") or "")

    def clean_organization(self):
        value = self.cleaned_data.get("organization") or ""
        if value and value not in self.organizations:
            raise forms.ValidationError(
                _("You can write on behalf of an organization you are a member of only.")
            )
        return self.organizations.get(value)


class RemarkForm(PostulateForm):
    author_name = forms.CharField(
        label=_("Who sent it"),
        help_text=_("A person's or organization's name, as on the letter or e-mail."),
        max_length=300,
        error_messages={"required": _("Write who sent the remark.")},
    )
    source = forms.ChoiceField(
        label=_("How it was received"),
        choices=[c for c in Postulate.Source.choices if c[0] != Postulate.Source.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the remark was received.")},
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, consultation=consultation, organizations=[], **kwargs)
        del self.fields["organization"]
        self.fields["justification"].required = False
        self.fields["proposal"].label = _("The remark")
        self.fields["proposal"].help_text = ""
        self.fields["proposal"].error_messages["required"] = _("Write the remark.")
        self.order_fields(["source", "received_on", "author_name", "section"])


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden"),
        help_text=_("Shown publicly in place of the postulate, e.g. ‘offensive language’."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason for hiding; it is shown publicly.")},
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=Response.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the answer.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required for every answer other than ‘accepted’; published with it."),
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome")
            and data["outcome"] != Response.Outcome.ACCEPTED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason", _("Give the reason: every answer other than ‘accepted’ needs one.")
            )
        return data


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("The course of the consultation"),
        help_text=_(
            "How it was announced and run, and what came of it, in a few paragraphs. The "
            "numbers and every postulate with its answer are added from the data."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe the course of the consultation.")},
    )


def default_timeline(today=None):
    """The earliest lawful dates from today, to prefill a new consultation."""
    today = today or timezone.localdate()
    rules = services.ConsultationRules.current()
    opens = today + timedelta(days=rules.information_days)
    closes = opens + timedelta(days=rules.open_days - 1)
    return {
        "information_from": today,
        "opens_on": opens,
        "closes_on": closes,
    }
