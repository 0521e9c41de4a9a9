"""The one upload policy of the platform: a size cap, the type read from the content, a
random name in storage, and the old file deleted when it is replaced or its record goes.

Every app that takes files from people (logos now; offers' attachments, reports and
pictures later) uses these pieces instead of writing its own checks:

1. On the model, store under a random name::

       logo = models.ImageField(upload_to=RandomName("logos"), blank=True)

2. In the form, check the file and name it by its real type::

       def clean_logo(self):
           return accept_upload(
               self.cleaned_data.get("logo"),
               types=IMAGE_TYPES,
               max_size=settings.LOGO_MAX_SIZE,
           )

   or, where a validator is simpler, ``validators=[UploadValidator(IMAGE_TYPES, max_size)]``
   on a form field (it checks but does not rename).

3. In the service that saves the record, delete what was replaced or cleared::

       old = organization.logo.name            # before the form is saved
       ...
       delete_replaced(old, organization.logo)  # after, deletes on commit

   and delete the files of deleted records with
   ``delete_files_on_delete(Model, "field", ...)`` once, in the app's ``ready()``.

4. A file that is not for everyone is stored with ``storage=PrivateStorage()`` (outside
   MEDIA_ROOT, no URL) and handed out by a view that decides who may have it::

       return private_file_response(
           offer.signed_confirmation, allowed=request.user.has_perm("offers.view_offer", offer),
           filename=f"oferta-{offer.number}-podpisana.pdf", content_type="application/pdf",
       )

Types are :class:`FileType` values; ``IMAGE_TYPES`` (PNG, JPEG, GIF, WebP: what browsers
show and Pillow checks pixel by pixel) and ``PDF`` are defined here; add a type here, with
a content check, when an app needs one. Serving files only to those allowed is each app's
view; files under ``MEDIA_URL`` are public.
"""

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Images larger than this many pixels are refused before they are decoded: a small file
# can unpack to gigabytes (a "decompression bomb").
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class FileType:
    """One kind of file the platform accepts: how it is named, what it is served as, and
    how its content is recognised (`matches` reads an open binary file from its start)."""

    label: str
    extension: str
    mime: str
    matches: Callable


def _image_format(file):
    """The Pillow format name ("PNG", "JPEG", ...) of a complete, sane image, or None."""
    from PIL import Image

    try:
        with Image.open(file) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return None
            image_format = image.format
            # verify() reads the whole file and checks its structure (CRCs of PNG chunks,
            # the JPEG markers); a text file named .png never gets this far.
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on hostile input
        return None
    return image_format


def _image_of(pillow_format):
    return lambda file: _image_format(file) == pillow_format


def _starts_with(magic):
    return lambda file: file.read(len(magic)) == magic


PNG = FileType("PNG", "png", "image/png", _image_of("PNG"))
JPEG = FileType("JPEG", "jpg", "image/jpeg", _image_of("JPEG"))
GIF = FileType("GIF", "gif", "image/gif", _image_of("GIF"))
WEBP = FileType("WebP", "webp", "image/webp", _image_of("WEBP"))
PDF = FileType("PDF", "pdf", "application/pdf", _starts_with(b"%PDF-"))

IMAGE_TYPES = (PNG, JPEG, GIF, WEBP)


def detect_type(file, types):
    """The first of `types` whose content check `file` passes, or None. Reads the file
    from its start for each type and leaves it at its start."""
    for file_type in types:
        file.seek(0)
        try:
            matched = file_type.matches(file)
        finally:
            file.seek(0)
        if matched:
            return file_type
    return None


def check_upload(file, *, types, max_size):
    """Raise ValidationError (with a message for the person) unless `file` is at most
    `max_size` bytes and its content is one of `types`; return the FileType found."""
    if file.size is not None and file.size > max_size:
        raise ValidationError(
            _("The file is too large: it may have at most %(size)s.")
            % {"size": filesizeformat(max_size)},
            code="file_too_large",
        )
    file_type = detect_type(file, types)
    if file_type is None:
        raise ValidationError(
            _("This file is not one of the accepted types: %(types)s.")
            % {"types": ", ".join(t.label for t in types)},
            code="file_type",
        )
    return file_type


def accept_upload(file, *, types, max_size):
    """For a form's clean_<field>(): check a newly uploaded `file` and give it a name with
    the extension of its real type (the stored name is random, see RandomName).

    Anything that is not a new upload (empty, False for "clear", the stored file) passes
    through unchanged."""
    if not file or not hasattr(file, "content_type"):
        return file
    file_type = check_upload(file, types=types, max_size=max_size)
    file.name = f"upload.{file_type.extension}"
    file.content_type = file_type.mime
    return file


@deconstructible
class UploadValidator:
    """A field validator with the same checks as check_upload (no renaming)."""

    def __init__(self, types, max_size):
        self.types = tuple(types)
        self.max_size = max_size

    def __call__(self, file):
        if file and hasattr(file, "seek"):
            check_upload(file, types=self.types, max_size=self.max_size)

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.types == other.types
            and self.max_size == other.max_size
        )


@deconstructible
class RandomName:
    """`upload_to` that stores a file as <folder>/<year>/<random>.<extension>: the name a
    person gave the file is not kept (it may hold personal data or path tricks) and nobody
    can guess another file's address."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = os.path.splitext(filename)[1].lower().lstrip(".")
        if not extension.isascii() or not extension.isalnum() or len(extension) > 5:
            extension = "bin"
        return f"{self.folder}/{timezone.now():%Y}/{secrets.token_urlsafe(18)}.{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


def delete_stored(storage, name):
    """Delete a stored file once the transaction commits (a rollback keeps it)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def delete_replaced(old_name, field_file):
    """After a record is saved: delete the file `old_name` if `field_file` (the field's
    value now) no longer points at it — replaced by a new file or cleared."""
    if old_name and old_name != (field_file.name or ""):
        delete_stored(field_file.storage, old_name)


def delete_files_on_delete(model, *field_names):
    """Delete the stored files of `model`'s file fields when a row is deleted, however it
    is deleted (a service, the back office, a cascade). Call once, in AppConfig.ready()."""

    def _delete(sender, instance, **kwargs):
        for name in field_names:
            field_file = getattr(instance, name)
            if field_file:
                delete_stored(field_file.storage, field_file.name)

    post_delete.connect(_delete, sender=model, weak=False, dispatch_uid=f"uploads:{model}")


# Files that are not public (offers' attachments, signed confirmations, reports) live in
# their own folder, outside MEDIA_ROOT, with no URL: the web server never serves them, and
# a view hands one out with `private_file_response` after it has checked who asks.
@deconstructible
class PrivateStorage(FileSystemStorage):
    # Read from the settings on each use (not once at import), like MEDIA_ROOT.
    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def __eq__(self, other):
        return isinstance(other, PrivateStorage)

    def url(self, name):
        raise ValueError("A private file has no public address; serve it from a view.")


def private_file_response(field_file, *, allowed, filename, content_type):
    """The file for a person the calling view has decided about (`allowed`): 404 when they
    may not see it, as when it does not exist, so its existence is not told either. Always
    a download under the name the view gives, never shown in the browser's own viewer as a
    page of the site."""
    if not allowed or not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
