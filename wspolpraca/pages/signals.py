"""Pages shown to the public are cached until they change (core.caching)."""

from django.db.models.signals import post_delete, post_save

from wspolpraca.core.caching import touch

from .models import AccessibilityDeclaration, Page


def pages_changed(sender, **kwargs):
    touch("pages")


def connect():
    for model in (Page, AccessibilityDeclaration):
        post_save.connect(pages_changed, sender=model)
        post_delete.connect(pages_changed, sender=model)
