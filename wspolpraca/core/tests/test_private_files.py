"""Files not for everyone: stored outside the public media folder, with no address, and
handed out only to those a view allows."""

import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from wspolpraca.core.uploads import PrivateStorage, private_file_response


@pytest.fixture
def stored(settings):
    storage = PrivateStorage()
    name = storage.save("offers/2027/abc.pdf", ContentFile(b"%PDF-1.7 tajne"))
    return storage, name


def test_a_private_file_is_kept_outside_the_public_media_folder(settings, stored):
    storage, name = stored
    path = storage.path(name)
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_a_private_file_has_no_public_address(stored):
    storage, name = stored
    with pytest.raises(ValueError):
        storage.url(name)


def test_a_person_who_may_not_see_it_gets_not_found(stored):
    storage, name = stored
    with pytest.raises(Http404):
        private_file_response(
            storage.open(name), allowed=False, filename="x.pdf", content_type="application/pdf"
        )


def test_a_person_who_may_see_it_downloads_it_never_cached(stored):
    from django.db.models.fields.files import FieldFile

    storage, name = stored
    field_file = FieldFile(None, type("F", (), {"storage": storage})(), name)
    response = private_file_response(
        field_file, allowed=True, filename="oferta-1.pdf", content_type="application/pdf"
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.7 tajne"
    assert response["Content-Disposition"] == 'attachment; filename="oferta-1.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_is_not_found_not_an_error(stored):
    from django.db.models.fields.files import FieldFile

    storage, _name = stored
    field_file = FieldFile(None, type("F", (), {"storage": storage})(), "offers/none.pdf")
    with pytest.raises(Http404):
        private_file_response(
            field_file, allowed=True, filename="x.pdf", content_type="application/pdf"
        )
