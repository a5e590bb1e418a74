"""The console's assembly pages (meetings, sign-in, minutes, reports, rules of procedure, votes, paper ballots)
and the owner's votes and reports in the portal (issue 15 items 5 and 7)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from propdesk.engage.assembly import services as assembly
from propdesk.engage.models import Attendance, Ballot, Meeting, Report, Vote
from propdesk.engage.votes import services as voting
from tests.engage.test_votes import estate  # noqa: F401 (fixture)
from tests.portal.conftest import sign_in

pytestmark = pytest.mark.django_db


def local(when):
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_a_meeting_from_agenda_to_minutes(client, manager, staff, project, homes):
    client.force_login(manager)
    start = timezone.now() - dt.timedelta(minutes=10)
    client.post(reverse("console:meeting_add"), {"project": project.pk, "body": "assembly", "title": "2027年业主大会",
                                                 "starts_at": local(start), "place": "会所", "agenda": "1. 续聘物业"})
    meeting = Meeting.objects.get()
    client.force_login(staff)
    url = reverse("console:meeting", args=[meeting.pk])
    client.post(url, {"form": "sign_in", "phone": "13812345678", "capacity": "owner"})
    client.post(url, {"form": "sign_in", "name": "街道办刘主任", "capacity": "guest"})
    client.post(url, {"form": "sign_in", "phone": "13812345678", "capacity": "owner"})  # twice: once
    assert list(Attendance.objects.values_list("name", flat=True)) == ["王建国", "街道办刘主任"]
    client.post(url, {"form": "minutes", "minutes": "会议通过续聘议案。"})
    meeting.refresh_from_db()
    assert meeting.status == "held" and "续聘" in meeting.minutes
    assert 'data-signed="2"' in client.get(url).content.decode()


def test_reports_are_published_to_owners_with_their_file(client, manager, project, homes):
    client.force_login(manager)
    pdf = SimpleUploadedFile("收支.pdf", b"%PDF-1.4 figures")
    client.post(reverse("console:report_add"), {"project": project.pk, "kind": "accounts", "title": "2026年收支报表",
                                                "period": "2026年", "attachment": pdf})
    report = Report.objects.get()
    assert report.attachment.name.endswith(".pdf")
    bad = client.post(reverse("console:report_add"), {"project": project.pk, "kind": "work", "title": "x",
                                                      "attachment": SimpleUploadedFile("x.exe", b"MZ...")})
    assert bad.status_code == 200 and Report.objects.count() == 1
    sign_in(client, "13812345678")
    assert "2026年收支报表" not in client.get(reverse("portal:reports")).content.decode()  # not yet published
    assembly.publish_report(manager, report)
    assert "2026年收支报表" in client.get(reverse("portal:reports")).content.decode()
    response = client.get(reverse("portal:published_report_file", args=[report.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_vote_from_draft_to_result_in_the_console(client, manager, staff, project, estate):  # noqa: F811
    client.force_login(manager)
    now = timezone.now()
    client.post(reverse("console:vote_add"), {
        "project": project.pk, "title": "维修资金表决", "opens_at": local(now - dt.timedelta(hours=1)),
        "closes_at": local(now + dt.timedelta(days=2)), "matters": "6 | 筹集电梯维修资金\n5 | 使用维修资金更换水泵"})
    vote = Vote.objects.get()
    assert [m.item for m in vote.matters.all()] == ["6", "5"]
    assert 'data-owners="5"' in client.get(reverse("console:vote_open", args=[vote.pk])).content.decode()
    client.post(reverse("console:vote_open", args=[vote.pk]))
    vote.refresh_from_db()
    assert vote.status == "open"
    page = client.get(reverse("console:vote", args=[vote.pk])).content.decode()
    assert page.count('data-outcome="invalid"') == 2 and page.count("data-elector=") == 5
    client.force_login(staff)
    developer = vote.electors.get(is_developer=True)
    m1, m2 = vote.matters.all()
    client.post(reverse("console:ballot_entry", args=[developer.pk]),
                {f"m{m1.pk}": "for", f"m{m2.pk}": "against", "paper_ref": "P-7"})
    assert Ballot.objects.get().paper_ref == "P-7"
    history = client.get(reverse("console:ballot_entry", args=[developer.pk])).content.decode()
    assert 'data-revision="1"' in history
    client.force_login(manager)
    sheet = load_workbook(io.BytesIO(client.get(reverse("console:vote_result_xlsx", args=[vote.pk])).content))
    assert [r[0] for r in sheet.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["1. 筹集电梯维修资金",
                                                                                           "2. 使用维修资金更换水泵"]
    assert client.get(reverse("console:vote_result_pdf", args=[vote.pk])).content.startswith(b"%PDF")


def test_the_rules_of_procedure_are_a_managers_setting(client, manager, staff, project):
    client.force_login(staff)
    url = reverse("console:rules_of_procedure", args=[project.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"non_voters": "abstain"}).status_code == 403
    client.force_login(manager)
    client.post(url, {"non_voters": "with_majority", "reference": "2026年第一次业主大会决议"})
    assert voting.rules_for(project).non_voters == "with_majority"


def test_an_owner_votes_and_changes_the_ballot_in_the_portal(client, manager, project, estate):  # noqa: F811
    now = timezone.now()
    vote = voting.open_vote(manager, voting.save_vote(manager, project, {
        "title": "续聘表决", "opens_at": now - dt.timedelta(hours=1), "closes_at": now + dt.timedelta(days=1)},
        [{"title": "续聘阳光物业", "item": "4"}]))
    matter = vote.matters.get()
    sign_in(client, "13900000001")  # 李甲, co-owner of 9-201
    url = reverse("portal:vote", args=[vote.pk])
    assert "续聘阳光物业" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 422  # no choice: refused, in words
    client.post(url, {f"m{matter.pk}": "for"})
    client.post(url, {f"m{matter.pk}": "against"})
    ballot = Ballot.objects.get()
    assert ballot.revision == 2 and ballot.choices == {str(matter.pk): "against"}
    assert "续聘表决" in client.get(reverse("portal:votes")).content.decode()
    sign_in(client, "13812345678")  # 王建国's mobile is also 周丽's: two homes, two ballots
    chips = client.get(url).content.decode()
    assert chips.count('href="?for=') == 2
