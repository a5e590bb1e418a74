"""The archive of people and organisations and their relation to units (PRODUCT.md area 1)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core import crypto
from propdesk.core.idnumbers import EncryptedIdNumber
from propdesk.org.models import Project, Unit


class CustomerQuerySet(models.QuerySet):
    def with_id_number(self, number: str):
        """Customers whose ID number is exactly `number` (after normalisation), found by its keyed hash.

        The only way to search by ID number: there is no partial match, the column holds no clear text.
        """
        digest = crypto.blind_index(number)
        return self.filter(id_number_hash=digest) if digest else self.none()


class Customer(EncryptedIdNumber):
    """A person or organisation in one project's archive (业主/租户/住户档案).

    The ID document number is kept encrypted (`id_number_encrypted`), with a keyed hash for exact
    lookup (`id_number_hash`) and its masked form for display (`id_number_mask`); `id_number` reads
    and writes it in clear in memory only. Never render `id_number`: full numbers leave only through
    archive.services.reveal_id_number() and the administrator's export, both recorded.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class CustomerType(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ENTERPRISE = "enterprise", _("Enterprise")
        GOVERNMENT = "government", _("Government")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        UNKNOWN = "", _("Not stated")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident ID card")
        PASSPORT = "passport", _("Passport")
        HK_MACAO = "hk_macao", _("Mainland travel permit (HK/Macao)")
        TAIWAN = "taiwan", _("Mainland travel permit (Taiwan)")
        BUSINESS_LICENSE = "business_license", _("Business licence")
        OTHER = "other", _("Other")

    class IncomeBand(models.TextChoices):
        UNKNOWN = "", _("Not stated")
        LOW = "low", _("Low")
        MIDDLE = "middle", _("Middle")
        UPPER_MIDDLE = "upper_middle", _("Upper middle")
        HIGH = "high", _("High")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="customers")
    # Archive number (客户编号), unique within the project; the import/export key.
    code = models.CharField(_("customer number"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    customer_type = models.CharField(
        _("customer type"), max_length=20, choices=CustomerType.choices, default=CustomerType.INDIVIDUAL
    )
    name = models.CharField(_("name"), max_length=100, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True, default="")
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    hometown = models.CharField(_("hometown"), max_length=50, blank=True)
    hobbies = models.CharField(_("hobbies"), max_length=200, blank=True)
    income_band = models.CharField(
        _("income band"), max_length=20, choices=IncomeBand.choices, blank=True, default=""
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    id_type = models.CharField(_("ID document type"), max_length=20, choices=IdType.choices, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=50, blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="customer_code_unique")]

    def __str__(self):
        return self.name


class CustomerPhone(models.Model):
    """One of a customer's phone numbers, stored digits-only so any part of it can be searched."""

    scope_path = "customer__project_id"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone"), max_length=20, db_index=True)
    label = models.CharField(_("label"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [models.UniqueConstraint(fields=["customer", "number"], name="customer_phone_once")]

    def __str__(self):
        return self.number


class OccupancyQuerySet(models.QuerySet):
    def current(self, on=None):
        """Occupancies running on `on` (today by default): the query form of Occupancy.is_current()."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Occupancy(models.Model):
    """A customer's relation to a unit: owner, tenant or household member, over a period."""

    scope_path = "unit__project_id"

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        TENANT = "tenant", _("Tenant")
        MEMBER = "member", _("Household member")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="occupancies")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="occupancies")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    # For household members: relation to the owner or tenant (配偶, 子女, 父母…).
    relation = models.CharField(_("relation"), max_length=20, blank=True)
    start_date = models.DateField(_("start date"))
    # For a tenant: the lease end. For an owner: the date the unit was sold on, if any.
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "role", "start_date"]
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        indexes = [models.Index(fields=["customer", "end_date"], name="occupancy_customer_end")]

    def __str__(self):
        return f"{self.customer} / {self.unit} / {self.get_role_display()}"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class Vehicle(models.Model):
    scope_path = "customer__project_id"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="vehicles")
    plate = models.CharField(_("plate number"), max_length=20)
    model = models.CharField(_("make and model"), max_length=50, blank=True)
    color = models.CharField(_("colour"), max_length=20, blank=True)
    parking_space = models.CharField(_("parking space"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self):
        return self.plate


class Pet(models.Model):
    scope_path = "customer__project_id"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="pets")
    species = models.CharField(_("species"), max_length=20)
    name = models.CharField(_("name"), max_length=30, blank=True)
    breed = models.CharField(_("breed"), max_length=30, blank=True)
    registration = models.CharField(_("registration number"), max_length=40, blank=True)
    vaccinated_until = models.DateField(_("vaccinated until"), null=True, blank=True)

    class Meta:
        verbose_name = _("pet")
        verbose_name_plural = _("pets")

    def __str__(self):
        return f"{self.species} {self.name}".strip()


class UnitRecord(models.Model):
    """Handover inspection, warranty and usage records of a unit."""

    scope_path = "unit__project_id"

    class Kind(models.TextChoices):
        HANDOVER = "handover", _("Handover inspection")
        WARRANTY = "warranty", _("Warranty")
        USAGE = "usage", _("Usage note")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=100)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CLOSED)
    # End of the warranty period, for warranty records.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("unit record")
        verbose_name_plural = _("unit records")

    def __str__(self):
        return self.title


class LoginCode(models.Model):
    """A one-time code sent by SMS to an owner's or resident's mobile to sign in to the portal."""

    phone = models.CharField(max_length=20, db_index=True)
    # Only a keyed hash of the code is stored.
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")

    def __str__(self):
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"
