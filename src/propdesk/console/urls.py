from django.urls import path

from .views import archive, auth, customer, lookup, review, transfer

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
]
