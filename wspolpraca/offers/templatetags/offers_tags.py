"""Filters of the offer pages: shares of the budget and amounts without their sign."""

from django import template

from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.offers import checks

register = template.Library()


@register.filter
def percent(value):
    """A share as people read it: "12,5%", "10%", "—" when there is nothing to share."""
    return checks.percent(value)


@register.filter
def money_abs(value):
    return money(abs(value)) if value is not None else ""
