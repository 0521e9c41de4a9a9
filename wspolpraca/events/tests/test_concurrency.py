"""Capacity holds under concurrent registrations, and a mentoring slot under concurrent
bookings, on the database of the test run.

Thirty people press "Register" for five places at the same instant, each on a database
connection of their own (a barrier releases the threads together): five get a place,
twenty-five the waiting list, and nobody gets an error.

On PostgreSQL the threads connect to the test database as server processes would, and the
event's row lock makes the second registration wait for the first. On SQLite the test
database of pytest-django lives in memory with a shared cache, where connections lock
whole tables instead of waiting; so it is copied to a file (SQLite's backup API) and each
thread opens its own connection to that file with the site's settings (BEGIN IMMEDIATE,
busy timeout), as a server's workers do.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.events import services
from wspolpraca.organizations.tests.factories import MembershipFactory

from .factories import EventFactory, MentoringSlotFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

PEOPLE = 30
PLACES = 5


def _sqlite_file_copy(tmp_path):
    """The test database copied to a file; the settings for connections to it."""
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    with target:
        connection.connection.backup(target)
    target.close()
    return {**connection.settings_dict, "NAME": str(path)}


def _own_connection(settings_dict):
    """Give this thread a connection of its own to `settings_dict`'s database."""
    if settings_dict is not None:
        from django.db.backends.sqlite3.base import DatabaseWrapper

        connections["default"] = DatabaseWrapper(settings_dict, "default")


def test_thirty_parallel_registrations_for_five_places_give_exactly_five(tmp_path):
    event = EventFactory(capacity=PLACES)
    people = UserFactory.create_batch(PEOPLE)
    file_settings = _sqlite_file_copy(tmp_path) if connection.vendor == "sqlite" else None
    barrier = threading.Barrier(PEOPLE)
    outcomes, lock = [], threading.Lock()

    def register(person):
        _own_connection(file_settings)
        try:
            barrier.wait(timeout=30)
            outcome = services.register(event, person).status
        except Exception as error:  # noqa: BLE001 - every failure is reported
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["registered"] * PLACES + ["waiting"] * (PEOPLE - PLACES)
    query = "SELECT status, count(*) FROM events_registration WHERE event_id = %s GROUP BY status"
    if file_settings is None:
        with connection.cursor() as cursor:
            cursor.execute(query, [event.pk])
            counts = dict(cursor.fetchall())
    else:
        with sqlite3.connect(file_settings["NAME"]) as check:
            counts = dict(check.execute(query.replace("%s", "?"), (event.pk,)).fetchall())
    assert counts == {"registered": PLACES, "waiting": PEOPLE - PLACES}


def test_ten_parallel_bookings_of_one_mentoring_slot_give_exactly_one(tmp_path):
    """Ten members of ten organizations press "Book" for the same consultation at once:
    one gets it, nine are told it has just been booked, and nobody sees an error page."""
    slot = MentoringSlotFactory()
    members = [MembershipFactory() for _n in range(10)]
    file_settings = _sqlite_file_copy(tmp_path) if connection.vendor == "sqlite" else None
    barrier = threading.Barrier(len(members))
    outcomes, lock = [], threading.Lock()

    def book(membership):
        _own_connection(file_settings)
        try:
            barrier.wait(timeout=30)
            outcome = services.book_slot(
                slot, membership.user, membership.organization, "Pomoc w budżecie."
            ).status
        except services.EventError as error:
            outcome = error.message
        except Exception as error:  # noqa: BLE001 - every failure is reported
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == sorted(["booked"] + [services.taken_message()] * 9)
    query = "SELECT count(*) FROM events_mentoringbooking WHERE slot_id = %s AND status = 'booked'"
    if file_settings is None:
        with connection.cursor() as cursor:
            cursor.execute(query, [slot.pk])
            (count,) = cursor.fetchone()
    else:
        with sqlite3.connect(file_settings["NAME"]) as check:
            (count,) = check.execute(query.replace("%s", "?"), (slot.pk,)).fetchone()
    assert count == 1
