"""Working days in Poland, at the edges deadlines meet."""

from datetime import date

import pytest
from django.utils import translation

from wspolpraca.core import workdays


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 3, 30), True),  # a Tuesday
        (date(2027, 3, 27), False),  # a Saturday
        (date(2027, 3, 28), False),  # Easter Sunday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2025, 12, 24), False),  # Christmas Eve, a holiday from 2025
        (date(2024, 12, 24), True),  # before that, a working Tuesday
        (date(2027, 5, 27), False),  # Corpus Christi
    ],
)
def test_working_days_follow_weekends_and_public_holidays(day, working):
    assert workdays.is_working_day(day) is working


def test_the_reason_names_the_holiday_in_the_current_language():
    with translation.override("pl"):
        assert workdays.non_working_reason(date(2027, 3, 29)) == "Poniedziałek Wielkanocny"
        assert workdays.non_working_reason(date(2027, 3, 27)) == "sobota"
    with translation.override("en"):
        assert workdays.non_working_reason(date(2027, 3, 29)) == "Easter Monday"
    assert workdays.non_working_reason(date(2027, 3, 30)) is None


def test_working_days_are_counted_across_a_long_weekend():
    # Thu 29 Apr 2027 + 3: Fri 30 Apr, (1-3 May: Sat, Sun, holiday), Tue 4, Wed 5 May.
    assert workdays.add_working_days(date(2027, 4, 29), 3) == date(2027, 5, 5)


def test_the_next_working_day_of_a_holiday_weekend():
    assert workdays.next_working_day(date(2027, 3, 27)) == date(2027, 3, 30)
    assert workdays.next_working_day(date(2027, 3, 30)) == date(2027, 3, 30)
