"""The forms of the rooms' pages: the search filters (GET, in the URL), the booking
request, the waiting list, and the managers' decisions."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wspolpraca.organizations.models import District

from . import services
from .models import Equipment

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_ERRORS = {
    "required": _("Enter the date."),
    "invalid": _("Enter a real date, e.g. 2027-03-14."),
}
TIME_ERRORS = {"required": _("Enter the time."), "invalid": _("Enter a time such as 17:30.")}


def add_service_error(form, error):
    """Put a BookingError next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def aware(day, at):
    return timezone.make_aware(datetime.combine(day, at))


class DistrictChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class RoomFilterForm(forms.Form):
    """The rooms' search; every field is a URL parameter, so a search can be shared."""

    # Accessibility filters: URL parameter → Building field.
    ACCESSIBILITY = {
        "bez_schodow": "step_free_entry",
        "winda": "lift",
        "toaleta": "accessible_toilet",
        "petla": "induction_loop",
        "parking": "parking",
    }

    dzielnica = DistrictChoice(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("all districts"),
    )
    osoby = forms.IntegerField(
        label=_("At least this many people"),
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={"invalid": _("Enter a number of people, e.g. 20.")},
    )
    wyposazenie = forms.MultipleChoiceField(
        label=_("Equipment"),
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bez_schodow = forms.BooleanField(label=_("step-free entry"), required=False)
    winda = forms.BooleanField(label=_("lift"), required=False)
    toaleta = forms.BooleanField(label=_("accessible toilet"), required=False)
    petla = forms.BooleanField(label=_("induction loop"), required=False)
    parking = forms.BooleanField(label=_("parking"), required=False)
    bezplatne = forms.BooleanField(label=_("free of charge only"), required=False)
    data = forms.DateField(
        label=_("Free on"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    od = forms.TimeField(
        label=_("from"), required=False, widget=TIME_WIDGET, error_messages=TIME_ERRORS
    )
    do = forms.TimeField(
        label=_("until"), required=False, widget=TIME_WIDGET, error_messages=TIME_ERRORS
    )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("data"), data.get("od"), data.get("do")
        if day or start or end:
            if not day and "data" not in self.errors:
                self.add_error("data", _("Enter the date on which the room is to be free."))
            if not start and "od" not in self.errors:
                self.add_error("od", _("Enter the time from which the room is to be free."))
            if not end and "do" not in self.errors:
                self.add_error("do", _("Enter the time until which the room is to be free."))
            if start and end and end <= start:
                self.add_error("do", _("The end must be after the start."))
        return data

    def filter(self, rooms):
        if not self.is_valid():
            return rooms
        data = self.cleaned_data
        if data.get("dzielnica"):
            rooms = rooms.filter(building__district=data["dzielnica"])
        if data.get("osoby"):
            rooms = rooms.filter(capacity__gte=data["osoby"])
        if data.get("wyposazenie"):
            rooms = rooms.with_equipment(data["wyposazenie"])
        for param, field in self.ACCESSIBILITY.items():
            if data.get(param):
                rooms = rooms.filter(**{f"building__{field}": True})
        if data.get("bezplatne"):
            rooms = rooms.filter(is_free=True)
        if data.get("data") and data.get("od") and data.get("do"):
            rooms = rooms.free_between(
                aware(data["data"], data["od"]), aware(data["data"], data["do"])
            )
        return rooms

    def free_at(self):
        """(starts, ends) of the "free at" filter when it is set and valid, else None."""
        if self.is_valid() and self.cleaned_data.get("data") and self.cleaned_data.get("od"):
            data = self.cleaned_data
            return aware(data["data"], data["od"]), aware(data["data"], data["do"])
        return None


GROUP = "group"
OTHER = "other"


class BookingForm(forms.Form):
    kto = forms.ChoiceField(
        label=_("Who is booking?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is booking the room.")},
    )
    group_name = forms.CharField(
        label=_("Name of the group or person"),
        max_length=200,
        required=False,
        help_text=_("Needed when you do not book for an organization on the platform."),
    )
    purpose = forms.CharField(
        label=_("What is the room for?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: a meeting of volunteers, a workshop for seniors."),
        error_messages={"required": _("Say what the room is for.")},
    )
    data = forms.DateField(label=_("Date"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    od = forms.TimeField(label=_("From"), widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    do = forms.TimeField(label=_("Until"), widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    weeks = forms.IntegerField(
        label=_("Number of weeks"),
        min_value=1,
        max_value=services.MAX_WEEKS,
        initial=1,
        help_text=_(
            "1 for a single booking. More books the same day and time every week: the "
            "whole series, or nothing if any date is taken."
        ),
        error_messages={
            "required": _("Enter the number of weeks, 1 for a single booking."),
            "invalid": _("Enter a number of weeks, e.g. 1 or 6."),
            "min_value": _("Enter at least 1 week."),
            "max_value": _("A series has at most %(limit_value)s weeks."),
        },
    )
    expected_people = forms.IntegerField(
        label=_("How many people will come?"),
        min_value=1,
        max_value=10000,
        error_messages={
            "required": _("Enter how many people are expected."),
            "invalid": _("Enter a number of people, e.g. 20."),
            "min_value": _("Enter at least 1 person."),
        },
    )
    is_public = forms.BooleanField(
        label=_("Show this meeting in the public calendar"),
        required=False,
        help_text=_("Its purpose and the organization are shown; your name never is."),
    )
    non_commercial = forms.BooleanField(
        label=_("I declare that the use is non-commercial: no tickets, sales or paid services"),
        error_messages={"required": _("Rooms are lent only for non-commercial activity.")},
    )
    rules_accepted = forms.BooleanField(
        label=_("I have read and accept the house rules"),
        required=False,
    )

    def __init__(self, *args, room, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room
        self.organizations = {str(o.pk): o for o in organizations}
        choices = [(f"org-{o.pk}", o.name) for o in organizations]
        choices += [
            (GROUP, _("An informal group (without an organization on the platform)")),
            (OTHER, _("Myself, or an institution that is not an NGO")),
        ]
        self.fields["kto"].choices = choices
        if room.house_rules:
            self.fields["rules_accepted"].required = True
            self.fields["rules_accepted"].error_messages["required"] = _(
                "Read and accept the house rules of the room."
            )
        else:
            del self.fields["rules_accepted"]

    def clean(self):
        data = super().clean()
        who = data.get("kto")
        if who in (GROUP, OTHER) and not (data.get("group_name") or "").strip():
            self.add_error("group_name", _("Enter the name of the group or person using the room."))
        if data.get("od") and data.get("do") and data["do"] <= data["od"]:
            self.add_error("do", _("The end must be after the start."))
        return data

    def request_values(self):
        """The keyword arguments of services.request_booking."""
        data = self.cleaned_data
        who = data["kto"]
        organization = None
        if who.startswith("org-"):
            organization = self.organizations.get(who[4:])
        return {
            "starts": aware(data["data"], data["od"]),
            "ends": aware(data["data"], data["do"]),
            "purpose": data["purpose"],
            "expected_people": data["expected_people"],
            "non_commercial": data["non_commercial"],
            "rules_accepted": data.get("rules_accepted", True),
            "organization": organization,
            "group_name": "" if organization else data.get("group_name", ""),
            "as_informal_group": who == GROUP,
            "is_public": data["is_public"],
            "weeks": data["weeks"],
        }

    def answers(self):
        """(label, value, field name) for the "check your answers" page."""
        data = self.cleaned_data
        who = dict(self.fields["kto"].choices)[data["kto"]]
        rows = [(self.fields["kto"].label, who, "kto")]
        if data.get("group_name") and not data["kto"].startswith("org-"):
            rows.append((self.fields["group_name"].label, data["group_name"], "group_name"))
        rows.append((self.fields["purpose"].label, data["purpose"], "purpose"))
        return rows


class WaitingListForm(forms.Form):
    organization = forms.ChoiceField(label=_("On behalf of"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {str(o.pk): o for o in organizations}
        self.fields["organization"].choices = [("", _("myself"))] + [
            (str(o.pk), o.name) for o in organizations
        ]
        if not organizations:
            self.fields["organization"].widget = forms.HiddenInput()

    def chosen(self):
        return self.organizations.get(self.cleaned_data.get("organization") or "")


class SeriesForm(forms.Form):
    """A decision; on a request of a weekly series, it may be for the whole series."""

    def __init__(self, *args, series=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not series:
            del self.fields["whole_series"]


class ApproveForm(SeriesForm):
    whole_series = forms.BooleanField(
        label=_("Approve every request left in this weekly series"), required=False
    )


class RefuseForm(SeriesForm):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The requester reads it in the e-mail. Suggest another time if you can."),
        error_messages={"required": _("Give the reason for the refusal: the requester reads it.")},
    )
    whole_series = forms.BooleanField(
        label=_("Refuse every request left in this weekly series"), required=False
    )
