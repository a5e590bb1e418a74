"""The engage domain's tables, one module per sub-domain (issue 15)."""

from .activities import Activity, ActivityPhoto, Signup
from .assembly import Attendance, Meeting, NonVoters, Report, RulesOfProcedure
from .callbacks import DEFAULT_RULES, REASONS, CallbackRule, CallbackTask, CareFlag, Channel, RuleKind
from .care import Greeting, GreetingTemplate, Occasion
from .common import ContactPreference, CreateKey
from .notices import Notice, NoticeDispatch, NoticeRecipient, Segment
from .points import DEFAULT_POINTS, EarnReason, EarnRule, PointsAccount, PointsEntry, Redemption, Reward
from .relations import BodyContact, Dealing, OutsideBody
from .votes import Ballot, BallotRevision, Elector, Matter, Vote

__all__ = [
    "DEFAULT_RULES", "REASONS", "CallbackRule", "CallbackTask", "CareFlag", "Channel", "RuleKind",
    "ContactPreference", "CreateKey", "Greeting", "GreetingTemplate", "Occasion",
    "Notice", "NoticeDispatch", "NoticeRecipient", "Segment",
    "Activity", "ActivityPhoto", "Signup",
    "Attendance", "Meeting", "NonVoters", "Report", "RulesOfProcedure",
    "Ballot", "BallotRevision", "Elector", "Matter", "Vote",
    "BodyContact", "Dealing", "OutsideBody",
    "DEFAULT_POINTS", "EarnReason", "EarnRule", "PointsAccount", "PointsEntry", "Redemption", "Reward",
]
