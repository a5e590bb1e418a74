from django.contrib import admin
from django.urls import include, path

from propdesk.api.urls import api

urlpatterns = [
    path("", include("propdesk.console.urls")),
    path("portal/", include("propdesk.portal.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
