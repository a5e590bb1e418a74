"""The engage domain's tables, one module per sub-domain (issue 15)."""

from .callbacks import DEFAULT_RULES, REASONS, CallbackRule, CallbackTask, CareFlag, Channel, RuleKind
from .common import ContactPreference, CreateKey
from .notices import Notice, NoticeDispatch, NoticeRecipient, Segment

__all__ = [
    "DEFAULT_RULES", "REASONS", "CallbackRule", "CallbackTask", "CareFlag", "Channel", "RuleKind",
    "ContactPreference", "CreateKey",
    "Notice", "NoticeDispatch", "NoticeRecipient", "Segment",
]
