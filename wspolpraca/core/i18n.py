"""Content kept in both languages on a row (`title_pl`, `title_en`)."""

from django.utils.translation import get_language


def localized(obj, field):
    """The English value when English is active and filled in; the Polish one otherwise."""
    if get_language() == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_pl")
