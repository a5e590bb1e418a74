"""The console's navigation: entries grouped by area, each role's daily entries first, and where a role lands.

The bar holds one menu per area (服务台 / 公共事务 / 收费 / 沟通 / 质量 / 档案) instead of one flat row, and puts
the few pages a role opens every day in front of the menus: a guard's gate page, a technician's jobs.
An entry names a console URL; an entry whose URL does not exist (yet) or whose roles exclude the user is
not shown. Which roles may *use* a page is still decided by the page's service (org.access): the roles
here only keep the bar short.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.billing import access as billing_access
from propdesk.org import access
from propdesk.org.models import User

Role = User.Role


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    # URL names that mark this entry as the current page (its own name always does).
    active: tuple[str, ...] = ()
    # Roles that see the entry; empty: every staff role.
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)


AREAS: tuple[Area, ...] = (
    Area("desk", pgettext_lazy("navigation area", "Service desk"), (
        Entry("queue", _("Work orders"), ("work_order", "intake")),
        Entry("intake", _("New work order")),
        Entry("my_jobs", _("My jobs")),
        Entry("callbacks", _("Callbacks")),
        Entry("catalogue", _("Price list"), ("catalogue_add", "catalogue_edit", "paid_services")),
        Entry("faq", _("FAQ"), ("faq_add", "faq_edit")),
    )),
    Area("affairs", pgettext_lazy("navigation area", "Public affairs"), (
        Entry("gate", _("Gate"), ("gate_plate",)),
        Entry("gate_visitors", _("Visitors")),
        Entry("affairs_handovers", _("Handovers"), ("affairs_handover",)),
        Entry("affairs_renovations", _("Renovations"), ("affairs_renovation",)),
        Entry("affairs_patrols", _("Renovation patrols"), ("affairs_patrol",)),
        Entry("affairs_passes", _("Release passes"), ("affairs_pass", "affairs_register")),
        Entry("affairs_parking", _("Parking"), ("affairs_space",)),
        Entry("affairs_found", _("Lost and found"), ("affairs_found_item",)),
        Entry("affairs_settings", _("Public affairs settings"), roles=access.MANAGERS),
    )),
    Area("billing", pgettext_lazy("navigation area", "Charging"), (
        Entry("fees", _("Fees desk"), ("unit_fees", "unit_fee_account", "receipt"), roles=billing_access.readers()),
        Entry("bill_runs", _("Bill runs"), ("bill_run",), roles=billing_access.readers()),
        Entry("receipts", _("Receipts"), roles=billing_access.readers()),
        Entry("daily_close", _("Daily close"), roles=billing_access.cashiers()),
        Entry("arrears", _("Arrears and reminders"), ("reminder_ladder",), roles=billing_access.readers()),
        Entry("fee_statements", _("Income and expense statements"), ("fee_statement",), roles=billing_access.readers()),
        Entry("fee_approvals", _("Approvals"), roles=billing_access.readers()),
        Entry("fee_items", _("Fee items and standards"), ("fee_item_add", "fee_item_edit", "fee_standard_add",
                                                           "fee_settings"), roles=billing_access.readers()),
        Entry("meter_readings", pgettext_lazy("billing", "Meter readings"), roles=billing_access.readers()),
        Entry("deposits", _("Deposits"), roles=billing_access.readers()),
        Entry("paid_services_billing", _("Paid services to bill"), roles=billing_access.readers()),
    )),
    Area("engage", pgettext_lazy("navigation area", "Communication"), (
        Entry("notices", _("Notices"), ("notice", "notice_add", "notice_edit", "notice_send", "notice_resend",
                                         "notice_withdraw", "notice_recipients", "segments", "segment_add",
                                         "segment_edit")),
        Entry("activities", _("Activities"), ("activity", "activity_add", "activity_edit", "activity_cancel",
                                               "activity_door", "activity_record")),
        Entry("rewards", _("Points and rewards"), ("earn_rules", "reward_edit", "redemptions", "customer_points")),
        Entry("care_calendar", _("Care calendar"), ("care_templates", "care_greet")),
        Entry("meetings", _("Owners' assembly"), ("meeting", "meeting_add", "meeting_edit", "report_add")),
        Entry("votes", _("Votes"), ("vote", "vote_add", "vote_edit", "vote_open", "ballot_entry",
                                    "rules_of_procedure")),
        Entry("relations", _("Public relations"), ("outside_body", "committee_letters")),
        Entry("callback_plan", _("Callback plan"), ("customer_care",)),
        Entry("surveys", _("Surveys"), ("survey", "survey_add", "survey_edit", "survey_send", "survey_results")),
    )),
    Area("quality", pgettext_lazy("navigation area", "Quality"), (
        Entry("quality", _("KPIs")),
        Entry("staff_evaluations", _("Staff evaluation"), ("staff_evaluation",)),
    )),
    Area("archive", pgettext_lazy("navigation area", "Archive"), (
        Entry("project_list", _("Projects and units"),
              ("project_detail", "building_detail", "unit_detail", "customer_detail", "customer_edit")),
        Entry("review", _("Review")),
        Entry("transfer", _("Import/Export"), ("project_transfer",), roles=access.ARCHIVE_TRANSFER),
        Entry("audit", _("Security log"), roles=access.ADMINS),
    )),
)

# The pages each role opens every day, shown in front of the area menus, in this order.
DAILY: dict[str, tuple[str, ...]] = {
    Role.COMPANY_ADMIN: ("quality", "queue"),
    Role.PROJECT_MANAGER: ("queue", "quality"),
    Role.FRONT_DESK: ("queue", "intake", "callbacks", "fees"),
    Role.BUTLER: ("queue", "callback_plan"),
    Role.TECHNICIAN: ("my_jobs",),
    Role.SECURITY: ("gate", "gate_visitors", "affairs_patrols", "queue"),
    Role.CLEANING: ("my_jobs",),
}

# Where a role lands after signing in (the first page of the list that exists; else the home page, whose
# caller lookup is where the desk, the butlers and the managers start).
LANDING: dict[str, tuple[str, ...]] = {
    Role.TECHNICIAN: ("my_jobs",),
    Role.CLEANING: ("my_jobs",),
    Role.SECURITY: ("gate",),
}


def _url(name: str) -> str | None:
    try:
        return reverse(f"console:{name}")
    except NoReverseMatch:  # an entry of a domain not built yet, or a URL that needs arguments
        return None


def _visible(entry: Entry, user) -> bool:
    return not entry.roles or access.has_role(user, entry.roles)


def menu_for(user, current: str | None) -> dict:
    """The bar for `user`: {"daily": [links], "areas": [{"label", "links", "active"}]} where a link is
    {"url", "label", "current"}. `current` is the URL name of the page being shown."""
    entries = {e.url_name: e for area in AREAS for e in area.entries}

    def link(entry: Entry) -> dict | None:
        url = _url(entry.url_name)
        if url is None or not _visible(entry, user):
            return None
        return {"url": url, "label": entry.label, "name": entry.url_name,
                "current": current == entry.url_name or current in entry.active}

    daily = [link(entries[name]) for name in DAILY.get(getattr(user, "role", ""), ()) if name in entries]
    areas = []
    for area in AREAS:
        links = [x for x in map(link, area.entries) if x]
        if links:
            areas.append({"code": area.code, "label": area.label, "links": links,
                          "active": any(x["current"] for x in links)})
    return {"daily": [x for x in daily if x], "areas": areas}


def landing_url(user) -> str:
    """The page `user` sees first after signing in: the role's first daily page that exists."""
    for name in LANDING.get(getattr(user, "role", ""), ()):
        url = _url(name)
        if url:
            return url
    return reverse("console:home")
