from django.urls import path

from .views import (
    archive, auth, callbacks, customer, intake, lookup, notifications, queue, review, technician, transfer,
    work_order,
)

app_name = "console"
urlpatterns = [
    path("", lookup.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("lookup/", lookup.lookup, name="lookup"),
    path("projects/", archive.project_list, name="project_list"),
    path("projects/<int:project_id>/", archive.project_detail, name="project_detail"),
    path("buildings/<int:building_id>/", archive.building_detail, name="building_detail"),
    path("units/<int:unit_id>/", archive.unit_detail, name="unit_detail"),
    path("customers/<int:customer_id>/", customer.customer_detail, name="customer_detail"),
    path("customers/<int:customer_id>/edit/", customer.customer_edit, name="customer_edit"),
    path("customers/<int:customer_id>/confirm/", customer.customer_confirm, name="customer_confirm"),
    path("customers/<int:customer_id>/reveal-id/", customer.customer_reveal_id, name="customer_reveal_id"),
    path("review/", review.review_list, name="review"),
    path("transfer/", transfer.transfer_index, name="transfer"),
    path("transfer/template.xlsx", transfer.download_template, name="transfer_template"),
    path("projects/<int:project_id>/transfer/", transfer.project_transfer, name="project_transfer"),
    path("projects/<int:project_id>/export/", transfer.project_export, name="project_export"),
    path("projects/<int:project_id>/import/", transfer.project_import, name="project_import"),
    # the service desk (PRODUCT.md area 2)
    path("work-orders/", queue.queue, name="queue"),
    path("work-orders/new/", intake.intake, name="intake"),
    path("work-orders/new/caller/", intake.caller, name="intake_caller"),
    path("work-orders/new/triage/", intake.triage_hint, name="intake_triage"),
    path("work-orders/<int:work_order_id>/", work_order.work_order, name="work_order"),
    path("work-orders/<int:work_order_id>/act/<str:action>/", work_order.act, name="work_order_act"),
    path("work-orders/<int:work_order_id>/quote/", work_order.quote, name="work_order_quote"),
    path("work-orders/<int:work_order_id>/consent/", work_order.consent, name="work_order_consent"),
    path("work-orders/<int:work_order_id>/measure/", work_order.measure, name="work_order_measure"),
    path("work-orders/<int:work_order_id>/note/", work_order.note, name="work_order_note"),
    path("my-jobs/", technician.my_jobs, name="my_jobs"),
    path("callbacks/", callbacks.callbacks, name="callbacks"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/<int:notification_id>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
]
