"""The quarterly review lists only records unconfirmed for more than 90 days (PRODUCT.md area 1)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from propdesk.archive.models import Customer
from tests.factories import CustomerFactory, OccupancyFactory

REVIEW = reverse("console:review")


def _aged(project, name, days):
    customer = CustomerFactory(project=project, name=name)
    Customer.objects.filter(pk=customer.pk).update(last_confirmed_at=timezone.now() - timedelta(days=days))
    return customer


def test_review_lists_only_records_older_than_90_days(desk, project):
    _aged(project, "久未确认", 120)
    _aged(project, "刚好九十", 89)
    _aged(project, "上月确认", 30)
    body = desk.get(REVIEW).content.decode()
    assert "久未确认" in body
    assert "刚好九十" not in body and "上月确认" not in body


def test_review_shows_last_confirmed_date_and_a_confirm_button_each(desk, project):
    customer = _aged(project, "久未确认", 120)
    body = desk.get(REVIEW).content.decode()
    customer.refresh_from_db()
    assert customer.last_confirmed_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in body
    assert reverse("console:customer_confirm", args=[customer.pk]) in body


def test_confirming_removes_the_record_from_the_list(desk, project):
    customer = _aged(project, "久未确认", 120)
    response = desk.post(reverse("console:customer_confirm", args=[customer.pk]), {"next": REVIEW}, follow=True)
    assert response.redirect_chain == [(REVIEW, 302)]
    assert customer not in response.context["page"].object_list


def test_review_hides_other_projects_and_filters_by_project(desk, project, other_project):
    _aged(project, "本项目的", 200)
    _aged(other_project, "别项目的", 200)
    body = desk.get(REVIEW).content.decode()
    assert "本项目的" in body and "别项目的" not in body
    assert "本项目的" not in desk.get(REVIEW, {"project": other_project.pk}).content.decode()


def test_review_is_paginated_and_takes_a_fixed_number_of_queries(desk, project, django_assert_max_num_queries):
    for n in range(55):
        occupancy = OccupancyFactory(unit__building__project=project, customer__name=f"待查{n}")
        Customer.objects.filter(pk=occupancy.customer_id).update(last_confirmed_at=None)
    with django_assert_max_num_queries(9):
        response = desk.get(REVIEW)
    assert len(response.context["page"].object_list) == 50
    assert len(desk.get(REVIEW, {"page": 2}).context["page"].object_list) == 5
