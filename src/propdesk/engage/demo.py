"""Demo data of communication and care (settings.DEMO_LOADERS; issue 15 item 7) in 阳光花园.

Written through the services, with `now` moved back where the story happened in the past: an emergency
notice to building 5 read by most households and re-sent to the others, a tip on the notice board, a fee
notice scheduled and an announcement in draft; a finished activity with sign-ups and attendance (which
earned points) and a summer activity with a waiting list; points from suggestions, referrals and articles,
rewards and redemptions; greeting texts, owners who declined, the elderly households' festival visits; an
assembly with its minutes and a published work report; a finished vote on the maintenance fund and the
property company; the register of outside bodies. Deterministic (seeded random) and a few seconds.
"""

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from PIL import Image

from propdesk.archive.models import Customer, Occupancy
from propdesk.archive.owners import owner_for_phone
from propdesk.core import timeline
from propdesk.core.timeline import Message
from propdesk.org.models import Building, Project, User

from .activities import services as activities
from .assembly import services as assembly
from .care import calendar
from .care import services as care
from .models import Ballot, BallotRevision, CareFlag, Notice, NoticeDispatch, NoticeRecipient, Vote
from .notices import dispatch
from .notices import services as notices
from .points import ledger, rewards
from .relations import services as relations
from .services import add_care_flag
from .votes import services as votes

SEED = 15
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
LIVE_BALLOTS = 40  # the first ballots go through the services (portal, paper, a proxy, changes)


def load_engage_demo(now) -> str:
    """Notices, activities, points, greetings, the assembly and a finished vote, outside bodies; a summary."""
    project = Project.objects.filter(code="sunshine").first()
    if project is None or Notice.objects.filter(project=project).exists():
        return "communication and care: nothing to do"
    rng = random.Random(SEED)
    staff = {u.username: u for u in User.objects.filter(username__in=["manager", "desk", "butler"])}
    manager, desk, butler = staff["manager"], staff["desk"], staff["butler"]
    households = _households(project)
    with transaction.atomic():
        counts = {
            "notices": _notices(project, manager, desk, rng, now),
            "activities": _activities(project, manager, desk, households, rng, now),
            "points": _points(project, manager, desk, households, rng),
            "visits": _care(project, manager, desk, butler, households, rng, now),
            "ballots": _assembly(project, manager, desk, households, rng, now),
            "bodies": _relations(project, desk, now),
        }
    return ("communication and care: {notices} notices, {activities} activity sign-ups, {points} points entries, "
            "{visits} festival visits planned, a vote with {ballots} ballots, {bodies} outside bodies").format(**counts)


def _households(project) -> list[Occupancy]:
    """The owners of the project's homes with a mobile, one per unit, in unit order."""
    seen, out = set(), []
    for occ in (Occupancy.objects.current().filter(unit__project=project, role=Occupancy.Role.OWNER)
                .select_related("unit__building", "customer").prefetch_related("customer__phones").order_by("unit_id")):
        phones = [p.number for p in occ.customer.phones.all()]
        if occ.unit_id not in seen and phones:
            seen.add(occ.unit_id)
            occ.phone = phones[0]
            out.append(occ)
    return out


def _photo(rng) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (96, 64), (rng.randint(120, 240), rng.randint(90, 200), rng.randint(60, 160))).save(buf, "PNG")
    return SimpleUploadedFile("活动照片.png", buf.getvalue(), content_type="image/png")


# -- notices (item 1) ---------------------------------------------------------------------------------


def _send_at(manager, notice, when) -> Notice:
    """Send at `when` and fan out at once (the demo cannot wait for the worker; the queued task then finds
    the sending finished)."""
    notices.send_notice(manager, notice, now=when)
    dispatch.fan_out(NoticeDispatch.objects.get(notice=notice, number=1).pk, now=when)
    notice.refresh_from_db()
    return notice


def _read_some(notice, share: float, rng, start) -> int:
    """A share of the households read it: with an SMS, two in three through its link, the others in the
    portal; without, all in the portal."""
    linked = "sms" in notice.channels
    rows = list(NoticeRecipient.objects.filter(notice=notice).values_list("pk", flat=True))
    chosen = rng.sample(rows, round(len(rows) * share))
    for n, pk in enumerate(chosen):
        via = NoticeRecipient.ReadVia.LINK if linked and n % 3 else NoticeRecipient.ReadVia.PORTAL
        NoticeRecipient.objects.filter(pk=pk).update(read_at=start + dt.timedelta(minutes=3 + n % 55), read_via=via,
                                                     sealed_token="")
    return len(chosen)


def _notices(project, manager, desk, rng, now) -> int:
    building5 = Building.objects.filter(project=project, code="5").first() or Building.objects.filter(
        project=project).order_by("code").first()
    burst = now - 2 * H
    water, _ = notices.save_notice(desk, project, {
        "kind": "emergency", "title": f"{building5.name}紧急停水通知",
        "body": f"因{building5.name}地下室供水主管爆裂，{building5.name}全楼今日停水，抢修预计 4 小时完成。"
                "请关闭家中水龙头，恢复供水后先放水 1 分钟。如有漏水请拨打客服中心电话。",
        "channels": ["board", "in_app", "sms"], "buildings": [building5]})
    _send_at(manager, water, burst)
    _read_some(water, 0.6, rng, burst)
    notices.resend_to_unread(desk, water, ["sms"], now=burst + H)
    again = NoticeDispatch.objects.get(notice=water, number=2)
    dispatch.fan_out(again.pk, now=burst + H)

    tip, _ = notices.save_notice(desk, project, {
        "kind": "service_tip", "title": "汛期安全温馨提示",
        "body": "近期强降雨频繁，请关好门窗、清理阳台地漏，车辆请勿停放在地库低洼处。物业已完成排水设施检查。",
        "channels": ["board", "in_app"]})
    _read_some(_send_at(manager, tip, now - 5 * D), 0.35, rng, now - 5 * D)

    fee, _ = notices.save_notice(desk, project, {
        "kind": "fee", "title": "下半年物业服务费缴纳通知",
        "body": "下半年物业服务费即日起开始收取，可在业主门户、客服中心或银行代扣缴纳。逾期将影响相关服务预约。",
        "channels": ["board", "in_app", "sms"], "scheduled_at": now + 3 * D})
    notices.send_notice(manager, fee, now=now)
    notices.save_notice(desk, project, {
        "kind": "announcement", "title": "关于召开第二次业主大会的公告",
        "body": "经业主委员会决定，拟召开第二次业主大会，审议续聘物业服务企业、使用维修资金更换电梯等事项。",
        "channels": ["board", "in_app"]})
    notices.save_segment(desk, project, "企业客户", {"customer_type": ["enterprise"]})
    notices.save_segment(desk, project, "高价值客户", {"value_bands": ["A"]})
    return 4


# -- activities and points (items 2, 3) ------------------------------------------------------------


def _activities(project, manager, desk, households, rng, now) -> int:
    held = now - 20 * D
    past, _ = activities.save_activity(desk, project, {
        "title": "端午包粽子亲子活动", "place": "会所多功能厅", "description": "社区长者教包粽子，粽子带回家。",
        "starts_at": held, "ends_at": held + 3 * H, "capacity": 40, "max_seats": 3,
        "signup_opens_at": held - 10 * D, "signup_closes_at": held - D})
    activities.publish_activity(desk, past)
    pool = rng.sample(households, min(len(households), 60))
    signed = 0
    for n, occ in enumerate(pool[:24]):
        owner = owner_for_phone(occ.phone)
        activities.owner_sign_up(owner, past, occ.unit_id, 1 + n % 2, phone=occ.phone, now=held - 5 * D + n * H)
        signed += 1
    for n, occ in enumerate(pool[:24]):
        if n % 5 != 4:  # four in five came
            activities.check_in(desk, past, occ.phone, now=held + dt.timedelta(minutes=5 + n))
    activities.add_photos(desk, past, [_photo(rng), _photo(rng)], caption="包粽子现场")
    activities.record_activity(desk, past, "到场 19 户、40 余人，长者志愿者 3 名，共包粽子约 200 个。", now=held + 4 * H)

    soon = now + 10 * D
    summer, _ = activities.save_activity(desk, project, {
        "title": "夏日亲子游园会", "place": "中心花园", "description": "游戏摊位、冷饮、亲子手工，积分可兑换礼品。",
        "starts_at": soon, "ends_at": soon + 3 * H, "capacity": 12, "max_seats": 2,
        "signup_opens_at": now - 3 * D, "signup_closes_at": soon - D})
    activities.publish_activity(desk, summer)
    taken = []
    for n, occ in enumerate(pool[24:38]):
        owner = owner_for_phone(occ.phone)
        taken.append(activities.owner_sign_up(owner, summer, occ.unit_id, 2 if n % 3 == 0 else 1, phone=occ.phone,
                                              now=now - 2 * D + n * H)[0])
        signed += 1
    activities.cancel_signup(desk, taken[1], now=now - H)  # its place went to the waiting list
    activities.save_activity(desk, project, {
        "title": "中秋赏月晚会", "place": "中心广场", "starts_at": now + 60 * D, "ends_at": now + 60 * D + 3 * H,
        "capacity": 200, "max_seats": 4, "signup_opens_at": now + 40 * D, "signup_closes_at": now + 59 * D})
    return signed


def _points(project, manager, desk, households, rng) -> int:
    entries = 0
    for occ, reason, note in ((households[3], "suggestion", "建议在中心花园增设遮阳棚，已采纳"),
                              (households[11], "referral", "推荐朋友购买 8栋 1单元 1502"),
                              (households[17], "article", "社区月刊第 6 期《我家的阳台菜园》"),
                              (households[25], "suggestion", "建议地库增加充电桩，已采纳")):
        entries += ledger.award(desk, occ.customer, reason, note) is not None
    stocked = []
    for name, cost, stock, text in (("环保购物袋", 50, 40, "可折叠帆布袋"), ("免费洗车券", 200, 20, "小区洗车点一次"),
                                    ("家电清洗一次", 800, 5, "空调或油烟机任选其一")):
        reward = rewards.save_reward(manager, project, {"name": name, "cost": cost, "description": text})
        stocked.append(rewards.restock(manager, reward, stock))
    rich = households[11].customer  # the referral's 500 points
    first = rewards.redeem(desk, stocked[1], rich)[0]
    rewards.hand_over(desk, first)
    rewards.redeem(desk, stocked[0], rich, quantity=2)
    return entries + 2


# -- the care calendar (item 4) --------------------------------------------------------------------


def _care(project, manager, desk, butler, households, rng, now) -> int:
    texts = {occasion: (template.text, template.is_active) for occasion, template in care.templates_for(project).items()}
    texts["mid_autumn"] = ("{name}您好：花好月圆，{project}服务中心祝您和家人中秋快乐、阖家团圆！", True)
    care.save_templates(manager, project, texts)
    for occ in households[40:43]:
        care.set_greetings_opt_out(desk, occ.customer, True)
    today = timezone.localdate(now)
    for n, occ in enumerate(households[50:56]):
        add_care_flag(butler, occ.customer, reason=CareFlag.Reason.ELDERLY_ALONE, note="独居长者",
                      since=today - dt.timedelta(days=200 + n))
    # The festival visits due within the planning horizon, and those of the next visiting festival.
    planned = care.plan_festival_visits(today)
    coming = next((f for f in calendar.festivals_between(today, today + 400 * D) if f.visits), None)
    if coming is not None and not planned:
        planned = care.plan_festival_visits(coming.day - dt.timedelta(days=care.PLAN_AHEAD_DAYS))
    return planned


# -- the assembly and its vote (item 5) ------------------------------------------------------------


def _assembly(project, manager, desk, households, rng, now) -> int:
    held = now - 40 * D
    meeting = assembly.save_meeting(manager, project, {
        "body": "assembly", "title": "阳光花园第二次业主大会", "starts_at": held, "place": "会所多功能厅",
        "agenda": "一、物业服务年度工作报告\n二、表决：续聘物业服务企业\n三、表决：使用维修资金更换 3 栋电梯\n"
                  "四、表决：地面车位改为经营性停车场"})
    for occ in {o.customer_id: o for o in households[:32]}.values():  # an owner of two homes signs in once
        assembly.sign_in(desk, meeting, phone=occ.phone, now=held - dt.timedelta(minutes=20))
    assembly.sign_in(desk, meeting, name="街道办 王主任", capacity="guest", now=held - dt.timedelta(minutes=10))
    assembly.write_minutes(desk, meeting, "会议由业主委员会主任主持，到会业主 30 人，街道办列席。"
                                          "会议听取了年度工作报告，书面表决于会后 14 日内进行。")
    report = assembly.save_report(manager, project, {
        "kind": "work", "title": "年度物业管理工作报告", "period": str(timezone.localdate(held).year),
        "body": "一、客户服务：全年受理工单 3,100 余张，回访率 96%。\n二、设施设备：完成 16 栋楼道灯具更换。\n"
                "三、秩序维护：全年无重大安全事件。\n四、下一年度计划：电梯更新改造、地库防水。"})
    assembly.publish_report(manager, report, now=held + D)
    assembly.save_meeting(manager, project, {
        "body": "committee", "title": "业主委员会第 7 次会议", "starts_at": now + 14 * D, "place": "物业服务中心会议室",
        "agenda": "一、电梯更换招标方案\n二、车位经营收益使用"})
    return _vote(project, manager, desk, meeting, rng, held)


def _vote(project, manager, desk, meeting, rng, held) -> int:
    opens, closes = held + 2 * H, held + 14 * D
    vote = votes.save_vote(manager, project, {"title": "第二次业主大会书面表决", "meeting": meeting,
                                              "opens_at": opens, "closes_at": closes}, [
        {"title": "续聘阳光物业服务有限公司（三年）", "item": "4"},
        {"title": "使用维修资金约 120 万元更换 3 栋两部电梯", "item": "5"},
        {"title": "地面车位改为经营性停车场", "item": "8"}])
    vote = votes.open_vote(manager, vote, now=opens)
    matters = [str(pk) for pk in vote.matters.values_list("pk", flat=True)]
    electors = list(vote.electors.filter(is_developer=False).order_by("pk"))
    voting = rng.sample(electors, round(len(electors) * 0.8))  # 80 % take part (the developer does not)
    given = []
    for n, elector in enumerate(voting):
        choices = {matters[0]: "for" if rng.random() < 0.86 else "against",
                   matters[1]: "for" if rng.random() < 0.7 else ("abstain" if rng.random() < 0.5 else "against"),
                   matters[2]: "for" if rng.random() < 0.6 else "against"}
        at = opens + dt.timedelta(minutes=7 * n)
        if n >= LIVE_BALLOTS:
            given.append((elector, choices, at))
        elif n % 4 == 0:  # a paper ballot, one by a proxy
            proxy = ("亲属代投", f"WT{n:04d}") if n == 8 else ("", "")
            votes.enter_ballot(desk, vote, elector, choices, paper_ref=f"ZB{n:05d}", proxy_name=proxy[0],
                               proxy_ref=proxy[1], now=at)
        else:
            owner = owner_for_phone(_phone(elector))
            votes.cast_ballot(owner, vote, choices, now=at, elector_id=elector.pk)
            if n % 10 == 1:  # changed their mind before the deadline: the last version counts
                votes.cast_ballot(owner, vote, {**choices, matters[2]: "against"}, now=at + D, elector_id=elector.pk)
    _paper_batch(vote, desk, given)
    votes.close_vote(manager, Vote.objects.get(pk=vote.pk), now=closes + H)
    return len(voting)


def _paper_batch(vote, desk, given) -> None:
    """The rest of the ballots, as the desk would have entered the collected papers one by one (the rows
    `votes.enter_ballot` writes), in a few statements so that the demo loads in seconds."""
    ballots = Ballot.objects.bulk_create([
        Ballot(vote=vote, elector=elector, via=Ballot.Via.PAPER, paper_ref=f"ZB{n:05d}", choices=choices,
               entered_by=desk, created_at=at, updated_at=at) for n, (elector, choices, at) in enumerate(given, 1000)])
    ballots = {b.elector_id: b for b in Ballot.objects.filter(vote=vote, elector_id__in=[e.pk for e, _c, _a in given])}
    BallotRevision.objects.bulk_create([
        BallotRevision(ballot=ballots[e.pk], number=1, at=at, via=Ballot.Via.PAPER, choices=choices,
                       paper_ref=ballots[e.pk].paper_ref, entered_by=desk) for e, choices, at in given])
    label = Ballot.Via.PAPER.label
    timeline.record_many(
        (timeline.new_event(desk, "engage.ballot", Message(gettext_noop("Ballot given on %(title)s (%(via)s)"), {
            "title": vote.title, "via": label, "n": 1}), at=at), [Customer(pk=pk) for pk in e.customer_ids])
        for e, _choices, at in given)


def _phone(elector) -> str:
    from propdesk.archive.models import CustomerPhone

    return CustomerPhone.objects.filter(customer_id__in=elector.customer_ids).order_by("id").values_list(
        "number", flat=True).first()


# -- public relations (item 6) ---------------------------------------------------------------------


def _relations(project, desk, now) -> int:
    today = timezone.localdate(now)
    bodies = [
        ("street_office", "粤海街道办事处", "0755-26000001", ("王建华", "城建科科长", "13602000001")),
        ("residents_committee", "阳光社区居委会", "0755-26000002", ("李秀兰", "主任", "13602000002")),
        ("police", "粤海派出所", "0755-26000110", ("赵刚", "社区民警", "13602000003")),
        ("fire", "南山区消防救援大队", "0755-26000119", ("孙伟", "防火监督员", "13602000004")),
        ("utility", "深圳市水务集团南山分公司", "0755-26000005", ("周敏", "客户经理", "13602000005")),
        ("housing_authority", "南山区住房和建设局物业科", "0755-26000006", ("钱进", "科员", "13602000006")),
        ("developer", "阳光置业有限公司", "0755-26000007", ("吴强", "工程部经理", "13602000007")),
        ("owners_committee", "阳光花园业主委员会", "", ("陈国栋", "主任", "13602000008")),
    ]
    made = {}
    for kind, name, phone, (person, title, mobile) in bodies:
        body = relations.save_body(desk, project, {"kind": kind, "name": name, "phone": phone})
        relations.add_contact(desk, body, {"name": person, "title": title, "phone": mobile})
        made[kind] = body
    relations.record_dealing(desk, made["fire"], {
        "kind": "inspection", "date": today - 12 * D, "subject": "消防设施年度检查",
        "summary": "抽查 3 栋、7 栋消防栓及烟感，7 栋 12 层灭火器过期。", "follow_up": "更换 7 栋过期灭火器并书面回复",
        "due_date": today - 2 * D})
    relations.record_dealing(desk, made["street_office"], {
        "kind": "visit", "date": today - 6 * D, "subject": "老旧电梯改造政策宣讲", "summary": "街道介绍电梯更新补贴申请流程。",
        "follow_up": "整理 3 栋电梯资料报街道", "due_date": today + 10 * D})
    settled = relations.record_dealing(desk, made["utility"], {
        "kind": "call", "date": today - 3 * D, "subject": "5 栋供水主管抢修", "follow_up": "抢修后水质检测报告",
        "due_date": today + 4 * D})
    relations.settle(desk, settled, "已收到水质检测报告，合格。", now=now)
    relations.record_dealing(desk, made["owners_committee"], {
        "kind": "letter_in", "date": today - 8 * D, "subject": "关于地库照明不足的工作函", "reference": f"YWH-{today.year}-07",
        "follow_up": "书面回复照明改造方案", "due_date": today + 7 * D})
    relations.record_dealing(desk, made["owners_committee"], {
        "kind": "letter_out", "date": today - 4 * D, "subject": "关于电梯更换招标安排的复函", "reference": "WY-HF-031"})
    return len(made)
