"""The one lookup box: phone (full or partial), name, unit address; one hit opens the card."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory

LOOKUP = reverse("console:lookup")


def card(obj_name, pk):
    return reverse(f"console:{obj_name}_detail", args=[pk])


@pytest.mark.parametrize("query", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "45678", "王建国"])
def test_one_customer_found_opens_the_card(desk, archive, query):
    response = desk.get(LOOKUP, {"q": query})
    assert response.status_code == 302
    assert response["Location"] == card("customer", archive.owner.pk)


@pytest.mark.parametrize("query", ["3-2-1201", "3栋1201", "3栋2单元1201", "3号楼2单元1201室"])
def test_unit_address_formats_open_the_unit_card(desk, archive, query):
    response = desk.get(LOOKUP, {"q": query})
    assert response.status_code == 302
    assert response["Location"] == card("unit", archive.unit.pk)


def test_several_matches_are_listed_with_homes_phones_and_masked_id(desk, archive):
    CustomerFactory(project=archive.project, name="王建华", phones=["13812340000"])
    response = desk.get(LOOKUP, {"q": "1381234"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "王建国" in body and "王建华" in body
    assert "13812345678" in body
    assert "3-2-1201" in body and "业主" in body  # owner
    assert "1101**********1234" in body


def test_live_results_while_typing_are_a_fragment_and_never_redirect(desk, archive):
    response = desk.get(LOOKUP, {"q": "5678"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "王建国" in body


def test_nothing_found_says_so(desk, archive):
    response = desk.get(LOOKUP, {"q": "不存在的人"})
    assert response.status_code == 200
    assert "未找到与“不存在的人”相关的结果" in response.content.decode()  # nothing found


def test_lookup_never_finds_another_projects_customer(desk, archive):
    for query in ["13655556666", "陈外人", "8-0801"]:
        response = desk.get(LOOKUP, {"q": query})
        assert response.status_code == 200
        assert response.context["result"].empty
        assert reverse("console:customer_detail", args=[archive.stranger.pk]) not in response.content.decode()


def test_lookup_results_take_a_fixed_number_of_queries(desk, archive, django_assert_max_num_queries):
    for n in range(15):
        CustomerFactory(project=archive.project, name=f"王{n}", phones=[f"1381234{n:04d}"])
    with django_assert_max_num_queries(9):
        response = desk.get(LOOKUP, {"q": "1381234"})
    assert response.content.decode().count('class="result"') == 16
