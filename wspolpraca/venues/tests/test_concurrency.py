"""No double booking under concurrent requests, on the database of the test run.

Fifty threads, each with its own database connection, ask for the same slot at the same
instant (a barrier releases them together). Exactly one booking is made; the other 49
are told the time is taken, and none fails otherwise (no "database is locked").

On PostgreSQL the threads connect to the test database as any server process would. On
SQLite the test database of pytest-django lives in memory with a shared cache, where
connections of one process lock whole tables instead of waiting; so the test copies it to
a file (SQLite's backup API) and each thread opens its own connection to that file with
the settings of the site (BEGIN IMMEDIATE, busy timeout): what a server's workers do.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.venues import services
from wspolpraca.venues.models import Booking

from .factories import RoomFactory, at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

REQUESTS = 50


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


def test_fifty_parallel_requests_for_one_slot_create_exactly_one_booking(tmp_path):
    room = RoomFactory(needs_approval=False, house_rules="")
    users = UserFactory.create_batch(REQUESTS)
    file_settings = _sqlite_file_copy(tmp_path) if connection.vendor == "sqlite" else None
    barrier = threading.Barrier(REQUESTS)
    outcomes, lock = [], threading.Lock()

    def request(user):
        _own_connection(file_settings)
        try:
            barrier.wait(timeout=30)
            services.request_booking(
                room,
                user,
                starts=at(5, 10),
                ends=at(5, 12),
                purpose="Zebranie",
                expected_people=5,
                non_commercial=True,
                rules_accepted=True,
                group_name="Grupa",
                as_informal_group=True,
            )
            outcome = "booked"
        except services.BookingError as error:
            outcome = "taken" if error.message == services.taken_message() else error.message
        except Exception as error:  # noqa: BLE001 - every other failure is reported
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=request, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["booked"] + ["taken"] * (REQUESTS - 1)
    if file_settings is None:
        held = Booking.objects.filter(room=room).held().count()
    else:
        with sqlite3.connect(file_settings["NAME"]) as check:
            (held,) = check.execute(
                "SELECT count(*) FROM venues_booking WHERE room_id = ? AND status IN (?, ?)",
                (room.pk, *Booking.HELD),
            ).fetchone()
    assert held == 1
