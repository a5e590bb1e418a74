from django.contrib import admin
from django.urls import include, path, re_path

from propdesk.api.urls import api
from propdesk.api.urls import not_found as api_not_found
from propdesk.portal.views.surveys import answer_by_token

urlpatterns = [
    # The API first: Django tries the patterns in order, and an API call (the busiest requests: intake under
    # load) would otherwise be compared with every page of the console and the portal before its own. No
    # console or portal path starts with api/.
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found),
    path("", include("propdesk.console.urls")),
    path("portal/", include("propdesk.portal.urls")),
    # the SMS link of a satisfaction survey: no sign-in, the token is the key
    path("s/<str:token>/", answer_by_token, name="survey_by_token"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
