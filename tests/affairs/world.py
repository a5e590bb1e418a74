"""One of everything public affairs keeps, in the first project (阳光花园), for the access tests."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from propdesk.affairs import handover, lost_found, parking, release, renovation, visitors
from propdesk.affairs.models import Photo
from propdesk.archive.models import Occupancy
from tests.factories import OccupancyFactory, StaffFactory

from .conftest import pdf, png

# What must never show to staff of another project, a neighbour or an owner of another project.
SECRETS = ["阳光花园", "王建国", "13812345678", "李租客", "美居装饰", "红木书柜", "粤B6K789", "孙来访", "黑色双肩包",
           "前租户遗留", "笔记本电脑", "厨卫平面图", "钱预约"]


def build(project, unit, owner, staff) -> SimpleNamespace:
    manager = StaffFactory(username="affairs-pm", role="project_manager", projects=[project])
    guard = StaffFactory(username="affairs-guard", role="security", projects=[project])
    tenant = OccupancyFactory(unit=unit, role=Occupancy.Role.TENANT, customer__name="李租客",
                              customer__phones=["13900001111"], start_date=dt.date(2024, 1, 1),
                              end_date=dt.date(2099, 12, 31)).customer
    h = handover.start_handover(staff, unit=unit, customer=owner)
    line = h.lines.first()
    extra = handover.add_line(staff, h, name="吊顶内遗留网线")
    handover.record_line(staff, extra, status="defective", note="前租户遗留", photos=[png()])
    today = timezone.localdate()
    r = renovation.apply(staff, unit=unit, applicant=owner, scope="厨卫改造", contractor="美居装饰有限公司",
                         foreman="周工", foreman_phone="13512345678", planned_start=today,
                         planned_end=today + dt.timedelta(days=60), attachments=[pdf("厨卫平面图.pdf")])
    renovation.review(manager, r, decision="approve")
    renovation.sign_agreement(staff, r, signed_by="王建国", deposit="3000", deposit_receipt="SJ-1")
    permit = renovation.issue_permit(manager, r, location="厨房", work="电焊", starts_at=timezone.now(),
                                     ends_at=timezone.now() + dt.timedelta(days=2), fire_watch="吴师傅",
                                     extinguisher_checked=True)
    patrol = renovation.record_patrol(guard, r, result="violation", findings="阳台堆放材料", photos=[png()],
                                      notice="清理阳台", deadline=today + dt.timedelta(days=2))
    p = release.apply_pass(staff, unit=unit, applicant=tenant, items=[("红木书柜", 4)], carrier="老马")
    space = parking.add_space(staff, project, number="B1-023", zone="B1", kind="rented")
    allocation = parking.allocate(staff, space, unit=unit, customer=owner, start_date=today,
                                  end_date=today + dt.timedelta(days=20), plates="粤B6K789", monthly_price="300")
    visit = visitors.register_visit(guard, project, unit_text="3-2-1201", name="孙来访", phone="13311112222")
    item = lost_found.register_item(guard, project, description="黑色双肩包", contents="笔记本电脑", place="大堂",
                                    kept_at="岗亭", found_at=timezone.now(), photos=[png()])
    return SimpleNamespace(
        project=project, unit=unit, owner=owner, tenant=tenant, staff=staff, manager=manager, guard=guard,
        handover=h, line=line, renovation=r, permit=permit, rectification=patrol.rectification,
        release_pass=p, space=space, allocation=allocation, visit=visit, found_item=item,
        photo=Photo.objects.filter(project=project).first(), renovation_file=r.files.get())


def build_more(w) -> None:
    """A second row of every list, so a page whose queries grow with its rows fails its count."""
    from tests.factories import OccupancyFactory as Occ

    other = Occ(unit__building=w.unit.building, unit__entrance="1", unit__number="0505", unit__floor=5,
                customer__name="钱二号", customer__phones=["13344445555"]).customer
    unit2 = other.occupancies.get().unit
    h = handover.start_handover(w.staff, unit=unit2, customer=other)
    handover.add_line(w.staff, h, name="多一行")
    today = timezone.localdate()
    r = renovation.apply(w.staff, unit=unit2, applicant=other, scope="刷墙", contractor="二号装饰", foreman="钱工",
                         foreman_phone="13512340000", planned_start=today, planned_end=today + dt.timedelta(days=9))
    renovation.review(w.manager, r, decision="approve")
    p = release.apply_pass(w.staff, unit=unit2, applicant=other, items=[("沙发", 1)], carrier="钱二号")
    release.release(w.guard, p, quantities={p.items.get().pk: 1})
    space = parking.add_space(w.staff, w.project, number="B1-024", zone="B1", kind="owned")
    parking.allocate(w.staff, space, unit=unit2, customer=other, start_date=today, plates="粤B55555")
    visitors.register_visit(w.guard, w.project, unit_text="钱二号", name="周来访")
    lost_found.register_item(w.guard, w.project, description="雨伞", place="电梯", kept_at="岗亭",
                             found_at=timezone.now())
