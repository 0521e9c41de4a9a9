"""The directory's filters as the API takes them: the same, but strict about yes/no values.

On the pages a yes/no filter is a select whose unknown value means "any"; an API client
that sends `opp=yes` or `verified=null` is told so with a 400 instead of getting every
organization without a word.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from wspolpraca.organizations.filters import OrganizationFilter

YES_NO = [("true", "true"), ("false", "false")]


class OneValueEachMixin:
    """A filter parameter given twice is refused (a 400): which value was meant is unknown,
    and the schema promises one value per parameter."""

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            if isinstance(filter_, django_filters.MultipleChoiceFilter):
                continue  # repeated on purpose: ?equipment=wifi&equipment=screen
            if len(self.data.getlist(name)) > 1:
                self.form.add_error(name, _("Give this parameter once."))
                valid = False
        return valid


class ApiOrganizationFilter(OneValueEachMixin, OrganizationFilter):
    opp = django_filters.ChoiceFilter(
        label=_("Public benefit status (OPP)"), choices=YES_NO, method="filter_opp"
    )
    verified = django_filters.ChoiceFilter(
        label=_("Verification"), choices=YES_NO, method="filter_verified_choice"
    )

    def filter_opp(self, queryset, name, value):
        return queryset.filter(is_public_benefit=value == "true")

    def filter_verified_choice(self, queryset, name, value):
        return self.filter_verified(queryset, name, value == "true")
