"""The upload policy (core/uploads.py) applied to logos: a size cap, the type read from the
content, a random name, and no file left behind when it is replaced, cleared or its
organization deleted."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import admin_change_data, login
from wspolpraca.core import uploads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def image_bytes(fmt="PNG", size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def _post_logo(client, organization, upload, **extra):
    data = {"name": organization.name, "kind": "foundation", "krs": organization.krs, **extra}
    if upload is not None:
        data["logo"] = upload
    return client.post(reverse("organizations:edit", args=[organization.slug]), data)


def test_a_png_logo_is_stored_under_a_random_name(client, organization, org_admin):
    login(client, org_admin)
    upload = SimpleUploadedFile("Jan Kowalski prywatne.png", image_bytes(), "image/png")
    assert _post_logo(client, organization, upload).status_code == 302
    organization.refresh_from_db()
    name = organization.logo.name
    assert name.startswith("logos/") and name.endswith(".png")
    assert "Kowalski" not in name
    assert default_storage.exists(name)


def test_the_stored_extension_follows_the_content_not_the_name(client, organization, org_admin):
    login(client, org_admin)
    upload = SimpleUploadedFile("logo.png", image_bytes("JPEG"), "image/png")
    _post_logo(client, organization, upload)
    organization.refresh_from_db()
    assert organization.logo.name.endswith(".jpg")


@pytest.mark.parametrize("content", [SVG, HTML], ids=["svg", "html"])
def test_a_file_that_is_not_an_image_named_png_is_refused_next_to_the_field(
    client, organization, org_admin, content
):
    login(client, org_admin)
    upload = SimpleUploadedFile("logo.png", content, "image/png")
    response = _post_logo(client, organization, upload)
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    organization.refresh_from_db()
    assert not organization.logo


def test_a_logo_larger_than_the_cap_is_refused(client, settings, organization, org_admin):
    png = image_bytes()
    settings.LOGO_MAX_SIZE = len(png) - 1
    login(client, org_admin)
    upload = SimpleUploadedFile("logo.png", png, "image/png")
    response = _post_logo(client, organization, upload)
    errors = response.context["form"].errors["logo"]
    assert "too large" in errors[0]


def test_an_image_of_a_type_outside_the_list_is_refused(client, organization, org_admin):
    login(client, org_admin)
    upload = SimpleUploadedFile("logo.bmp", image_bytes("BMP"), "image/bmp")
    response = _post_logo(client, organization, upload)
    assert "logo" in response.context["form"].errors


def test_a_replaced_logo_is_deleted_from_storage(
    client, organization, org_admin, django_capture_on_commit_callbacks
):
    login(client, org_admin)
    _post_logo(client, organization, SimpleUploadedFile("a.png", image_bytes(), "image/png"))
    organization.refresh_from_db()
    first = organization.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        _post_logo(client, organization, SimpleUploadedFile("b.png", image_bytes(), "image/png"))
    organization.refresh_from_db()
    assert organization.logo.name != first
    assert not default_storage.exists(first)
    assert default_storage.exists(organization.logo.name)


def test_a_cleared_logo_is_deleted_from_storage(
    client, organization, org_admin, django_capture_on_commit_callbacks
):
    login(client, org_admin)
    _post_logo(client, organization, SimpleUploadedFile("a.png", image_bytes(), "image/png"))
    organization.refresh_from_db()
    stored = organization.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        _post_logo(client, organization, None, **{"logo-clear": "on"})
    organization.refresh_from_db()
    assert not organization.logo
    assert not default_storage.exists(stored)


def test_the_logo_of_a_deleted_organization_is_deleted_from_storage(
    client, organization, org_admin, django_capture_on_commit_callbacks
):
    login(client, org_admin)
    _post_logo(client, organization, SimpleUploadedFile("a.png", image_bytes(), "image/png"))
    organization.refresh_from_db()
    stored = organization.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        organization.delete()
    assert not default_storage.exists(stored)


# The policy itself, as the next apps will use it.


def test_the_policy_accepts_a_pdf_by_its_content_for_apps_that_allow_pdf():
    upload = SimpleUploadedFile("wniosek.pdf", b"%PDF-1.7\n1 0 obj\n", "application/pdf")
    accepted = uploads.accept_upload(upload, types=(uploads.PDF,), max_size=1024)
    assert accepted.name == "upload.pdf"


def test_the_policy_refuses_html_named_pdf():
    upload = SimpleUploadedFile("wniosek.pdf", HTML, "application/pdf")
    with pytest.raises(ValidationError):
        uploads.accept_upload(upload, types=(uploads.PDF,), max_size=1024)


def test_the_validator_refuses_a_file_over_its_cap():
    validator = uploads.UploadValidator(uploads.IMAGE_TYPES, max_size=10)
    with pytest.raises(ValidationError):
        validator(SimpleUploadedFile("a.png", image_bytes(), "image/png"))


def test_random_names_differ_and_keep_no_part_of_the_given_name():
    name = uploads.RandomName("reports")
    first, second = name(None, "../../etc/Nowak.PDF"), name(None, "../../etc/Nowak.PDF")
    assert first != second
    assert first.startswith("reports/") and first.endswith(".pdf")
    assert "Nowak" not in first and ".." not in first


def _post_admin_logo(client, organization, upload):
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = admin_change_data(client, url, kind="foundation", slug=organization.slug, logo=upload)
    return client.post(url, data)


def test_the_back_office_refuses_html_disguised_as_a_logo(client, organization, platform_admin):
    login(client, platform_admin)
    response = _post_admin_logo(
        client, organization, SimpleUploadedFile("logo.png", HTML, "image/png")
    )
    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert not organization.logo


def test_a_logo_replaced_in_the_back_office_is_deleted(
    client, organization, platform_admin, django_capture_on_commit_callbacks
):
    login(client, platform_admin)
    first = SimpleUploadedFile("a.png", image_bytes(), "image/png")
    assert _post_admin_logo(client, organization, first).status_code == 302
    organization.refresh_from_db()
    old_name = organization.logo.name
    second = SimpleUploadedFile("b.png", image_bytes(size=(10, 10)), "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_admin_logo(client, organization, second).status_code == 302
    organization.refresh_from_db()
    assert organization.logo.name != old_name
    assert not default_storage.exists(old_name)
