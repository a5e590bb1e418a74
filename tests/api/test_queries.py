"""Every list endpoint runs a fixed number of queries, whatever the number of rows (no N+1)."""

import pytest

from tests.api.conftest import fill_project

# Token lookup, the caller's projects, the count, the page, one prefetch; never one per row.
MAX_QUERIES = 5
LISTS = ["/projects", "/buildings", "/units", "/customers", "/occupancies"]


@pytest.mark.parametrize("path", LISTS)
def test_list_of_twenty_rows_takes_a_fixed_number_of_queries(path, desk_api, project,
                                                             django_assert_max_num_queries):
    fill_project(project, rows=20)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = desk_api.get(path)

    assert response.status_code == 200
    assert len(response.json()["items"]) == (1 if path == "/projects" else 20)


def test_customer_list_with_twenty_rows_costs_the_same_as_with_two(desk_api, project,
                                                                   django_assert_num_queries):
    fill_project(project, rows=2)
    with django_assert_num_queries(5) as few:
        desk_api.get("/customers")
    fill_project(project, rows=18, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(desk_api.get("/customers").json()["items"]) == 20
