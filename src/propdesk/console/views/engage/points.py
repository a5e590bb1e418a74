"""Points (积分, issue 15 item 3): each project's earn rules, the rewards catalogue with its stock, the
redemptions to hand over, a customer's ledger with awards and corrections, and the customer card's
engagement panel (value, balance, what the household read and attended)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.engage.models import EarnReason, Redemption
from propdesk.engage.points import ledger, rewards, selectors
from propdesk.org.access import MANAGERS, has_role
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_engage import AdjustForm, AwardForm, RedeemForm, RestockForm, RewardForm
from ...pagination import paginate


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_view
def earn_rules(request):
    """Each project's points per reason; managers change them."""
    projects = list(projects_for(request.user))
    project = next((p for p in projects if p.pk == _int(request.GET.get("project") or request.POST.get("project"))),
                   projects[0] if projects else None)
    if request.method == "POST" and project is not None:
        wanted = {reason: (_int(request.POST.get(f"points-{reason}")), request.POST.get(f"active-{reason}") == "on")
                  for reason in EarnReason.values}
        try:
            ledger.set_rules(request.user, project, wanted)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Points rules saved."))
        return redirect(f"{request.path}?project={project.pk}")
    rules = list(ledger.rules_for(project).values()) if project else []
    return render(request, "console/engage/points/rules.html", {
        "projects": projects, "project": project, "rules": sorted(rules, key=lambda r: r.reason),
        "can_edit": has_role(request.user, MANAGERS)})


@staff_view
def reward_list(request):
    form = RewardForm(request.POST or None, projects=projects_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            rewards.save_reward(request.user, get_project(request.user, form.cleaned_data["project"].pk),
                                form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only managers keep the rewards catalogue."))
        else:
            messages.success(request, _("Reward added; add its stock below."))
            return redirect("console:rewards")
    return render(request, "console/engage/points/rewards.html", {
        "rewards": selectors.rewards_for(request.user), "form": form, "restock": RestockForm(),
        "can_edit": has_role(request.user, MANAGERS)})


@staff_view
def reward_edit(request, reward_id: int):
    reward = selectors.get_reward(request.user, reward_id)
    if not has_role(request.user, MANAGERS):
        raise PermissionDenied
    form = RewardForm(request.POST or None, instance=reward, projects=projects_for(request.user), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            rewards.save_reward(request.user, reward.project, form.data_for_service(),
                                reward=selectors.get_reward(request.user, reward_id))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Reward saved."))
            return redirect("console:rewards")
    return render(request, "console/engage/points/reward_form.html", {"form": form, "reward": reward})


@staff_view
@require_POST
def reward_restock(request, reward_id: int):
    reward = selectors.get_reward(request.user, reward_id)
    form = RestockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type a whole number."))
    else:
        try:
            rewards.restock(request.user, reward, form.cleaned_data["quantity"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Stock updated."))
    return redirect("console:rewards")


@staff_view
def redemption_list(request):
    status = request.GET.get("status", Redemption.Status.PLACED)
    status = status if status in Redemption.Status.values else Redemption.Status.PLACED
    return render(request, "console/engage/points/redemptions.html", {
        "page": paginate(request, selectors.redemptions_for(request.user, status=status)), "status": status,
        "statuses": Redemption.Status.choices})


@staff_view
@require_POST
def redemption_act(request, redemption_id: int, action: str):
    redemption = selectors.get_redemption(request.user, redemption_id)
    act = {"hand-over": rewards.hand_over, "cancel": rewards.cancel_redemption}.get(action)
    if act is None:
        return redirect("console:redemptions")
    try:
        act(request.user, redemption)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Redemption updated."))
    return redirect("console:redemptions")


@staff_view
def customer_points(request, customer_id: int):
    """A customer's ledger, with the desk's award, a manager's correction and a redemption at the desk."""
    customer = selectors.get_customer(request.user, customer_id)
    catalogue = selectors.rewards_for(request.user).filter(project_id=customer.project_id, is_active=True)
    forms = {"award": AwardForm(prefix="award"), "adjust": AdjustForm(prefix="adjust"),
             "redeem": RedeemForm(prefix="redeem", rewards=catalogue)}
    if request.method == "POST":
        which = request.POST.get("form")
        if which not in forms:
            return redirect("console:customer_points", customer.pk)
        bound = {"award": AwardForm, "adjust": AdjustForm}.get(which)
        form = bound(request.POST, prefix=which) if bound else RedeemForm(request.POST, prefix=which, rewards=catalogue)
        forms[which] = form
        if form.is_valid():
            d = form.cleaned_data
            try:
                if which == "award":
                    entry = ledger.award(request.user, customer, d["reason"], d["note"], d["ref"])
                    if entry is None:
                        form.add_error(None, _("This reason earns no points in the project."))
                elif which == "adjust":
                    ledger.adjust(request.user, customer, d["amount"], d["note"])
                else:
                    rewards.redeem(request.user, d["reward"], customer, d["quantity"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            if not form.errors:
                messages.success(request, _("Points updated."))
                return redirect("console:customer_points", customer.pk)
    return render(request, "console/engage/points/customer.html", {
        "customer": customer, "balance": ledger.balance_of(customer), "forms": forms,
        "page": paginate(request, selectors.ledger_of(customer)), "can_adjust": has_role(request.user, MANAGERS)})


@staff_view
def customer_engagement(request, customer_id: int):
    """The panel of the customer card (loaded by htmx): value, balance, notices and activities."""
    customer = selectors.get_customer(request.user, customer_id)
    return render(request, "console/engage/points/_panel.html", selectors.engagement_of(customer))
