"""Hot reads compiled once (core.prepared): the same rows as the ORM's read, and nothing kept between calls."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from propdesk.core.prepared import Prepared, PreparedGet
from propdesk.org.models import ApiToken, Unit, User
from propdesk.org.services import user_for_token
from propdesk.service.models import SlaPolicy
from tests.api.conftest import Api, token_for
from tests.factories import UnitFactory


def test_the_token_read_builds_the_same_user_as_the_orm(staff, project):
    staff.last_login = timezone.now()
    staff.save()
    raw = token_for(staff)
    with CaptureQueriesContext(connection) as ctx:
        user = user_for_token(raw)
    assert len(ctx.captured_queries) == 1
    orm = ApiToken.objects.select_related("user").get(digest=ApiToken.digest_of(raw)).user
    for field in User._meta.concrete_fields:
        mine, theirs = getattr(user, field.attname), getattr(orm, field.attname)
        assert mine == theirs and type(mine) is type(theirs), field.name
    assert not user._state.adding and user._state.db == orm._state.db
    assert user_for_token(raw + "x") is None


def test_each_call_reads_again(staff, project):
    """Only the SQL is kept: a revoked token and a project taken away count from the next request on."""
    raw = token_for(staff)
    api = Api(raw)
    assert api.get(f"/projects/{project.pk}").status_code == 200
    staff.projects.remove(project)
    assert api.get(f"/projects/{project.pk}").status_code == 404
    ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).delete()
    assert api.get("/projects").status_code == 401


def test_values_go_where_the_orm_puts_them(staff, admin_user):
    read = Prepared(lambda a, b: User.objects.filter(username=a).exclude(username=b).values_list("username"),
                    User._meta.get_field("username"), User._meta.get_field("username"))
    assert read.rows("desk", "boss") == [("desk",)]
    assert read.rows("desk", "desk") == []



def _same(mine, theirs):
    assert type(mine) is type(theirs)
    for field in type(theirs)._meta.concrete_fields:
        a, b = getattr(mine, field.attname), getattr(theirs, field.attname)
        assert a == b and type(a) is type(b), field.name
    assert not mine._state.adding and mine._state.db == theirs._state.db


@pytest.mark.parametrize("tuned", [False, True])
def test_an_object_with_its_relations_is_built_as_select_related_builds_it(project, tuned):
    unit = UnitFactory(building__project=project)
    if tuned:
        SlaPolicy.objects.create(project=project, normal_response_minutes=45)
    read = PreparedGet(Unit, "building", "project__sla_policy")
    orm = Unit.objects.select_related("building", "project__sla_policy").get(pk=unit.pk)
    with CaptureQueriesContext(connection) as ctx:
        mine = read.get(unit.pk)
        _same(mine, orm)
        _same(mine.building, orm.building)
        _same(mine.project, orm.project)
        if tuned:
            _same(mine.project.sla_policy, orm.project.sla_policy)
            assert mine.project.sla_policy.project is mine.project
        else:
            with pytest.raises(SlaPolicy.DoesNotExist):
                mine.project.sla_policy  # noqa: B018 -- known absent, as select_related knows it
    assert len(ctx.captured_queries) == 1
    assert read.get(unit.pk + 1000) is None
