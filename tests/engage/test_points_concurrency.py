"""Stock and balances never go below zero under concurrent redemption, and two households never both take
the last place of an activity (issue 15 items 2 and 3): real threads, each with its own database connection,
on the database the suite runs on (SQLite or PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from propdesk.archive.owners import owner_for_phone
from propdesk.engage.activities import services as activities
from propdesk.engage.models import PointsEntry, Redemption, Reward, Signup
from propdesk.engage.points import ledger, rewards
from tests.factories import BuildingFactory, OccupancyFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def race(work, arguments) -> dict:
    """Run work(argument) in one thread per argument, all released at once; count outcomes by exception."""
    gate = threading.Barrier(len(arguments))
    outcomes: dict = {}
    lock = threading.Lock()

    def run(argument):
        try:
            gate.wait()
            work(argument)
            outcome = "ok"
        except Exception as exc:  # the loser's refusal is the point of the test
            outcome = type(exc).__name__
        finally:
            connection.close()
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    close_old_connections()
    return outcomes


@pytest.fixture
def households(project):
    unit_owners = []
    building = BuildingFactory(project=project, code="7", name="7栋")
    for n in range(THREADS):
        unit = UnitFactory(building=building, number=f"10{n:02d}")
        unit_owners.append(OccupancyFactory(unit=unit, customer__project=project,
                                            customer__phones=[f"1580000{n:04d}"]).customer)
    return unit_owners


def test_the_last_items_go_to_exactly_as_many_redemptions_as_there_is_stock(project, households):
    manager = StaffFactory(username="pm-race", role="project_manager", projects=[project])
    reward = rewards.restock(manager, rewards.save_reward(manager, project, {"name": "环保袋", "cost": 50}), 3)
    for customer in households:
        ledger.post(customer, 100, PointsEntry.Kind.EARN, why="x", reason="article")

    outcomes = race(lambda c: rewards.redeem(owner_for_phone(c.phones.get().number), reward, c, 1), households)

    assert outcomes == {"ok": 3, "Conflict": THREADS - 3}, outcomes
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert Redemption.objects.count() == 3
    assert sorted(ledger.balance_of(c) for c in households) == [50] * 3 + [100] * (THREADS - 3)


def test_one_balance_pays_for_exactly_as_many_redemptions_as_it_covers(project, households):
    manager = StaffFactory(username="pm-race", role="project_manager", projects=[project])
    reward = rewards.restock(manager, rewards.save_reward(manager, project, {"name": "洗车券", "cost": 40}), 100)
    customer = households[0]
    ledger.post(customer, 100, PointsEntry.Kind.EARN, why="x", reason="article")
    owner = owner_for_phone(customer.phones.get().number)

    outcomes = race(lambda _n: rewards.redeem(owner, reward, customer, 1), list(range(THREADS)))

    assert outcomes == {"ok": 2, "ValidationError": THREADS - 2}, outcomes
    assert ledger.balance_of(customer) == 20
    assert Reward.objects.get(pk=reward.pk).stock == 98  # the refused ones took nothing
    assert sum(PointsEntry.objects.filter(customer=customer).values_list("amount", flat=True)) == 20


def test_the_last_place_of_an_activity_goes_to_one_household(project, households):
    manager = StaffFactory(username="pm-race", role="project_manager", projects=[project])
    now = timezone.now()
    activity, _ = activities.save_activity(manager, project, {
        "title": "茶话会", "place": "会所", "starts_at": now + dt.timedelta(days=2),
        "ends_at": now + dt.timedelta(days=2, hours=2), "capacity": 2, "signup_opens_at": now - dt.timedelta(hours=1),
        "signup_closes_at": now + dt.timedelta(days=1)})
    activities.publish_activity(manager, activity)

    def sign_up(customer):
        owner = owner_for_phone(customer.phones.get().number)
        activities.owner_sign_up(owner, activity, owner.unit_ids[0], 1)

    outcomes = race(sign_up, households)

    assert outcomes == {"ok": THREADS}, outcomes
    statuses = list(Signup.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count("confirmed") == 2 and statuses.count("waiting") == THREADS - 2
