"""Widgets of the site's form design (docs/forms.md) that any app's form may use.

Both work without JavaScript and are enhanced by a static script (no inline code, so the
Content-Security-Policy can forbid it).
"""

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

# Where the map picker opens when the record has no point yet: the city centre.
DEFAULT_MAP_CENTRE = (50.0614, 19.9366)


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Many checkboxes, grouped in fieldsets by theme, with a filter box added by JS.

    grouper(option) returns the group's label for an option, where option is the model
    instance of a ModelMultipleChoiceField (or the value of a plain choice); groups appear
    in `group_order` and then in the order met. option_label(option) and option_hint(option)
    give each checkbox a short label and a hint (both optional; the choice label is the
    default). Without JavaScript the person sees plain grouped checkboxes.
    """

    template_name = "core/widgets/grouped_checkboxes.html"
    option_template_name = "core/widgets/grouped_checkbox_option.html"
    filter_label = _("Filter the list")

    class Media:
        js = ["core/choices.js"]

    def __init__(
        self,
        attrs=None,
        choices=(),
        *,
        grouper=None,
        group_order=(),
        option_label=None,
        option_hint=None,
        filter_label=None,
    ):
        super().__init__(attrs, choices)
        self.grouper = grouper
        self.group_order = list(group_order)
        self.option_label = option_label
        self.option_hint = option_hint
        if filter_label:
            self.filter_label = filter_label

    @staticmethod
    def _option_object(value):
        return getattr(value, "instance", value)

    def optgroups(self, name, value, attrs=None):
        groups = {}
        for index, (option_value, option_label) in enumerate(self.choices):
            if option_value in (None, ""):
                continue
            option = self._option_object(option_value)
            group = self.grouper(option) if self.grouper else ""
            label = self.option_label(option) if self.option_label else option_label
            rendered = self.create_option(
                name, option_value, label, str(option_value) in value, index, attrs=attrs
            )
            hint = self.option_hint(option) if self.option_hint else ""
            if hint and str(hint) != str(label):
                rendered["hint"] = hint
                rendered["attrs"]["aria-describedby"] = f"{rendered['attrs']['id']}_hint"
            groups.setdefault(group, []).append(rendered)
        order = [g for g in self.group_order if g in groups]
        order += [g for g in groups if g not in order]
        return [(group, groups[group], n) for n, group in enumerate(order)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filter_label"] = self.filter_label
        return context


class MapPointWidget(forms.TextInput):
    """A point on a map for a pair of latitude/longitude fields, set by a click, not typed.

    Put it on the latitude field and a HiddenInput on the longitude field (named by
    `longitude_field`). With JavaScript the person clicks the map or drags the marker (or
    moves the map with the keyboard and uses "Put the point in the middle"); where the
    deployer sets GEOCODER_URL (a Nominatim-compatible search) a button finds the address
    typed in `address_fields`. Without JavaScript the point is kept as it is and the page
    says that the city team will place the organization from its address.
    """

    template_name = "core/widgets/map_point.html"
    use_fieldset = True
    # The error summary links to the map, which Leaflet makes focusable.
    error_anchor_suffix = "_map"
    field_label = _("Place on the map")
    field_help_text = _(
        "Click the map where the organization works, or drag the marker. You can also "
        "move the map with the arrow keys and put the point in its middle."
    )

    class Media:
        css = {"all": ["leaflet/leaflet.css"]}
        js = ["leaflet/leaflet.js", "core/map_picker.js"]

    def __init__(
        self,
        attrs=None,
        *,
        longitude_field="longitude",
        address_fields=("street", "postal_code", "city"),
        centre=DEFAULT_MAP_CENTRE,
    ):
        super().__init__(attrs)
        self.longitude_field = longitude_field
        self.address_fields = address_fields
        self.centre = centre

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The form's prefix, if any, is what comes before the field's own name.
        prefix = name.rpartition("-")[0] + "-" if "-" in name else ""
        context["widget"].update(
            longitude_name=prefix + self.longitude_field,
            address_names=",".join(prefix + field for field in self.address_fields),
            centre=f"{self.centre[0]},{self.centre[1]}",
            geocoder_url=settings.GEOCODER_URL,
        )
        return context


class PlainSelect(forms.Select):
    """A select written out in Python: the same HTML as Django's Select, without two
    template renders per option. For selects with many options on busy pages (the
    directory's filters: ~80 options cost more than the rest of the page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html("<select{}>", flatatt({"name": widget["name"], **widget["attrs"]}))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    "" if option["value"] is None else str(option["value"]),
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 -- every part is escaped above
