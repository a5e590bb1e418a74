"""The dates of the care calendar (关怀, issue 15 item 4), for any year.

The lunar festivals are computed with lunar-python (a maintained lunar-calendar library, correct for every
day from 1901 to 2100 and beyond): Spring Festival 正月初一, Lantern Festival 正月十五, Dragon Boat 五月初五,
Mid-Autumn 八月十五, Double Ninth 九月初九 (the day of the elderly). The solar holidays are fixed dates.
Nothing here reads the State Council's yearly holiday arrangement (the days off and the swapped working
days, published only for the coming year): a greeting goes out on the festival itself, so any future
year works the same as this one.
"""

import datetime as dt
from dataclasses import dataclass

from lunar_python import Lunar, Solar

from ..models import Occasion

LUNAR = {
    Occasion.SPRING_FESTIVAL: (1, 1),
    Occasion.LANTERN: (1, 15),
    Occasion.DRAGON_BOAT: (5, 5),
    Occasion.MID_AUTUMN: (8, 15),
    Occasion.DOUBLE_NINTH: (9, 9),
}
SOLAR = {
    Occasion.NEW_YEAR: (1, 1),
    Occasion.LABOUR_DAY: (5, 1),
    Occasion.NATIONAL_DAY: (10, 1),
}
# Festivals before which the butlers visit the elderly households (a door visit on the callback list).
VISITS = (Occasion.SPRING_FESTIVAL, Occasion.MID_AUTUMN, Occasion.DOUBLE_NINTH)
# Greeted only to the elderly residents (重阳节, the day of the elderly).
ELDERLY_ONLY = (Occasion.DOUBLE_NINTH,)


@dataclass(frozen=True)
class Festival:
    occasion: str
    day: dt.date

    @property
    def label(self) -> str:
        return str(Occasion(self.occasion).label)

    @property
    def lunar(self) -> str:
        """The lunar date as people write it (八月十五), empty for a solar holiday."""
        if self.occasion not in LUNAR:
            return ""
        lunar = Solar.fromYmd(self.day.year, self.day.month, self.day.day).getLunar()
        return f"{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"

    @property
    def visits(self) -> bool:
        return self.occasion in VISITS


def festival_day(occasion: str, year: int) -> dt.date:
    """The Gregorian date of a festival in a Gregorian year (the lunar year that starts in it)."""
    if occasion in LUNAR:
        month, day = LUNAR[occasion]
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
    month, day = SOLAR[occasion]
    return dt.date(year, month, day)


def festivals_between(start: dt.date, end: dt.date) -> list[Festival]:
    """Every festival from `start` to `end` (both included), in date order."""
    found = []
    for year in range(start.year - 1, end.year + 2):
        for occasion in (*LUNAR, *SOLAR):
            day = festival_day(occasion, year)
            if start <= day <= end:
                found.append(Festival(str(occasion), day))
    return sorted(found, key=lambda f: (f.day, f.occasion))


def birthday_in(year: int, birth: dt.date) -> dt.date:
    """A birthday's date in a year: 29 February is kept on 28 February in a common year."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
