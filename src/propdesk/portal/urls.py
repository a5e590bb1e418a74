from django.urls import include, path

from .views import auth, home, knowledge, requests, services, surveys

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("report/", requests.report, name="report"),
    path("report/triage/", requests.triage_hint, name="report_triage"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/<int:work_order_id>/", requests.request_detail, name="request"),
    path("requests/<int:work_order_id>/confirm/", requests.confirm, name="request_confirm"),
    path("requests/<int:work_order_id>/not-fixed/", requests.not_fixed, name="request_not_fixed"),
    path("requests/<int:work_order_id>/rate/", requests.rate, name="request_rate"),
    path("requests/<int:work_order_id>/photos/<int:photo_id>/", requests.photo, name="request_photo"),
    # special services, promises and the FAQ (the portal issue, items 5–7)
    path("services/", services.service_list, name="services"),
    path("services/<int:item_id>/order/", services.order, name="service_order"),
    path("promises/", knowledge.promises, name="promises"),
    path("faq/", knowledge.faq, name="faq"),
    # satisfaction surveys (PRODUCT.md area 5); the SMS link /s/<token>/ is in propdesk.urls
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:survey_id>/", surveys.survey_answer, name="survey"),
    # the second wave's domains, each in a URL module of its own (same namespace)
    path("", include("propdesk.portal.urls_affairs")),
    path("", include("propdesk.portal.urls_billing")),
    path("", include("propdesk.portal.urls_engage")),
]
