"""Audit entries keep stable codes and read in plain Polish: every action the code base
writes has a label, change keys read as the fields' names, values as people know them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from conftest import login
from wspolpraca.core import audit
from wspolpraca.core.audit import action_label, readable, record
from wspolpraca.organizations.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"""["']((?:organization|membership|claim|account|invitation)\.[a-z_]+)["']""")


def written_codes():
    """Action codes that appear as literals in the code base (tests left out)."""
    root = Path(settings.BASE_DIR) / "wspolpraca"
    codes = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    # Written as f"claim.{claim.status}" by decide_claim.
    return codes | {"claim.approved", "claim.rejected"}


def test_every_action_the_code_writes_has_a_label():
    codes = written_codes()
    assert "membership.admin_transferred" in codes
    generic = {c for c in codes if c.rpartition(".")[2] in audit.GENERIC_VERBS}
    assert sorted(codes - generic - set(audit._action_labels)) == []


def test_actions_read_in_polish():
    with translation.override("pl"):
        assert action_label("membership.admin_transferred") == "Przekazano administrowanie"
        assert action_label("claim.requested") == "Złożono prośbę o dołączenie"


def test_back_office_actions_read_with_the_accusative_of_their_model():
    with translation.override("pl"):
        assert action_label("district.created") == "Dodano dzielnicę w panelu administracyjnym"
        assert action_label("organization.deleted") == (
            "Usunięto organizację w panelu administracyjnym"
        )
        assert action_label("account.updated") == "Zmieniono użytkownika w panelu administracyjnym"


def test_an_unknown_action_reads_as_words_not_as_a_dotted_code():
    with translation.override("pl"):
        label = action_label("organization.sent_to_the_moon")
    assert "." not in label
    assert label.startswith("Organizacja: ")


def test_a_field_stored_by_its_column_name_reads_as_the_fields_name(organization):
    district = DistrictFactory(name="Podgórze", roman="XIII")
    entry = record(None, "organization.updated", organization, {"district_id": [None, district.pk]})
    with translation.override("pl"):
        (change,) = readable([entry])[0]["changes"]
    assert change == {"field": "Dzielnica", "old": "—", "new": "XIII Podgórze", "same": False}


def test_the_identity_of_a_changed_inline_row_reads_without_an_arrow(organization):
    entry = record(
        None, "coordinator.updated", organization, {"full_name": ["Anna Nowak", "Anna Nowak"]}
    )
    html = render_to_string("core/audit_changes.html", {"row": readable([entry])[0]})
    assert "Anna Nowak" in html
    assert "→" not in html


def test_coded_values_read_as_their_labels(organization):
    entry = record(
        None,
        "membership.invitations_cancelled",
        organization,
        {"reason": [None, "left"], "role": ["member", "admin"]},
    )
    with translation.override("pl"):
        changes = {c["field"]: c for c in readable([entry])[0]["changes"]}
    assert changes["Powód"]["new"] == "osoba zapraszająca odeszła z organizacji"
    assert (changes["Rola"]["old"], changes["Rola"]["new"]) == ("członek", "administrator")


def test_a_list_of_changed_fields_reads_as_their_names(organization):
    entry = record(
        None, "organization.verification_reset", organization, {"changed_fields": [None, ["krs"]]}
    )
    with translation.override("pl"):
        (change,) = readable([entry])[0]["changes"]
    assert change["field"] == "Zmienione pola"
    assert change["new"] == "Numer KRS"


def test_audit_list_in_the_back_office_shows_labels_not_codes(client, official, organization):
    from wspolpraca.accounts.roles import apply_role, sync_role_groups

    sync_role_groups()
    apply_role(official)
    record(official, "membership.admin_transferred", organization, {})
    login(client, official)
    html = client.get(reverse("admin:core_auditentry_changelist")).content.decode()
    assert "Przekazano administrowanie" in html
    assert "membership.admin_transferred</" not in html


def test_audit_entry_page_shows_the_changes_with_field_names(client, official, organization):
    from wspolpraca.accounts.roles import apply_role, sync_role_groups

    sync_role_groups()
    apply_role(official)
    entry = record(official, "organization.updated", organization, {"name": ["Stara", "Nowa"]})
    login(client, official)
    html = client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).content.decode()
    assert "Nazwa</strong>: Stara → Nowa" in html
    assert "Zmieniono dane" in html
