"""Console pages of the billing domain, included into the console's namespace by console/urls.py."""

from django.urls import path

from .views.billing import accounts, approvals, arrears, cashier, runs, standards

urlpatterns = [
    path("fees/", standards.fees_home, name="fees"),
    # fee items, standards, settings, readings (issue 14, item 1)
    path("fees/items/", standards.fee_items, name="fee_items"),
    path("fees/items/new/", standards.fee_item_add, name="fee_item_add"),
    path("fees/items/<int:item_id>/edit/", standards.fee_item_edit, name="fee_item_edit"),
    path("fees/items/<int:item_id>/standards/new/", standards.fee_standard_add, name="fee_standard_add"),
    path("fees/settings/<int:project_id>/", standards.fee_settings, name="fee_settings"),
    path("fees/readings/", standards.meter_readings, name="meter_readings"),
    path("fees/readings/import/", standards.meter_readings_import, name="meter_readings_import"),
    # bill runs (item 2)
    path("fees/runs/", runs.bill_runs, name="bill_runs"),
    path("fees/runs/<int:run_id>/", runs.bill_run, name="bill_run"),
    path("fees/runs/<int:run_id>/preview/", runs.bill_run_preview, name="bill_run_preview"),
    path("fees/runs/<int:run_id>/post/", runs.bill_run_post, name="bill_run_post"),
    path("fees/runs/<int:run_id>/progress/", runs.bill_run_progress, name="bill_run_progress"),
    # the cash desk (item 3)
    path("fees/card/", cashier.fees_card, name="fees_card"),
    path("fees/units/<int:unit_id>/", cashier.unit_fees, name="unit_fees"),
    path("fees/units/<int:unit_id>/pay/", cashier.unit_pay, name="unit_pay"),
    path("fees/units/<int:unit_id>/account/", cashier.unit_fee_account, name="unit_fee_account"),
    path("fees/units/<int:unit_id>/request/", cashier.unit_fee_request, name="unit_fee_request"),
    path("fees/units/<int:unit_id>/deposit/", cashier.unit_deposit, name="unit_deposit"),
    path("fees/occupancies/<int:occupancy_id>/tenant-pays/", cashier.tenant_pays, name="tenant_pays"),
    path("fees/deposits/", approvals.deposits, name="deposits"),
    path("fees/deposits/<int:deposit_id>/pay/", cashier.deposit_pay, name="deposit_pay"),
    path("fees/deposits/<int:deposit_id>/release/", cashier.deposit_release, name="deposit_release"),
    path("fees/receipts/", cashier.receipts, name="receipts"),
    path("fees/receipts/<int:receipt_id>/", cashier.receipt, name="receipt"),
    path("fees/receipts/<int:receipt_id>/pdf/", cashier.receipt_pdf, name="receipt_pdf"),
    path("fees/receipts/<int:receipt_id>/void/", cashier.receipt_void, name="receipt_void"),
    path("fees/close/", cashier.daily_close, name="daily_close"),
    path("fees/approvals/", approvals.fee_approvals, name="fee_approvals"),
    path("fees/approvals/<str:kind>/<int:request_id>/", approvals.fee_decide, name="fee_decide"),
    path("fees/paid-services/", cashier.paid_services_billing, name="paid_services_billing"),
    path("fees/paid-services/bill/", cashier.paid_service_bill, name="paid_service_bill"),
    # arrears and reminders (item 4)
    path("fees/arrears/", arrears.arrears_page, name="arrears"),
    path("fees/reminders/<int:project_id>/", arrears.reminder_ladder, name="reminder_ladder"),
    path("fees/reminders/letters/<int:reminder_id>/", arrears.reminder_letter, name="reminder_letter"),
    path("fees/units/<int:unit_id>/plan/", arrears.unit_plan, name="unit_plan"),
    path("fees/plans/<int:plan_id>/end/", arrears.plan_end, name="plan_end"),
    # statements published to owners (item 7), the accountants' spreadsheets (item 9)
    path("fees/statements/", accounts.fee_statements, name="fee_statements"),
    path("fees/statements/import/", accounts.fee_statement_import, name="fee_statement_import"),
    path("fees/statements/<int:statement_id>/", accounts.fee_statement, name="fee_statement"),
    path("fees/statements/<int:statement_id>/xlsx/", accounts.fee_statement_xlsx, name="fee_statement_xlsx"),
    path("fees/export/<str:kind>/", accounts.fee_export, name="fee_export"),
]
