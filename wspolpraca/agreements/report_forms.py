"""Forms of the report pages: the report itself (built from the report's content, a field
for each answer), the reason of a return or a reopening, the partial report the city
asks for, and the day a refund came back. The rules are in `reports`; the forms only
ask, check the format, and show the service's errors next to their fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wspolpraca.competitions.request_forms import DATE_WIDGET, AmountField

from . import reports


def _amount(label, help_text=""):
    field = AmountField(
        label=label, help_text=help_text, required=False, min_value=0, localize=True
    )
    field.widget.attrs["class"] = "width-10"
    field.error_messages["min_value"] = _("The amount cannot be below zero.")
    return field


def _initial_amount(value):
    number = reports.amount(value)
    return number if number is not None else value or ""


class ReportForm(forms.Form):
    """The organization's answers to the report form (Annex 5). Every field may be left
    empty while the report is being filled in; what is still missing is listed on the
    check page (`reports.report_problems`). `content` is the report's working content:
    it gives the rows (results, cost lines, sources) and the initial values."""

    achievements = forms.CharField(
        label=_("1. What was achieved"),
        help_text=_(
            "The results of the task with numbers: what came of it, how it was measured, "
            "which results will last, and how far the task reached its aim."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    actions = forms.CharField(
        label=_("2. How the actions were carried out"),
        help_text=_(
            "Each action of the agreement: what was done and to what extent, any departure "
            "from the plan and why, and the personal and in-kind contribution."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    other_income = forms.CharField(
        label=_("Other income from the task"),
        help_text=_("Any income the task brought besides the sources above, and its amount."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    fees_info = forms.CharField(
        label=_("Fees charged from the people served"),
        help_text=_("What the fees were charged for, and how much. Write “none” if none."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    additional_info = forms.CharField(
        label=_("Additional information"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, content, revision="", **kwargs):
        super().__init__(*args, **kwargs)
        self.content = content
        initial = {name: content.get(name, "") for name in reports.TEXTS}
        initial["revision"] = revision
        self.result_rows, self.line_rows, self.source_rows, self.declaration_rows = [], [], [], []
        for row in content.get("results", []):
            achieved = reports.result_field(row["key"], "achieved")
            comment = reports.result_field(row["key"], "comment")
            self.fields[achieved] = forms.CharField(
                label=_("Value achieved: %(name)s") % {"name": row["name"]},
                help_text=_("Planned: %(planned)s") % {"planned": row["planned"] or "—"},
                max_length=300,
                required=False,
            )
            self.fields[comment] = forms.CharField(
                label=_("Comment on “%(name)s”") % {"name": row["name"]},
                help_text=_("Why the value differs from the plan, if it does."),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            initial[achieved], initial[comment] = row.get("achieved", ""), row.get("comment", "")
            self.result_rows.append({"row": row, "names": (achieved, comment)})
        for row in content.get("costs", {}).get("lines", []):
            incurred = reports.line_field(row["key"], "incurred")
            from_grant = reports.line_field(row["key"], "from_grant")
            self.fields[incurred] = _amount(
                _("Costs incurred in total: %(name)s (zł)") % {"name": row["name"]}
            )
            self.fields[from_grant] = _amount(
                _("Of which paid from the grant: %(name)s (zł)") % {"name": row["name"]}
            )
            initial[incurred] = _initial_amount(row.get("incurred"))
            initial[from_grant] = _initial_amount(row.get("from_grant"))
            self.line_rows.append({"row": row, "names": (incurred, from_grant)})
        for row in content.get("sources", []):
            if row["key"] == "grant":
                continue
            name = reports.source_field(row["key"])
            self.fields[name] = _amount(
                _("Actual amount: %(source)s (zł)") % {"source": reports.SOURCE_LABELS[row["key"]]}
            )
            initial[name] = _initial_amount(row.get("actual"))
            self.source_rows.append({"row": row, "name": name})
        for key in reports.DECLARATIONS:
            name = reports.declaration_field(key)
            self.fields[name] = forms.BooleanField(
                label=reports.DECLARATION_LABELS[key], required=False
            )
            initial[name] = bool(content.get("declarations", {}).get(key))
            self.declaration_rows.append(name)
        if not self.is_bound:
            self.initial = initial

    # The rows with their bound fields, for the page to lay out part by part.

    @property
    def result_groups(self):
        return [
            {"row": item["row"], "fields": [self[name] for name in item["names"]]}
            for item in self.result_rows
        ]

    @property
    def line_groups(self):
        return [
            {"row": item["row"], "fields": [self[name] for name in item["names"]]}
            for item in self.line_rows
        ]

    @property
    def source_fields(self):
        return [self[item["name"]] for item in self.source_rows]

    @property
    def declaration_fields(self):
        return [self[name] for name in self.declaration_rows]

    def values(self):
        """The cleaned answers in the shape `reports.save_draft` takes."""
        data = self.cleaned_data

        def text(value):
            return "" if value is None else str(value).strip()

        def money(value):
            return "" if value is None else format(value, "f")

        return {
            **{name: text(data.get(name)) for name in reports.TEXTS},
            "results": {
                item["row"]["key"]: {
                    "achieved": text(data.get(item["names"][0])),
                    "comment": text(data.get(item["names"][1])),
                }
                for item in self.result_rows
            },
            "lines": {
                item["row"]["key"]: {
                    "incurred": money(data.get(item["names"][0])),
                    "from_grant": money(data.get(item["names"][1])),
                }
                for item in self.line_rows
            },
            "sources": {
                item["row"]["key"]: {"actual": money(data.get(item["name"]))}
                for item in self.source_rows
            },
            "declarations": {
                key: bool(data.get(reports.declaration_field(key))) for key in reports.DECLARATIONS
            },
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The organization reads it: say what to correct and why."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the reason: the organization will read it.")},
    )


class PartialReportForm(forms.Form):
    period_ends = forms.DateField(
        label=_("The report covers the task up to"),
        help_text=_("The last day of the period the report is about."),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Give the last day the report should cover."),
            "invalid": _("Give the day as a date, e.g. 30.06.2027."),
        },
    )
    due = forms.DateField(
        label=_("The report is due by"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Give the day the report is due."),
            "invalid": _("Give the day as a date, e.g. 30.06.2027."),
        },
    )

    def __init__(self, *args, earliest_due=None, min_days=None, **kwargs):
        super().__init__(*args, **kwargs)
        if earliest_due is not None:
            self.fields["due"].help_text = _(
                "At least %(days)s days after the request: %(day)s at the earliest."
            ) % {"days": min_days, "day": earliest_due.strftime("%d.%m.%Y")}


class SettleForm(forms.Form):
    refund_paid_on = forms.DateField(
        label=_("The unused grant was already returned on"),
        help_text=_("Only if the organization has returned it before the settlement."),
        widget=DATE_WIDGET,
        required=False,
        error_messages={"invalid": _("Give the day as a date, e.g. 30.06.2027.")},
    )


class RefundForm(forms.Form):
    paid_on = forms.DateField(
        label=_("The unused grant came back on"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Give the day the money came back."),
            "invalid": _("Give the day as a date, e.g. 30.06.2027."),
        },
    )
