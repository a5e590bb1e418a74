"""Portal pages of the billing domain, included into the portal's namespace by portal/urls.py."""

from django.urls import path

from .views import billing

urlpatterns = [
    path("fees/", billing.fees, name="fees"),
    path("fees/bills/<int:bill_id>/", billing.fee_bill, name="fee_bill"),
    path("fees/pay/", billing.fee_pay, name="fee_pay"),
    path("fees/prepay/", billing.fee_prepay, name="fee_prepay"),
    # the local payment provider's cashier page (the redirect of a WeChat Pay / Alipay style provider)
    path("fees/pay/local/<str:out_trade_no>/", billing.pay_local, name="pay_local"),
    path("fees/receipts/", billing.fee_receipts, name="fee_receipts"),
    path("fees/receipts/<int:receipt_id>/pdf/", billing.fee_receipt_pdf, name="fee_receipt_pdf"),
    path("fees/receipts/<int:receipt_id>/invoice/", billing.fee_invoice, name="fee_invoice"),
    path("fees/history/", billing.fee_history, name="fee_history"),
    path("fees/standards/", billing.fee_standards, name="fee_standards"),
    path("fees/statements/", billing.fee_statements, name="fee_statements"),
    path("fees/statements/<int:statement_id>/", billing.fee_statement, name="fee_statement"),
    path("fees/statements/<int:statement_id>/xlsx/", billing.fee_statement_xlsx, name="fee_statement_xlsx"),
]
