"""API operations of the billing domain; thin: each view calls one service or selector of propdesk.billing."""

from ninja import Router

router = Router(tags=["fees"])
