"""The layout of the archive workbook and the reading of its cells (used by archive.excel).

Sheet and column names and the labels of choice columns are Chinese because the workbook is what
the service center fills in; they are fixed here (not translated through gettext) so that a file
exported in one language can always be imported in another. Error messages are gettext strings.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.phones import validate_phone
from propdesk.org.models import Unit

from .models import Customer, Occupancy

SHEET_BUILDINGS = "楼栋"
SHEET_UNITS = "房屋"
SHEET_CUSTOMERS = "客户"
SHEET_OCCUPANCIES = "入住关系"
SHEET_HELP = "说明"


@dataclass(frozen=True)
class Column:
    header: str
    note: str = ""
    width: int = 12
    text: bool = True  # stored as text so Excel keeps leading zeros and long numbers


DATE_NOTE = "日期格式：2024-03-01（也可 2024/3/1、2024年3月1日）"


@dataclass(frozen=True)
class Choices:
    """Chinese labels of a model's TextChoices, and the other spellings accepted on import."""

    labels: dict  # value -> label
    aliases: dict = field(default_factory=dict)  # extra spelling -> value

    def label(self, value: str) -> str:
        return self.labels.get(value, value)

    def lookup(self, text: str) -> str | None:
        """The value for a label, an alias or the value itself (English); None when unknown."""
        for value, label in self.labels.items():
            if text == label or text.lower() == value:
                return value
        return self.aliases.get(text)

    def listing(self) -> str:
        return "、".join(self.labels.values())


UNIT_STATUS = Choices({
    Unit.Status.VACANT: "空置", Unit.Status.OCCUPIED: "自住", Unit.Status.LET: "出租",
    Unit.Status.RENOVATING: "装修中", Unit.Status.UNSOLD: "未售",
}, {"已入住": Unit.Status.OCCUPIED, "装修": Unit.Status.RENOVATING})
CUSTOMER_TYPE = Choices({
    Customer.CustomerType.INDIVIDUAL: "个人", Customer.CustomerType.ENTERPRISE: "企业",
    Customer.CustomerType.GOVERNMENT: "政府",
}, {"公司": Customer.CustomerType.ENTERPRISE, "单位": Customer.CustomerType.ENTERPRISE})
GENDER = Choices({Customer.Gender.MALE: "男", Customer.Gender.FEMALE: "女"},
                 {"未知": "", "不详": "", "未说明": ""})
INCOME_BAND = Choices({
    Customer.IncomeBand.LOW: "低", Customer.IncomeBand.MIDDLE: "中等",
    Customer.IncomeBand.UPPER_MIDDLE: "中高", Customer.IncomeBand.HIGH: "高",
}, {"中": Customer.IncomeBand.MIDDLE, "未知": "", "不详": ""})
ID_TYPE = Choices({
    Customer.IdType.RESIDENT_ID: "居民身份证", Customer.IdType.PASSPORT: "护照",
    Customer.IdType.HK_MACAO: "港澳居民来往内地通行证", Customer.IdType.TAIWAN: "台湾居民来往大陆通行证",
    Customer.IdType.BUSINESS_LICENSE: "营业执照", Customer.IdType.OTHER: "其他",
}, {"身份证": Customer.IdType.RESIDENT_ID, "统一社会信用代码": Customer.IdType.BUSINESS_LICENSE,
    "港澳通行证": Customer.IdType.HK_MACAO, "台胞证": Customer.IdType.TAIWAN})
ROLE = Choices({
    Occupancy.Role.OWNER: "业主", Occupancy.Role.TENANT: "租户", Occupancy.Role.MEMBER: "住户",
}, {"家庭成员": Occupancy.Role.MEMBER, "承租人": Occupancy.Role.TENANT})

SHEETS = {
    SHEET_BUILDINGS: (
        Column("楼栋编号", "必填。项目内唯一，如 3、A", 10),
        Column("楼栋名称", "必填。如 3栋、A座", 14),
        Column("层数", "整数，可空", 8, text=False),
    ),
    SHEET_UNITS: (
        Column("楼栋编号", "必填。须在“楼栋”表或系统中已有", 10),
        Column("单元", "可空（无单元的楼栋）", 8),
        Column("房号", "必填。如 1201；楼栋+单元+房号在项目内唯一", 10),
        Column("楼层", "必填，整数（地下层为负数）", 8, text=False),
        Column("建筑面积(㎡)", "必填，大于 0 的数字，最多两位小数", 12, text=False),
        Column("户型", "如 三室两厅", 12),
        Column("状态", "可空（默认空置）。可选：" + UNIT_STATUS.listing(), 10),
    ),
    SHEET_CUSTOMERS: (
        Column("客户编号", "必填。项目内唯一，如 C000001；再次导入时按此更新", 12),
        Column("姓名", "必填。个人姓名或单位名称", 14),
        Column("类型", "可空（默认个人）。可选：" + CUSTOMER_TYPE.listing(), 8),
        Column("性别", "可空。可选：男、女", 6),
        Column("出生日期", DATE_NOTE, 12, text=False),
        Column("籍贯", "", 12),
        Column("爱好", "", 16),
        Column("收入水平", "可空。可选：" + INCOME_BAND.listing(), 10),
        Column("家庭人数", "整数，可空", 8, text=False),
        Column("证件类型", "可空。可选：" + ID_TYPE.listing(), 14),
        Column("证件号码", "敏感信息。导出时默认打码（含 *），打码的号码导入时不会覆盖系统中的号码", 22),
        Column("手机/电话", "多个号码用 ；或 ; 或 , 分隔。手机 11 位，座机带区号如 020-88886666", 26),
        Column("邮箱", "", 20),
        Column("微信", "", 14),
        Column("紧急联系人", "姓名和电话", 18),
        Column("备注", "", 24),
    ),
    SHEET_OCCUPANCIES: (
        Column("楼栋编号", "必填", 10),
        Column("单元", "可空", 8),
        Column("房号", "必填。楼栋+单元+房号须在“房屋”表或系统中已有", 10),
        Column("客户编号", "必填。须在“客户”表或系统中已有", 12),
        Column("身份", "必填。可选：" + ROLE.listing(), 8),
        Column("关系", "住户与业主/租户的关系，如 配偶、子女、父母", 10),
        Column("开始日期", "必填。" + DATE_NOTE, 12, text=False),
        Column("结束日期", "租户必填（租约到期日）。" + DATE_NOTE, 12, text=False),
    ),
}

HELP_LINES = (
    "房屋档案与业主档案导入表（一个项目一个文件）",
    "1. 保留四个工作表“楼栋”“房屋”“客户”“入住关系”及第一行表头，不要改名；本“说明”表导入时忽略。",
    "2. 鼠标停在表头上可看到每一列的填写要求。",
    "3. 导入按编号更新：楼栋按楼栋编号，房屋按楼栋编号+单元+房号，客户按客户编号，"
    "入住关系按房屋+客户+身份+开始日期；已有的记录被更新，没有的被新建，文件中没有的记录不会被删除。",
    "4. 导入前先检查全部行；只要有一行有错，整个文件都不导入，并列出所有出错的行。",
    "5. 证件号码含 * 的（打码导出）不会覆盖系统中保存的号码；打码的号码须与导出时一致，否则该行被拒绝。",
)


def header_key(text) -> str:
    """Headers are matched without spaces and without a parenthesised hint: 类型(个人/企业/政府) = 类型."""
    text = re.sub(r"[（(].*?[）)]", "", str(text or ""))
    return re.sub(r"\s+", "", text)


# -- reading cells ------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_PHONE_SEPARATORS = re.compile(r"[；;，,、/\n]+")
_RESIDENT_ID = re.compile(r"^(\d{17}[\dX]|\d{15})$")


def cell_text(value) -> str:
    """A cell as text: numbers typed into text columns lose no digits and gain no '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    return str(value).strip()


@dataclass
class RowError:
    sheet: str
    row: int  # the row number Excel shows (the header is row 1)
    message: str


class RowReader:
    """Reads one row's cells by header, converting them and collecting one error per bad cell."""

    def __init__(self, sheet: str, row: int, cells: dict, errors: list):
        self.sheet, self.row, self.cells, self.errors = sheet, row, cells, errors
        self.failed = False

    def error(self, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.sheet, self.row, message))

    def cell_error(self, column: str, message: str, **params) -> None:
        self.error(message % {"row": self.row, "column": column, **params})

    def text(self, column: str, required=False, model_field=None) -> str:
        value = cell_text(self.cells.get(column))
        if required and not value:
            self.cell_error(column, _("Row %(row)d, %(column)s: this cell is required."))
        elif model_field is not None and model_field.max_length and len(value) > model_field.max_length:
            self.cell_error(column, _("Row %(row)d, %(column)s: at most %(limit)d characters."),
                            limit=model_field.max_length)
            return ""
        return value

    def integer(self, column: str, required=False, minimum=None) -> int | None:
        raw = self.cells.get(column)
        text = cell_text(raw)
        if not text:
            if required:
                self.cell_error(column, _("Row %(row)d, %(column)s: this cell is required."))
            return None
        try:
            number = Decimal(text)
            if number != number.to_integral_value():
                raise InvalidOperation
            number = int(number)
        except (InvalidOperation, ValueError):
            self.cell_error(column, _("Row %(row)d, %(column)s: “%(value)s” is not a whole number."), value=text)
            return None
        if (minimum is not None and number < minimum) or abs(number) > 32767:
            self.cell_error(column, _("Row %(row)d, %(column)s: %(value)s is out of range."), value=text)
            return None
        return number

    def area(self, column: str) -> Decimal | None:
        """A positive area in m², rounded to the 2 decimals it is stored with."""
        text = cell_text(self.cells.get(column))
        if not text:
            self.cell_error(column, _("Row %(row)d, %(column)s: this cell is required."))
            return None
        try:
            number = Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            self.cell_error(column, _("Row %(row)d, %(column)s: “%(value)s” is not a number."), value=text)
            return None
        if number <= 0 or number >= Decimal("10000000"):
            self.cell_error(column, _("Row %(row)d, %(column)s: the area must be greater than zero."))
            return None
        return number

    def date(self, column: str, required=False, not_after_today=False) -> date | None:
        raw = self.cells.get(column)
        if isinstance(raw, datetime):
            value = raw.date()
        elif isinstance(raw, date):
            value = raw
        else:
            text = cell_text(raw)
            if not text:
                if required:
                    self.cell_error(column, _("Row %(row)d, %(column)s: this cell is required."))
                return None
            value = _parse_date(text)
            if value is None:
                self.cell_error(column, _("Row %(row)d, %(column)s: “%(value)s” is not a date (use YYYY-MM-DD)."),
                                value=text)
                return None
        if not_after_today and value > timezone.localdate():
            self.cell_error(column, _("Row %(row)d, %(column)s: the date is in the future."))
            return None
        return value

    def choice(self, column: str, choices: Choices, default: str | None = None) -> str | None:
        """The value for the Chinese label in the cell; blank gives `default` (None: required)."""
        text = cell_text(self.cells.get(column))
        if not text:
            if default is None:
                self.cell_error(column, _("Row %(row)d, %(column)s: this cell is required."))
            return default
        value = choices.lookup(text)
        if value is None:
            self.cell_error(column, _("Row %(row)d, %(column)s: “%(value)s” is not one of: %(choices)s."),
                            value=text, choices=choices.listing())
        return value

    def phones(self, column: str) -> list[str]:
        numbers = []
        for part in _PHONE_SEPARATORS.split(cell_text(self.cells.get(column))):
            if not part.strip():
                continue
            try:
                number = validate_phone(part.strip())
            except ValidationError:
                self.cell_error(column, _("Row %(row)d, %(column)s: “%(value)s” is not a valid phone number."),
                                value=part.strip())
                continue
            if number not in numbers:
                numbers.append(number)
        return numbers

    def email(self, column: str, model_field) -> str:
        value = self.text(column, model_field=model_field)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.cell_error(column, _("Row %(row)d, %(column)s: “%(value)s” is not a valid email address."),
                                value=value)
                return ""
        return value

    def id_number(self, column: str, id_type: str | None, model_field) -> str:
        """The ID number as typed; a masked one (with *) is returned as is for the caller to keep the old."""
        value = self.text(column, model_field=model_field).replace(" ", "").upper()
        if value and "*" not in value and id_type == Customer.IdType.RESIDENT_ID and not _RESIDENT_ID.match(value):
            self.cell_error(column, _("Row %(row)d, %(column)s: “%(value)s” is not a valid resident ID number."),
                            value=value)
        return value


def _parse_date(text: str) -> date | None:
    match = _DATE_TEXT.match(text)
    if match:
        parts = match.groups()
    elif re.fullmatch(r"\d{8}", text):
        parts = (text[:4], text[4:6], text[6:])
    else:
        return None
    try:
        return date(*(int(p) for p in parts))
    except ValueError:
        return None
