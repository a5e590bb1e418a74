"""Factories for the archive: realistic enough to read like the rules they test."""

import datetime as dt
from decimal import Decimal

import factory

from propdesk.archive.models import Customer, CustomerPhone, Occupancy
from propdesk.org.models import Building, Company, Project, Unit, User


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = "示例物业服务有限公司"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"p{n}")
    name = factory.Sequence(lambda n: f"测试小区{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.LazyAttribute(lambda b: f"{b.code}栋")
    floors = 18


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    project = factory.LazyAttribute(lambda u: u.building.project)
    entrance = "1"
    number = factory.Sequence(lambda n: f"{(n % 18) + 1}{(n % 4) + 1:02d}")
    floor = factory.LazyAttribute(lambda u: int(u.number[:-2]))
    area = Decimal("89.50")
    layout = "三室两厅"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Sequence(lambda n: f"张{'伟芳娜敏静丽强磊军洋'[n % 10]}{n}")
    id_type = Customer.IdType.RESIDENT_ID
    id_number = "110101199001011234"

    @factory.post_generation
    def phones(self, create, extracted, **kwargs):
        if create:
            for number in extracted if extracted is not None else [f"139{self.pk:08d}"]:
                CustomerPhone.objects.create(customer=self, number=number)


class OccupancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupancy

    unit = factory.SubFactory(UnitFactory)
    customer = factory.SubFactory(CustomerFactory, project=factory.SelfAttribute("..unit.project"))
    role = Occupancy.Role.OWNER
    start_date = dt.date(2020, 1, 1)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    role = User.Role.FRONT_DESK
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)
        if create:
            self.save()
