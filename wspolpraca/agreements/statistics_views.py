"""The public statistics page of calls and grants (/statystyki/), its charts and its CSV and
XLSX downloads. The numbers come from `statistics.grant_statistics`; here the filters from
the URL, the labels, the tables and the charts."""

import threading
from collections import OrderedDict

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from wspolpraca.city.models import Department
from wspolpraca.competitions.models import FundingMode
from wspolpraca.core import exports
from wspolpraca.core.caching import last_changed, public_page
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.core.widgets import PlainSelect
from wspolpraca.offers.checks import percent
from wspolpraca.organizations.models import PublicBenefitArea

from . import statistics
from .statistics_charts import bar_chart

# The columns of every table, in order: (Row attribute, heading).
COLUMNS = [
    ("calls", gettext_lazy("Calls announced")),
    ("decided", gettext_lazy("Calls decided")),
    ("offers", gettext_lazy("Offers in decided calls")),
    ("grants", gettext_lazy("Grants awarded")),
    ("requested", gettext_lazy("Amount requested")),
    ("granted", gettext_lazy("Amount granted")),
    ("cut", gettext_lazy("Share cut")),
    ("mean_days", gettext_lazy("Days to results (mean)")),
]
MONEY = {"requested", "granted"}

# The tables by address (/statystyki/<slug>.csv): (GrantStatistics attribute, first column).
TABLES = {
    "lata": ("by_year", pgettext_lazy("statistics by", "Year")),
    "wydzialy": ("by_department", pgettext_lazy("statistics by", "Department")),
    "dziedziny": ("by_area", pgettext_lazy("statistics by", "Public benefit area")),
    "tryby": ("by_mode", pgettext_lazy("statistics by", "Funding mode")),
}


class StatisticsFilterForm(forms.Form):
    """The filters in the URL. A value that is not valid is shown with its error and
    left out; the others still apply."""

    year = forms.IntegerField(
        label=gettext_lazy("Year of the deadline for offers"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=PlainSelect,
    )
    department = forms.TypedChoiceField(
        label=gettext_lazy("Department"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=PlainSelect,
    )
    area = forms.ChoiceField(
        label=gettext_lazy("Public benefit area"), required=False, widget=PlainSelect
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Funding mode"),
        required=False,
        choices=[("", gettext_lazy("both modes")), *FundingMode.choices],
        widget=PlainSelect,
    )

    def __init__(self, *args, departments, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas_by_code = {area.code: area for area in areas}
        self.fields["department"].choices = [
            ("", gettext_lazy("all departments")),
            *((str(d.pk), str(d)) for d in departments),
        ]
        self.fields["area"].choices = [
            ("", gettext_lazy("all areas")),
            *((area.code, area.short_label) for area in areas),
        ]

    def filters(self):
        """The valid filters (an invalid one is no filter)."""
        data = self.cleaned_data if self.is_bound else {}
        area = self.areas_by_code.get(data.get("area") or "")
        return statistics.Filters(
            year=data.get("year"),
            department=data.get("department"),
            area=area.pk if area else None,
            mode=data.get("mode") or None,
        )

    def offer_years(self, years):
        """The year select lists the years with calls (and the one asked for)."""
        chosen = self.cleaned_data.get("year") if self.is_bound else None
        listed = sorted({*years, *([chosen] if chosen else [])}, reverse=True)
        self.fields["year"].widget.choices = [
            ("", _("all years")),
            *((str(year), str(year)) for year in listed),
        ]


def _display(name, value):
    if value is None:
        return "—"
    if name in MONEY:
        return money(value)
    if name == "cut":
        return percent(value)
    if name == "mean_days":
        return number_format(value, decimal_pos=1)
    return str(value)


def _raw(name, value):
    """A cell of the CSV and XLSX: numbers as a program reads them (a dot, no grouping)."""
    if value is None:
        return ""
    if name in MONEY:
        return f"{value:.2f}"
    return str(value)


def _table(slug, rows):
    """A table for the template, every cell's HTML made here: the template only writes the
    rows out (template tags per cell would cost more than the numbers themselves)."""
    by, heading = TABLES[slug]
    columns = [(name, escape(label)) for name, label in COLUMNS]
    return {
        "slug": slug,
        "heading": heading,
        "columns": [label for _name, label in COLUMNS],
        "rows": [
            {
                "label": row.label,
                # Each number with its column's name, which narrow screens show beside it.
                "cells": mark_safe(  # noqa: S308 (labels and values escaped here)
                    "".join(
                        f'<td data-label="{label}">{escape(_display(name, getattr(row, name)))}</td>'
                        for name, label in columns
                    )
                ),
            }
            for row in rows
        ],
    }


def _filter_form(request):
    """The filter form, bound to the URL's query and checked, with the departments and
    areas it offers (two queries)."""
    departments = list(Department.objects.only("pk", "name", "short_name"))
    areas = list(PublicBenefitArea.objects.all())
    form = StatisticsFilterForm(request.GET or None, departments=departments, areas=areas)
    if form.is_bound:
        form.is_valid()
    return form, departments, areas


def _labelled_statistics(filters, departments, areas, changed=None):
    stats = statistics.grant_statistics(filters, changed=changed)
    return stats.labelled(
        departments={d.pk: str(d) for d in departments},
        areas={area.pk: area.short_label for area in areas},
        modes=dict(FundingMode.choices),
    )


class BuiltParts:
    """The page's numbers, tables and charts for one filter set, built once per version of
    the data and language in this process and kept for the next requests (the last KEPT):
    adding up, labelling and formatting them is most of the page's work. Off with the
    statistics' cache (STATISTICS_CACHE_SECONDS=0), as in tests."""

    KEPT = 64

    def __init__(self):
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, filters, build):
        """`build(changed)`'s result for `filters`, from this process's store if built for
        the data as it is now."""
        if settings.STATISTICS_CACHE_SECONDS <= 0:
            return build(None)
        changed = last_changed(*statistics.FRESHNESS_KEYS)
        key = (changed, get_language(), filters)
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        parts = build(changed)
        with self.lock:
            self.entries[key] = parts
            while len(self.entries) > self.KEPT:
                self.entries.popitem(last=False)
        return parts


built_parts = BuiltParts()


def _page_parts(filters, departments, areas, changed):
    stats = _labelled_statistics(filters, departments, areas, changed)
    short_names = {d.pk: d.short_name or d.name for d in departments}
    return {
        "stats": stats,
        "total": {name: _display(name, getattr(stats.total, name)) for name, _label in COLUMNS},
        "tables": [
            _table("lata", stats.by_year),
            _table("wydzialy", stats.by_department),
            _table("dziedziny", stats.by_area),
            _table("tryby", stats.by_mode),
        ],
        "charts": _charts(stats, short_names),
        "filtered": any(value is not None for value in vars(filters).values()),
    }


def _charts(stats, short_names):
    """The page's three charts; departments are drawn by their symbol and described by
    their name."""
    departments = stats.by_department
    return {
        "granted_per_year": bar_chart(
            "chart-granted-per-year",
            _("Amount granted per year"),
            [(row.label, row.granted, money(row.granted)) for row in stats.by_year],
        ),
        "cut_per_department": bar_chart(
            "chart-cut-per-department",
            _("Share cut per department"),
            [
                (row.label, row.cut, _display("cut", row.cut), short_names.get(row.key))
                for row in departments
            ],
        ),
        "days_per_department": bar_chart(
            "chart-days-per-department",
            _("Days from the deadline to the results per department (mean)"),
            [
                (
                    row.label,
                    row.mean_days,
                    _display("mean_days", row.mean_days),
                    short_names.get(row.key),
                )
                for row in departments
            ],
        ),
    }


@public_page(*statistics.FRESHNESS_KEYS)
def statistics_page(request):
    form, departments, areas = _filter_form(request)
    filters = form.filters()
    parts = built_parts.get(
        filters, lambda changed: _page_parts(filters, departments, areas, changed)
    )
    form.offer_years(parts["stats"].years)
    return render(request, "agreements/statistics/page.html", {"form": form, **parts})


def _download(request, slug):
    if slug not in TABLES:
        raise Http404
    form, departments, areas = _filter_form(request)
    stats = _labelled_statistics(form.filters(), departments, areas)
    by, heading = TABLES[slug]
    header = [str(heading), *(str(label) for _name, label in COLUMNS)]
    rows = [
        [row.label, *(_raw(name, getattr(row, name)) for name, _label in COLUMNS)]
        for row in getattr(stats, by)
    ]
    return header, rows


@public_page(*statistics.FRESHNESS_KEYS)
def statistics_csv(request, slug):
    header, rows = _download(request, slug)
    return exports.csv_response(f"statystyki-{slug}.csv", header, rows)


@public_page(*statistics.FRESHNESS_KEYS)
def statistics_xlsx(request, slug):
    header, rows = _download(request, slug)
    return exports.xlsx_response(f"statystyki-{slug}.xlsx", header, rows, title=_("Statistics"))
