"""Paging without counting every row: what every list of the site uses."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .search import NameHitsFirst


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (or takes a count already known, such as the whole
    directory's from DirectoryStats): counting every row of a broad filter or search costs
    more than the page itself, and nobody pages past thousands of results.

    `is_capped` says the true number is larger than `cap`; `count` is then `cap`, and the
    pages end there.
    """

    def __init__(self, object_list, per_page, *, cap=1000, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.CAP = cap
        self.known_count = known_count

    @cached_property
    def _counted(self):
        if self.known_count is not None:
            return self.known_count
        if isinstance(self.object_list, NameHitsFirst):
            return self.object_list.capped_count(self.CAP + 1)
        return self.object_list.order_by()[: self.CAP + 1].count()

    @cached_property
    def count(self):
        """The number of results, or `cap` when there are more."""
        return self._counted if self.known_count is not None else min(self._counted, self.CAP)

    @property
    def is_capped(self):
        return self.known_count is None and self._counted > self.CAP
