"""The organization form's widgets: the public benefit areas grouped by theme."""

from django.utils.translation import gettext_lazy as _

from wspolpraca.core.i18n import localized
from wspolpraca.core.widgets import GroupedCheckboxSelectMultiple

# The 41 areas of art. 4 ust. 1 of the public benefit act in six themes, so that a person
# looks through a few groups instead of one long list. Codes the act adds later fall into
# "Other areas" until they are placed here.
AREA_GROUPS = [
    (
        _("Social help and inclusion"),
        {"1", "1a", "2", "3", "5a", "7", "8", "10", "24", "32", "34"},
    ),
    (_("Family, children and equal rights"), {"9", "15", "31"}),
    (_("Health, sport and safety"), {"6", "17", "20", "21", "23"}),
    (
        _("Education, culture and heritage"),
        {"4", "5", "14", "16", "19", "28", "30"},
    ),
    (
        _("Civil society, rights and democracy"),
        {"1b", "13", "22", "22a", "25", "26", "27", "29", "29a", "33"},
    ),
    (_("Economy, innovation and environment"), {"11", "12", "18", "32a"}),
]
OTHER_AREAS = _("Other areas")


def area_group(area):
    for label, codes in AREA_GROUPS:
        if area.code in codes:
            return label
    return OTHER_AREAS


def area_short_label(area):
    """The plain-language name, or the statutory wording while none is written."""
    return localized(area, "short_label") or area.label


class AreaChoiceWidget(GroupedCheckboxSelectMultiple):
    """Public benefit areas: short names in themed groups, the statutory wording as a hint."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(
            attrs,
            choices,
            grouper=area_group,
            group_order=[label for label, _codes in AREA_GROUPS] + [OTHER_AREAS],
            option_label=area_short_label,
            option_hint=lambda area: area.label,
            filter_label=_("Find an area"),
        )
