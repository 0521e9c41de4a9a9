"""PlainSelect writes the same HTML as Django's Select, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from wspolpraca.core.widgets import PlainSelect

CHOICES = [("", "wszystkie"), ("a", "Kultura & sztuka"), ("b", "<Sport>"), (3, "Trzy")]


@pytest.mark.parametrize("value", [None, "", "a", "b", 3])
def test_plain_select_writes_what_select_writes(value):
    attrs = {"id": "id_area", "aria-describedby": "area-hint", "required": True}

    plain = PlainSelect(choices=CHOICES).render("area", value, attrs)
    django = forms.Select(choices=CHOICES).render("area", value, attrs)

    assert parse_html(plain) == parse_html(django)


def test_plain_select_writes_groups_as_select_does():
    choices = [("Miasto", [("1", "Jeden"), ("2", "Dwa")]), ("3", "Trzy")]

    plain = PlainSelect(choices=choices).render("x", "2")
    django = forms.Select(choices=choices).render("x", "2")

    assert parse_html(plain) == parse_html(django)
