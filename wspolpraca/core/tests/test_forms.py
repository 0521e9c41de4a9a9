"""The one form design (core/forms.py, docs/forms.md), as every `{{ form }}` renders it."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from conftest import login


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As in the register.", max_length=200)
    nickname = forms.CharField(label="Short name", required=False, max_length=20)
    postal_code = forms.CharField(label="Postal code", max_length=6)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "Association"), ("f", "Foundation")], widget=forms.RadioSelect
    )
    newsletter = forms.BooleanField(label="Send me news", required=False)
    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"placeholder": "you@example.org"})
    )


def render(data=None):
    with translation.override("en"):
        form = SampleForm(data)
        if data is not None:
            form.is_valid()
        return str(form)


def tag(html, pattern):
    """The first opening tag matching `pattern` (a regular expression)."""
    found = re.search(rf"<{pattern}[^>]*>", html)
    assert found, f"no <{pattern}> in the form"
    return found.group(0)


INVALID = {"name": "", "nickname": "", "postal_code": "30-001", "email": "x@example.org"}


def test_the_label_comes_before_its_input_and_names_it():
    html = render()
    label = html.index('<label class="label" for="id_name">Name')
    assert label < html.index('id="id_name"')


def test_the_hint_follows_the_label_and_describes_the_input():
    html = render()
    assert '<div class="hint" id="id_name_helptext">As in the register.</div>' in html
    assert 'aria-describedby="id_name_helptext"' in tag(html, 'input[^>]*name="name"')


def test_optional_fields_say_so_and_required_ones_do_not():
    html = render()
    assert re.search(r'for="id_nickname">Short name <span class="optional">\(optional\)', html)
    assert not re.search(r'for="id_name">Name <span class="optional">', html)


def test_a_lone_checkbox_is_not_marked_optional():
    html = render()
    assert not re.search(r'for="id_newsletter">Send me news <span class="optional">', html)
    assert '<div class="checkbox"><input type="checkbox" name="newsletter"' in html


def test_optional_marker_is_polish_in_polish():
    with translation.override("pl"):
        html = str(SampleForm())
    assert "(opcjonalnie)" in html


def test_the_error_is_next_to_its_field_and_described_by_the_input():
    html = render(INVALID)
    error = re.search(r'<p class="error-message" id="id_name_error">.*?</p>', html, re.S)
    assert error and "This field is required." in error.group(0)
    # The error sits between the label and the input, inside the field's block.
    assert html.index('for="id_name"') < error.start() < html.index('name="name"')
    name_input = tag(html, 'input[^>]*name="name"')
    assert 'aria-describedby="id_name_helptext id_name_error"' in name_input
    assert 'aria-invalid="true"' in name_input


def test_the_error_summary_links_to_each_field_with_an_error():
    html = render(INVALID)
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "data-error-summary" in summary
    assert '<a href="#id_name">Name — This field is required.</a>' in summary
    # A radio group has no input named by its id: the summary links to the first option.
    assert '<a href="#id_kind_0">Kind — This field is required.</a>' in summary
    assert "#id_nickname" not in summary
    assert html.index("error-summary") < html.index('for="id_name"')


def test_each_entry_of_the_error_summary_names_its_field():
    html = render(INVALID)
    summary = re.search(r'<ul class="error-summary-list">.*?</ul>', html, re.S).group(0)
    entries = [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>.*?</li>", summary)]
    # The same message twice can be told apart by the field it belongs to.
    assert entries == ["Name — This field is required.", "Kind — This field is required."]


class FormWithAnOverallError(forms.Form):
    name = forms.CharField(label="Name")

    def clean(self):
        raise forms.ValidationError("These details do not match.")


def test_an_error_of_the_whole_form_is_shown_alone_in_the_summary():
    with translation.override("en"):
        form = FormWithAnOverallError({"name": "x"})
        form.is_valid()
        html = str(form)
    assert "<li>These details do not match.</li>" in html


@pytest.mark.django_db
def test_the_sign_in_error_summary_names_each_empty_field_in_polish(client):
    with translation.override("pl"):
        html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    summary = re.search(r'<ul class="error-summary-list">.*?</ul>', html, re.S).group(0)
    entries = [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>.*?</li>", summary)]
    assert len(entries) == len(set(entries)) == 2
    assert all(entry.endswith(" — To pole jest wymagane.") for entry in entries)


def test_no_error_summary_on_a_form_not_yet_sent():
    assert "error-summary" not in render()


def test_a_radio_group_is_a_fieldset_with_a_legend():
    html = render()
    assert re.search(r'<fieldset class="fieldset">\s*<legend class="label">Kind</legend>', html)


def test_inputs_are_as_wide_as_what_is_typed_into_them():
    html = render()
    assert 'class="width-5"' in tag(html, 'input[^>]*name="postal_code"')
    assert 'class="width-10"' in tag(html, 'input[^>]*name="nickname"')
    assert 'class="width-30"' in tag(html, 'input[^>]*name="name"')


def test_placeholders_are_dropped_because_the_label_is_shown():
    assert "placeholder" not in tag(render(), 'input[^>]*name="email"')


@pytest.mark.django_db
def test_sign_in_page_uses_the_form_design(client):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    assert 'class="error-summary"' in html
    assert '<label class="label" for="id_login">' in html
    assert '<a href="#id_login">' in html
    assert "placeholder" not in tag(html, 'input[^>]*name="login"')


@pytest.mark.django_db
def test_organization_form_groups_the_areas_and_sets_the_point_on_a_map(client, organization):
    from wspolpraca.organizations.models import Membership
    from wspolpraca.organizations.tests.factories import MembershipFactory

    admin = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
    login(client, admin)
    html = client.get(reverse("organizations:edit", args=[organization.slug])).content.decode()
    assert "data-choice-groups" in html
    assert html.count("data-choice-group>") >= 5
    # No box to type coordinates into: both are hidden inputs under the map picker.
    assert tag(html, 'input[^>]*name="latitude"').startswith('<input type="hidden"')
    assert tag(html, 'input[^>]*name="longitude"').startswith('<input type="hidden"')
    assert "data-map-picker" in html
    assert "core/map_picker.js" in html and "core/choices.js" in html


@pytest.mark.django_db
def test_the_geocoder_button_appears_only_when_configured(client, organization, settings):
    from wspolpraca.organizations.models import Membership
    from wspolpraca.organizations.tests.factories import MembershipFactory

    admin = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
    login(client, admin)
    url = reverse("organizations:edit", args=[organization.slug])
    assert "data-map-picker-find" not in client.get(url).content.decode()
    settings.GEOCODER_URL = "https://geocoder.example.org/search"
    html = client.get(url).content.decode()
    assert "data-map-picker-find" in html
    assert 'data-geocoder="https://geocoder.example.org/search"' in html


@pytest.mark.django_db
def test_directory_filters_fold_behind_a_button_with_the_count(client):
    html = client.get(reverse("organizations:list"), {"q": "teatr", "kind": "foundation"})
    html = html.content.decode()
    summary = re.search(r"<summary>(.*?)</summary>", html, re.S).group(1)
    # The search box stays outside the fold and the order is no filter: one filter is set.
    assert re.sub(r"<[^>]+>", "", summary).strip().endswith("(1)")
    assert html.index('name="q"') < html.index("<details")


@pytest.mark.django_db
def test_directory_filters_wait_for_typing_to_stop_and_replace_the_address(client):
    html = client.get(reverse("organizations:list")).content.decode()
    form = tag(html, 'form class="filters"')
    assert 'hx-trigger="input changed delay:500ms, submit"' in form
    assert 'hx-replace-url="true"' in form and "hx-push-url" not in form


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_navigation(client):
    directory = reverse("organizations:list")
    html = client.get(directory).content.decode()
    assert f'<a href="{directory}" aria-current="page">' in html
    coordinators = reverse("city:coordinators")
    assert f'<a href="{coordinators}">' in html


@pytest.mark.django_db
def test_the_map_page_says_what_to_do_without_javascript(client):
    html = client.get(reverse("organizations:map")).content.decode()
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S).group(1)
    assert f'href="{reverse("organizations:list")}' in noscript


def test_confirmation_page_says_what_will_happen_and_offers_a_way_back():
    request = RequestFactory().get("/x/")
    with translation.override("en"):
        html = render_to_string(
            "core/confirm.html",
            {
                "confirm_title": "Remove Anna from Fundacja?",
                "consequences": ["She loses access to the organization's pages."],
                "confirm_button": "Remove Anna",
                "cancel_url": "/back/",
                "hidden": {"membership": 7},
            },
            request=request,
        )
    assert "<h1>Remove Anna from Fundacja?</h1>" in html
    assert "<li>She loses access to the organization&#x27;s pages.</li>" in html
    assert '<button type="submit" class="button warning">Remove Anna</button>' in html
    assert '<a href="/back/">Cancel</a>' in html
    assert '<input type="hidden" name="membership" value="7">' in html
    assert '<form method="post" action="/x/"' in html
