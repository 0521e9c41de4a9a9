"""Consultations in each phase, and the people who take part in them."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official
from wspolpraca.city.tests.factories import DepartmentFactory, PublicBenefitAreaFactory
from wspolpraca.consultations.models import Consultation, Meeting, Postulate, Section
from wspolpraca.consultations.services import recount


def official_of(department, **fields):
    """A city official of `department`, with two-factor authentication set up."""
    from allauth.mfa.models import Authenticator

    user = UserFactory(role=User.Role.OFFICIAL, **fields)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test"})
    Official.objects.create(user=user, department=department)
    return user


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An announced consultation, open now: informed 10 days ago, open since 2 days ago,
    for 21 days."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    slug = factory.Sequence(lambda n: f"konsultacja-{n}")
    title = factory.Sequence(lambda n: f"Program współpracy, konsultacja {n}")
    summary = "Najważniejsze zmiany w programie w prostych słowach."
    document_title = "Projekt programu współpracy"
    forms = ["online", "meeting", "written"]
    information_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    closes_on = factory.LazyAttribute(lambda c: c.opens_on + timedelta(days=20))
    report_due = factory.LazyAttribute(lambda c: c.closes_on + timedelta(days=30))
    announced_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create:
            obj.areas.set(extracted or [PublicBenefitAreaFactory(code="33")])

    @factory.post_generation
    def sections(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            for number in (1, 2):
                Section.objects.create(
                    consultation=obj, number=number, title=f"Część {number}", text="Treść części."
                )


def closed(consultation):
    """Move `consultation` to the day after it closed."""
    today = timezone.localdate()
    consultation.information_from = today - timedelta(days=40)
    consultation.opens_on = today - timedelta(days=30)
    consultation.closes_on = today - timedelta(days=1)
    consultation.report_due = today + timedelta(days=29)
    consultation.save()
    return consultation


def add_meeting(consultation, **fields):
    day = fields.pop("day", consultation.closes_on)
    starts = timezone.make_aware(datetime.combine(day, time(17, 0)))
    return Meeting.objects.create(
        consultation=consultation,
        title=fields.pop("title", "Spotkanie otwarte"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Centrum Obywatelskie, ul. Reformacka 3",
        **fields,
    )


def add_postulate(consultation, proposal="Dodać nabór wniosków w styczniu.", **fields):
    last = consultation.postulates.order_by("-number").first()
    postulate = Postulate.objects.create(
        consultation=consultation,
        number=(last.number + 1) if last else 1,
        proposal=proposal,
        justification=fields.pop("justification", "Organizacje planują rok z wyprzedzeniem."),
        author=fields.pop("author", None) or UserFactory(),
        **fields,
    )
    recount(consultation)
    return postulate
