"""The FAQ: searched in Chinese, per project or for every project, published to owners, kept by staff."""

import pytest
from django.core.exceptions import PermissionDenied

from propdesk.archive.owners import owner_for_phone
from propdesk.core.errors import NotFound
from propdesk.core.timeline import events_for
from propdesk.knowledge import search, selectors, services
from propdesk.knowledge.models import Faq
from tests.factories import StaffFactory


@pytest.fixture
def manager(project):
    return StaffFactory(username="pm", role="project_manager", projects=[project])


def add(actor, project, question, answer="请联系服务中心。", category="other", **extra):
    return services.save_faq(actor, project, {"category": category, "question": question, "answer": answer, **extra})


@pytest.fixture
def faqs(project, other_project, manager, admin_user):
    return {
        "leak": add(manager, project, "卫生间漏水怎么办", "先关闭总水阀，再报修。", "repairs"),
        "renovate": add(admin_user, None, "新业主装修前需要了解什么", "到服务中心办理装修登记。", "renovation"),
        "heater": add(manager, project, "热水器选哪种", "燃气热水器须选强排式。", "renovation"),
        "river": add(admin_user, other_project, "江畔华庭车位怎么租", "带行驶证登记。", "parking"),
        "draft": add(manager, project, "门禁卡丢了怎么补办", "带身份证补卡。", "safety", is_published=False),
    }


def test_query_tokens_drop_single_characters_and_question_words():
    assert search.query_tokens("漏水") == ["漏水"]
    assert search.query_tokens("怎么交物业费") == ["物业费"]
    assert search.query_tokens("水") == ["水"]
    assert search.query_tokens("怎么办") == ["怎么办"]


def test_two_character_words_find_their_questions(faqs, manager):
    assert [f.question for f in selectors.faqs_for_staff(manager, q="漏水")] == ["卫生间漏水怎么办"]
    assert [f.question for f in selectors.faqs_for_staff(manager, q="装修")] == ["新业主装修前需要了解什么"]
    assert [f.question for f in selectors.faqs_for_staff(manager, q="热水器")] == ["热水器选哪种"]


def test_every_query_word_must_match(faqs, manager):
    assert [f.question for f in selectors.faqs_for_staff(manager, q="漏水 总水阀")] == ["卫生间漏水怎么办"]
    assert not selectors.faqs_for_staff(manager, q="漏水 车位").exists()


def test_a_hit_in_the_question_ranks_first(project, manager):
    in_answer = add(manager, project, "家里停电了怎么办", "如果是漏水导致跳闸，先关水阀。")
    in_question = add(manager, project, "楼上漏水到我家", "请立即报修。")
    assert list(selectors.faqs_for_staff(manager, q="漏水")) == [in_question, in_answer]


def test_owners_see_their_projects_and_company_wide_faqs_but_not_drafts(faqs, occupancy):
    owner = owner_for_phone("13812345678")
    questions = {f.question for f in selectors.faqs_for_owner(owner)}
    assert questions == {"卫生间漏水怎么办", "新业主装修前需要了解什么", "热水器选哪种"}
    assert [f.question for f in selectors.faqs_for_owner(owner, category="renovation", q="装修")] == [
        "新业主装修前需要了解什么"]
    assert not selectors.faqs_for_owner(owner, q="门禁卡").exists()


def test_staff_see_their_projects_and_company_wide_faqs(faqs, outsider, manager):
    mine = {f.question for f in selectors.faqs_for_staff(outsider)}
    assert mine == {"新业主装修前需要了解什么", "江畔华庭车位怎么租"}
    assert "门禁卡丢了怎么补办" in {f.question for f in selectors.faqs_for_staff(manager)}
    with pytest.raises(NotFound):
        selectors.get_faq_for_staff(outsider, faqs["leak"].pk)


def test_front_desk_keeps_the_faq_but_only_admins_write_for_every_project(project, staff, manager):
    faq = add(staff, project, "快递放哪里", "放在东门快递柜。")
    assert faq.updated_by == staff and "快递" in faq.search_text
    with pytest.raises(PermissionDenied):
        add(manager, None, "全公司通用问题")
    technician = StaffFactory(username="tech", role="technician", projects=[project])
    with pytest.raises(PermissionDenied):
        add(technician, project, "技术员不能写")


def test_staff_of_another_project_cannot_write_here(project, outsider, faqs):
    with pytest.raises(NotFound):
        add(outsider, project, "外人写的问题")
    with pytest.raises(NotFound):
        services.save_faq(outsider, None, {"answer": "改"}, faq=faqs["leak"])
    with pytest.raises(NotFound):
        services.set_faq_published(outsider, faqs["leak"], False)


def test_changes_are_on_the_timeline_and_reindexed(project, manager, faqs):
    faq = services.save_faq(manager, project, {"answer": "先关闭总水阀，拍照后在业主服务页面报修。"}, faq=faqs["leak"])
    assert "拍照" in Faq.objects.get(pk=faq.pk).search_text
    services.set_faq_published(manager, faq, False)
    verbs = [e.verb for e in events_for(faq)]
    assert verbs == ["knowledge.faq_published", "knowledge.faq_saved", "knowledge.faq_saved"]
    assert [e.verb for e in events_for(project)][:1] == ["knowledge.faq_published"]
    assert not Faq.objects.get(pk=faq.pk).is_published


def test_the_demo_faq_loads_once(db):
    from propdesk.knowledge.demo import FAQS, load_faq_demo

    assert load_faq_demo() == len(FAQS) >= 15
    assert load_faq_demo() == 0
    assert Faq.objects.filter(search_text__icontains="热水器").exists()
