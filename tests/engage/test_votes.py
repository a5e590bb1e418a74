"""Votes (issue 15 item 5): the electorate by SPC interpretation arts. 8–9, ballots in the portal, on paper and
by proxy, changed until the deadline and counted once, every change on the record, the result's exports."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from propdesk.archive.models import Occupancy
from propdesk.archive.owners import owner_for_phone
from propdesk.core.errors import Conflict, NotFound
from propdesk.engage.models import BallotRevision, Elector
from propdesk.engage.votes import counting, electorate, results, services
from propdesk.org.models import Unit
from tests.factories import BuildingFactory, CustomerFactory, OccupancyFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(project):
    """Building 9: 9-101 (王建国, 100.00 m²) and 9-102 (王建国 too, 50.50), 9-201 co-owned by 李甲 and 李乙
    (120.25), 9-202 owned by 张三 whose second archive record (same ID number) owns 9-301 (80.00), 9-302
    unsold (99.99) and 9-303 sold but not yet handed over (70.01); a tenant of 9-101 who has no vote; 9-401
    owned by 周丽, who shares 王建国's mobile but is another person."""
    b = BuildingFactory(project=project, code="9", name="9栋")

    def unit(number, area, **kw):
        return UnitFactory(building=b, entrance="", number=number, area=Decimal(area), **kw)

    u101, u102, u201, u202, u301 = (unit("101", "100.00"), unit("102", "50.50"), unit("201", "120.25"),
                                    unit("202", "60.00"), unit("301", "80.00"))
    unit("302", "99.99", status=Unit.Status.UNSOLD)
    unit("303", "70.01")
    def person(name, phone, id_number=""):  # the factory's default ID number would make everyone one person
        return CustomerFactory(project=project, name=name, phones=[phone], id_number=id_number)

    wang = person("王建国", "13812345678")
    for u in (u101, u102):
        OccupancyFactory(unit=u, customer=wang)
    for name, phone in (("李甲", "13900000001"), ("李乙", "13900000002")):
        OccupancyFactory(unit=u201, customer=person(name, phone))
    OccupancyFactory(unit=u202, customer=person("张三", "13700000009", "110101198001010011"))
    OccupancyFactory(unit=u301, customer=person("张三", "13700000010", "110101198001010011"))
    OccupancyFactory(unit=unit("401", "90.00"), customer=person("周丽", "13812345678", "110101198502020022"))
    OccupancyFactory(unit=u101, role=Occupancy.Role.TENANT, customer=person("租客", "13600000000"))
    return b


def test_the_electorate_counts_owners_as_the_interpretation_says(estate, project):
    electors = {e["label"]: e for e in electorate.electorate(project, timezone.localdate())}
    assert len(electors) == 5 and {"王建国", "李乙、李甲", "张三", "周丽"} <= set(electors)
    by_units = {e["units_label"]: (e["area"], e["units"], e["is_developer"]) for e in electors.values()}
    assert by_units == {
        "9-101、9-102": (Decimal("150.50"), 2, False),   # one owner of two units: once, both areas
        "9-201": (Decimal("120.25"), 1, False),           # two co-owners: one
        "9-202、9-301": (Decimal("140.00"), 2, False),   # two archive records with one ID number: one person
        "9-401": (Decimal("90.00"), 1, False),           # a shared mobile is not the same person
        "9-302、9-303": (Decimal("170.00"), 2, True),    # unsold and undelivered: the developer, once
    }


def plan(manager, project, items=("4", "6"), **times):
    now = timezone.now()
    data = {"title": "2027年业主大会表决", "opens_at": now - dt.timedelta(hours=1), "closes_at": now + dt.timedelta(days=7),
            **times}
    matters = [{"title": t, "item": i} for t, i in zip(["续聘阳光物业", "筹集维修资金"], items, strict=False)]
    return services.save_vote(manager, project, data, matters)


@pytest.fixture
def open_vote(estate, manager, project):
    return services.open_vote(manager, plan(manager, project))


def test_opening_fixes_the_electorate_and_the_rule(open_vote, manager, project):
    services.set_rules(manager, project, "with_majority")
    assert (open_vote.total_owners, open_vote.total_area, open_vote.non_voters) == (5, Decimal("670.75"), "not_counted")
    assert Elector.objects.filter(vote=open_vote).count() == 5


def test_an_owner_votes_in_the_portal_and_may_change_it_until_the_deadline(open_vote):
    wang = owner_for_phone("13812345678")
    m1, m2 = [str(pk) for pk in open_vote.matters.values_list("pk", flat=True)]
    first = services.cast_ballot(wang, open_vote, {m1: "for", m2: "against"})
    again = services.cast_ballot(wang, open_vote, {m1: "against", m2: "against"})
    assert first.pk == again.pk and again.revision == 2 and open_vote.ballots.count() == 1
    assert list(BallotRevision.objects.values_list("number", "choices")) == [
        (1, {m1: "for", m2: "against"}), (2, {m1: "against", m2: "against"})]
    with pytest.raises(ValidationError):
        services.cast_ballot(wang, open_vote, {m1: "for"})  # every matter
    later = open_vote.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(Conflict):
        services.cast_ballot(wang, open_vote, {m1: "for", m2: "for"}, now=later)
    assert open_vote.ballots.get().choices == {m1: "against", m2: "against"}


def test_co_owners_share_one_ballot(open_vote):
    m1, m2 = [str(pk) for pk in open_vote.matters.values_list("pk", flat=True)]
    a = services.cast_ballot(owner_for_phone("13900000001"), open_vote, {m1: "for", m2: "for"})
    b = services.cast_ballot(owner_for_phone("13900000002"), open_vote, {m1: "against", m2: "for"})
    assert a.pk == b.pk and b.revision == 2  # the last one counts, once


def test_someone_who_owns_nothing_here_cannot_vote(open_vote, other_project):
    far = OccupancyFactory(unit=UnitFactory(building__project=other_project), customer__project=other_project,
                           customer__phones=["13655556666"])
    m1, m2 = [str(pk) for pk in open_vote.matters.values_list("pk", flat=True)]
    with pytest.raises(NotFound):
        services.cast_ballot(owner_for_phone("13655556666"), open_vote, {m1: "for", m2: "for"})
    with pytest.raises(NotFound):
        services.cast_ballot(owner_for_phone("13600000000"), open_vote, {m1: "for", m2: "for"})  # a tenant
    assert far


def test_paper_ballots_and_proxies_are_entered_with_their_references(open_vote, staff, technician_user):
    developer = open_vote.electors.get(is_developer=True)
    m1, m2 = [str(pk) for pk in open_vote.matters.values_list("pk", flat=True)]
    with pytest.raises(ValidationError):
        services.enter_ballot(staff, open_vote, developer, {m1: "for", m2: "for"}, paper_ref="")
    with pytest.raises(ValidationError):
        services.enter_ballot(staff, open_vote, developer, {m1: "for", m2: "for"}, "P-001", proxy_name="赵律师")
    ballot = services.enter_ballot(staff, open_vote, developer, {m1: "for", m2: "for"}, "P-001",
                                   proxy_name="赵律师", proxy_ref="WT-2027-01")
    assert (ballot.via, ballot.proxy_name, ballot.entered_by) == ("proxy", "赵律师", staff)
    with pytest.raises(PermissionDenied):
        services.enter_ballot(technician_user, open_vote, developer, {m1: "for", m2: "for"}, "P-002")


def test_the_count_from_the_database_matches_the_hand_count(open_vote, staff):
    """Areas: 王建国 150.50, 李 120.25, 张三 140.00, 周丽 90.00, developer 170.00 = 670.75 m², 5 owners.
    王建国, 李, 周丽 and the developer vote: 530.75 m² ≥ 2/3 × 670.75 = 447.17, and 4 of 5 ≥ 2/3: valid.
    Matter 1 (ordinary), 李 against: for = 410.50 of 530.75 m² > 1/2 and 3 of 4 owners > 1/2: passed.
    Matter 2 (raising the fund), all for: passed. Then 李乙 replaces the co-owners' ballot with "against":
    for = 410.50 / 530.75 = 77.34 % ≥ 3/4 and exactly 3 of 4 owners: still passed. Then 周丽 votes against:
    for = 320.50 / 530.75 = 60.39 %, 2 of 4: failed."""
    m1, m2 = [str(pk) for pk in open_vote.matters.values_list("pk", flat=True)]
    wang_phone = owner_for_phone("13812345678")  # the mobile of 王建国's record and of 周丽's
    wang, zhou = services.electors_of_owner(wang_phone, open_vote)
    services.cast_ballot(wang_phone, open_vote, {m1: "for", m2: "for"})
    services.cast_ballot(wang_phone, open_vote, {m1: "for", m2: "for"}, elector_id=zhou.pk)
    services.cast_ballot(owner_for_phone("13900000001"), open_vote, {m1: "against", m2: "for"})
    services.enter_ballot(staff, open_vote, open_vote.electors.get(is_developer=True), {m1: "for", m2: "for"},
                          "P-001")
    result = counting.count(open_vote)
    assert result.valid and (result.participants.area, result.participants.heads) == (Decimal("530.75"), 4)
    assert [m.outcome for m in result.matters] == ["passed", "passed"]
    assert result.matters[0].sides["for"] == counting.Side(Decimal("410.50"), 3)
    services.cast_ballot(owner_for_phone("13900000002"), open_vote, {m1: "against", m2: "against"})
    result = counting.count(open_vote)
    assert [m.outcome for m in result.matters] == ["passed", "passed"]
    assert [t.share.percent for t in result.matters[1].agreement] == [Decimal("77.34"), Decimal("75.00")]
    services.cast_ballot(wang_phone, open_vote, {m1: "for", m2: "against"}, elector_id=zhou.pk)
    result = counting.count(open_vote)
    assert [m.outcome for m in result.matters] == ["passed", "failed"]
    assert result.matters[1].agreement[0].share.percent == Decimal("60.39")
    assert (wang.label, zhou.label) == ("王建国", "周丽")


def test_the_result_explains_itself_and_exports(open_vote, manager, tmp_path):
    m1, m2 = [str(pk) for pk in open_vote.matters.values_list("pk", flat=True)]
    services.cast_ballot(owner_for_phone("13812345678"), open_vote, {m1: "for", m2: "for"})
    data = results.context(open_vote)
    assert [row.result.outcome for row in data["rows"]] == ["invalid", "invalid"]  # 1 of 4 owners took part
    assert "two thirds" in data["rows"][0].why or "三分之二" in data["rows"][0].why
    with pytest.raises(Conflict):
        services.close_vote(manager, open_vote)  # not before the deadline
    assert services.close_due_votes(open_vote.closes_at) == 1
    sheet = load_workbook(io.BytesIO(results.result_xlsx(open_vote)))
    assert sheet.sheetnames[1] and sheet.worksheets[0].max_row == 3 and sheet.worksheets[1].max_row == 2
    pdf = results.result_pdf(open_vote)
    from tests.quality.test_report import pdf_text

    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "续聘阳光物业" in text.replace(" ", "") and "三分之二" in text


def test_a_draft_needs_matters_with_their_items(estate, manager, project, staff):
    with pytest.raises(ValidationError):
        services.save_vote(manager, project, {"title": "x", "opens_at": timezone.now(),
                                              "closes_at": timezone.now() + dt.timedelta(days=1)},
                           [{"title": "没有条款", "item": "0"}])
    with pytest.raises(PermissionDenied):
        plan(staff, project)
