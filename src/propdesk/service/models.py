"""Work orders (工单) and what hangs on them (PRODUCT.md area 2)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Building, Department, Project, Unit


class SlaPolicy(models.Model):
    """A project's promises, with the defaults of PRODUCT.md area 2; each project may tune them."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="sla_policy")
    emergency_response_minutes = models.PositiveIntegerField(_("emergency: respond within (minutes)"), default=30)
    normal_response_minutes = models.PositiveIntegerField(_("normal: respond within (minutes)"), default=120)
    complaint_general_hours = models.PositiveIntegerField(_("general complaint: resolve within (hours)"), default=24)
    complaint_complex_hours = models.PositiveIntegerField(_("complex complaint: resolve within (hours)"), default=72)
    transfer_answer_days = models.PositiveIntegerField(_("transfer: answer within (days)"), default=3)
    warn_at_percent = models.PositiveSmallIntegerField(
        _("warn at (percent of the limit)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(99)])
    duplicate_window_hours = models.PositiveIntegerField(_("duplicate window (hours)"), default=24)

    class Meta:
        verbose_name = _("service limits")
        verbose_name_plural = _("service limits")

    def __str__(self):
        return str(self.project)


class Category(models.Model):
    """A node of the configurable category tree (水电 › 给排水 …). project=None: shared by all projects."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    sort = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="category_code_unique")]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class TriageKeyword(models.Model):
    """A word that suggests a category and/or an emergency when it appears in a report.

    project=None: the shared dictionary; a project's own words add to it.
    """

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(_("word"), max_length=20)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="keywords")
    emergency = models.BooleanField(_("emergency"), default=False)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        verbose_name = _("triage keyword")
        verbose_name_plural = _("triage keywords")
        indexes = [models.Index(fields=["project", "word"], name="triage_keyword_word")]

    def __str__(self):
        return self.word


class PriceItem(models.Model):
    """One line of a project's published price list (chargeable repairs and special services)."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("Chargeable repair")
        SPECIAL = "special", _("Special service")

    class PriceUnit(models.TextChoices):
        VISIT = "visit", _("per visit")
        HOUR = "hour", _("per hour")
        SQM = "sqm", _("per m²")
        ITEM = "item", _("per item")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="price_items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPAIR)
    name = models.CharField(_("name"), max_length=60)
    unit = models.CharField(_("unit"), max_length=10, choices=PriceUnit.choices, default=PriceUnit.VISIT)
    price = models.DecimalField(_("price (yuan)"), max_digits=9, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))])
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["project_id", "kind", "name"]
        verbose_name = _("price list item")
        verbose_name_plural = _("price list")

    def __str__(self):
        return f"{self.name} ¥{self.price}/{self.get_unit_display()}"

    def price_for(self, quantity: Decimal) -> Decimal:
        """The fee for `quantity` units of this item, rounded to the fen."""
        return (self.price * quantity).quantize(Decimal("0.01"))


class WorkOrder(models.Model):
    """A service request from its receipt to its closure; the first receiver owns it throughout."""

    class Kind(models.TextChoices):
        REPAIR_HOME = "repair_home", _("Repair (in the home)")
        REPAIR_PUBLIC = "repair_public", _("Repair (public area)")
        COMPLAINT = "complaint", _("Complaint")
        INQUIRY = "inquiry", _("Inquiry")
        SUGGESTION = "suggestion", _("Suggestion")
        PRAISE = "praise", _("Praise")
        SPECIAL_SERVICE = "special_service", _("Special service")
        PATROL = "patrol", _("Patrol finding")

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        WALK_IN = "walk_in", _("Walk-in")
        PORTAL = "portal", _("Portal")
        WECHAT = "wechat", _("WeChat")
        EMAIL = "email", _("Email")
        DOOR_VISIT = "door_visit", _("Door visit")
        PATROL = "patrol", _("Patrol")

    class Priority(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency")
        NORMAL = "normal", _("Normal")

    class Complexity(models.TextChoices):
        GENERAL = "general", _("General")
        COMPLEX = "complex", _("Complex")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        RESPONDED = "responded", _("Responded")
        DISPATCHED = "dispatched", _("Dispatched")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_HOLD = "on_hold", _("On hold")
        TRANSFERRED = "transferred", _("Transferred")
        RESOLVED = "resolved", _("Resolved")
        CONFIRMED = "confirmed", _("Confirmed")
        CALLED_BACK = "called_back", _("Called back")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        CANCELLED = "cancelled", _("Cancelled")
        MERGED = "merged", _("Merged")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="work_orders")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    complexity = models.CharField(_("complexity"), max_length=10, choices=Complexity.choices, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="work_orders")
    # Public-area location: the building it is in (for duplicates) and the place in words.
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("location"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    requester = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="work_orders")
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    first_receiver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("first receiver"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("assignee"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    # The state an on-hold work order returns to.
    held_from = models.CharField(max_length=20, choices=State.choices, blank=True)
    # Optimistic locking: every transition bumps it; a write carrying an older version is refused.
    version = models.PositiveIntegerField(default=1)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates",
                               verbose_name=_("merged into"))

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("called back"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The earliest due time of a running limit: the queue is ordered by it (time left).
    next_due_at = models.DateTimeField(null=True, blank=True)
    # An explanation to the owner when a complaint was resolved after its limit (area 2).
    late_explanation = models.TextField(_("explanation of the delay"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    # Owner rated 1–2 at the callback: the manager must look at it.
    needs_manager_attention = models.BooleanField(_("needs the manager's attention"), default=False)
    # A warranty repair (保修) of a defect found at a unit's handover (public affairs, issue 13 item 1).
    is_warranty = models.BooleanField(_("warranty"), default=False)
    # The suggestion of the triage, kept to measure it and to record overrides.
    suggested_category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")
    suggested_emergency = models.BooleanField(default=False)
    is_chargeable = models.BooleanField(_("chargeable"), default=False)
    # A special (paid) service ordered from the published price list: the price agreed when ordered,
    # kept apart from property fees (the billing issue accounts it separately).
    price_item = models.ForeignKey(PriceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("service ordered"))
    agreed_price = models.DecimalField(_("agreed price (yuan)"), max_digits=9, decimal_places=2, null=True,
                                       blank=True)
    scheduled_for = models.DateTimeField(_("appointment"), null=True, blank=True)
    # The owner's own rating in the portal (the callback's rating is on Callback).
    owner_rating = models.PositiveSmallIntegerField(_("owner's rating"), null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(5)])
    owner_comment = models.TextField(_("owner's comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        indexes = [
            # The queue: a project's open work orders in the order the desk works them (time left).
            models.Index(fields=["project", "next_due_at", "received_at", "id"], name="wo_open_queue",
                         condition=models.Q(state__in=["received", "responded", "dispatched", "in_progress",
                                                       "on_hold", "transferred", "reopened"])),
            models.Index(fields=["project", "state", "next_due_at"], name="wo_queue"),
            models.Index(fields=["assignee", "state", "next_due_at"], name="wo_mine"),
            models.Index(fields=["project", "received_at"], name="wo_received"),
            # The quality figures cut periods on these dates (callback coverage, satisfaction).
            models.Index(fields=["project", "resolved_at"], name="wo_resolved"),
            models.Index(fields=["project", "called_back_at"], name="wo_called_back"),
            models.Index(fields=["unit", "received_at"], name="wo_unit"),
            models.Index(fields=["requester", "received_at"], name="wo_requester"),
            models.Index(fields=["building", "category", "received_at"], name="wo_duplicates"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """What the desk reads out to the owner: GD and the id, e.g. GD00012345."""
        return f"GD{self.pk:08d}" if self.pk else ""

    @staticmethod
    def id_from_number(text: str) -> int | None:
        text = (text or "").strip().upper().removeprefix("GD")
        return int(text) if text.isdigit() else None

    @property
    def is_complaint(self) -> bool:
        return self.kind == self.Kind.COMPLAINT

    @property
    def place(self) -> str:
        if self.unit_id:
            return self.unit.label
        return " ".join(p for p in [self.building.name if self.building_id else "", self.location] if p)


class SlaTimer(models.Model):
    """One promise on one work order: respond, resolve, or answer a transfer, by a stored due time.

    Paused time (on hold) pushes due_at and warn_at later, so both stay plain indexed columns that the
    sweep compares with the clock.
    """

    class Kind(models.TextChoices):
        RESPOND = "respond", _("Response")
        RESOLVE = "resolve", _("Resolution")
        TRANSFER = "transfer", _("Transfer answer")

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="timers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField()
    limit_seconds = models.PositiveIntegerField()
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service limit")
        verbose_name_plural = _("service limits")
        indexes = [
            models.Index(fields=["warn_at"], name="sla_warn_due",
                         condition=models.Q(stopped_at__isnull=True, paused_at__isnull=True,
                                            warned_at__isnull=True)),
            models.Index(fields=["due_at"], name="sla_breach_due",
                         condition=models.Q(stopped_at__isnull=True, paused_at__isnull=True,
                                            breached_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.work_order_id} {self.kind} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None

    @property
    def met(self) -> bool | None:
        """True if stopped in time, False if late, None while running."""
        if self.stopped_at is None:
            return None
        return self.stopped_at <= self.due_at


class Attachment(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="work-orders/%Y/%m/")
    name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ChargeQuote(models.Model):
    """Before chargeable work: cause, method and fee from the price list, and the owner's consent."""

    class ConsentMethod(models.TextChoices):
        SIGNATURE = "signature", _("Signed on site")
        PHONE = "phone", _("By phone")
        PORTAL = "portal", _("In the portal")
        WECHAT = "wechat", _("By WeChat")

    work_order = models.OneToOneField(WorkOrder, on_delete=models.CASCADE, related_name="quote")
    cause = models.TextField(_("cause"))
    method = models.TextField(_("repair method"))
    price_item = models.ForeignKey(PriceItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=2, default=Decimal("1"))
    fee = models.DecimalField(_("fee (yuan)"), max_digits=9, decimal_places=2)
    quoted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quoted_at = models.DateTimeField(default=timezone.now)
    consent_by = models.CharField(_("consent given by"), max_length=50, blank=True)
    consent_method = models.CharField(_("consent method"), max_length=10, choices=ConsentMethod.choices,
                                      blank=True)
    consent_at = models.DateTimeField(_("consent time"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair quote")
        verbose_name_plural = _("repair quotes")

    def __str__(self):
        return f"{self.work_order_id} ¥{self.fee}"

    @property
    def consented(self) -> bool:
        return self.consent_at is not None


class TemporaryMeasure(models.Model):
    """What was done to keep people safe while a fault waits for its repair."""

    class Kind(models.TextChoices):
        WARNING_SIGN = "warning_sign", _("Warning sign")
        SUPPLY_ISOLATED = "supply_isolated", _("Supply isolated")
        NOTICE = "notice", _("Notice to owners")
        OTHER = "other", _("Other")

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("temporary measure")
        verbose_name_plural = _("temporary measures")

    def __str__(self):
        return self.get_kind_display()


class Callback(models.Model):
    """The service center's call to the owner after resolution (回访), with a 1–5 rating."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="callbacks")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reached = models.BooleanField(_("reached"), default=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self):
        return f"{self.work_order_id} {self.rating or '-'}"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key: a retried create returns the first result instead of a new one."""

    # Who sent it: "staff:<user id>" (or, from the owner portal, "customer:<customer id>").
    client = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_once")]

    def __str__(self):
        return self.key
