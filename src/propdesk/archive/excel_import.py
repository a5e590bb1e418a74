"""The checking and writing half of the archive import (archive.excel.import_project calls it).

`check()` reads every row against the project's current archive and the file's other rows, collects
every error and prepares the new and changed objects in memory; `write()` then stores them with
bulk queries. Nothing touches the database between the two but reads.
"""

from django.utils.translation import gettext as _

from propdesk.org.models import Building, Project, Unit

from .excel_format import (
    CUSTOMER_TYPE,
    GENDER,
    ID_TYPE,
    INCOME_BAND,
    ROLE,
    SHEET_BUILDINGS,
    SHEET_CUSTOMERS,
    SHEET_OCCUPANCIES,
    SHEET_UNITS,
    UNIT_STATUS,
    RowReader,
    cell_text,
)
from .models import Customer, CustomerPhone, Occupancy

UNIT_UPDATE_FIELDS = ["floor", "area", "layout", "status"]
CUSTOMER_UPDATE_FIELDS = [
    "name", "customer_type", "kind", "gender", "birth_date", "hometown", "hobbies", "income_band",
    "household_size", "id_type", *Customer.ID_NUMBER_COLUMNS, "email", "wechat", "emergency_contact", "notes",
]


def _field(model, name):
    return model._meta.get_field(name)


def _apply(instance, data: dict) -> bool:
    """Set the values of `data` that differ on `instance`; True when anything changed."""
    changed = False
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


class _Sheet:
    """New and changed objects of one sheet, and its counts."""

    def __init__(self):
        self.new, self.changed, self.unchanged = [], [], 0

    def counts(self) -> dict:
        return {"created": len(self.new), "updated": len(self.changed), "unchanged": self.unchanged}


class ArchiveImporter:
    def __init__(self, project: Project):
        self.project = project
        self.errors = []
        self.buildings = {b.code: b for b in Building.objects.filter(project=project)}
        self.units = {
            (u.building.code, u.entrance, u.number): u
            for u in Unit.objects.filter(project=project).select_related("building")
        }
        self.customers = {c.code: c for c in Customer.objects.filter(project=project).prefetch_related("phones")}
        self.phones = {c.pk: [p.number for p in c.phones.all()] for c in self.customers.values()}
        self.occupancies = {
            (o.unit_id, o.customer_id, o.role, o.start_date): o
            for o in Occupancy.objects.filter(unit__project=project).order_by("id")
        }
        self.sheets = {name: _Sheet() for name in (SHEET_BUILDINGS, SHEET_UNITS, SHEET_CUSTOMERS, SHEET_OCCUPANCIES)}
        # (customer, numbers) for new customers and for those whose phone list changes
        self.phone_lists: list[tuple[Customer, list[str]]] = []
        # Natural keys of rows refused for their own errors: rows referring to them are not reported again.
        self.refused: set = set()

    def check(self, rows: dict) -> None:
        """Check every row of every sheet (in dependency order), preparing the writes."""
        self._check_buildings(rows[SHEET_BUILDINGS])
        self._check_units(rows[SHEET_UNITS])
        self._check_customers(rows[SHEET_CUSTOMERS])
        self._check_occupancies(rows[SHEET_OCCUPANCIES])

    def _duplicate(self, reader: RowReader, seen: dict, key, label: str) -> bool:
        if key in seen:
            reader.error(_("Row %(row)d: %(what)s appears more than once in the file (first on row %(first)d).")
                         % {"row": reader.row, "what": label, "first": seen[key]})
            return True
        seen[key] = reader.row
        return False

    def _check_buildings(self, rows) -> None:
        sheet, seen = self.sheets[SHEET_BUILDINGS], {}
        for row, cells in rows:
            r = RowReader(SHEET_BUILDINGS, row, cells, self.errors)
            code = r.text("楼栋编号", required=True, model_field=_field(Building, "code"))
            data = {"name": r.text("楼栋名称", required=True, model_field=_field(Building, "name")),
                    "floors": r.integer("层数", minimum=1)}
            if code and self._duplicate(r, seen, code, _("building “%(code)s”") % {"code": code}):
                continue
            if r.failed:
                self.refused.add(("building", code))
                continue
            existing = self.buildings.get(code)
            if existing is None:
                building = Building(project=self.project, code=code, **data)
                self.buildings[code] = building
                sheet.new.append(building)
            elif _apply(existing, data):
                sheet.changed.append(existing)
            else:
                sheet.unchanged += 1

    def _unit_key(self, r: RowReader):
        """(building code, entrance, number) of the row, or None after reporting what is missing."""
        code = r.text("楼栋编号", required=True)
        entrance = r.text("单元", model_field=_field(Unit, "entrance"))
        number = r.text("房号", required=True, model_field=_field(Unit, "number"))
        return (code, entrance, number) if code and number else None

    @staticmethod
    def _unit_label(key) -> str:
        return "-".join(p for p in key if p)

    def _check_units(self, rows) -> None:
        sheet, seen = self.sheets[SHEET_UNITS], {}
        for row, cells in rows:
            r = RowReader(SHEET_UNITS, row, cells, self.errors)
            key = self._unit_key(r)
            data = {
                "floor": r.integer("楼层", required=True),
                "area": r.area("建筑面积(㎡)"),
                "layout": r.text("户型", model_field=_field(Unit, "layout")),
                "status": r.choice("状态", UNIT_STATUS, default=Unit.Status.VACANT),
            }
            if key is None:
                continue
            if self._duplicate(r, seen, key, _("unit %(unit)s") % {"unit": self._unit_label(key)}):
                continue
            building = self.buildings.get(key[0])
            if ("building", key[0]) in self.refused:
                r.failed = True
            elif building is None:
                r.error(_("Row %(row)d: unknown building “%(code)s”.") % {"row": row, "code": key[0]})
            if r.failed:
                self.refused.add(("unit", key))
                continue
            existing = self.units.get(key)
            if existing is None:
                unit = Unit(project=self.project, building=building, entrance=key[1], number=key[2], **data)
                self.units[key] = unit
                sheet.new.append(unit)
            elif _apply(existing, data):
                sheet.changed.append(existing)
            else:
                sheet.unchanged += 1

    def _check_customers(self, rows) -> None:
        sheet, seen = self.sheets[SHEET_CUSTOMERS], {}
        for row, cells in rows:
            r = RowReader(SHEET_CUSTOMERS, row, cells, self.errors)
            code = r.text("客户编号", required=True, model_field=_field(Customer, "code"))
            id_type = r.choice("证件类型", ID_TYPE, default="")
            data = {
                "name": r.text("姓名", required=True, model_field=_field(Customer, "name")),
                "customer_type": r.choice("类型", CUSTOMER_TYPE, default=Customer.CustomerType.INDIVIDUAL),
                "gender": r.choice("性别", GENDER, default=""),
                "birth_date": r.date("出生日期", not_after_today=True),
                "hometown": r.text("籍贯", model_field=_field(Customer, "hometown")),
                "hobbies": r.text("爱好", model_field=_field(Customer, "hobbies")),
                "income_band": r.choice("收入水平", INCOME_BAND, default=""),
                "household_size": r.integer("家庭人数", minimum=1),
                "id_type": id_type,
                "id_number": r.id_number("证件号码", id_type, _field(Customer, "id_number_mask")),
                "email": r.email("邮箱", _field(Customer, "email")),
                "wechat": r.text("微信", model_field=_field(Customer, "wechat")),
                "emergency_contact": r.text("紧急联系人", model_field=_field(Customer, "emergency_contact")),
                "notes": r.text("备注"),
            }
            phones = r.phones("手机/电话")
            if code and self._duplicate(r, seen, code, _("customer “%(code)s”") % {"code": code}):
                continue
            existing = self.customers.get(code)
            id_number = data.pop("id_number")
            if "*" in id_number:
                if existing is None:
                    r.error(_("Row %(row)d, %(column)s: the number is masked; a new customer needs the full "
                              "number or an empty cell.") % {"row": row, "column": "证件号码"})
                elif id_number != existing.masked_id_number:
                    r.error(_("Row %(row)d, %(column)s: the masked number does not match the stored one; "
                              "enter the full number, or keep the masked number as it was exported.")
                            % {"row": row, "column": "证件号码"})
                # A masked number equal to the stored one's mask means "unchanged": it never overwrites.
            elif existing is None or not existing.id_number_is(id_number):
                data["id_number"] = id_number  # encrypted when set on the customer
            if r.failed:
                self.refused.add(("customer", code))
                continue
            kind = (Customer.Kind.PERSON if data["customer_type"] == Customer.CustomerType.INDIVIDUAL
                    else Customer.Kind.ORGANISATION)
            if existing is None:
                customer = Customer(project=self.project, code=code, kind=kind, **data)
                self.customers[code] = customer
                sheet.new.append(customer)
                self.phone_lists.append((customer, phones))
                continue
            if existing.customer_type != data["customer_type"]:
                data["kind"] = kind
            changed = _apply(existing, data)
            if phones != self.phones.get(existing.pk, []):
                self.phone_lists.append((existing, phones))
                changed = True
            if changed:
                sheet.changed.append(existing)
            else:
                sheet.unchanged += 1

    def _check_occupancies(self, rows) -> None:
        sheet, seen = self.sheets[SHEET_OCCUPANCIES], {}
        for row, cells in rows:
            r = RowReader(SHEET_OCCUPANCIES, row, cells, self.errors)
            key = self._unit_key(r)
            code = r.text("客户编号", required=True)
            role = r.choice("身份", ROLE)
            relation = r.text("关系", model_field=_field(Occupancy, "relation"))
            start, end = r.date("开始日期", required=True), r.date("结束日期")
            if start and end and end < start:
                r.error(_("Row %(row)d: the end date is before the start date.") % {"row": row})
            if role == Occupancy.Role.TENANT and not cell_text(cells.get("结束日期")):
                r.error(_("Row %(row)d: a tenancy needs its lease end date.") % {"row": row})
            unit = self.units.get(key) if key else None
            if ("unit", key) in self.refused or ("building", key and key[0]) in self.refused:
                r.failed = True
            elif key and unit is None:
                r.error(_("Row %(row)d: unknown unit %(unit)s.") % {"row": row, "unit": self._unit_label(key)})
            customer = self.customers.get(code) if code else None
            if ("customer", code) in self.refused:
                r.failed = True
            elif code and customer is None:
                r.error(_("Row %(row)d: unknown customer number “%(code)s”.") % {"row": row, "code": code})
            if r.failed or self._duplicate(r, seen, (key, code, role, start), _("this occupancy")):
                continue
            existing = self.occupancies.get((unit.pk, customer.pk, role, start)) if unit.pk and customer.pk else None
            data = {"relation": relation, "end_date": end}
            if existing is None:
                sheet.new.append(Occupancy(unit=unit, customer=customer, role=role, start_date=start, **data))
            elif _apply(existing, data):
                sheet.changed.append(existing)
            else:
                sheet.unchanged += 1

    def write(self, now) -> list[dict]:
        """Store what check() prepared; the caller holds the transaction. Returns each sheet's counts."""
        buildings, units, customers, occupancies = self.sheets.values()
        Building.objects.bulk_create(buildings.new)
        Building.objects.bulk_update(buildings.changed, ["name", "floors"])
        for unit in units.new:
            unit.building = unit.building  # takes the id the building has just received
        Unit.objects.bulk_create(units.new)
        Unit.objects.bulk_update(units.changed, UNIT_UPDATE_FIELDS)
        for customer in customers.new:
            customer.last_confirmed_at = customer.created_at = now
        Customer.objects.bulk_create(customers.new)
        for customer in customers.changed:
            customer.last_confirmed_at = now  # staff have just gone over the record
        Customer.objects.bulk_update(customers.changed, CUSTOMER_UPDATE_FIELDS + ["last_confirmed_at"])
        replaced = [c.pk for c, _numbers in self.phone_lists if c.pk in self.phones]
        CustomerPhone.objects.filter(customer_id__in=replaced).delete()
        CustomerPhone.objects.bulk_create(
            CustomerPhone(customer=c, number=n) for c, numbers in self.phone_lists for n in numbers
        )
        for occ in occupancies.new:
            occ.unit, occ.customer = occ.unit, occ.customer
        Occupancy.objects.bulk_create(occupancies.new)
        Occupancy.objects.bulk_update(occupancies.changed, ["relation", "end_date"])
        return [s.counts() for s in self.sheets.values()]
