"""The back office speaks Polish: every page a platform admin or a city official opens —
the index, each app, each model's list, add and change pages — has no English left, and
the names Django builds sentences from are translated.

Two checks. The first reads the pieces the admin is built from (app and model names,
field labels and help texts, fieldset titles, list filters, actions) and asserts each
reads differently in Polish than in English. The second walks every admin URL, collects
the visible text (and titles, alt texts, button labels) and looks for English words: the
words of the English texts in the catalogues that Polish does not use.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import CoordinatorFactory
from wspolpraca.core.audit import record
from wspolpraca.organizations.models import (
    ClaimRequest,
    Invitation,
    KrsWatchRun,
    Membership,
    TargetGroup,
)
from wspolpraca.organizations.tests.factories import DistrictFactory, MembershipFactory

pytestmark = pytest.mark.django_db

# Words that read the same in both languages.
SAME_IN_BOTH = {
    "krs",
    "nip",
    "regon",
    "e-mail",
    "logo",
    "status",
    "id",
    "symbol",
    "totp",
    "api",
    "markdown",
    "opp",
    "administrator",
    "nowa huta",  # a district's name
    "mentor",
}


def _catalogue_words(path, field):
    words = set()
    for entry in polib.pofile(str(path)):
        text = getattr(entry, field) or ""
        text = re.sub(r"%\(\w+\)\w|\{\w+\}|%\w|<[^>]+>", " ", text)
        words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z’']+", text) if len(w) > 2}
    return words


def english_words():
    """Words of the English msgids of the catalogues the admin uses, less any word that
    also appears in the Polish translations (names, acronyms)."""
    django_dir = Path(django.__file__).parent
    catalogues = [
        django_dir / "contrib/admin/locale/pl/LC_MESSAGES/django.po",
        django_dir / "contrib/auth/locale/pl/LC_MESSAGES/django.po",
        django_dir / "conf/locale/pl/LC_MESSAGES/django.po",
        Path(settings.BASE_DIR) / "locale/pl/LC_MESSAGES/django.po",
    ]
    english, polish = set(), set()
    for path in catalogues:
        english |= _catalogue_words(path, "msgid")
        polish |= _catalogue_words(path, "msgstr")
    return english - polish - SAME_IN_BOTH


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes outside scripts, styles and text
    areas, plus titles, alt texts, labels and button values."""

    SKIP = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.texts, self.attributes, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attributes += [value for value in attrs.values() if value]
        if tag in self.SKIP:
            self.skipping += 1
        for name in ("title", "alt", "aria-label", "placeholder"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.texts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data.strip())


def data_values():
    """Every text stored in the database: records may be in English (label_en)."""
    values = set()
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model._default_manager.values_list(*names) if names else []:
            values |= {str(v).strip() for v in row if v and len(str(v).strip()) > 2}
    return sorted(values, key=len, reverse=True)


# Django's Polish catalogue offers every ending at once: "został(a)(-ło) dodany(-na)(-ne)".
ALTERNATIVE_ENDINGS = re.compile(r"[^\W\d_]\((?:-?[^\W\d_]{1,4})\)|\(-[^\W\d_]{1,5}\)")


def untranslated(html, words, data):
    """Texts of the page with English words or alternative endings, data left out."""
    found = []
    parser = VisibleText()
    parser.feed(html)
    texts = set(parser.texts)
    for text in texts | set(parser.attributes):
        english = text in texts and _english_words(text, words)
        if not (english or ALTERNATIVE_ENDINGS.search(text)):
            continue  # the common case, checked before the slower look at stored data
        if len(text) > 10 and any(text in value for value in data):
            continue  # a line of a longer stored text (a read-only field)
        cleaned = text
        for value in data:
            if value in cleaned:
                cleaned = cleaned.replace(value, " ")
        if ALTERNATIVE_ENDINGS.search(cleaned):
            found.append((text, ["alternative endings"]))
        if text in texts and _english_words(cleaned, words):
            found.append((text, _english_words(cleaned, words)))
    return found


def _english_words(text, words):
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z’']+", text) if w.lower() in words})


@pytest.fixture
def sample_rows(organization, org_admin):
    """One row of every model the back office lists, so each change page can open."""
    district = DistrictFactory(name="Stare Miasto", roman="I")
    organization.district = district
    organization.save()
    applicant = UserFactory()
    MembershipFactory(organization=organization, user=applicant, role=Membership.Role.MEMBER)
    Invitation.objects.create(organization=organization, email="nowa@example.org")
    ClaimRequest.objects.create(organization=organization, user=UserFactory(), message="Proszę")
    KrsWatchRun.objects.create(day="2026-11-20", status=KrsWatchRun.Status.DONE)
    TargetGroup.objects.get_or_create(name_pl="Seniorzy", defaults={"name_en": "Seniors"})
    CoordinatorFactory(full_name="Anna Kulturalna")
    record(org_admin, "membership.admin_transferred", organization, {"admin_added": [None, "a"]})
    record(org_admin, "organization.updated", organization, {"district": [None, district.pk]})
    return organization


def staff(role):
    sync_role_groups()
    person = UserFactory(role=role)
    from conftest import with_totp

    with_totp(person)
    apply_role(person)
    return User.objects.get(pk=person.pk)


def admin_urls(user):
    """The index, every app's page, and each model's list, add and change pages that
    `user` may open."""
    request = RequestFactory().get("/")
    request.user = user
    urls = [reverse("admin:index")]
    for app in admin.site.get_app_list(request):
        urls.append(reverse("admin:app_list", args=[app["app_label"]]))
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").last()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
            if model_admin.has_delete_permission(request, obj):
                urls.append(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]))
    return urls


@pytest.mark.parametrize(
    "role", [User.Role.PLATFORM_ADMIN, User.Role.OFFICIAL, User.Role.COORDINATOR]
)
def test_every_admin_page_has_no_english_left(client, sample_rows, role):
    person = staff(role)
    login(client, person)
    words, data = english_words(), data_values()
    problems = {}
    urls = admin_urls(person)
    assert len(urls) > 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = untranslated(response.content.decode(), words, data)
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_the_english_word_list_knows_the_admin_words():
    words = english_words()
    assert {"select", "change", "delete", "history"} <= words
    assert "organizacja" not in words


def _pieces():
    """(where, lazy text) for every name the admin builds its pages from."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        where = model._meta.label
        yield f"{where} app", model._meta.app_config.verbose_name
        yield f"{where} name", model._meta.verbose_name
        yield f"{where} plural", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if not field.concrete or not field.editable:
                continue  # reverse relations and columns the code writes are not shown
            if hasattr(field, "verbose_name") and field.name != "id":
                yield f"{where}.{field.name}", field.verbose_name
            if getattr(field, "help_text", ""):
                yield f"{where}.{field.name} help", field.help_text
            for _value, label in getattr(field, "flatchoices", None) or []:
                yield f"{where}.{field.name} choice", label
        for title, options in model_admin.get_fieldsets(request, model._default_manager.first()):
            if title:
                yield f"{where} fieldset", title
            if options.get("description"):
                yield f"{where} fieldset description", options["description"]
        for name in model_admin.get_list_display(request):
            if name != "__str__":
                yield f"{where} column {name}", label_for_field(name, model, model_admin)
        for list_filter in model_admin.get_list_filter(request):
            if isinstance(list_filter, tuple):
                list_filter = list_filter[0]
            if isinstance(list_filter, str):
                field = model._meta.get_field(list_filter.split("__")[0])
                yield f"{where} filter {list_filter}", field.verbose_name
            else:
                yield f"{where} filter", list_filter.title
        for name, (_func, _name, description) in model_admin.get_actions(request).items():
            yield f"{where} action {name}", description


def test_every_name_the_admin_builds_pages_from_is_translated():
    untranslated_pieces = []
    for where, text in _pieces():
        with translation.override("en"):
            english = str(text)
        with translation.override("pl"):
            polish = str(text)
        if polish == english and english.lower() not in SAME_IN_BOTH:
            untranslated_pieces.append((where, english))
    assert not untranslated_pieces, "\n".join(map(str, untranslated_pieces))


def test_titles_name_the_model_in_the_accusative(client, platform_admin):
    login(client, platform_admin)
    add = client.get(reverse("admin:organizations_organization_add")).content.decode()
    assert "<h1>Dodaj organizację</h1>" in add
    listing = client.get(reverse("admin:organizations_district_changelist")).content.decode()
    assert "<h1>Dzielnice</h1>" in listing
    assert "Dodaj dzielnicę" in listing


def test_the_message_after_adding_reads_correctly(client, platform_admin):
    login(client, platform_admin)
    response = client.post(
        reverse("admin:organizations_district_add"),
        {"number": 40, "roman": "XL", "name": "Nowa Dzielnica"},
        follow=True,
    )
    messages = [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]]
    assert messages == ["Zapisano nowy wpis: dzielnica „XL Nowa Dzielnica”."]


def test_the_bulk_delete_confirmation_reads_correctly(client, platform_admin):
    districts = [DistrictFactory(number=n, name=f"D{n}") for n in (41, 42)]
    login(client, platform_admin)
    response = client.post(
        reverse("admin:organizations_district_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in districts]},
    )
    html = response.content.decode()
    assert "Czy na pewno usunąć zaznaczone wpisy (dzielnice)?" in html
    assert untranslated(html, english_words(), data_values()) == []


def test_the_delete_confirmation_names_the_object_in_the_accusative_without_link_rows(
    client, platform_admin
):
    from wspolpraca.organizations.models import PublicBenefitArea
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory(
        name="Fundacja Do Usunięcia", areas=list(PublicBenefitArea.objects.all()[:2])
    )
    login(client, platform_admin)
    response = client.get(
        reverse("admin:organizations_organization_delete", args=[organization.pk])
    )
    html = response.content.decode()
    assert "Czy na pewno usunąć organizację „Fundacja Do Usunięcia”?" in html
    assert "Organization_areas" not in html
    assert "do publicbenefitarea" not in html
