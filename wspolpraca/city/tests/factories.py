from datetime import datetime, timedelta

import factory
from django.utils import timezone

from wspolpraca.city.models import (
    BodyMeeting,
    BodyMember,
    Coordinator,
    Department,
    DialogueBody,
    Opinion,
    OpinionRequest,
)
from wspolpraca.organizations.models import PublicBenefitArea


class PublicBenefitAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicBenefitArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n}")
    label_pl = factory.Sequence(lambda n: f"Sfera testowa {n}")
    label_en = factory.Sequence(lambda n: f"Test area {n}")
    position = factory.Sequence(lambda n: 1000 + n)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Wydział Testowy {n}")
    short_name = factory.Sequence(lambda n: f"WT{n}")
    email = factory.Sequence(lambda n: f"wydzial{n}@example.org")
    phone = "+48 12 616 00 00"


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    full_name = factory.Sequence(lambda n: f"Koordynator Nr {n}")
    role = "koordynator ds. współpracy z NGO"
    email = factory.Sequence(lambda n: f"koordynator{n}@example.org")
    phone = "+48 12 616 11 11"

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


def in_days(days, hour=17):
    """An aware moment `days` from today at `hour` o'clock, in the site's time zone."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


class DialogueBodyFactory(factory.django.DjangoModelFactory):
    """A Civic Dialogue Commission serviced by a department of its own."""

    class Meta:
        model = DialogueBody
        skip_postgeneration_save = True

    kind = DialogueBody.Kind.COMMISSION
    name = factory.Sequence(lambda n: f"Komisja Dialogu Obywatelskiego nr {n}")
    slug = factory.Sequence(lambda n: f"kdo-{n}")
    description = "Komisja opiniuje projekty dokumentów miasta."
    department = factory.SubFactory(DepartmentFactory)
    contact = "ul. Wielicka 28a, Kraków"

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)

    @factory.post_generation
    def secretaries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.secretaries.set(extracted)


class BodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(DialogueBodyFactory)
    full_name = factory.Sequence(lambda n: f"Członek Komisji {n}")
    role = BodyMember.Role.MEMBER
    representing = BodyMember.Representing.NGOS
    term_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))
    term_end = None


class BodyMeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting a week ahead."""

    class Meta:
        model = BodyMeeting

    body = factory.SubFactory(DialogueBodyFactory)
    starts_at = factory.LazyFunction(lambda: in_days(7, 17))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Urząd Miasta, ul. Wielicka 28a, sala 1"
    agenda = "Otwarcie posiedzenia\nSprawy bieżące"
    status = BodyMeeting.Status.PLANNED


class OpinionFactory(factory.django.DjangoModelFactory):
    """A published opinion adopted a week ago."""

    class Meta:
        model = Opinion

    body = factory.SubFactory(DialogueBodyFactory)
    kind = Opinion.Kind.OPINION
    number = factory.Sequence(lambda n: f"{n + 1}/2026")
    adopted_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    title = factory.Sequence(lambda n: f"Opinia w sprawie projektu nr {n}")
    text = "Komisja pozytywnie opiniuje projekt."
    published_at = factory.LazyFunction(timezone.now)


class OpinionRequestFactory(factory.django.DjangoModelFactory):
    """A request due in two weeks."""

    class Meta:
        model = OpinionRequest

    body = factory.SubFactory(DialogueBodyFactory)
    title = factory.Sequence(lambda n: f"Projekt programu nr {n}")
    description = "Prosimy o opinię do projektu."
    draft_url = "https://example.org/projekt"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
