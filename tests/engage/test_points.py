"""Points (issue 15 item 3): earn rules per project, an immutable ledger, rewards with stock, and the
customer value from points, paid services and complaints (one formula, also a segmentation filter)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from propdesk.archive.owners import owner_for_phone
from propdesk.core.errors import Conflict, NotFound
from propdesk.engage import audience
from propdesk.engage.models import PointsAccount, PointsEntry, Redemption
from propdesk.engage.points import ledger, rewards, value
from propdesk.service.models import WorkOrder

pytestmark = pytest.mark.django_db


def give(customer, points, ref=None):
    return ledger.post(customer, points, PointsEntry.Kind.EARN, why="测试", reason="article", ref=ref)


def test_the_project_sets_what_each_reason_earns(manager, staff, homes, project):
    assert {r: rule.points for r, rule in ledger.rules_for(project).items()} == {
        "attendance": 20, "suggestion": 50, "referral": 500, "article": 100, "survey": 10}
    ledger.set_rule(manager, project, "suggestion", 80, True)
    entry = ledger.award(staff, homes.wang, "suggestion", "建议增设快递柜，已采纳", ref="GD00000012")
    assert (entry.amount, entry.balance_after, entry.reason) == (80, 80, "suggestion")
    with pytest.raises(ValidationError):
        ledger.award(staff, homes.wang, "suggestion", "又一次", ref="GD00000012")  # once per thing
    ledger.set_rule(manager, project, "article", 100, False)
    assert ledger.award(staff, homes.wang, "article", "第3期投稿") is None  # an inactive rule earns nothing
    with pytest.raises(PermissionDenied):
        ledger.set_rule(staff, project, "article", 1, True)  # managers only


def test_posted_entries_are_never_changed_or_removed(homes):
    entry = give(homes.wang, 30)
    entry.amount = 3000
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        PointsEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(TypeError):
        PointsEntry.objects.all().delete()
    assert PointsEntry.objects.get(pk=entry.pk).amount == 30


def test_the_balance_is_the_sum_of_the_ledger_and_never_negative(homes, manager):
    give(homes.wang, 100)
    ledger.adjust(manager, homes.wang, -30, "重复计分更正")
    with pytest.raises(ValidationError):
        ledger.adjust(manager, homes.wang, -71, "超过余额")
    assert ledger.balance_of(homes.wang) == 70 == sum(PointsEntry.objects.values_list("amount", flat=True))
    assert [e.balance_after for e in PointsEntry.objects.order_by("pk")] == [100, 70]
    assert give(homes.wang, 5, ref="x:1").pk == give(homes.wang, 5, ref="x:1").pk  # one entry per ref
    with pytest.raises(ValidationError):
        ledger.adjust(manager, homes.wang, 5, " ")


@pytest.fixture
def catalogue(manager, project):
    cup = rewards.save_reward(manager, project, {"name": "保温杯", "cost": 200})
    return rewards.restock(manager, cup, 2)


def test_redeeming_takes_the_stock_and_the_points_together(homes, catalogue, staff):
    give(homes.wang, 500)
    owner = owner_for_phone("13812345678")
    redemption, created = rewards.redeem(owner, catalogue, homes.wang, 2, idempotency_key="r-1")
    assert created and rewards.redeem(owner, catalogue, homes.wang, 2, idempotency_key="r-1") == (redemption, False)
    catalogue.refresh_from_db()
    assert catalogue.stock == 0 and ledger.balance_of(homes.wang) == 100 and redemption.points == 400
    with pytest.raises(Conflict):
        rewards.redeem(owner, catalogue, homes.wang, 1)
    rewards.cancel_redemption(staff, redemption)
    catalogue.refresh_from_db()
    assert catalogue.stock == 2 and ledger.balance_of(homes.wang) == 500
    assert list(PointsEntry.objects.filter(customer=homes.wang).order_by("pk").values_list("kind", "amount")) == [
        ("earn", 500), ("redeem", -400), ("refund", 400)]


def test_a_redemption_the_balance_does_not_cover_changes_nothing(homes, catalogue):
    give(homes.wang, 150)
    with pytest.raises(ValidationError):
        rewards.redeem(owner_for_phone("13812345678"), catalogue, homes.wang, 1)
    catalogue.refresh_from_db()
    assert catalogue.stock == 2 and ledger.balance_of(homes.wang) == 150 and not Redemption.objects.exists()


def test_an_owner_redeems_only_for_themselves(homes, catalogue):
    give(homes.landlord, 500)
    with pytest.raises(NotFound):
        rewards.redeem(owner_for_phone("13812345678"), catalogue, homes.landlord, 1)


def test_handing_over_once(homes, catalogue, staff):
    give(homes.wang, 500)
    redemption, _ = rewards.redeem(staff, catalogue, homes.wang, 1)
    rewards.hand_over(staff, redemption)
    with pytest.raises(Conflict):
        rewards.cancel_redemption(staff, redemption)


def test_answering_a_survey_earns_points_once(homes, manager, project):
    from tests.surveys.conftest import full_answer, sent

    survey, _tokens = sent(manager, project)
    invitation = survey.invitations.get(unit=homes.u1201)
    from propdesk.surveys import services as surveys

    surveys.answer_invitation(invitation, full_answer(survey))
    since = timezone.now() - dt.timedelta(days=1)
    assert ledger.earn_for_surveys(since) == 1
    assert ledger.earn_for_surveys(since) == 0
    assert ledger.balance_of(invitation.customer) == 10


def test_the_customer_value_formula_by_hand(homes, project, staff):
    give(homes.wang, 100)
    for price in ("1000.00", "234.56"):
        WorkOrder.objects.create(project=project, kind="special_service", channel="portal", description="保洁",
                                 requester=homes.wang, agreed_price=Decimal(price), received_at=timezone.now())
    WorkOrder.objects.create(project=project, kind="special_service", channel="portal", description="取消的",
                             requester=homes.wang, agreed_price=Decimal("9999"), state="cancelled",
                             received_at=timezone.now())
    for _n in range(2):
        WorkOrder.objects.create(project=project, kind="complaint", channel="hotline", description="噪音",
                                 requester=homes.wang, received_at=timezone.now())
    v = value.value_of(homes.wang)
    # 100 points + ⌊1234.56 / 10⌋ = 123 − 2 × 20 = 183: band B
    assert (v.points, v.spend, v.complaints, v.score, v.band) == (100, Decimal("1234.56"), 2, 183, "B")
    give(homes.wang, 17)
    assert value.value_of(homes.wang).score == 200 and value.value_of(homes.wang).band == "A"  # 200 is A


def test_a_year_old_participation_no_longer_counts(homes):
    ledger.post(homes.wang, 300, PointsEntry.Kind.EARN, why="x", reason="referral",
                now=timezone.now() - dt.timedelta(days=400))
    assert value.value_of(homes.wang).score == 0 and value.value_of(homes.wang).band == "C"
    assert ledger.balance_of(homes.wang) == 300  # the balance is still there: only the value looks back a year


def test_the_value_band_is_a_segmentation_filter(homes, project):
    give(homes.landlord, 250)
    give(homes.firm, 60)
    high = audience.Audience(project.pk, criteria=audience.clean_criteria({"value_bands": ["A"]}))
    assert list(audience.households(high)) == [homes.u1202.pk]
    some = audience.Audience(project.pk, criteria={"value_bands": ["A", "B"]})
    assert set(audience.households(some)) == {homes.u1202.pk, homes.u0501.pk}
    with pytest.raises(ValidationError):
        audience.clean_criteria({"value_bands": ["Z"]})
    assert PointsAccount.objects.count() == 2
