import factory

from wspolpraca.pages.models import Page


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"strona-{n}")
    title_pl = factory.Sequence(lambda n: f"Strona testowa {n}")
    title_en = factory.Sequence(lambda n: f"Test page {n}")
    summary_pl = "Krótkie streszczenie."
    summary_en = "A short summary."
    body_pl = "## Nagłówek\n\nTreść strony."
    body_en = "## Heading\n\nPage text."
    is_published = True
