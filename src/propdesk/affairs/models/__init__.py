"""Public affairs (公共事务, PRODUCT.md area 3), one module per sub-domain; imported here for Django."""

from .common import AffairsSettings, IdempotencyKey, Photo
from .handover import ChecklistItem, Handover, HandoverLine
from .lost_found import Claim, FoundItem
from .parking import ParkingAllocation, ParkingSpace
from .release import HoldFlag, ReleaseAuthorisation, ReleaseEntry, ReleaseItem, ReleasePass
from .renovation import (
    AcceptanceItem,
    DepositDeduction,
    HotWorkPermit,
    PatrolInspection,
    Rectification,
    Renovation,
    RenovationFile,
)
from .visitors import PreRegistration, Visit, Visitor

__all__ = [
    "AffairsSettings", "IdempotencyKey", "Photo", "ChecklistItem", "Handover", "HandoverLine", "Claim", "FoundItem",
    "ParkingAllocation", "ParkingSpace", "HoldFlag", "ReleaseAuthorisation", "ReleaseEntry", "ReleaseItem",
    "ReleasePass", "AcceptanceItem", "DepositDeduction", "HotWorkPermit", "PatrolInspection", "Rectification",
    "Renovation", "RenovationFile", "PreRegistration", "Visit", "Visitor",
]
