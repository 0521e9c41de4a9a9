"""The site's one form design, applied to every `{{ form }}` through FORM_RENDERER.

The layout follows the GOV.UK Design System: the label above the field, a hint under it,
"(optional)" on optional fields, the error next to its field and an error summary at the
top that links to each field with an error. docs/forms.md shows how to build a form.
"""

from django.forms import CheckboxInput, Textarea
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

# Inputs are as wide as what people type into them (GOV.UK "width" classes): a postal
# code gets a short box, a name a long one. Fields may set their own class instead.
WIDTH_BY_MAX_LENGTH = [(8, "width-5"), (24, "width-10"), (60, "width-20")]
NARROW_INPUT_TYPES = {"date": "width-10", "number": "width-10", "time": "width-5"}


class SiteBoundField(BoundField):
    """A bound field that knows what the form template needs beyond Django's own."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # A composite widget (the map picker) may name the question it asks better than
        # the model field it stores into does ("Place on the map", not "latitude").
        widget = field.widget
        if getattr(widget, "field_label", None):
            self.label = widget.field_label
        if getattr(widget, "field_help_text", None) and not self.help_text:
            self.help_text = widget.field_help_text

    @property
    def is_optional(self):
        """Shown as "(optional)": not required, and not a lone yes/no checkbox."""
        return not (
            self.field.required or self.is_hidden or isinstance(self.field.widget, CheckboxInput)
        )

    @property
    def is_checkbox(self):
        return isinstance(self.field.widget, CheckboxInput)

    @property
    def error_anchor(self):
        """The id the error summary links to: the input itself or, in a group, its first."""
        if getattr(self.field.widget, "error_anchor_suffix", None):
            return f"{self.auto_id}{self.field.widget.error_anchor_suffix}"
        return self.id_for_label or (f"{self.auto_id}_0" if self.auto_id else "")

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        # A label is always shown, so a placeholder would only repeat it or pass for a
        # value already typed (GOV.UK: no placeholders). Also drops allauth's.
        if self.label and widget.attrs.get("placeholder"):
            attrs["placeholder"] = False
        if "class" not in widget.attrs and "class" not in attrs:
            width = self._width_class(widget)
            if width:
                attrs["class"] = width
        return attrs

    def _width_class(self, widget):
        if isinstance(widget, Textarea):
            return "width-full"
        input_type = widget.attrs.get("type") or getattr(widget, "input_type", None)
        if input_type in NARROW_INPUT_TYPES:
            return NARROW_INPUT_TYPES[input_type]
        if input_type not in {"text", "email", "url", "tel", "password", "search"}:
            return ""
        max_length = widget.attrs.get("maxlength") or getattr(self.field, "max_length", None)
        for limit, css_class in WIDTH_BY_MAX_LENGTH:
            if max_length and int(max_length) <= limit:
                return css_class
        return "width-30"


class FormRenderer(DjangoTemplates):
    """Django's template renderer with the site's form and field templates."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = SiteBoundField
