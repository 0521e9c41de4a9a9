""" "For you": what the feed holds for one of the signed-in person's organizations (III).

Open calls, consultations, trainings and rooms that match the organization's areas of
public benefit or its district. The page reads the feed registry only, so it imports none
of the apps it shows (DESIGN.md, "Cross-app pieces").
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from wspolpraca.core import feed

# What the page offers, in this order; kinds nobody registered are left out.
KINDS = ("call", "consultation", "training", "room")
# How far ahead the page looks: a call's deadline, a consultation's end, a training's date.
DAYS_AHEAD = 90
# A section shows the soonest few; the rest are on their own lists.
PER_KIND = 10
# Rooms are not dated: the page asks for those published since the platform began.
SINCE = datetime(2000, 1, 1, tzinfo=UTC)


def matches(item, areas, district):
    """An item is for the organization when it shares one of its areas or its district."""
    return bool(areas.intersection(item.areas)) or (
        district is not None and item.district == district
    )


def sections_for(organization, now=None):
    """[(kind label, [items])] for `organization`, soonest first, empty kinds left out."""
    now = now or timezone.now()
    areas = {area.code for area in organization.areas.all()}
    district = organization.district.number if organization.district_id else None
    kinds = [kind for kind in KINDS if kind in feed.kinds()]
    dated = [kind for kind in kinds if kind != "room"]
    found = feed.items(now, now + timedelta(days=DAYS_AHEAD), kinds=dated)
    if "room" in kinds and district is not None:
        # A room is an item from the moment it is published: every room so far, the
        # newest first, of the organization's district only.
        found += reversed(feed.items(SINCE, now, kinds=["room"], district=district))
    by_kind = {kind: [] for kind in kinds}
    for item in found:
        if matches(item, areas, district) and len(by_kind[item.kind]) < PER_KIND:
            by_kind[item.kind].append(item)
    return [(kind, feed.label(kind), items) for kind, items in by_kind.items() if items]


@login_required
def for_you(request):
    organizations = [
        membership.organization
        for membership in request.user.memberships.select_related(
            "organization__district"
        ).prefetch_related("organization__areas")
    ]
    chosen = organizations[0] if organizations else None
    wanted = request.GET.get("organizacja", "")
    for organization in organizations:
        if str(organization.pk) == wanted:
            chosen = organization
    return render(
        request,
        "pages/for_you.html",
        {
            "organizations": organizations,
            "chosen": chosen,
            "sections": sections_for(chosen) if chosen else [],
            "days_ahead": DAYS_AHEAD,
        },
    )
