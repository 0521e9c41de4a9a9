"""The forms of events: the calendar's filters (GET), an event (an NGO's, or the city's
training or meeting), and the reasons for rejecting and cancelling."""

import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.city.models import TrainingTopic
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


def _month(value):
    """The first day of the month typed as 2026-05, or None when nothing was typed."""
    value = (value or "").strip()
    if not value:
        return None
    found = MONTH.match(value)
    if not found or not 1 <= int(found[2]) <= 12 or not 1900 < int(found[1]) < 3000:
        raise forms.ValidationError(_("Enter the year and month as 2026-05."))
    return date(int(found[1]), int(found[2]), 1)


class FilterValues:
    """For GET filter forms: a filter's clean value, or a default when it was empty or
    not valid (the error is shown next to the field, and the filter left out)."""

    def value(self, name, default=None):
        if not self.is_bound:
            return default
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


# ---------------------------------------------------------------------------------------
# The calendar's filters


class CalendarFilterForm(FilterValues, forms.Form):
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
        return _month(self.cleaned_data.get("miesiac"))


# ---------------------------------------------------------------------------------------
# An event


TRAINING_FIELDS = ["topics", "level", "trainer_name", "trainer_note"]


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
    topics = forms.ModelMultipleChoiceField(
        label=_("Training topics"),
        queryset=TrainingTopic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "For a training: choose at least one. The topics come from the yearly survey "
            "of organizations' training needs."
        ),
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
            "level",
            "trainer_name",
            "trainer_note",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "level": forms.RadioSelect,
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
            "level": _("For a training: who it is for."),
            "trainer_name": _("For a training: the person who runs it."),
            "trainer_note": _("For a training, in a sentence: what the trainer does or knows."),
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
        self.fields["topics"].queryset = TrainingTopic.objects.all()
        self.fields["level"].required = False
        self.fields["level"].choices = Event.Level.choices
        kinds = services.CITY_KINDS if city else services.NGO_KINDS
        self.fields["kind"].choices = [c for c in Event.Kind.choices if c[0] in kinds]
        self.fields["kind"].required = False
        self.fields["kind"].initial = self.initial.get("kind") or kinds[0]
        if city:
            del self.fields["organization"]
        else:
            # Asked only of a person in several organizations, when the event is new.
            if len(organizations) > 1 and not self.instance.pk:
                self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]
            else:
                del self.fields["organization"]
        if self.instance.pk:
            self._initial_from(self.instance)
        # The questions of a training only come last, after those every event answers.
        self.order_fields([n for n in self.fields if n not in TRAINING_FIELDS] + TRAINING_FIELDS)

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
        if event.kind == Event.Kind.TRAINING:
            self.initial.setdefault("topics", list(event.topics.all()))

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
        kinds = services.CITY_KINDS if self.city else services.NGO_KINDS
        kind = data.get("kind") or (self.instance.kind if self.instance.pk else kinds[0])
        values["kind"] = kind if kind in kinds else kinds[0]
        if values["kind"] == Event.Kind.TRAINING:
            values["topics"] = list(data.get("topics") or [])
            values["level"] = data.get("level") or ""
            values["trainer_name"] = data.get("trainer_name", "")
            values["trainer_note"] = data.get("trainer_note", "")
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


# ---------------------------------------------------------------------------------------
# The training offer's filters


class TrainingFilterForm(FilterValues, forms.Form):
    """The training offer's filters, all in the URL: topic, level, online, area, month."""

    temat = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=TrainingTopic.objects.none(),
        required=False,
        empty_label=_("all topics"),
        widget=PlainSelect,
    )
    poziom = forms.ChoiceField(label=_("Level"), required=False, widget=PlainSelect)
    forma = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[
            ("", _("online and in person")),
            ("online", _("online")),
            ("na-miejscu", _("in person")),
        ],
        widget=PlainSelect,
    )
    obszar = forms.ChoiceField(label=_("Public benefit area"), required=False, widget=PlainSelect)
    miesiac = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("Year and month, for example 2026-05."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "width-10"}),
    )

    def __init__(self, data=None, *, topics, areas, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["temat"].queryset = TrainingTopic.objects.all()
        # The topics are read once by the view; the select need not read them again.
        self.fields["temat"].choices = [("", _("all topics"))] + [(t.pk, t.name) for t in topics]
        self.fields["poziom"].choices = [("", _("all levels"))] + list(Event.Level.choices)
        self.fields["obszar"].choices = [("", _("all areas"))] + [
            (a.code, area_short_label(a)) for a in areas
        ]

    def clean_miesiac(self):
        return _month(self.cleaned_data.get("miesiac"))

    def apply(self, trainings):
        """The trainings that match the valid filters."""
        topic = self.value("temat")
        if topic:
            trainings = trainings.filter(topics=topic)
        level = self.value("poziom")
        if level:
            trainings = trainings.filter(level=level)
        form = self.value("forma")
        if form == "online":
            trainings = trainings.filter(online=True)
        elif form == "na-miejscu":
            trainings = trainings.exclude(place="")
        area = self.value("obszar")
        if area:
            trainings = trainings.filter(areas__code=area)
        first = self.value("miesiac")
        if first:
            following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            trainings = trainings.filter(
                starts_at__gte=timezone.make_aware(datetime.combine(first, time.min)),
                starts_at__lt=timezone.make_aware(datetime.combine(following, time.min)),
            )
        return trainings


class SlotFilterForm(FilterValues, forms.Form):
    temat = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=TrainingTopic.objects.none(),
        required=False,
        empty_label=_("all topics"),
        widget=PlainSelect,
    )

    def __init__(self, data=None, *, topics, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["temat"].queryset = TrainingTopic.objects.all()
        self.fields["temat"].choices = [("", _("all topics"))] + [(t.pk, t.name) for t in topics]


# ---------------------------------------------------------------------------------------
# Mentoring


SLOT_FIELD_OF = {"starts_at": "day", "ends_at": "ends"}


def add_slot_error(form, error):
    field = SLOT_FIELD_OF.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


class SlotForm(forms.Form):
    """A consultation slot: the day, from–to, the topic, where."""

    day = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Enter the date."), "invalid": _("Enter a real date.")},
    )
    starts = forms.TimeField(
        label=_("From"),
        widget=TIME_WIDGET,
        error_messages={
            "required": _("Enter the time it starts."),
            "invalid": _("Enter a time such as 10:00."),
        },
    )
    ends = forms.TimeField(
        label=_("To"),
        widget=TIME_WIDGET,
        error_messages={
            "required": _("Enter the time it ends."),
            "invalid": _("Enter a time such as 11:00."),
        },
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=TrainingTopic.objects.all(),
        required=False,
        empty_label=_("another topic: I write it below"),
        help_text=_("One of the training topics, or write your own below."),
    )
    topic_text = forms.CharField(
        label=_("Topic in your own words"),
        max_length=200,
        required=False,
        help_text=_("For example: help with writing an offer in an open call."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("The address, and the room if it helps."),
    )
    online = forms.BooleanField(label=_("It takes place online"), required=False)
    online_link = forms.URLField(
        label=_("Link to join online"),
        required=False,
        help_text=_("Only the person who books sees it."),
        error_messages={"invalid": _("Enter the full link, starting with https://.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to prepare or bring, for example the call's documents."),
    )

    def clean(self):
        data = super().clean()
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day is not None and starts is not None and ends is not None:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, starts))
            data["ends_at"] = timezone.make_aware(datetime.combine(day, ends))
        for field, message in services.slot_errors(self.service_data()).items():
            field = SLOT_FIELD_OF.get(field, field)
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def service_data(self):
        data = self.cleaned_data
        return {
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
            "topic": data.get("topic"),
            "topic_text": data.get("topic_text", ""),
            "place": data.get("place", ""),
            "online": data.get("online", False),
            "online_link": data.get("online_link", ""),
            "note": data.get("note", ""),
        }


class BookingForm(forms.Form):
    organization = forms.TypedChoiceField(
        label=_("For which organization?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the organization you book for.")},
    )
    need = forms.CharField(
        label=_("What do you need help with?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A few sentences for the mentor to prepare: the call or project, what is "
            "ready and where you are stuck."
        ),
        error_messages={
            "required": _("Write what you need help with, so that the mentor can prepare.")
        },
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._organizations = {o.pk: o for o in organizations}
        if len(organizations) > 1:
            self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]
        else:
            del self.fields["organization"]

    def clean_organization(self):
        return self._organizations.get(self.cleaned_data.get("organization"))

    def chosen_organization(self):
        if "organization" in self.fields:
            return self.cleaned_data.get("organization")
        return next(iter(self._organizations.values()), None)
