"""Composing, targeting, sending and answering satisfaction surveys (the surveys issue, item 7)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from propdesk.core.errors import Conflict, NotFound
from propdesk.notify.models import Notification
from propdesk.surveys import selectors, services
from propdesk.surveys.models import Invitation, Response, Survey, token_digest
from tests.handset import received

from .conftest import draft, full_answer, q, sent


def test_every_targeted_household_gets_one_invitation(manager, project, homes):
    survey, tokens = sent(manager, project)
    # 1201 (owner + member), 1202 (owner + tenant), 0501; not the ended lease, not another project
    assert set(tokens) == {homes.u1201.pk, homes.u1202.pk, homes.u0501.pk}
    assert survey.status == Survey.Status.OPEN and survey.opens_at is not None
    chosen = dict(Invitation.objects.filter(survey=survey).values_list("unit_id", "customer_id"))
    assert chosen[homes.u1201.pk] == homes.wang.pk and chosen[homes.u1202.pk] == homes.landlord.pk  # owners first


def test_the_sms_carries_a_per_household_link(manager, project, homes):
    _survey, tokens = sent(manager, project)
    sms = Notification.objects.filter(event="surveys.invitation", channel="sms")
    assert sorted(sms.values_list("address", flat=True)) == ["13600005555", "13700003333", "13812345678"]
    to_wang = sms.get(address="13812345678")
    assert f"/s/{tokens[homes.u1201.pk]}/" in received("13812345678")  # what the phone received
    assert to_wang.params["body"]["link"].endswith("/s/******/")  # what the database keeps
    assert not Invitation.objects.filter(digest=tokens[homes.u1201.pk]).exists()  # only the digest is stored
    assert Invitation.objects.filter(digest=token_digest(tokens[homes.u1201.pk])).exists()


def test_targeting_by_building(manager, project, homes):
    _survey, tokens = sent(manager, project, buildings=[homes.b5])
    assert set(tokens) == {homes.u0501.pk}


def test_targeting_by_role_picks_the_tenant(manager, project, homes):
    survey, tokens = sent(manager, project, roles=["tenant"])
    assert set(tokens) == {homes.u1202.pk}
    assert Invitation.objects.get(survey=survey).customer == homes.tenant


@pytest.mark.parametrize("segment,units", [
    ({"customer_type": "enterprise"}, {"u0501"}),
    ({"income_band": "high"}, {"u1202"}),
    ({"age_min": 50}, {"u1201"}),  # 王建国, born 1970
    ({"age_max": 40}, {"u1201", "u1202"}),  # his wife (born 1992) and the tenant (1995)
])
def test_targeting_by_segmentation_filter(manager, project, homes, segment, units):
    survey, tokens = sent(manager, project, segment=segment)
    assert set(tokens) == {getattr(homes, u).pk for u in units}
    assert Survey.objects.get(pk=survey.pk).segment == segment


def test_no_matching_household_is_refused(manager, project, homes):
    survey = draft(manager, project, segment={"customer_type": "government"})
    with pytest.raises(ValidationError):
        services.send_survey(manager, survey)
    assert Survey.objects.get(pk=survey.pk).status == "draft"


def test_a_sent_survey_cannot_be_edited_or_sent_again(manager, project, homes):
    survey, _ = sent(manager, project)
    with pytest.raises(Conflict):
        services.save_survey(manager, project, {"title": "改"}, survey=survey)
    with pytest.raises(Conflict):
        services.send_survey(manager, survey)
    assert Invitation.objects.filter(survey=survey).count() == 3


def test_questions_are_validated_when_composing(manager, project, homes):
    with pytest.raises(ValidationError):
        draft(manager, project, questions=[{"kind": "single", "text": "只有一个选项", "choices": ["是"]}])
    with pytest.raises(ValidationError):
        draft(manager, project, questions=[{"kind": "slider", "text": "未知"}])


def test_front_desk_composes_but_only_managers_send(staff, project, homes):
    survey = draft(staff, project)
    with pytest.raises(PermissionDenied):
        services.send_survey(staff, survey)


def test_staff_of_another_project_cannot_compose_or_send(manager, outsider, project, homes):
    with pytest.raises(NotFound):
        draft(outsider, project)
    survey = draft(manager, project)
    with pytest.raises(NotFound):
        services.send_survey(outsider, survey)
    with pytest.raises(NotFound):
        selectors.get_survey(outsider, survey.pk)
    assert list(selectors.surveys_for(outsider)) == []


def test_one_answer_per_household_editable_until_closed(manager, project, homes):
    survey, tokens = sent(manager, project)
    token = tokens[homes.u1201.pk]
    services.answer(token, full_answer(survey, rating=2))
    services.answer(token, full_answer(survey, rating=4))  # the wife changes it: still one answer
    assert Response.objects.filter(invitation__survey=survey).count() == 1
    assert Response.objects.get().answers[str(q(survey, 1).pk)] == 4
    services.close_survey(manager, survey)
    with pytest.raises(Conflict):
        services.answer(token, full_answer(survey, rating=1))
    assert Response.objects.get().answers[str(q(survey, 1).pk)] == 4


def test_answers_after_the_closing_time_are_refused(manager, project, homes):
    survey, tokens = sent(manager, project, closes_at=timezone.now() + dt.timedelta(days=7))
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Conflict):
        services.answer(tokens[homes.u1201.pk], full_answer(survey))


def test_a_wrong_token_opens_nothing(manager, project, homes):
    sent(manager, project)
    with pytest.raises(NotFound):
        services.answer("not-a-token", {})
    with pytest.raises(NotFound):
        services.answer("", {})


def test_a_token_answers_only_its_own_survey(manager, project, homes):
    first, tokens = sent(manager, project)
    second, _ = sent(manager, project, title="第二次调查")
    services.answer(tokens[homes.u1201.pk], full_answer(first))
    with pytest.raises(ValidationError):  # the other survey's question ids mean nothing here
        services.answer(tokens[homes.u1201.pk], full_answer(second))
    assert not Response.objects.filter(invitation__survey=second).exists()


@pytest.mark.parametrize("order,value", [(1, 0), (1, 6), (1, "很好"), (2, "每天"), (3, ["家政", "保安"]),
                                         (3, ["家政", "家政"]), (1, ""), (2, "")])
def test_answers_are_validated_per_kind(manager, project, homes, order, value):
    survey, tokens = sent(manager, project)
    answers = full_answer(survey)
    answers[str(q(survey, order).pk)] = value
    with pytest.raises(ValidationError) as exc:
        services.answer(tokens[homes.u1201.pk], answers)
    assert str(q(survey, order).pk) in exc.value.message_dict
    assert not Response.objects.exists()


def test_free_text_is_optional_and_ratings_are_stored_as_numbers(manager, project, homes):
    survey, tokens = sent(manager, project)
    answers = full_answer(survey, rating="3")
    del answers[str(q(survey, 4).pk)]
    response = services.answer(tokens[homes.u1201.pk], answers)
    assert response.answers[str(q(survey, 1).pk)] == 3 and str(q(survey, 4).pk) not in response.answers


def test_the_response_rate_is_live(manager, project, homes):
    survey, tokens = sent(manager, project)
    assert selectors.response_rate(survey) == {"invited": 3, "responded": 0, "percent": 0.0}
    services.answer(tokens[homes.u1201.pk], full_answer(survey))
    services.answer(tokens[homes.u1201.pk], full_answer(survey))
    assert selectors.response_rate(survey)["responded"] == 1
    services.answer(tokens[homes.u0501.pk], full_answer(survey))
    assert selectors.response_rate(survey) == {"invited": 3, "responded": 2, "percent": 66.7}
