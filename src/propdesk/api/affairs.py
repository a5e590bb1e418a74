"""API operations of the affairs domain; thin: each view calls one service or selector of propdesk.affairs."""

from ninja import Router

router = Router(tags=["public affairs"])
