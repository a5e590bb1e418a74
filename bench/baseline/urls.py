"""GET /hello answers a small JSON; POST /hello validates a JSON body the size of a work order's and
answers a small JSON (same request shape as the intake benchmark)."""

from django.urls import path
from ninja import NinjaAPI, Schema

api = NinjaAPI(urls_namespace="baseline", docs_url=None)


class ReportIn(Schema):
    project: int
    kind: str
    channel: str
    description: str
    unit: int | None = None


@api.get("/hello")
def hello(request):
    return {"message": "hello", "ok": True}


@api.post("/hello", response={201: dict})
def hello_post(request, payload: ReportIn):
    return 201, {"id": 1, "project": payload.project, "kind": payload.kind}


urlpatterns = [path("", api.urls)]
