"""Working days in Poland, for deadlines: Saturdays, Sundays and public holidays are not
(the `holidays` package keeps the list, Christmas Eve from 2025 included).

    from wspolpraca.core import workdays

    workdays.is_working_day(deadline)
    workdays.non_working_reason(deadline)   # "niedziela", "Poniedziałek Wielkanocny" or None
    workdays.add_working_days(received, 7)  # the 7th working day after
"""

from datetime import timedelta
from functools import lru_cache

import holidays
from django.utils import translation
from django.utils.translation import gettext as _


@lru_cache(maxsize=128)
def _public_holidays(year, language):
    return holidays.Poland(years=year, language=language)


def holiday_name(day):
    """The public holiday's name in the current language, or None."""
    language = "pl" if (translation.get_language() or "pl").startswith("pl") else "en_US"
    return _public_holidays(day.year, language).get(day)


def non_working_reason(day):
    """Why `day` is not a working day ("Saturday", "Sunday", a holiday's name), or None."""
    name = holiday_name(day)
    if name:
        return name
    if day.weekday() == 5:
        return _("Saturday")
    if day.weekday() == 6:
        return _("Sunday")
    return None


def is_working_day(day):
    return non_working_reason(day) is None


def next_working_day(day):
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day, count):
    """The `count`-th working day after `day` (`day` itself not counted)."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
