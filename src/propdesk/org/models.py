"""Company → project → building → unit, and the staff who work on the projects."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name


class Project(models.Model):
    """A managed property (项目/小区)."""

    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        OFFICE = "office", _("Office")
        COMMERCIAL = "commercial", _("Commercial")
        OTHER = "other", _("Other")

    class ServiceMode(models.TextChoices):
        HOTEL = "hotel", _("Hotel-style")
        APARTMENT = "apartment", _("Apartment-style")
        BUTLER = "butler", _("Butler-style")

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="projects")
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.RESIDENTIAL)
    service_mode = models.CharField(
        _("service mode"), max_length=20, choices=ServiceMode.choices, default=ServiceMode.BUTLER
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("service center phone"), max_length=30, blank=True)
    service_hours = models.CharField(_("service center hours"), max_length=100, blank=True,
                                     default="08:00–20:00；24小时值班电话")
    timezone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name


class Building(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="buildings")
    # The number people say: "3" for 3栋; unique within the project.
    code = models.CharField(_("building number"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "code"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="building_code_unique")]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A home or premises (房屋). `project` repeats building.project so scoping needs no join."""

    class Status(models.TextChoices):
        VACANT = "vacant", _("Vacant")
        OCCUPIED = "occupied", _("Owner-occupied")
        LET = "let", _("Let")
        RENOVATING = "renovating", _("Renovating")
        UNSOLD = "unsold", _("Unsold")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="units")
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units")
    # 单元 (stairwell/entrance); blank for buildings without one.
    entrance = models.CharField(_("entrance"), max_length=10, blank=True)
    number = models.CharField(_("room number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"))
    area = models.DecimalField(_("area (m²)"), max_digits=9, decimal_places=2)
    layout = models.CharField(_("layout"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.VACANT)

    class Meta:
        ordering = ["building_id", "entrance", "number"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["building", "entrance", "number"], name="unit_number_unique")
        ]
        indexes = [models.Index(fields=["project", "number"], name="unit_project_number")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The short address the desk types: 3-2-1201, or 3-1201 without an entrance."""
        parts = [self.building.code, self.entrance, self.number]
        return "-".join(p for p in parts if p)

    @property
    def full_label(self) -> str:
        """The address as people say it: 3栋2单元1201."""
        if self.entrance:
            return _("%(building)s entrance %(entrance)s room %(number)s") % {
                "building": self.building.name, "entrance": self.entrance, "number": self.number}
        return _("%(building)s room %(number)s") % {"building": self.building.name, "number": self.number}


class Department(models.Model):
    """A team of a project's service center (工程部, 客服部, 秩序部, 保洁部…) that work is dispatched to."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="departments")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["project_id", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="department_code_unique")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A staff member. Owners are customers of the archive, not users of this table."""

    class Role(models.TextChoices):
        FRONT_DESK = "front_desk", _("Front desk / hotline")
        BUTLER = "butler", _("Butler")
        TECHNICIAN = "technician", _("Technician")
        SECURITY = "security", _("Security")
        CLEANING = "cleaning", _("Cleaning")
        PROJECT_MANAGER = "project_manager", _("Project manager")
        COMPANY_ADMIN = "company_admin", _("Company administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.FRONT_DESK)
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    projects = models.ManyToManyField(Project, blank=True, related_name="staff", verbose_name=_("projects"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="members",
                                         verbose_name=_("departments"))

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def get_full_name(self) -> str:
        """Chinese names read family name first, without a space (王小明); others as Django does."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return super().get_full_name()

    @property
    def display_name(self) -> str:
        """How colleagues and owners know them: the full name, else the username."""
        return self.get_full_name() or self.username

    @property
    def is_company_admin(self) -> bool:
        return self.role == self.Role.COMPANY_ADMIN or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"token of {self.user} until {self.expires_at:%Y-%m-%d}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class SecurityEvent(models.Model):
    """One entry of the security audit log: a sign-in, a failed or throttled sign-in, a sign-out, a refusal.

    Written only by `org.audit.record()`. Owners' mobile numbers are stored masked; a password never is.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        LOGIN_THROTTLED = "login_throttled", _("Sign-in throttled")
        LOGOUT = "logout", _("Signed out")
        REFUSED = "refused", _("Permission refused")

    class Channel(models.TextChoices):
        CONSOLE = "console", _("Staff console")
        API = "api", _("API")
        PORTAL = "portal", _("Owner portal")
        ADMIN = "admin", _("Django admin")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.OTHER)
    at = models.DateTimeField(_("time"), db_index=True)
    username = models.CharField(_("username or mobile"), max_length=150, blank=True)
    user = models.ForeignKey(User, verbose_name=_("staff member"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="security_events")
    address = models.CharField(_("client address"), max_length=64, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"]), models.Index(fields=["address", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username or '-'} {self.address}"
