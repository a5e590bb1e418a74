"""Points for owners (issue 15 item 3): balance and history, the rewards of their projects, redemption."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.engage.points import rewards, selectors

from ...decorators import owner_view
from ...forms_engage import RedeemForm
from . import page_of


@owner_view
def points(request):
    return render(request, "portal/engage/points.html", {
        "accounts": selectors.owner_accounts(request.owner),
        "page": page_of(request, selectors.owner_ledger(request.owner)),
        "rewards": selectors.owner_rewards(request.owner), "key": uuid.uuid4().hex,
        "redemptions": list(selectors.owner_redemptions(request.owner)[:10])})


@owner_view
@require_POST
def reward_redeem(request, reward_id: int):
    reward = selectors.owner_reward(request.owner, reward_id)
    form = RedeemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how many (1 to 10)."))
        return redirect("portal:points")
    customer = selectors.owner_customer_for(request.owner, reward.project_id)
    try:
        rewards.redeem(request.owner, reward, customer, form.cleaned_data["quantity"],
                       idempotency_key=form.cleaned_data["idempotency_key"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: collect %(name)s at the service centre.") % {"name": reward.name})
    return redirect("portal:points")
