"""No address of the site answers 500 to malformed input.

Every URL pattern of the site's own apps (organizations, pages, city, api, accounts, and
the sign-in pages) is requested with path values that do not exist or overflow, with
query parameters that are junk (letters for numbers, unknown choices, NUL bytes, very
long text, unknown names, a bad ?format=), and with a POST body of junk, as a visitor,
an organization's admin and a platform admin. Each must answer with a page, a redirect
or a 4xx — never a server error.
"""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from conftest import login
from wspolpraca.pages.models import Page

pytestmark = pytest.mark.django_db

OWN_NAMESPACES = {"organizations", "pages", "city", "api", "accounts"}
OWN_NAMES = {"home", "api-schema", "api-docs", "set_language"}
SIGN_IN_NAMES = {"account_login", "account_signup", "account_reset_password"}

JUNK_QUERIES = [
    {"page": "abc"},
    {"page": "-1"},
    {"page": "99999999999999999999999"},
    {"page_size": "abc"},
    {"area": "abc"},
    {"district": "-1"},
    {"district": "99999999999999999999999"},
    {"district": "abc"},
    {"kind": "junk"},
    {"opp": "maybe"},
    {"verified": "null"},
    {"sort": "junk"},
    {"q": "zdrowie " * 800},
    {"q": "a\x00b"},
    {"format": "junk"},
    {"format": "xlsx"},
    {"step": "junk"},
    {"lang": "xx"},
    {"next": "\x00//evil.example.org"},
    {"unknown": "1", "area": ["1", "abc"]},
]

JUNK_POST = {
    "pk": "abc",
    "member": "abc",
    "membership": "-1",
    "user": "99999999999999999999999",
    "invitation": "abc",
    "decision": "junk",
    "step": "details",
    "confirm": "junk",
    "name": "Fundacja\r\nBcc: someone@example.org",
    "short_name": "a\x00b",
    "email": "not-an-address",
    "krs": "١٢٣٤٥٦٧٨٩٠",
    "nip": "１２３４５６７８９０",
    "regon": "abc",
    "postal_code": "٣١-٠٠١",
    "kind": "junk",
    "district": "abc",
    "areas": ["abc", "-1", "99999999999999999999999"],
    "target_groups": ["abc"],
    "latitude": "abc",
    "longitude": "1e999",
    "registration_date": "32.13.2024",
    "website": "javascript:alert(1)",
    "language": "\x00",
    "next": "//evil.example.org",
    "q": "a\x00b",
    "password": "x",
    "login": "a\x00b@example.org",
}

# Path values: existing ones and ones that do not exist or do not fit a database integer.
PK_VALUES = ["1", "99999999999999999999999"]
FORMAT_VALUES = ["json", "junk"]


def own_patterns():
    """(name, argument names) of every URL pattern of the site's own apps."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                full = f"{namespace}:{entry.name}" if namespace else entry.name
                own = (namespace in OWN_NAMESPACES) or (
                    not namespace and entry.name in OWN_NAMES | SIGN_IN_NAMES
                )
                if own:
                    found.append((full, tuple(entry.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, None)
    return sorted(set(found))


PATTERNS = own_patterns()


def urls_for(name, arguments, organization, invitation):
    values = {
        "slug": [organization.slug, "x" * 300],
        "pk": PK_VALUES,
        "token": [invitation.token, "x" * 300],
        "format": FORMAT_VALUES,
    }
    if name.startswith("pages:"):
        values["slug"] = [Page.objects.values_list("slug", flat=True).first() or "x", "x" * 300]
    combos = [{}]
    for argument in arguments:
        combos = [{**c, argument: v} for c in combos for v in values.get(argument, ["x"])]
    urls = []
    for kwargs in combos:
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return urls


@pytest.fixture
def invitation(organization, org_admin):
    from wspolpraca.organizations.models import Invitation

    return Invitation.objects.create(
        organization=organization, email="zaproszona@example.org", invited_by=org_admin
    )


@pytest.fixture
def people(org_admin, platform_admin):
    return {"visitor": None, "organization admin": org_admin, "platform admin": platform_admin}


def client_for(user):
    client = Client()
    if user is not None:
        login(client, user)
    return client


def test_the_walk_covers_every_app():
    namespaces = {name.split(":")[0] for name, _arguments in PATTERNS if ":" in name}
    assert OWN_NAMESPACES <= namespaces
    assert len(PATTERNS) > 25


@pytest.mark.parametrize(("name", "arguments"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_malformed_query_parameters_never_give_a_server_error(
    name, arguments, organization, invitation, people
):
    failures = []
    for who in ["visitor", "platform admin"]:
        client = client_for(people[who])
        for url in urls_for(name, arguments, organization, invitation):
            for query in [{}, *JUNK_QUERIES]:
                status = client.get(url, query).status_code
                if status >= 500:
                    failures.append(f"{who} GET {url} {query!r:.80}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("name", "arguments"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_a_junk_form_never_gives_a_server_error(name, arguments, organization, invitation, people):
    failures = []
    for who, user in people.items():
        client = client_for(user)
        for url in urls_for(name, arguments, organization, invitation):
            status = client.post(url, JUNK_POST).status_code
            if status >= 500:
                failures.append(f"{who} POST {url}: {status}")
    assert not failures, "\n".join(failures)
