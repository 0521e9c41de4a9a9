"""The pages of strategies and programmes: the public list with its filters and a
strategy's page (indicators with charts and tables, reports, team, the cooperation
programme's report deadline); and, for the officials of the owner department, the forms
that keep them. The rules are in strategy_services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.city.models import department_of
from wspolpraca.core.pagination import CappedPaginator

from . import strategy_services as services
from .strategy_charts import indicator_chart, indicator_rows
from .strategy_forms import (
    IndicatorForm,
    MemberForm,
    ReportForm,
    StrategyFilterForm,
    StrategyForm,
    TargetForm,
    ValueForm,
    add_service_error,
)
from .strategy_models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MonitoringTeamMember,
    Strategy,
    StrategyReport,
)
from .strategy_services import StrategyError


def _strategy(slug):
    return get_object_or_404(Strategy.objects.select_related("department"), slug=slug)


def _managed(request, slug):
    """The strategy, if the person may keep it; 403 otherwise."""
    strategy = _strategy(slug)
    if not request.user.has_perm("library.manage_strategy", strategy):
        raise PermissionDenied
    return strategy


def _indicator(strategy, pk):
    return get_object_or_404(Indicator, strategy=strategy, pk=pk)


def _areas_text(strategies):
    for strategy in strategies:
        from wspolpraca.organizations.widgets import area_short_label

        strategy.areas_text = " · ".join(area_short_label(a) for a in strategy.areas.all())
    return strategies


# --- public ----------------------------------------------------------------------------


def strategy_list(request):
    form = StrategyFilterForm(request.GET or None)
    strategies = form.filter(Strategy.objects.for_listing()).distinct()
    page = CappedPaginator(
        strategies.order_by("-year_to", "title", "pk"), Strategy.PER_PAGE
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = _areas_text(list(page.object_list))
    for strategy in rows:
        strategy.flag = strategy.report_flag(today)
    return render(
        request,
        "library/strategies/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "may_create": request.user.has_perm("library.create_strategy"),
        },
    )


def strategy_detail(request, slug):
    strategy = get_object_or_404(
        Strategy.objects.select_related("department").prefetch_related(
            "areas",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("year")),
                    Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
                ),
            ),
            Prefetch(
                "reports", queryset=StrategyReport.objects.order_by("-year", "-published_on", "-pk")
            ),
            Prefetch("team", queryset=MonitoringTeamMember.objects.select_related("organization")),
        ),
        slug=slug,
    )
    reports = list(strategy.reports.all())
    strategy.execution_reports = [r for r in reports if r.kind == StrategyReport.Kind.EXECUTION]
    indicators = []
    for indicator in strategy.indicators.all():
        values, targets = list(indicator.values.all()), list(indicator.targets.all())
        baseline = None
        if indicator.baseline_value is not None and indicator.baseline_year is not None:
            baseline = (indicator.baseline_year, indicator.baseline_value)
        indicator.chart = indicator_chart(
            title=f"{indicator.name} ({indicator.unit})",
            unit=indicator.unit,
            values={v.year: v.value for v in values},
            targets={t.year: t.value for t in targets},
            baseline=baseline,
            direction_text=indicator.get_direction_display(),
        )
        indicator.rows = indicator_rows(values, targets)
        indicators.append(indicator)
    return render(
        request,
        "library/strategies/detail.html",
        {
            "strategy": strategy,
            "areas": list(strategy.areas.all()),
            "indicators": indicators,
            "reports": reports,
            "team": list(strategy.team.all()),
            "consultations": list(strategy.consultations.public().order_by("-pk")),
            "flag": strategy.report_flag(),
            "manages": request.user.has_perm("library.manage_strategy", strategy),
        },
    )


# --- a strategy ------------------------------------------------------------------------


def _is_platform_admin(user):
    return user.is_superuser or getattr(user, "role", "") == "platform_admin"


@login_required
@require_http_methods(["GET", "POST"])
def strategy_create(request):
    if not request.user.has_perm("library.create_strategy"):
        raise PermissionDenied
    department = department_of(request.user)
    form = StrategyForm(
        request.POST or None,
        request.FILES or None,
        may_choose_department=_is_platform_admin(request.user),
        department=department,
    )
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.create_strategy(request.user, form.service_data())
        except StrategyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The strategy is published."))
            return redirect(strategy)
    return render(request, "library/strategies/form.html", {"form": form, "department": department})


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request, slug):
    strategy = _managed(request, slug)
    form = StrategyForm(
        request.POST or None,
        request.FILES or None,
        instance=strategy,
        may_choose_department=_is_platform_admin(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_strategy(strategy, request.user, form.service_data())
        except StrategyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(strategy)
    return render(request, "library/strategies/form.html", {"form": form, "strategy": strategy})


def _confirm(request, *, title, button, cancel_url, consequences=()):
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": title,
            "confirm_button": button,
            "cancel_url": cancel_url,
            "consequences": list(consequences),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_delete(request, slug):
    strategy = _managed(request, slug)
    if request.method == "POST":
        services.delete_strategy(strategy, request.user)
        messages.success(request, _("The strategy is deleted."))
        return redirect("library:strategy_list")
    return _confirm(
        request,
        title=_("Delete “%(title)s”?") % {"title": strategy.title},
        button=_("Delete the strategy"),
        cancel_url=strategy.get_absolute_url(),
        consequences=[
            _("Its page, indicators with all their values, reports and team are deleted."),
            _("This cannot be undone."),
        ],
    )


# --- indicators ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_form(request, slug, pk=None):
    strategy = _managed(request, slug)
    indicator = _indicator(strategy, pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            if indicator:
                services.update_indicator(indicator, request.user, form.cleaned_data)
            else:
                indicator = services.add_indicator(strategy, request.user, form.cleaned_data)
        except StrategyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect(f"{strategy.get_absolute_url()}#wskaznik-{indicator.pk}")
    return render(
        request,
        "library/strategies/indicator_form.html",
        {"form": form, "strategy": strategy, "indicator": indicator},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request, slug, pk):
    strategy = _managed(request, slug)
    indicator = _indicator(strategy, pk)
    if request.method == "POST":
        services.delete_indicator(indicator, request.user)
        messages.success(request, _("The indicator is deleted."))
        return redirect(strategy)
    return _confirm(
        request,
        title=_("Delete the indicator “%(name)s”?") % {"name": indicator.name},
        button=_("Delete the indicator"),
        cancel_url=strategy.get_absolute_url(),
        consequences=[_("Its targets and all its yearly values are deleted.")],
    )


@login_required
@require_http_methods(["GET", "POST"])
def value_enter(request, slug, pk):
    strategy = _managed(request, slug)
    indicator = _indicator(strategy, pk)
    initial = {}
    year = request.GET.get("rok")
    if year and year.isdigit():
        existing = indicator.values.filter(year=int(year)).first()
        if existing:
            initial = {
                "year": existing.year,
                "value": existing.value,
                "note": existing.note,
                "source": existing.source,
            }
    form = ValueForm(request.POST or None, indicator=indicator, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_value(indicator, request.user, **form.cleaned_data)
        except StrategyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The value is saved."))
            return redirect(f"{strategy.get_absolute_url()}#wskaznik-{indicator.pk}")
    return render(
        request,
        "library/strategies/value_form.html",
        {"form": form, "strategy": strategy, "indicator": indicator, "what": "value"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_set(request, slug, pk):
    strategy = _managed(request, slug)
    indicator = _indicator(strategy, pk)
    form = TargetForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_target(indicator, request.user, **form.cleaned_data)
        except StrategyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The target is saved."))
            return redirect(f"{strategy.get_absolute_url()}#wskaznik-{indicator.pk}")
    return render(
        request,
        "library/strategies/value_form.html",
        {"form": form, "strategy": strategy, "indicator": indicator, "what": "target"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def value_delete(request, slug, pk, year):
    strategy = _managed(request, slug)
    indicator = _indicator(strategy, pk)
    row = get_object_or_404(IndicatorValue, indicator=indicator, year=year)
    if request.method == "POST":
        services.delete_value(row, request.user)
        messages.success(request, _("The value is deleted."))
        return redirect(f"{strategy.get_absolute_url()}#wskaznik-{indicator.pk}")
    return _confirm(
        request,
        title=_("Delete the value for %(year)s?") % {"year": year},
        button=_("Delete the value"),
        cancel_url=strategy.get_absolute_url(),
        consequences=[
            _("“%(name)s” will show no value for %(year)s.")
            % {"name": indicator.name, "year": year}
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request, slug, pk, year):
    strategy = _managed(request, slug)
    indicator = _indicator(strategy, pk)
    row = get_object_or_404(IndicatorTarget, indicator=indicator, year=year)
    if request.method == "POST":
        services.delete_target(row, request.user)
        messages.success(request, _("The target is deleted."))
        return redirect(f"{strategy.get_absolute_url()}#wskaznik-{indicator.pk}")
    return _confirm(
        request,
        title=_("Delete the target for %(year)s?") % {"year": year},
        button=_("Delete the target"),
        cancel_url=strategy.get_absolute_url(),
        consequences=[
            _("“%(name)s” will show no target for %(year)s.")
            % {"name": indicator.name, "year": year}
        ],
    )


# --- reports ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_publish(request, slug):
    strategy = _managed(request, slug)
    form = ReportForm(request.POST or None, request.FILES or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_report(strategy, request.user, form.cleaned_data)
        except StrategyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The report is published."))
            return redirect(f"{strategy.get_absolute_url()}#raporty")
    return render(
        request, "library/strategies/report_form.html", {"form": form, "strategy": strategy}
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_remove(request, slug, pk):
    strategy = _managed(request, slug)
    report = get_object_or_404(StrategyReport, strategy=strategy, pk=pk)
    if request.method == "POST":
        services.remove_report(report, request.user)
        messages.success(request, _("The report is removed."))
        return redirect(f"{strategy.get_absolute_url()}#raporty")
    return _confirm(
        request,
        title=_("Remove the report “%(title)s”?") % {"title": report.title},
        button=_("Remove the report"),
        cancel_url=strategy.get_absolute_url(),
        consequences=[_("It disappears from the strategy's page and the API.")],
    )


# --- the monitoring team ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def team(request, slug):
    strategy = _managed(request, slug)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_member(strategy, request.user, form.service_data())
        messages.success(request, _("The member is added to the team."))
        return redirect("library:strategy_team", strategy.slug)
    members = strategy.team.select_related("organization")
    return render(
        request,
        "library/strategies/team.html",
        {"form": form, "strategy": strategy, "members": members},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, slug, pk):
    strategy = _managed(request, slug)
    member = get_object_or_404(MonitoringTeamMember, strategy=strategy, pk=pk)
    if request.method == "POST":
        services.remove_member(member, request.user)
        messages.success(request, _("The member is removed from the team."))
        return redirect("library:strategy_team", strategy.slug)
    return _confirm(
        request,
        title=_("Remove %(name)s from the monitoring team?") % {"name": member.full_name},
        button=_("Remove from the team"),
        cancel_url=strategy.get_absolute_url(),
    )
