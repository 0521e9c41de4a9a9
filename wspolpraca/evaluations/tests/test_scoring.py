"""Blind scoring: score sheets, who sees whose scores, and the ranking (services)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wspolpraca.evaluations import commission as service
from wspolpraca.evaluations.commission import CommissionError
from wspolpraca.evaluations.models import FormalCheck, Score, ScoreSheet, ScoreSummary
from wspolpraca.evaluations.tests.commission_factories import (
    appointed,
    finish,
    full_scores,
    submit,
    working,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def scores_with(call, **changes):
    """Full scores of `call` with the first criterion's entry changed."""
    scores = full_scores(call)
    first = call.criteria.order_by("order", "pk").first()
    scores[first.pk] = {**scores[first.pk], **changes}
    return scores, first


# Score sheets.


def test_expert_reads_but_cannot_score():
    setup = working(1, experts=1)
    expert = setup.experts[0]
    with pytest.raises(CommissionError, match="advisory voice"):
        service.save_sheet(expert, setup.offers[0], full_scores(setup.call), expert.user)
    with pytest.raises(CommissionError, match="advisory voice"):
        service.save_sheet(
            expert, setup.offers[0], full_scores(setup.call), expert.user, submit=True
        )
    assert not ScoreSheet.objects.exists()


def test_member_who_has_not_signed_cannot_score():
    setup = working(1, signed=False)
    member = setup.voters[0]
    with pytest.raises(CommissionError, match="declaration"):
        service.save_sheet(member, setup.offers[0], full_scores(setup.call), member.user)
    assert not ScoreSheet.objects.exists()


def test_nobody_scores_for_another_member():
    setup = working(1)
    with pytest.raises(CommissionError):
        service.save_sheet(
            setup.voters[0], setup.offers[0], full_scores(setup.call), setup.chair.user
        )
    assert not ScoreSheet.objects.exists()


def test_scoring_waits_for_the_start():
    setup = appointed(1)
    member = service.sign_declaration(setup.voters[0], setup.voters[0].user)
    with pytest.raises(CommissionError, match="not started"):
        service.save_sheet(member, setup.offers[0], full_scores(setup.call), member.user)


@pytest.mark.parametrize("points", [Decimal("-1"), Decimal("10.5"), Decimal("11")])
def test_points_stay_between_zero_and_the_criterion_maximum(points):
    setup = working(1)
    member = setup.voters[0]
    scores, first = scores_with(setup.call, points=points)
    with pytest.raises(CommissionError) as refused:
        service.save_sheet(member, setup.offers[0], scores, member.user)
    assert refused.value.field == f"points_{first.pk}"
    assert not ScoreSheet.objects.exists()


def test_points_are_whole_or_half():
    setup = working(1)
    member = setup.voters[0]
    scores, first = scores_with(setup.call, points=Decimal("7.25"))
    with pytest.raises(CommissionError, match="half") as refused:
        service.save_sheet(member, setup.offers[0], scores, member.user)
    assert refused.value.field == f"points_{first.pk}"
    scores, _first = scores_with(setup.call, points=Decimal("7.5"))
    service.save_sheet(member, setup.offers[0], scores, member.user)
    assert Score.objects.filter(points=Decimal("7.5")).exists()


def test_submission_needs_a_justification_for_every_criterion():
    setup = working(1)
    member = setup.voters[0]
    scores, first = scores_with(setup.call, justification="  ")
    with pytest.raises(CommissionError) as refused:
        service.save_sheet(member, setup.offers[0], scores, member.user, submit=True)
    assert refused.value.field == f"justification_{first.pk}"
    assert not ScoreSheet.objects.filter(submitted_at__isnull=False).exists()


def test_submission_needs_points_for_every_criterion():
    setup = working(1)
    member = setup.voters[0]
    scores, first = scores_with(setup.call, points=None, justification="")
    with pytest.raises(CommissionError) as refused:
        service.save_sheet(member, setup.offers[0], scores, member.user, submit=True)
    assert refused.value.field == f"points_{first.pk}"


def test_a_draft_may_be_partial_and_is_not_final():
    setup = working(1)
    member = setup.voters[0]
    scores, first = scores_with(setup.call)
    partial = {first.pk: scores[first.pk]}
    sheet = service.save_sheet(member, setup.offers[0], partial, member.user)
    assert sheet.submitted_at is None and sheet.total is None
    assert sheet.scores.count() == 1
    sheet = service.save_sheet(member, setup.offers[0], full_scores(setup.call), member.user)
    assert sheet.scores.count() == setup.call.criteria.count()


def test_submission_stores_the_weighted_total():
    setup = working(1)
    member = setup.voters[0]
    first = setup.call.criteria.order_by("order", "pk").first()
    first.weight = Decimal("2.5")
    first.save()
    scores = full_scores(setup.call, points=Decimal("8"))
    scores[first.pk]["points"] = Decimal("6.5")
    sheet = service.save_sheet(member, setup.offers[0], scores, member.user, submit=True)
    others = setup.call.criteria.count() - 1
    assert sheet.total == Decimal("6.5") * Decimal("2.5") + 8 * others
    assert sheet.submitted_at is not None


def test_a_submitted_sheet_is_final():
    setup = working(1)
    member = setup.voters[0]
    sheet = submit(member, setup.offers[0], Decimal("8"))
    for final in (False, True):
        with pytest.raises(CommissionError, match="final"):
            service.save_sheet(
                member,
                setup.offers[0],
                full_scores(setup.call, Decimal("2")),
                member.user,
                submit=final,
            )
    sheet.refresh_from_db()
    assert sheet.total == Decimal("48.00")
    assert not Score.objects.filter(points=Decimal("2")).exists()


def test_conflicted_member_cannot_score_the_offer():
    setup = working(1)
    member = setup.voters[0]
    service.declare_conflict(member, setup.offers[0], "represented", member.user)
    with pytest.raises(CommissionError, match="conflict"):
        service.save_sheet(member, setup.offers[0], full_scores(setup.call), member.user)
    assert not ScoreSheet.objects.filter(member=member).exists()


def test_an_offer_that_failed_the_formal_check_is_not_scored():
    setup = working(2)
    FormalCheck.objects.filter(offer=setup.offers[1]).update(status=FormalCheck.Status.FAILED)
    member = setup.voters[0]
    with pytest.raises(CommissionError, match="does not evaluate"):
        service.save_sheet(member, setup.offers[1], full_scores(setup.call), member.user)


# Blind scoring.


def test_member_sees_no_other_sheet_before_submitting_their_own():
    setup = working(1)
    offer = setup.offers[0]
    submit(setup.chair, offer)
    member = setup.voters[0]
    assert service.visible_sheets(member, offer) == []
    service.save_sheet(member, offer, full_scores(setup.call), member.user)  # a draft
    assert service.visible_sheets(member, offer) == []
    submit_sheet = service.save_sheet(
        member, offer, full_scores(setup.call), member.user, submit=True
    )
    visible = service.visible_sheets(member, offer)
    assert [sheet.member_id for sheet in visible] == [setup.chair.pk]
    assert submit_sheet not in visible


def test_drafts_of_others_are_never_shown():
    setup = working(1)
    offer = setup.offers[0]
    service.save_sheet(setup.chair, offer, full_scores(setup.call), setup.chair.user)
    submit(setup.voters[0], offer)
    assert service.visible_sheets(setup.voters[0], offer) == []


def test_conflicted_member_never_sees_the_offers_sheets():
    setup = working(1)
    offer = setup.offers[0]
    member = setup.voters[1]
    service.declare_conflict(member, offer, "subordinate", member.user)
    submit(setup.chair, offer)
    submit(setup.voters[0], offer)
    service.close(setup.commission, setup.chair.user)
    member.commission.refresh_from_db()
    assert service.visible_sheets(member, offer) == []


def test_expert_sees_the_sheets_once_the_work_is_closed():
    setup = working(1, experts=1)
    expert = setup.experts[0]
    submit(setup.chair, setup.offers[0])
    assert service.visible_sheets(expert, setup.offers[0]) == []
    for member in setup.voters:
        submit(member, setup.offers[0])
    service.close(setup.commission, setup.chair.user)
    expert.commission.refresh_from_db()
    assert len(service.visible_sheets(expert, setup.offers[0])) == 3


# The ranking.


def test_ranking_orders_offers_by_the_mean_total_with_count_low_and_high():
    setup = working(3)
    a, b, c = setup.offers
    for member, points in zip([setup.chair, *setup.voters], ["9", "8", "7"], strict=True):
        submit(member, a, Decimal(points))
    for member in [setup.chair, *setup.voters]:
        submit(member, b, Decimal("10"))
    submit(setup.chair, c, Decimal("1"))
    rows = service.ranking(setup.commission)
    assert [row.offer for row in rows] == [b, a, c]
    assert [row.position for row in rows] == [1, 2, 3]
    first, second, third = rows
    assert first.mean == Decimal("60.00") and first.sheets == 3
    assert second.mean == Decimal("48.00")
    assert (second.low, second.high) == (Decimal("42.00"), Decimal("54.00"))
    assert third.sheets == 1 and third.spread is False


def test_offers_without_submitted_sheets_come_last():
    setup = working(2)
    service.save_sheet(setup.chair, setup.offers[0], full_scores(setup.call), setup.chair.user)
    submit(setup.chair, setup.offers[1], Decimal("1"))
    rows = service.ranking(setup.commission)
    assert [row.offer for row in rows] == [setup.offers[1], setup.offers[0]]
    assert rows[1].mean is None and rows[1].sheets == 0


def test_spread_is_flagged_only_above_the_set_share_of_the_highest_total(settings):
    # Six criteria of 10 points: the highest total is 60, 20% of it is 12.
    settings.EVALUATION_SPREAD_WARNING_PERCENT = 20
    setup = working(2)
    edge, over = setup.offers
    chair, first, second = setup.chair, *setup.voters
    submit(chair, edge, Decimal("8"))  # 48
    submit(first, edge, Decimal("6"))  # 36: 48 - 36 = 12, not more than 12
    submit(second, edge, Decimal("7"))
    scores = full_scores(setup.call, Decimal("8"))
    criterion = setup.call.criteria.order_by("order", "pk").first()
    scores[criterion.pk]["points"] = Decimal("7.5")  # 47.5
    service.save_sheet(chair, over, scores, chair.user, submit=True)
    submit(first, over, Decimal("10"))  # 60: 60 - 47.5 = 12.5, more than 12
    submit(second, over, Decimal("9"))
    rows = {row.offer: row for row in service.ranking(setup.commission)}
    assert rows[edge].high - rows[edge].low == Decimal("12")
    assert rows[edge].spread is False
    assert rows[over].high - rows[over].low == Decimal("12.5")
    assert rows[over].spread is True


def test_spread_share_comes_from_the_settings(settings):
    settings.EVALUATION_SPREAD_WARNING_PERCENT = 50
    setup = working(1)
    submit(setup.chair, setup.offers[0], Decimal("10"))
    submit(setup.voters[0], setup.offers[0], Decimal("6"))  # 60 - 36 = 24, not over 30
    assert service.ranking(setup.commission)[0].spread is False


def test_ranking_hides_the_scores_of_offers_the_viewer_is_conflicted_on():
    setup = working(2)
    chair = setup.chair
    service.declare_conflict(chair, setup.offers[0], "family", chair.user)
    finish_offer = setup.offers[0]
    for member in setup.voters:
        submit(member, finish_offer, Decimal("10"))
    submit(chair, setup.offers[1], Decimal("2"))
    rows = service.ranking(setup.commission, viewer=chair)
    assert [row.offer for row in rows] == [setup.offers[1], setup.offers[0]]
    hidden = rows[-1]
    assert hidden.hidden and hidden.mean is None and hidden.position is None
    assert rows[0].position == 1


def test_ranking_makes_the_same_number_of_queries_for_2_and_10_offers():
    counts = []
    for size in (2, 10):
        setup = working(size, voters=1)
        for offer in setup.offers:
            submit(setup.chair, offer)
            submit(setup.voters[0], offer)
        with CaptureQueriesContext(connection) as captured:
            rows = service.ranking(setup.commission, viewer=setup.chair)
            assert len(rows) == size
        counts.append(len(captured))
    # The conflicts, the offers with their score summaries, their organizations' names.
    assert counts[0] == counts[1] <= 4


def test_chair_sees_the_ranking_only_after_dealing_with_every_offer():
    setup = working(2)
    chair = setup.chair
    assert not service.may_see_ranking(setup.commission, chair.user, chair)
    submit(chair, setup.offers[0])
    service.save_sheet(chair, setup.offers[1], full_scores(setup.call), chair.user)
    assert not service.may_see_ranking(setup.commission, chair.user, chair)
    service.declare_conflict(chair, setup.offers[1], "other", chair.user)
    assert service.may_see_ranking(setup.commission, chair.user, chair)


def test_members_and_officials_see_the_ranking_only_after_closing():
    setup = working(1)
    member = setup.voters[0]
    finish(setup)
    assert not service.may_see_ranking(setup.commission, member.user, member)
    assert not service.may_see_ranking(setup.commission, setup.official, None)
    service.close(setup.commission, setup.chair.user)
    setup.commission.refresh_from_db()
    assert service.may_see_ranking(setup.commission, member.user, member)
    assert service.may_see_ranking(setup.commission, setup.official, None)


def test_submitting_a_sheet_renews_the_offers_score_summary():
    setup = working(1, voters=1)
    offer = setup.offers[0]
    first = submit(setup.chair, offer, points=Decimal("8"))
    second = submit(setup.voters[0], offer, points=Decimal("5"))
    summary = ScoreSummary.objects.get(offer=offer)
    assert summary.sheets == 2
    assert summary.lowest == min(first.total, second.total)
    assert summary.highest == max(first.total, second.total)
    assert summary.mean == (first.total + second.total) / 2


def test_a_formal_check_belongs_to_its_offers_call():
    setup = working(1)
    assert FormalCheck.objects.get(offer=setup.offers[0]).call_id == setup.call.pk
