import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.library.models import ResearchTopic, Study, TopicSupport
from wspolpraca.organizations.tests.factories import OrganizationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name="raport.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class StudyFactory(factory.django.DjangoModelFactory):
    """An organization's published study with a link; `with_file=True` attaches a PDF."""

    class Meta:
        model = Study
        skip_postgeneration_save = True

    class Params:
        with_file = factory.Trait(
            file=factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="badanie.pdf")),
            file_type="pdf",
            file_size=len(PDF_BYTES),
        )
        city = factory.Trait(
            publisher_type=Study.PublisherType.CITY,
            organization=None,
            publisher_name="Wydział Polityki Społecznej i Zdrowia",
            added_by_city=True,
        )

    title = factory.Sequence(lambda n: f"Diagnoza potrzeb organizacji nr {n}")
    authors = "Anna Nowak, Jan Kowalski"
    publisher_type = Study.PublisherType.NGO
    organization = factory.SubFactory(OrganizationFactory)
    year = 2024
    abstract = "Badanie ankietowe organizacji działających w Krakowie."
    link = "https://example.org/badanie.pdf"
    licence = Study.Licence.CC_BY
    status = Study.Status.PUBLISHED
    submitted_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create:
            obj.areas.set(extracted or [PublicBenefitAreaFactory(code="33")])

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.districts.set(extracted)


class ResearchTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchTopic
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Samotność seniorów, temat {n}")
    description = "Ilu seniorów mieszka samotnie i czego potrzebują."
    proposed_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create:
            obj.areas.set(extracted or [PublicBenefitAreaFactory(code="10")])


class TopicSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicSupport

    topic = factory.SubFactory(ResearchTopicFactory)
    user = factory.SubFactory(UserFactory)
