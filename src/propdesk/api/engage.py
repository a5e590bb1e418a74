"""API operations of the engage domain; thin: each view calls one service or selector of propdesk.engage."""

from ninja import Router

router = Router(tags=["communication and care"])
