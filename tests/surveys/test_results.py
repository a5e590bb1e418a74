"""Results per question, comparison with the previous survey, top terms of free text, the .xlsx export."""

import io
import re

from openpyxl import load_workbook

from propdesk.surveys import results, services

from .conftest import full_answer, q, sent


def _two_surveys(manager, project, homes):
    """The first half-year: 1201 gives 2, 1202 gives 4. The second: 1201 gives 5, 1202 gives 4, 0501 gives 3."""
    first, t1 = sent(manager, project, title="2025年下半年满意度调查")
    services.answer(t1[homes.u1201.pk], full_answer(first, rating=2, single="很少", text="电梯经常坏，维修太慢"))
    services.answer(t1[homes.u1202.pk], full_answer(first, rating=4, multiple=("家政", "维修")))
    services.close_survey(manager, first)
    second, t2 = sent(manager, project, previous=first)
    services.answer(t2[homes.u1201.pk], full_answer(second, rating=5, text="保洁阿姨很负责，电梯维修及时"))
    services.answer(t2[homes.u1202.pk], full_answer(second, rating=4, text="停车位太少，电梯偶尔等很久"))
    services.answer(t2[homes.u0501.pk], full_answer(second, rating=3, single="每周", multiple=()))
    return first, second


def test_results_per_question(manager, project, homes):
    _first, second = _two_surveys(manager, project, homes)
    rating, single, multiple, text = results.question_results(second)
    assert rating.answered == 3 and rating.average == 4.0 and rating.satisfied == 66.7
    assert [(label, count) for label, count, _pct in rating.bars] == [("1", 0), ("2", 0), ("3", 1), ("4", 1),
                                                                     ("5", 1)]
    assert [(c, n) for c, n, _p in single.bars] == [("每周", 1), ("每月", 2), ("很少", 0)]
    assert [(c, n) for c, n, _p in multiple.bars] == [("家政", 2), ("维修", 0), ("快递代收", 0)]
    assert multiple.answered == 2  # 0501 chose none
    assert text.answered == 3


def test_comparison_with_the_previous_survey(manager, project, homes):
    first, second = _two_surveys(manager, project, homes)
    rows = results.compare(second)
    assert rows[0].previous.question == q(first, 1)
    assert (rows[0].average, rows[0].previous.average) == (4.0, 3.0)
    assert (rows[0].satisfied, rows[0].previous.satisfied) == (66.7, 50.0)
    assert dict((c, n) for c, n, _p in rows[1].previous.bars)["很少"] == 1
    assert results.overall_satisfaction(rows) == 66.7
    assert results.overall_satisfaction([r.previous for r in rows if r.previous]) == 50.0
    assert all(r.previous is None for r in results.compare(first))


def test_free_text_top_terms_in_chinese(manager, project, homes):
    _first, second = _two_surveys(manager, project, homes)
    terms = dict(results.question_results(second)[3].terms)
    assert terms["电梯"] == 3  # in all three answers (one gave the default text)
    assert terms["维修"] == 2
    assert "保洁" in terms and "停车位" in terms
    assert all(len(term) >= 2 for term in terms)  # 很, 太, 的… dropped


def test_top_terms_drop_stop_words_and_single_characters():
    terms = dict(results.top_terms(["我们觉得物业的保安非常好", "保安很好，我们希望保安多巡逻"]))
    assert terms["保安"] == 3
    assert "我们" not in terms and "觉得" not in terms and "非常" not in terms and "的" not in terms


def test_export_has_one_row_per_response(manager, project, homes):
    _first, second = _two_surveys(manager, project, homes)
    services.answer(sent_token(second, homes.u1201), full_answer(second, text="=HYPERLINK(\"x\")"))
    sheet = load_workbook(io.BytesIO(results.export_xlsx(second))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 8
    assert rows[0][4] == "1. 您对保洁服务满意吗？"
    assert len(rows) == 4
    by_unit = {r[0]: r for r in rows[1:]}
    assert by_unit["3-2-1201"][1] == "王建国" and by_unit["3-2-1201"][4] == 5
    assert by_unit["3-2-1202"][6] == "家政"
    # An owner's text stays text: kept as typed, stored as a string cell, never as a formula.
    assert by_unit["3-2-1201"][7] == '=HYPERLINK("x")'
    assert_no_formula(results.export_xlsx(second))


from tests.core.test_xlsx import assert_no_formula  # noqa: E402


def sent_token(survey, unit):
    """Re-issue nothing: find the token of a unit in the SMS its phone received (the database has it
    only masked)."""
    from propdesk.notify.models import Notification
    from tests.handset import received

    phone = Notification.objects.filter(event="surveys.invitation", channel="sms", recipient_customer_id=(
        survey.invitations.get(unit=unit).customer_id)).latest("id").address
    return re.search(r"/s/([^/\s]+)/", received(phone)).group(1)


def test_the_demo_starts_at_75_percent_satisfied(db):
    from django.utils import timezone

    from propdesk.archive.demo import load_demo
    from propdesk.surveys.demo import load_survey_demo
    from propdesk.surveys.models import Survey

    load_demo(now=timezone.now())
    assert load_survey_demo(timezone.now()) == 4
    first = Survey.objects.get(project__code="sunshine", status="closed")
    rows = results.question_results(first)
    assert round(rows[0].satisfied) == 75
    current = Survey.objects.get(project__code="sunshine", status="open")
    assert current.previous == first and 0 < results.compare(current)[0].answered < rows[0].answered
