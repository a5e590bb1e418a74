"""Triage: emergency and category suggestion from Chinese text (shared dictionary from migration 0003)."""

import csv
from pathlib import Path

import pytest

from propdesk.service import services, triage
from propdesk.service.models import Category, TriageKeyword, WorkOrder

DATA = Path(triage.__file__).parent / "data" / "triage_labelled.tsv"

pytestmark = pytest.mark.django_db


def code(suggestion):
    return suggestion.category.code if suggestion.category is not None else None


@pytest.mark.parametrize("text, keyword", [
    ("卫生间漏水了，水一直往下滴", "漏水"),
    ("厨房爆管了，到处是水", "爆管"),
    ("家里突然停电了", "停电"),
    ("厨房燃气泄漏了", "燃气泄漏"),
    ("闻到煤气味", "煤气味"),
    ("电梯困人，在5栋", "电梯困人"),
    ("楼下的电动车着火了", "着火"),
    ("楼道里在冒烟", "冒烟"),
])
def test_the_named_emergencies_are_recognised(text, keyword):
    s = triage.suggest(text)
    assert s.emergency, s.reason
    assert keyword in s.matched
    assert keyword in s.reason


@pytest.mark.parametrize("text", [
    "询问电梯年检时间",
    "已经不漏水了",
    "上次漏水已修好，想咨询保修",
    "楼道灯不亮",
    "天然气费怎么交",
    "漏水费是怎么算的",
    "电梯广告太多了",
    "燃气灶打不着火了",
    "请问明天几点停电",
    "漏水的问题已经解决了，谢谢",
    "烟雾报警器误报，没有着火",
])
def test_negated_resolved_and_inquiry_sentences_are_not_emergencies(text):
    s = triage.suggest(text)
    assert not s.emergency, s.reason


def test_a_fault_still_unrepaired_stays_an_emergency():
    assert triage.suggest("漏水三天了还没修好，水一直往下流").emergency


def test_the_reason_explains_the_verdict():
    from django.utils import translation

    with translation.override("en"):
        s = triage.suggest("已经不漏水了")
        no_keyword = triage.suggest("你好").reason
    assert "漏水" in s.reason and "negated" in s.reason
    assert "no keyword" in no_keyword


@pytest.mark.parametrize("text, expected", [
    ("马桶堵了，下水很慢", "plumbing"),
    ("楼道灯不亮", "electrical"),
    ("燃气灶打不着火了", "gas"),
    ("电梯按钮失灵", "elevator"),
    ("窗户关不上，把手松了", "doors-windows"),
    ("外墙渗水，墙上发霉", "leak-roof-wall"),
    ("楼上装修电钻声太吵了", "noise"),
    ("我的车位被别人占了", "parking"),
    ("物业费怎么交", "fees"),
    ("天然气费怎么交", "fees"),
    ("前台态度很差", "service-attitude"),
    ("楼下有人遛狗不牵绳", "pets"),
    ("消防通道被堵了", "fire"),
    ("门禁卡刷不开", "access-control"),
])
def test_category_suggestions_for_typical_sentences(text, expected):
    assert code(triage.suggest(text)) == expected


def test_nothing_matched_suggests_no_category():
    s = triage.suggest("你好，在吗")
    assert s.category is None and not s.emergency and s.matched == []
    assert triage.suggest("").category is None


def test_project_keywords_extend_and_override_the_shared_ones(project, other_project):
    text = "楼下的泳池水泵房冒泡泡"
    assert not triage.suggest(text, project).emergency
    pool = Category.objects.create(project=project, code="pool", name="泳池")
    TriageKeyword.objects.create(project=project, word="泳池", category=pool, weight=5)
    TriageKeyword.objects.create(project=project, word="冒泡泡", emergency=True)
    s = triage.suggest(text, project)
    assert s.emergency and s.category == pool and "冒泡泡" in s.matched
    # Another project does not see them.
    assert not triage.suggest(text, other_project).emergency
    assert code(triage.suggest(text, other_project)) != "pool"

    # A project row for a shared word replaces it there, and only there.
    TriageKeyword.objects.create(project=project, word="停电", emergency=False,
                                 category=Category.objects.get(project=None, code="electrical"))
    assert not triage.suggest("家里停电了", project).emergency
    assert triage.suggest("家里停电了", other_project).emergency


def test_the_dictionary_is_cached_and_refreshed_on_change(project, django_assert_max_num_queries):
    triage.suggest("漏水", project)
    with django_assert_max_num_queries(1):  # the fingerprint only
        triage.suggest("家里漏水了", project)
    kw = TriageKeyword.objects.create(project=project, word="水帘洞", emergency=True)
    assert triage.suggest("客厅成了水帘洞", project).emergency
    kw.delete()
    assert not triage.suggest("客厅成了水帘洞", project).emergency


def test_a_rule_needs_all_its_parts():
    assert triage.suggest("电梯停了，里面有人").emergency
    assert not triage.suggest("电梯停了，没人在里面").emergency
    assert not triage.suggest("电梯停了").emergency


def _labelled():
    with open(DATA, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_labelled_set_is_large_varied_and_split():
    rows = _labelled()
    assert len(rows) >= 320
    assert len({r["text"] for r in rows}) == len(rows)
    share = sum(r["emergency"] == "1" for r in rows) / len(rows)
    assert 0.35 <= share <= 0.45
    test_share = sum(r["split"] == "test" for r in rows) / len(rows)
    assert 0.25 <= test_share <= 0.35
    codes = set(Category.objects.filter(project=None).values_list("code", flat=True))
    assert {r["category"] for r in rows} <= codes
    assert {r["split"] for r in rows} == {"dev", "test"}


def test_quality_floor_on_the_labelled_set():
    """A quality floor, not a timing. The held-out figures are in docs/performance.md."""
    rows = _labelled()
    results = {"dev": [], "test": []}
    for r in rows:
        results[r["split"]].append((r["emergency"] == "1", triage.suggest(r["text"]).emergency))

    def precision_recall(pairs):
        tp = sum(1 for want, got in pairs if want and got)
        fp = sum(1 for want, got in pairs if not want and got)
        fn = sum(1 for want, got in pairs if want and not got)
        return tp / (tp + fp), tp / (tp + fn)

    precision, recall = precision_recall(results["test"])
    assert precision >= 0.85, precision
    # The aim is 0.95; the held-out split reaches 0.907 (5 of 54 emergencies missed), see the docs.
    assert recall >= 0.90, recall
    precision, recall = precision_recall(results["dev"] + results["test"])
    assert precision >= 0.90 and recall >= 0.95, (precision, recall)


def test_create_work_order_gets_the_emergency_from_the_triage(occupancy, staff):
    wo, created = services.create_work_order(
        staff, project=occupancy.unit.project, kind="repair_home", channel="hotline",
        description="3栋1201卫生间天花板漏水，水一直往下滴", unit=occupancy.unit, requester=occupancy.customer)
    assert created
    assert wo.suggested_emergency is True
    assert wo.priority == WorkOrder.Priority.EMERGENCY
    assert wo.suggested_category.code == "plumbing" and wo.category == wo.suggested_category


def test_create_work_order_records_a_staff_override(occupancy, staff):
    from propdesk.core.models import TimelineEvent

    wo, _ = services.create_work_order(
        staff, project=occupancy.unit.project, kind="repair_home", channel="hotline",
        description="卫生间水龙头有点漏水，不急", unit=occupancy.unit, requester=occupancy.customer,
        priority=WorkOrder.Priority.NORMAL)
    assert wo.suggested_emergency is True and wo.priority == WorkOrder.Priority.NORMAL
    event = TimelineEvent.objects.get(verb="service.triage_overridden")
    assert event.changes["priority"] == [WorkOrder.Priority.EMERGENCY, WorkOrder.Priority.NORMAL]
