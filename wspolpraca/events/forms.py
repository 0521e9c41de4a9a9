"""The forms of events: the calendar's filters (GET), an event (an NGO's, or the city's
training or meeting), and the reasons for rejecting and cancelling."""

import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.core import feed
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.organizations.models import District, PublicBenefitArea
from wspolpraca.organizations.widgets import AreaChoiceWidget, area_short_label

from . import services
from .models import Event

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def add_service_error(form, error):
    """Put an EventError next to its field, or above the form."""
    field = FIELD_OF.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


# The services name the model's fields; the form asks for dates and times apart.
FIELD_OF = {
    "starts_at": "day",
    "ends_at": "ends",
    "registration_until": "registration_until",
}


# ---------------------------------------------------------------------------------------
# The calendar's filters


class CalendarFilterForm(forms.Form):
    """The calendar's filters, all in the URL: area, kinds, district and month. A value
    that is not valid is reported next to its field and left out of the filter."""

    obszar = forms.ChoiceField(label=_("Public benefit area"), required=False, widget=PlainSelect)
    rodzaj = forms.MultipleChoiceField(
        label=_("What to show"), required=False, widget=forms.CheckboxSelectMultiple
    )
    dzielnica = forms.ChoiceField(label=_("District"), required=False, widget=PlainSelect)
    miesiac = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("Year and month, for example 2026-05."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "width-10"}),
    )

    def __init__(self, data=None, *, areas, districts, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["obszar"].choices = [("", _("all areas"))] + [
            (a.code, area_short_label(a)) for a in areas
        ]
        # Things that happen at a time, by their names (a room or news has no date).
        self.fields["rodzaj"].choices = sorted(
            ((kind, feed.label(kind)) for kind in feed.kinds(dated=True)), key=lambda c: c[1]
        )
        self.fields["dzielnica"].choices = [("", _("the whole city"))] + [
            (str(d.number), str(d)) for d in districts
        ]

    def clean_miesiac(self):
        value = (self.cleaned_data.get("miesiac") or "").strip()
        if not value:
            return None
        found = MONTH.match(value)
        if not found or not 1 <= int(found[2]) <= 12 or not 1900 < int(found[1]) < 3000:
            raise forms.ValidationError(_("Enter the year and month as 2026-05."))
        return date(int(found[1]), int(found[2]), 1)

    def value(self, name, default=None):
        """A filter's clean value, or `default` when it was empty or not valid."""
        if not self.is_bound:
            return default
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


# ---------------------------------------------------------------------------------------
# An event


class EventForm(forms.ModelForm):
    """The questions of an event, in the order a person answers them. Dates and times are
    asked apart (a date picker and a time box work everywhere, a combined one does not)."""

    organization = forms.TypedChoiceField(
        label=_("On behalf of"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the organization the event is of.")},
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Public benefit areas"),
        queryset=PublicBenefitArea.objects.none(),
        widget=AreaChoiceWidget,
        help_text=_("People following these areas find the event in the calendar."),
        error_messages={"required": _("Choose at least one public benefit area.")},
    )
    day = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Enter the date."), "invalid": _("Enter a real date.")},
    )
    starts = forms.TimeField(
        label=_("Starts at"),
        widget=TIME_WIDGET,
        error_messages={
            "required": _("Enter the time it starts."),
            "invalid": _("Enter a time such as 17:30."),
        },
    )
    ends_day = forms.DateField(
        label=_("Ends on"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Only when it lasts more than a day."),
        error_messages={"invalid": _("Enter a real date.")},
    )
    ends = forms.TimeField(
        label=_("Ends at"),
        widget=TIME_WIDGET,
        error_messages={
            "required": _("Enter the time it ends."),
            "invalid": _("Enter a time such as 19:00."),
        },
    )
    registration_until = forms.DateField(
        label=_("Registration open until"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("The last day to register. Empty: until the event starts."),
        error_messages={"invalid": _("Enter a real date.")},
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "areas",
            "district",
            "place",
            "online",
            "online_link",
            "capacity",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"online": _("It takes place online (too)")}
        help_texts = {
            "title": _("What it is, in a few words a resident understands."),
            "description": _(
                "What happens, for whom, what to bring; whether the place is accessible."
            ),
            "district": _("Leave empty when it is not tied to one district."),
            "place": _("The address, and the room or entrance if it helps."),
            "online_link": _(
                "When registration is needed, only the people registered see the link."
            ),
            "capacity": _("Empty: anyone may come, nobody registers."),
        }
        error_messages = {
            "title": {"required": _("Enter the title of the event.")},
            "description": {"required": _("Describe the event.")},
            "online_link": {"invalid": _("Enter the full link, starting with https://.")},
            "capacity": {"invalid": _("Enter the number of places in digits.")},
        }

    def __init__(self, *args, organizations=(), city=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self._organizations = {o.pk: o for o in organizations}
        self.fields["areas"].queryset = PublicBenefitArea.objects.current()
        self.fields["district"].queryset = District.objects.all()
        self.fields["district"].empty_label = _("not tied to a district")
        self.fields["kind"].label = _("What is it?")
        self.fields["description"].max_length = services.MAX_DESCRIPTION
        self.fields["description"].widget.attrs["maxlength"] = services.MAX_DESCRIPTION
        if city:
            self.fields["kind"].choices = [
                c for c in Event.Kind.choices if c[0] != Event.Kind.EVENT
            ]
            self.fields["kind"].initial = self.initial.get("kind") or Event.Kind.TRAINING
            del self.fields["organization"]
        else:
            del self.fields["kind"]
            # Asked only of a person in several organizations, when the event is new.
            if len(organizations) > 1 and not self.instance.pk:
                self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]
            else:
                del self.fields["organization"]
        if self.instance.pk:
            self._initial_from(self.instance)

    def _initial_from(self, event):
        starts = timezone.localtime(event.starts_at)
        ends = timezone.localtime(event.ends_at)
        self.initial.setdefault("day", starts.date())
        self.initial.setdefault("starts", starts.time())
        self.initial.setdefault("ends", ends.time())
        if ends.date() != starts.date():
            self.initial.setdefault("ends_day", ends.date())
        if event.registration_until:
            until = timezone.localtime(event.registration_until)
            # Stored as the moment it closes: the end of the chosen day.
            if until.time() == time.min:
                until -= timedelta(days=1)
            self.initial.setdefault("registration_until", until.date())

    def clean_organization(self):
        return self._organizations.get(self.cleaned_data.get("organization"))

    def chosen_organization(self):
        """The organization the event is of: chosen, or the person's only one."""
        if "organization" in self.fields:
            return self.cleaned_data.get("organization")
        return next(iter(self._organizations.values()), None)

    def clean(self):
        data = super().clean()
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day is None or starts is None or ends is None:
            return data
        end_day = data.get("ends_day") or day
        if end_day < day:
            self.add_error("ends_day", _("The event cannot end before the day it starts."))
            return data
        data["starts_at"] = timezone.make_aware(datetime.combine(day, starts))
        data["ends_at"] = timezone.make_aware(datetime.combine(end_day, ends))
        until = data.get("registration_until")
        data["registration_until_at"] = None
        if until is not None:
            if until > day:
                self.add_error(
                    "registration_until",
                    _("Registration must close by the day of the event."),
                )
                return data
            # Open to the end of the chosen day, but never past the start.
            data["registration_until_at"] = min(
                timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min)),
                data["starts_at"],
            )
        for field, message in services.event_errors(self.service_data()).items():
            field = FIELD_OF.get(field, field)
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def service_data(self):
        """What the services take: the model's field names, aware datetimes."""
        data = self.cleaned_data
        values = {
            "title": data.get("title", ""),
            "description": data.get("description", ""),
            "district": data.get("district"),
            "place": data.get("place", ""),
            "online": data.get("online", False),
            "online_link": data.get("online_link", ""),
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
            "capacity": data.get("capacity"),
            "registration_until": data.get("registration_until_at"),
            "areas": list(data.get("areas") or []),
        }
        if self.city:
            values["kind"] = data.get("kind") or Event.Kind.TRAINING
        else:
            values["kind"] = Event.Kind.EVENT
        return values


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Write the reason.")},
    )

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text
