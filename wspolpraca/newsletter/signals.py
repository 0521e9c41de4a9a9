"""The public news pages are cached until the news change (core.caching)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from wspolpraca.core.caching import touch

KEY = "news"


def news_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        touch(KEY)


def connect():
    from .models import News

    post_save.connect(news_changed, sender=News)
    post_delete.connect(news_changed, sender=News)
    m2m_changed.connect(news_changed, sender=News.areas.through)
