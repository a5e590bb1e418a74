"""Votes of the owners (业主共同决定, Civil Code art. 278; issue 15 item 5): matters, the electorate fixed when
the vote opens, one ballot per owner entitled that can be changed until the deadline, every change kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Customer
from propdesk.org.models import Project

from .assembly import Meeting, NonVoters


class Vote(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="votes")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes",
                                verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Fixed when the vote opens: the rule of the project's rules of procedure and the electorate's totals.
    non_voters = models.CharField(_("owners who did not vote"), max_length=15, choices=NonVoters.choices,
                                  default=NonVoters.NOT_COUNTED)
    total_area = models.DecimalField(_("total exclusive area (m²)"), max_digits=14, decimal_places=2, default=0)
    total_owners = models.PositiveIntegerField(_("owners in all"), default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self):
        return self.title

    def accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class Matter(models.Model):
    """One matter put to the vote, with its item of Civil Code art. 278 (which decides the threshold)."""

    class Item(models.TextChoices):
        RULES_OF_PROCEDURE = "1", _("(1) Rules of procedure of the owners' assembly")
        MANAGEMENT_RULES = "2", _("(2) Management rules (管理规约)")
        COMMITTEE = "3", _("(3) Electing or replacing the owners' committee")
        SERVICE_PROVIDER = "4", _("(4) Hiring or dismissing the property service provider")
        USE_FUND = "5", _("(5) Using the maintenance fund")
        RAISE_FUND = "6", _("(6) Raising the maintenance fund")
        REBUILD = "7", _("(7) Renovating or rebuilding the buildings and their facilities")
        COMMON_PARTS = "8", _("(8) Changing the use of common parts or using them for business")
        OTHER = "9", _("(9) Other major matters")

    scope_path = "vote__project_id"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="matters")
    number = models.PositiveSmallIntegerField(pgettext_lazy("vote matter", "number"))
    title = models.CharField(_("matter"), max_length=200)
    item = models.CharField(_("art. 278 item"), max_length=1, choices=Item.choices)

    class Meta:
        ordering = ["vote_id", "number"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        constraints = [models.UniqueConstraint(fields=["vote", "number"], name="matter_number_once")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Elector(models.Model):
    """One owner entitled to vote, as counted by the SPC interpretation art. 9: the units of one owner (one
    person or the co-owners of a unit, however many units they hold) count as one; the developer's unsold or
    undelivered units count as one in all. `area` is the exclusive area of those units (art. 8)."""

    scope_path = "vote__project_id"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    label = models.CharField(_("owner"), max_length=200)
    units_label = models.CharField(_("units"), max_length=300)
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=14, decimal_places=2)
    units = models.PositiveIntegerField(_("number of units"))
    unit_ids = models.JSONField(default=list)
    customer_ids = models.JSONField(default=list)
    is_developer = models.BooleanField(_("developer"), default=False)

    class Meta:
        ordering = ["vote_id", "units_label", "id"]
        verbose_name = _("elector")
        verbose_name_plural = _("electors")

    def __str__(self):
        return f"{self.label} ({self.units_label})"


class Ballot(models.Model):
    """An elector's ballot: the last one given counts, once; how it was given is kept (portal, paper with the
    paper's reference, or a proxy with the proxy's name and the power of attorney's reference)."""

    class Via(models.TextChoices):
        PORTAL = "portal", _("Portal")
        PAPER = "paper", _("Paper ballot")
        PROXY = "proxy", _("Proxy")

    scope_path = "vote__project_id"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    elector = models.OneToOneField(Elector, on_delete=models.CASCADE, related_name="ballot")
    via = models.CharField(_("given via"), max_length=10, choices=Via.choices)
    paper_ref = models.CharField(_("paper ballot number"), max_length=40, blank=True)
    proxy_name = models.CharField(_("proxy"), max_length=100, blank=True)
    proxy_ref = models.CharField(_("power of attorney"), max_length=40, blank=True)
    choices = models.JSONField(default=dict)  # {matter id (str): "for" | "against" | "abstain"}
    revision = models.PositiveIntegerField(default=1)
    given_by_customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["vote_id", "elector_id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return f"{self.vote_id}/{self.elector_id}"


class BallotRevision(models.Model):
    """Every version of every ballot, as given (the record of ballot changes)."""

    scope_path = "ballot__vote__project_id"

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=10, choices=Ballot.Via.choices)
    choices = models.JSONField(default=dict)
    paper_ref = models.CharField(max_length=40, blank=True)
    proxy_name = models.CharField(max_length=100, blank=True)
    proxy_ref = models.CharField(max_length=40, blank=True)
    given_by_customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["ballot_id", "number"]
        constraints = [models.UniqueConstraint(fields=["ballot", "number"], name="ballot_revision_once")]

    def __str__(self):
        return f"{self.ballot_id} #{self.number}"
