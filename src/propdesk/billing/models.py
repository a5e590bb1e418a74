"""Fees (费用, PRODUCT.md area 4): fee items and standards, bill runs, payments and receipts, arrears."""
