"""The console pages of surveys, the public answer page /s/<token>/ and the portal's survey pages."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from propdesk.surveys import services
from propdesk.surveys.models import Response, Survey
from tests.portal.conftest import english, sign_in

from .conftest import full_answer, q, sent

COMPOSE = {"title": "2026年上半年满意度调查", "intro": "感谢您的支持", "roles": ["owner", "tenant"],
           "questions": "rating | 您对保洁服务满意吗？\nsingle | 您多久来一次服务中心？ | 每周; 每月；很少\ntext | 建议"}


def test_compose_send_and_follow_in_the_console(client, manager, project, homes):
    client.force_login(manager)
    english(client)
    response = client.post(reverse("console:survey_add"), {**COMPOSE, "project": project.pk,
                                                           "buildings": [homes.b3.pk]})
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("console:survey", args=[survey.pk])
    assert [(x.kind, x.choices) for x in survey.questions.all()] == [
        ("rating", []), ("single", ["每周", "每月", "很少"]), ("text", [])]
    detail = client.get(reverse("console:survey", args=[survey.pk])).content.decode()
    assert "您多久来一次服务中心" in detail and "3栋" in detail and "Owner, Tenant" in detail
    edit = client.get(reverse("console:survey_edit", args=[survey.pk])).content.decode()
    assert "single | 您多久来一次服务中心？ | 每周; 每月; 很少" in edit
    client.post(reverse("console:survey_edit", args=[survey.pk]), {
        **COMPOSE, "title": "改过的标题", "buildings": [homes.b3.pk]})
    assert Survey.objects.get().title == "改过的标题"
    page = client.get(reverse("console:survey_send", args=[survey.pk])).content.decode()
    assert "sent to 2 households" in page  # 1201 and 1202 in building 3
    assert Survey.objects.get().status == "draft"
    client.post(reverse("console:survey_send", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "open" and survey.invitations.count() == 2
    assert "0 of 2 households answered" in client.get(reverse("console:survey_rate", args=[survey.pk])).content.decode()
    assert "改过的标题" in client.get(reverse("console:surveys")).content.decode()
    client.post(reverse("console:survey_close", args=[survey.pk]))
    assert Survey.objects.get().status == "closed"


def test_compose_form_errors_stay_on_the_form(client, manager, project, homes):
    client.force_login(manager)
    response = client.post(reverse("console:survey_add"), {**COMPOSE, "project": project.pk,
                                                           "questions": "single | 只有一个 | 是"})
    assert response.status_code == 200 and not Survey.objects.exists()


def test_results_page_and_export(client, manager, project, homes):
    survey, tokens = sent(manager, project)
    services.answer(tokens[homes.u1201.pk], full_answer(survey, rating=5, text="电梯维修很及时"))
    client.force_login(manager)
    page = client.get(reverse("console:survey_results", args=[survey.pk])).content.decode()
    assert 'data-average="5.0"' in page and 'data-term="电梯"' in page
    export = client.get(reverse("console:survey_export", args=[survey.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(export.content)).active.max_row == 2


def test_the_sms_link_answers_without_signing_in(client, manager, project, homes):
    survey, tokens = sent(manager, project)
    url = f"/s/{tokens[homes.u1201.pk]}/"
    page = client.get(url)
    assert page.status_code == 200 and "您对保洁服务满意吗" in page.content.decode()
    post = {f"q{q(survey, 1).pk}": "4", f"q{q(survey, 2).pk}": "每月", f"q{q(survey, 3).pk}": ["家政", "维修"],
            f"q{q(survey, 4).pk}": "很好"}
    assert client.post(url, post).status_code == 302
    assert Response.objects.get().answers[str(q(survey, 3).pk)] == ["家政", "维修"]
    assert client.post(url, {**post, f"q{q(survey, 1).pk}": "9"}).status_code == 422
    assert client.post(url, {**post, f"q{q(survey, 1).pk}": "2"}).status_code == 302
    assert Response.objects.get().answers[str(q(survey, 1).pk)] == 2
    assert 'value="2" checked' in client.get(url).content.decode()


def test_a_wrong_token_is_a_404_and_a_closed_survey_is_read_only(client, manager, project, homes):
    survey, tokens = sent(manager, project)
    assert client.get("/s/wrong-token/").status_code == 404
    assert client.post("/s/wrong-token/", {}).status_code == 404
    services.close_survey(manager, survey)
    url = f"/s/{tokens[homes.u1201.pk]}/"
    assert "disabled" in client.get(url).content.decode()
    assert client.post(url, {f"q{q(survey, 1).pk}": "5", f"q{q(survey, 2).pk}": "每月"}).status_code == 302
    assert not Response.objects.exists()


def test_owners_find_their_surveys_in_the_portal(client, manager, project, homes):
    survey, _tokens = sent(manager, project)
    draft_only = services.save_survey(manager, project, {"title": "草稿调查"}, questions=[
        {"kind": "rating", "text": "满意吗"}])
    sign_in(client, "13812345678")
    page = client.get(reverse("portal:surveys")).content.decode()
    assert "2026年上半年满意度调查" in page and "草稿调查" not in page
    assert client.get(reverse("portal:survey", args=[draft_only.pk])).status_code == 404
    url = reverse("portal:survey", args=[survey.pk])
    assert client.post(url, {f"q{q(survey, 1).pk}": "5", f"q{q(survey, 2).pk}": "每周"}).status_code == 302
    answer = Response.objects.get()
    assert answer.invitation.unit == homes.u1201 and answer.answers[str(q(survey, 1).pk)] == 5


def test_the_whole_household_may_answer_but_no_other_project(client, manager, project, homes):
    survey, _ = sent(manager, project, roles=["owner"])
    sign_in(client, "13700004444")  # 钱租客, tenant of 1202 — whose household was invited through its owner
    assert client.get(reverse("portal:survey", args=[survey.pk])).status_code == 200
    sign_in(client, "13655556666")  # another project
    assert client.get(reverse("portal:survey", args=[survey.pk])).status_code == 404


def test_the_portal_home_shows_a_notice_until_the_household_answers(client, manager, project, homes):
    survey, tokens = sent(manager, project)
    sign_in(client, "13900001111")  # 李秀英, a member of 王建国's household
    assert f'data-pending-survey="{survey.pk}"' in client.get("/portal/").content.decode()
    services.answer(tokens[homes.u1201.pk], full_answer(survey))
    assert "data-pending-survey" not in client.get("/portal/").content.decode()
