"""Submitting an offer and what follows: the frozen content and its checksum, the
receipt, the deadline to the second, withdrawal and correction, the signed copy, and who
is refused."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official
from wspolpraca.competitions import services as call_services
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.core.models import AuditEntry
from wspolpraca.offers import documents, services
from wspolpraca.offers.models import Action, CostLine, Offer, Result
from wspolpraca.offers.tests.signing import self_signed
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

DEADLINE = timezone.make_aware(dt.datetime(2027, 3, 22, 15, 30, 0))


@pytest.fixture
def call():
    return CallFactory(
        deadline=DEADLINE,
        offers_from=DEADLINE - dt.timedelta(days=30),
        task_starts=dt.date(2027, 5, 1),
        task_ends=dt.date(2027, 11, 30),
        selection_date=dt.date(2027, 4, 20),
    )


@pytest.fixture
def organization():
    return OrganizationFactory(kind="foundation", name="Fundacja Przykładowa")


@pytest.fixture
def admin(organization):
    user = UserFactory()
    MembershipFactory(organization=organization, user=user, role="admin")
    return user


@pytest.fixture
def member(organization):
    user = UserFactory()
    MembershipFactory(organization=organization, user=user, role="member")
    return user


def complete_offer(call, organization, by, **fields):
    """A draft that meets every check of the call above."""
    values = {
        "title": "Warsztaty dla seniorów",
        "starts": dt.date(2027, 6, 1),
        "ends": dt.date(2027, 9, 30),
        "summary": "Zajęcia w domu kultury dla 40 osób.",
        "complementarity": "Uzupełnia program dzielnicy.",
        "results_effects": "40 osób ukończy warsztaty.",
        "results_change": "Mniej osamotnienia.",
        "results_durability": "Grupa spotyka się dalej.",
        "earlier_activity": "Od 2015 r. prowadzimy zajęcia.",
        "resources": "Dwie trenerki, sala.",
        "contact_name": "Anna Nowak",
        "contact_email": "anna@example.org",
        "contact_phone": "600100200",
        "requested_grant": Decimal("9000.00"),
        "own_financial": Decimal("500.00"),
        "own_personal": Decimal("500.00"),
        "other_information": "",
        "declares_public_benefit": True,
        "declares_fees": True,
        "declares_no_arrears": True,
        "declares_register_data": True,
        "declares_truth": True,
        "declares_personal_data": True,
        "representatives": "Anna Nowak — prezeska",
    }
    offer = Offer.objects.create(
        call=call,
        department=call.department,
        organization=organization,
        created_by=by,
        **{**values, **fields},
    )
    action = Action.objects.create(
        offer=offer,
        name="Warsztaty",
        description="Cotygodniowe spotkania",
        target_group="Seniorzy",
        starts=dt.date(2027, 6, 1),
        ends=dt.date(2027, 9, 30),
    )
    CostLine.objects.create(
        offer=offer,
        action=action,
        name="Trenerka",
        unit="godz.",
        unit_cost=Decimal("100"),
        quantity=Decimal("90"),
        year=2027,
    )
    CostLine.objects.create(
        offer=offer,
        action=None,
        name="Księgowość",
        unit="mies.",
        unit_cost=Decimal("250"),
        quantity=Decimal("4"),
        year=2027,
    )
    Result.objects.create(
        offer=offer, name="Uczestnicy", target_value="40 osób", monitoring="Listy obecności"
    )
    return offer


def submit_at(moment, offer, by):
    with time_machine.travel(moment, tick=False):
        return services.submit_offer(offer, by)


BEFORE = DEADLINE - dt.timedelta(days=1)


def test_the_complete_offer_meets_every_check(call, organization, admin):
    from wspolpraca.offers.checks import problems

    with time_machine.travel(BEFORE, tick=False):
        assert problems(complete_offer(call, organization, admin)) == []


def test_a_submitted_offer_is_frozen_with_its_number_time_and_checksum(
    call, organization, admin, django_capture_on_commit_callbacks
):
    offer = complete_offer(call, organization, admin)
    with django_capture_on_commit_callbacks(execute=True):
        offer = submit_at(BEFORE, offer, admin)
    assert offer.status == Offer.Status.SUBMITTED
    assert offer.number == f"OF/2027/{offer.pk:06d}"
    assert offer.submitted_at == BEFORE
    assert offer.content_sha256 == documents.sha256_of(offer.submitted_content)
    assert AuditEntry.objects.filter(action="offer.submitted", object_id=str(offer.pk)).exists()


def test_the_receipt_is_e_mailed_to_the_organizations_admins(
    call, organization, admin, member, django_capture_on_commit_callbacks, mailoutbox
):
    offer = complete_offer(call, organization, admin)
    with django_capture_on_commit_callbacks(execute=True):
        offer = submit_at(BEFORE, offer, admin)
    assert [m.to for m in mailoutbox] == [[admin.email]]
    assert offer.number in mailoutbox[0].subject
    assert offer.content_sha256 in mailoutbox[0].body


def test_the_frozen_content_does_not_follow_later_changes_of_the_profile(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    organization.name = "Nowa nazwa"
    organization.save()
    offer.refresh_from_db()
    names = [i["value"] for s in offer.submitted_content["sections"] for i in s["items"]]
    assert "Fundacja Przykładowa" in names and "Nowa nazwa" not in names


def test_a_submit_at_the_deadlines_second_is_accepted(call, organization, admin):
    offer = submit_at(DEADLINE, complete_offer(call, organization, admin), admin)
    assert offer.status == Offer.Status.SUBMITTED


def test_a_submit_one_second_after_the_deadline_is_refused(call, organization, admin):
    offer = complete_offer(call, organization, admin)
    with pytest.raises(services.OfferError, match="15:30:00"):
        submit_at(DEADLINE + dt.timedelta(seconds=1), offer, admin)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT


def test_the_submit_page_refuses_after_the_deadline_whatever_the_form_says(
    client, call, organization, admin
):
    offer = complete_offer(call, organization, admin)
    login(client, admin)
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=1), tick=False):
        client.post(reverse("offers:submit", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT


def test_a_member_without_the_right_cannot_submit(call, organization, admin, member):
    offer = complete_offer(call, organization, admin)
    with pytest.raises(services.OfferError):
        submit_at(BEFORE, offer, member)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT


def test_an_offer_with_problems_is_not_submitted(call, organization, admin):
    offer = complete_offer(call, organization, admin, declares_truth=False)
    with pytest.raises(services.OfferError):
        submit_at(BEFORE, offer, admin)


def test_a_submitted_offer_cannot_be_submitted_again(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    with pytest.raises(services.OfferError):
        submit_at(BEFORE, offer, admin)


# Who sees a submitted offer


def test_another_organizations_admin_gets_404_for_the_receipt_and_pdfs(
    client, call, organization, admin
):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    stranger = UserFactory()
    MembershipFactory(organization=OrganizationFactory(), user=stranger, role="admin")
    login(client, stranger)
    for name in ["offers:receipt", "offers:pdf", "offers:receipt_pdf", "offers:withdraw"]:
        assert client.get(reverse(name, args=[offer.pk])).status_code == 404, name


def test_an_anonymous_visitor_is_sent_to_sign_in(client, call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    response = client.get(reverse("offers:pdf", args=[offer.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_official_of_another_department_cannot_read_the_offer(client, call, organization, admin):
    from wspolpraca.city.tests.factories import DepartmentFactory

    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    official = UserFactory(role=User.Role.OFFICIAL)
    Official.objects.create(user=official, department=DepartmentFactory())
    login(client, official, mfa=False)
    assert not official.has_perm("offers.view_submitted_offer", offer)


def test_the_addressed_departments_official_may_read_the_offer(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    official = UserFactory(role=User.Role.OFFICIAL)
    Official.objects.create(user=official, department=call.department)
    assert official.has_perm("offers.view_submitted_offer", offer)


def test_a_draft_is_not_the_citys_to_read(call, organization, admin):
    offer = complete_offer(call, organization, admin)
    official = UserFactory(role=User.Role.OFFICIAL)
    Official.objects.create(user=official, department=call.department)
    assert not official.has_perm("offers.view_submitted_offer", offer)


# Documents


def pdf_text(data):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_receipt_pdf_holds_the_number_and_the_checksum(client, call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    login(client, admin)
    response = client.get(reverse("offers:receipt_pdf", args=[offer.pk]))
    text = pdf_text(response.content).replace("\n", "")
    assert offer.number in text
    assert offer.content_sha256 in text.replace(" ", "")


def test_the_offer_pdf_is_rendered_once_and_kept(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    first = services.ensure_pdf(offer)
    again = services.ensure_pdf(Offer.objects.get(pk=offer.pk))
    assert first.pdf.name == again.pdf.name
    assert again.pdf_sha256 == hashlib.sha256(again.pdf.open("rb").read()).hexdigest()


def test_script_typed_in_the_offer_prints_as_text_in_the_pdf(call, organization, admin):
    offer = complete_offer(call, organization, admin, title="<script>alert(1)</script>")
    offer = services.ensure_pdf(submit_at(BEFORE, offer, admin))
    text = pdf_text(offer.pdf.open("rb").read())
    assert "<script>alert(1)</script>" in text


# Withdraw and correct


def test_an_offer_is_withdrawn_before_the_deadline_and_kept(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    with time_machine.travel(BEFORE, tick=False):
        services.withdraw_offer(offer, admin)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN and offer.number


def test_withdrawal_after_the_deadline_is_refused(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=1), tick=False):
        with pytest.raises(services.OfferError):
            services.withdraw_offer(offer, admin)


def test_a_correction_replaces_the_offer_and_both_are_kept(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    with time_machine.travel(BEFORE, tick=False):
        correction = services.correct_offer(offer, admin)
    assert correction.status == Offer.Status.DRAFT and correction.replaces == offer
    assert correction.cost_lines.count() == 2 and correction.actions.count() == 1
    correction.title = "Warsztaty dla seniorów — poprawione"
    correction.save()
    submit_at(BEFORE + dt.timedelta(hours=1), correction, admin)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.REPLACED
    assert offer.submitted_content["sections"][2]["items"][0]["value"] == "Warsztaty dla seniorów"


def test_nobody_changes_a_submitted_offer(call, organization, admin):
    offer = submit_at(BEFORE, complete_offer(call, organization, admin), admin)
    assert not admin.has_perm("offers.edit_offer", offer)


# The signed copy


@pytest.fixture
def submitted(call, organization, admin):
    return services.ensure_pdf(submit_at(BEFORE, complete_offer(call, organization, admin), admin))


def upload(client, offer, data, name="podpisana.pdf"):
    return client.post(
        reverse("offers:receipt", args=[offer.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_a_signed_copy_of_the_offers_pdf_is_accepted_with_the_signers_name(
    client, submitted, admin
):
    signed = self_signed(submitted.pdf.open("rb").read())
    login(client, admin)
    assert upload(client, submitted, signed).status_code == 302
    submitted.refresh_from_db()
    assert submitted.signed_by == "Anna Nowak" and submitted.signed_at


def test_a_signed_copy_of_a_different_file_is_refused_with_the_reason(client, submitted, admin):
    from wspolpraca.core.pdf import render_pdf

    other = self_signed(render_pdf("core/pdf/sample.html", {}))
    login(client, admin)
    response = upload(client, submitted, other)
    assert response.status_code == 200
    assert (
        "nie jest plikiem PDF tej oferty" in response.content.decode()
        or response.context["form"].errors["file"]
    )
    submitted.refresh_from_db()
    assert not submitted.signed_by


def test_an_unsigned_pdf_is_refused(client, submitted, admin):
    login(client, admin)
    response = upload(client, submitted, submitted.pdf.open("rb").read())
    assert response.context["form"].errors["file"]
    submitted.refresh_from_db()
    assert not submitted.signed_by


def test_a_signed_copy_changed_after_signing_is_refused(client, submitted, admin):
    signed = bytearray(self_signed(submitted.pdf.open("rb").read()))
    # Change one byte inside the signed range (the original document's first object).
    at = signed.index(b"obj") + 10
    signed[at] = ord("X") if signed[at] != ord("X") else ord("Y")
    login(client, admin)
    response = upload(client, submitted, bytes(signed))
    assert response.context["form"].errors["file"]
    submitted.refresh_from_db()
    assert not submitted.signed_by


def test_a_disguised_file_is_refused_as_not_a_pdf(client, submitted, admin):
    login(client, admin)
    response = upload(client, submitted, b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert response.context["form"].errors["file"]


def test_an_oversized_file_is_refused_with_the_limit(client, submitted, admin, settings):
    settings.ATTACHMENT_MAX_SIZE = 1000
    login(client, admin)
    response = upload(client, submitted, b"%PDF-1.7\n" + b"0" * 2000)
    assert response.context["form"].errors["file"]


# Annulment


def test_an_annulled_call_tells_the_organizations_with_offers(
    call, organization, admin, django_capture_on_commit_callbacks, mailoutbox
):
    complete_offer(call, organization, admin)
    official = UserFactory(role=User.Role.OFFICIAL)
    Official.objects.create(user=official, department=call.department)
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(BEFORE, tick=False):
            call_services.annul_call(call, official, "Zmiana przepisów.")
    assert [m.to for m in mailoutbox] == [[admin.email]]
    assert "Zmiana przepisów." in mailoutbox[0].body


def test_script_in_every_text_field_is_inert_on_the_receipt_and_in_both_pdfs(
    client, call, organization, admin
):
    from django.db import models

    hostile = "<script>alert('x')</script>"
    offer = complete_offer(call, organization, admin)
    for field in Offer._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and field.editable:
            if (
                field.name
                not in {
                    "number",
                    "content_sha256",
                    "pdf_sha256",
                    "contact_email",
                    "kind",
                    "status",
                    "signed_by",
                }
                and not field.choices
            ):
                setattr(offer, field.name, hostile)
    offer.save()
    offer = services.ensure_pdf(submit_at(BEFORE, offer, admin))
    login(client, admin)
    page = client.get(reverse("offers:receipt", args=[offer.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert hostile in pdf_text(offer.pdf.open("rb").read())
    receipt = client.get(reverse("offers:receipt_pdf", args=[offer.pk])).content
    assert hostile in pdf_text(receipt)


def test_a_changed_call_tells_the_organizations_with_offers_what_changed(
    call, organization, admin, django_capture_on_commit_callbacks, mailoutbox
):
    from wspolpraca.competitions.services import record_change
    from wspolpraca.core.audit import snapshot

    complete_offer(call, organization, admin)
    official = UserFactory(role=User.Role.OFFICIAL)
    Official.objects.create(user=official, department=call.department)
    before = snapshot(call)
    call.contact = "Nowa osoba do kontaktu"
    call.save()
    with django_capture_on_commit_callbacks(execute=True):
        record_change(call, official, before, "Zmiana osoby do kontaktu.")
    assert [m.to for m in mailoutbox] == [[admin.email]]
    assert "Zmiana osoby do kontaktu." in mailoutbox[0].body
