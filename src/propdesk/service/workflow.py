"""The work-order state machine: one table of the actions allowed in each state.

The service layer refuses anything not in the table (HTTP 409 in the API), the console shows only
the buttons the table allows, and the API documents the same actions. Guards that depend on more
than the state (a complaint needs a callback before closing, chargeable work needs the owner's
consent before it starts…) live in services.py next to the action they guard.
"""

from django.utils.translation import gettext_lazy as _

from .models import WorkOrder

S = WorkOrder.State


class Action:
    RESPOND = "respond"
    DISPATCH = "dispatch"
    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    TRANSFER = "transfer"
    ACCEPT_TRANSFER = "accept_transfer"
    RESOLVE = "resolve"
    CONFIRM = "confirm"
    REOPEN = "reopen"
    CALLBACK = "callback"
    CLOSE = "close"
    CANCEL = "cancel"
    MERGE = "merge"


A = Action

# Shared by every open state before resolution.
_BEFORE_WORK = {A.HOLD: S.ON_HOLD, A.TRANSFER: S.TRANSFERRED, A.CANCEL: S.CANCELLED, A.MERGE: S.MERGED}

# state -> {action: next state}. RESUME's target is the state the work order was held from (None here).
TRANSITIONS: dict[str, dict[str, str | None]] = {
    S.RECEIVED: {A.RESPOND: S.RESPONDED, A.DISPATCH: S.DISPATCHED, A.RESOLVE: S.RESOLVED, **_BEFORE_WORK},
    S.RESPONDED: {A.DISPATCH: S.DISPATCHED, A.START: S.IN_PROGRESS, A.RESOLVE: S.RESOLVED, **_BEFORE_WORK},
    # Dispatched before anyone responded: the assignee's "respond" is the response the owner waits for.
    S.DISPATCHED: {A.RESPOND: S.RESPONDED, A.DISPATCH: S.DISPATCHED, A.START: S.IN_PROGRESS,
                   A.RESOLVE: S.RESOLVED, **_BEFORE_WORK},
    S.IN_PROGRESS: {A.RESOLVE: S.RESOLVED, A.DISPATCH: S.DISPATCHED, A.HOLD: S.ON_HOLD, A.TRANSFER: S.TRANSFERRED},
    S.ON_HOLD: {A.RESUME: None, A.CANCEL: S.CANCELLED},
    S.TRANSFERRED: {A.ACCEPT_TRANSFER: S.DISPATCHED, A.CANCEL: S.CANCELLED},
    S.RESOLVED: {A.CONFIRM: S.CONFIRMED, A.REOPEN: S.REOPENED, A.CALLBACK: S.CALLED_BACK},
    S.CONFIRMED: {A.CALLBACK: S.CALLED_BACK, A.REOPEN: S.REOPENED, A.CLOSE: S.CLOSED},
    S.CALLED_BACK: {A.CLOSE: S.CLOSED, A.REOPEN: S.REOPENED},
    # A non-complaint may be closed before its callback; the callback can still be recorded after.
    S.CLOSED: {A.CALLBACK: S.CLOSED},
    S.REOPENED: {A.RESPOND: S.RESPONDED, A.DISPATCH: S.DISPATCHED, A.START: S.IN_PROGRESS,
                 A.RESOLVE: S.RESOLVED, A.HOLD: S.ON_HOLD, A.TRANSFER: S.TRANSFERRED},
    S.CANCELLED: {},
    S.MERGED: {},
}

ACTION_LABELS = {
    A.RESPOND: _("Respond"),
    A.DISPATCH: _("Dispatch"),
    A.START: _("Start work"),
    A.HOLD: _("Put on hold"),
    A.RESUME: _("Resume"),
    A.TRANSFER: _("Transfer to another department"),
    A.ACCEPT_TRANSFER: _("Accept the transfer"),
    A.RESOLVE: _("Resolve"),
    A.CONFIRM: _("Owner confirms"),
    A.REOPEN: _("Reopen"),
    A.CALLBACK: _("Record callback"),
    A.CLOSE: _("Close"),
    A.CANCEL: _("Cancel"),
    A.MERGE: _("Merge into another work order"),
}

ALL_ACTIONS = tuple(ACTION_LABELS)

# States in which a work order is still the service center's to handle (the queue).
OPEN_STATES = (S.RECEIVED, S.RESPONDED, S.DISPATCHED, S.IN_PROGRESS, S.ON_HOLD, S.TRANSFERRED, S.REOPENED)
# Resolved but not closed: waiting for the owner's confirmation or the callback.
AWAITING_OWNER_STATES = (S.RESOLVED, S.CONFIRMED, S.CALLED_BACK)
FINAL_STATES = (S.CLOSED, S.CANCELLED, S.MERGED)


def allowed_actions(state: str) -> list[str]:
    return list(TRANSITIONS.get(state, {}))


def target(state: str, action: str) -> str | None:
    """The next state, or raise KeyError when the action is not allowed in `state`."""
    return TRANSITIONS[state][action]
