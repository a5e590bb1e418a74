"""The demo installation: one company, a residential and an office project, ~2,000 units, ~3,000 customers.

`load_demo()` is what `manage.py load_demo` runs. It is deterministic (fixed seed; only the dates
relative to today move) and writes with bulk queries in one transaction, in a few seconds.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.org.models import Building, Company, Project, Unit, User

from . import demo_data as d
from .models import Customer, CustomerPhone, Occupancy, Pet, UnitRecord, Vehicle
from .services import refresh_archive_statistics


class DemoConflict(Exception):
    """Demo usernames or project codes are already taken by real data."""


@dataclass
class _Person:
    """A customer being built, with what hangs off it until it has an id."""

    customer: Customer
    phones: list = field(default_factory=list)
    male: bool = True
    surname: str = ""


class _ArchiveBuilder:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng, self.now, self.today = rng, now, timezone.localdate(now)
        self.numbers = d.Numbers(rng)
        self.people: list[_Person] = []
        self.occupancies: list[Occupancy] = []
        self.vehicles: list[tuple[_Person, dict]] = []
        self.pets: list[tuple[_Person, dict]] = []
        self.records: list[UnitRecord] = []
        self.company_names: set = set()
        self.counters: dict[int, int] = {}  # last customer number, per project
        self.government_bodies = 0

    # -- customers ------------------------------------------------------------------------------

    def _new(self, project: Project, **fields) -> _Person:
        n = self.counters[project.pk] = self.counters.get(project.pk, 0) + 1
        confirmed = self.now - timedelta(days=self.rng.uniform(0, 200), minutes=self.rng.randrange(600))
        customer = Customer(project=project, code=f"C{n:06d}", last_confirmed_at=confirmed,
                            created_at=confirmed - timedelta(days=self.rng.randint(0, 700)), **fields)
        person = _Person(customer)
        self.people.append(person)
        return person

    def person(self, project, min_age, max_age, male=None, surname=None, income=d.INCOME_OWNER,
               phone=True) -> _Person:
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        town, region = d.hometown(rng)
        born = d.birth_date(rng, self.today, min_age, max_age)
        roll = rng.random()
        if roll < 0.02:
            id_type, id_number = Customer.IdType.HK_MACAO, self.numbers.travel_permit()
        else:
            id_type, id_number = Customer.IdType.RESIDENT_ID, self.numbers.resident_id(region, born, male)
        adult = min_age >= 18
        p = self._new(
            project, name=d.person_name(rng, male, surname), gender="male" if male else "female", birth_date=born,
            hometown=town, hobbies=d.hobbies(rng) if adult else "", income_band=d.weighted(rng, income) if adult
            else "", id_type=id_type, id_number=id_number,
            wechat=d.wechat_id(rng) if adult and rng.random() < 0.4 else "",
            email=f"{id_number[-6:].lower()}{rng.randrange(100)}@example.com" if adult and rng.random() < 0.2 else "",
        )
        p.male, p.surname = male, p.customer.name[0]
        if phone:
            p.phones.append(self.numbers.mobile())
            if rng.random() < 0.1:
                p.phones.append(self.numbers.landline())
        return p

    def organisation(self, project, government=False) -> _Person:
        rng = self.rng
        contact = d.person_name(rng, rng.random() < 0.5)
        if government:
            name = d.GOVERNMENT_BODIES[self.government_bodies % len(d.GOVERNMENT_BODIES)]
            self.government_bodies += 1
        else:
            name = d.company_name(rng, self.company_names)
        p = self._new(
            project, kind=Customer.Kind.ORGANISATION, name=name,
            customer_type=Customer.CustomerType.GOVERNMENT if government else Customer.CustomerType.ENTERPRISE,
            id_type=Customer.IdType.BUSINESS_LICENSE, id_number=self.numbers.credit_code(government),
            emergency_contact=f"{contact} {self.numbers.mobile()}", notes=f"联系人：{contact}",
        )
        p.phones += [self.numbers.landline(), self.numbers.mobile()]
        return p

    def occupy(self, unit, person, role, start, end=None, relation=""):
        self.occupancies.append(Occupancy(unit=unit, customer=person.customer, role=role, start_date=start,
                                          end_date=end, relation=relation))

    # -- households -----------------------------------------------------------------------------

    def household(self, project, unit, head: _Person, start: date, spouse_registered: bool) -> int:
        """Register some of the family living with `head`; returns the household size."""
        rng, member = self.rng, Occupancy.Role.MEMBER
        age = (self.today - head.customer.birth_date).days // 365
        size = 1 + (0 if age > 70 and rng.random() < 0.5 else 1) + rng.choice((0, 1, 1, 1, 2))
        if age > 70 and size == 1 and rng.random() < 0.5:
            head.customer.notes = d.CARE_NOTES[0]
        elif rng.random() < 0.02:
            head.customer.notes = rng.choice(d.CARE_NOTES[1:])
        if rng.random() < 0.36:
            father = head.surname if head.male else d.person_name(rng, True)[0]
            if not spouse_registered and size > 1 and rng.random() < 0.7:
                spouse = self.person(project, max(age - 5, 22), age + 3, male=not head.male)
                self.occupy(unit, spouse, member, start, relation="配偶")
                father = head.surname if head.male else spouse.surname
            for _i in range(max(size - 2, 0)):
                child_max = max(min(age - 24, 30), 1)
                child = self.person(project, 0, child_max, surname=father,
                                    phone=child_max >= 16 and rng.random() < 0.5)
                self.occupy(unit, child, member, start, relation="子女")
            if rng.random() < 0.25 and age < 55:
                parent = self.person(project, age + 25, age + 32, phone=rng.random() < 0.5)
                self.occupy(unit, parent, member, start, relation="父母")
                size += 1
        return size

    def lease(self, project, unit, person_factory, move_in: date) -> None:
        """A current tenant (lease running past today), sometimes after a former one."""
        rng, tenant_role = self.rng, Occupancy.Role.TENANT
        start = max(self.today - timedelta(days=rng.randint(20, 700)), move_in)
        end = start + timedelta(days=365 * rng.choice((1, 2, 3)) - 1)
        while end < self.today:
            end += timedelta(days=365)
        if rng.random() < 0.25 and start - move_in > timedelta(days=400):
            old_start = start - timedelta(days=365 * rng.choice((1, 2)))
            self.occupy(unit, person_factory(), tenant_role, max(old_start, move_in), start - timedelta(days=1))
        tenant = person_factory()
        self.occupy(unit, tenant, tenant_role, start, end)
        if tenant.customer.kind == Customer.Kind.PERSON:
            tenant.customer.household_size = 1
            if rng.random() < 0.2:
                age = (self.today - tenant.customer.birth_date).days // 365
                partner = self.person(project, max(age - 4, 20), age + 4, male=not tenant.male)
                self.occupy(unit, partner, Occupancy.Role.MEMBER, start, end, relation="配偶")
                tenant.customer.household_size = 2

    def extras(self, unit, head: _Person, handover: date, car_chance: float, pet_chance: float) -> None:
        """Vehicles, pets and the unit's handover and warranty records."""
        rng = self.rng
        for _i in range((rng.random() < car_chance) + (rng.random() < car_chance * 0.15)):
            self.vehicles.append((head, {"plate": self.numbers.plate(), "model": rng.choice(d.CAR_MODELS),
                                         "color": rng.choice(d.CAR_COLOURS),
                                         "parking_space": f"B{rng.randint(1, 2)}-{rng.randint(1, 680):03d}"}))
        if rng.random() < pet_chance:
            species, breeds = rng.choice(d.PETS)
            self.pets.append((head, {"species": species, "name": rng.choice(d.PET_NAMES), "breed": rng.choice(breeds),
                                     "registration": f"SZ{rng.randrange(10**8):08d}",
                                     "vaccinated_until": self.today + timedelta(days=rng.randint(-60, 300))}))
        if rng.random() < 0.4:
            self.records.append(UnitRecord(unit=unit, kind=UnitRecord.Kind.HANDOVER, date=handover,
                                           title="承接查验", details="水电、门窗、墙地面检查完毕，钥匙 3 把已移交。"))
            for title, years in rng.sample(d.HANDOVER_FINDINGS, rng.choice((0, 1, 1, 2))):
                until = handover + timedelta(days=365 * years)
                still_open = until > self.today and rng.random() < 0.5
                self.records.append(UnitRecord(
                    unit=unit, kind=UnitRecord.Kind.WARRANTY, date=handover + timedelta(days=rng.randint(3, 90)),
                    title=title, details="已报开发商保修。" if still_open else "已维修，业主验收合格。",
                    status=UnitRecord.Status.OPEN if still_open else UnitRecord.Status.CLOSED, valid_until=until))

    # -- projects -------------------------------------------------------------------------------

    def residential(self, project: Project, units: list[Unit]) -> None:
        """Owners (some co-owned units, some owners with two), ~15 % let, families, cars, pets."""
        rng, owner_role = self.rng, Occupancy.Role.OWNER
        single_owners: list[_Person] = []
        for unit in units:
            if rng.random() < 0.02:
                unit.status = Unit.Status.UNSOLD
                continue
            # Buildings 1-8 were handed over in 2018-19, 9-16 in 2022-23.
            first = date(2018, 6, 1) if int(unit.building.code) <= 8 else date(2022, 6, 1)
            handover = first + timedelta(days=rng.randint(0, 540))
            if single_owners and rng.random() < 0.05:  # an owner's second home: let or empty
                owner = single_owners.pop(rng.randrange(len(single_owners)))
                self.occupy(unit, owner, owner_role, handover)
                if rng.random() < 0.65:
                    unit.status = Unit.Status.LET
                    self.lease(project, unit, lambda: self.person(project, 22, 45, income=d.INCOME_TENANT), handover)
                else:
                    unit.status = Unit.Status.VACANT
                    self.records.append(UnitRecord(unit=unit, kind=UnitRecord.Kind.USAGE,
                                                   date=self.today - timedelta(days=rng.randint(1, 80)),
                                                   title="空置房巡查", details="门窗关闭，水电总阀已关，无异常。"))
                continue
            owner = self.person(project, 28, 75)
            single_owners.append(owner)
            self.occupy(unit, owner, owner_role, handover)
            co_owner = None
            if rng.random() < 0.1:
                co_owner = self.person(project, 28, 70, male=not owner.male)
                self.occupy(unit, co_owner, owner_role, handover)
            roll = rng.random()
            if roll < 0.12:
                unit.status = Unit.Status.LET
                self.lease(project, unit, lambda: self.person(project, 22, 45, income=d.INCOME_TENANT), handover)
                owner.customer.household_size = None
            elif roll < 0.16:
                unit.status = Unit.Status.VACANT
            else:
                unit.status = Unit.Status.RENOVATING if roll < 0.19 else Unit.Status.OCCUPIED
                owner.customer.household_size = self.household(project, unit, owner, handover, co_owner is not None)
                owner.customer.emergency_contact = (
                    f"{d.person_name(rng, rng.random() < 0.5, owner.surname)} {self.numbers.mobile()}"
                    if rng.random() < 0.5 else "")
            self.extras(unit, owner, handover, car_chance=0.35, pet_chance=0.12)

    def office(self, project: Project, units: list[Unit]) -> None:
        """Enterprises owning runs of floors, investors letting to enterprises, two public bodies."""
        rng, owner_role = self.rng, Occupancy.Role.OWNER
        i = 0
        while i < len(units):
            unit, start = units[i], date(2020, 3, 1) + timedelta(days=rng.randint(0, 900))
            roll = rng.random()
            government = unit.floor <= 2 and self.government_bodies < 2  # A座 1-2F: public service points
            if roll < 0.08 and not government:
                unit.status, i = Unit.Status.UNSOLD, i + 1
            elif roll < 0.63 or government:
                run = units[i:i + (2 if government else rng.choice((1, 2, 2, 3, 4)))]
                owner = self.organisation(project, government=government)
                for u in run:
                    u.status = Unit.Status.OCCUPIED
                    self.occupy(u, owner, owner_role, start)
                self.extras(unit, owner, start, car_chance=0.5, pet_chance=0)
                i += len(run)
            else:
                investor = self.person(project, 35, 70)
                for u in units[i:i + rng.choice((1, 1, 2))]:
                    self.occupy(u, investor, owner_role, start)
                    if rng.random() < 0.85:
                        u.status = Unit.Status.LET
                        self.lease(project, u, lambda: self.organisation(project), start)
                    else:
                        u.status = Unit.Status.VACANT
                    i += 1

    # -- writing --------------------------------------------------------------------------------

    def save(self) -> None:
        customers = [p.customer for p in self.people]
        Customer.objects.bulk_create(customers, batch_size=1000)
        CustomerPhone.objects.bulk_create(
            (CustomerPhone(customer=p.customer, number=n) for p in self.people for n in p.phones), batch_size=2000)
        for occ in self.occupancies:
            occ.customer = occ.customer  # picks up the id given by bulk_create
        Occupancy.objects.bulk_create(self.occupancies, batch_size=2000)
        Vehicle.objects.bulk_create(Vehicle(customer=p.customer, **f) for p, f in self.vehicles)
        Pet.objects.bulk_create(Pet(customer=p.customer, **f) for p, f in self.pets)
        UnitRecord.objects.bulk_create(self.records, batch_size=2000)


def _units(project: Project, buildings: int, entrances: tuple, floors: int, per_floor: int,
           name: str, layouts) -> list[Unit]:
    """Create the buildings and the (unsaved) units of a project, in address order."""
    codes = [str(b + 1) for b in range(buildings)] if name == "栋" else [chr(65 + b) for b in range(buildings)]
    objs = Building.objects.bulk_create(
        Building(project=project, code=c, name=f"{c}{name}", floors=floors) for c in codes)
    units = []
    for building in objs:
        for entrance in entrances:
            for floor in range(1, floors + 1):
                for n in range(1, per_floor + 1):
                    layout, low, high = layouts[(n - 1) % len(layouts)]
                    units.append(Unit(project=project, building=building, entrance=entrance, number=f"{floor}{n:02d}",
                                      floor=floor, layout=layout,
                                      area=Decimal(random.Random(f"{building.code}{entrance}{n}").randint(
                                          low * 100, high * 100)) / 100))
    return units


@dataclass
class DemoSummary:
    projects: int
    units: int
    customers: int
    staff: int


def demo_exists() -> bool:
    return Company.objects.filter(name=d.DEMO_COMPANY).exists()


def load_demo(now: datetime | None = None) -> DemoSummary | None:
    """Create the demo company, its two projects, their archives and one staff member per role.

    Returns None, writing nothing, when the demo company already exists; raises DemoConflict when
    its usernames or project codes are taken by other data.
    """
    if demo_exists():
        return None
    usernames = [u[0] for u in d.DEMO_USERS]
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    taken += list(Project.objects.filter(code__in=["sunshine", "techpark"]).values_list("code", flat=True))
    if taken:
        raise DemoConflict(", ".join(taken))
    now = now or timezone.now()
    rng = random.Random(d.SEED)
    with transaction.atomic():
        company = Company.objects.create(name=d.DEMO_COMPANY, phone="0755-86000000")
        sunshine = Project.objects.create(
            company=company, code="sunshine", name="阳光花园", kind=Project.Kind.RESIDENTIAL,
            service_mode=Project.ServiceMode.BUTLER, address="深圳市南山区阳光路 88 号", phone="0755-86001234")
        techpark = Project.objects.create(
            company=company, code="techpark", name="科技园写字楼", kind=Project.Kind.OFFICE,
            service_mode=Project.ServiceMode.HOTEL, address="深圳市南山区科苑路 66 号", phone="0755-86005678")
        home_units = _units(sunshine, 16, ("1", "2"), 25, 2, "栋", d.LAYOUTS_HOME[1:])
        office_units = _units(techpark, 4, ("",), 25, 4, "座",
                              [(layout, 150, 600) for layout in d.LAYOUTS_OFFICE])
        builder = _ArchiveBuilder(rng, now)
        builder.residential(sunshine, home_units)
        builder.office(techpark, office_units)
        Unit.objects.bulk_create(home_units + office_units, batch_size=1000)
        for occ in builder.occupancies:
            occ.unit = occ.unit
        for rec in builder.records:
            rec.unit = rec.unit
        builder.save()
        staff = _staff(company, {"sunshine": sunshine, "techpark": techpark}, builder.numbers)
        for project in (sunshine, techpark):
            timeline.record(None, "archive.demo_loaded", timeline.Message(gettext_noop("Demo data loaded")),
                            subjects=[project], at=now)
    refresh_archive_statistics()
    return DemoSummary(2, len(home_units) + len(office_units), len(builder.people), len(staff))


def _staff(company: Company, projects: dict, numbers: d.Numbers) -> list[User]:
    """One demo login per role (see demo_data.DEMO_USERS), all with the documented demo password."""
    password = make_password(d.DEMO_PASSWORD)  # one hash for all: hashing nine times is slow for nothing
    users = User.objects.bulk_create(
        User(username=username, role=role, first_name=name, company=company, password=password,
             phone=numbers.mobile(), is_staff=role == "company_admin", is_superuser=role == "company_admin")
        for username, role, name, _codes in d.DEMO_USERS
    )
    Through = User.projects.through
    Through.objects.bulk_create(
        Through(user_id=user.pk, project_id=projects[code].pk)
        for user, (_u, _r, _n, codes) in zip(users, d.DEMO_USERS, strict=True) for code in codes
    )
    return users
