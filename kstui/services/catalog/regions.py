"""Provinces of mainland China, keyed by their GB/T 2260 two-digit codes."""

from __future__ import annotations

from kstui.i18n import Localized

PROVINCES: dict[str, Localized] = {
    "11": Localized("北京", "Beijing"),
    "12": Localized("天津", "Tianjin"),
    "13": Localized("河北", "Hebei"),
    "14": Localized("山西", "Shanxi"),
    "15": Localized("内蒙古", "Inner Mongolia"),
    "21": Localized("辽宁", "Liaoning"),
    "22": Localized("吉林", "Jilin"),
    "23": Localized("黑龙江", "Heilongjiang"),
    "31": Localized("上海", "Shanghai"),
    "32": Localized("江苏", "Jiangsu"),
    "33": Localized("浙江", "Zhejiang"),
    "34": Localized("安徽", "Anhui"),
    "35": Localized("福建", "Fujian"),
    "36": Localized("江西", "Jiangxi"),
    "37": Localized("山东", "Shandong"),
    "41": Localized("河南", "Henan"),
    "42": Localized("湖北", "Hubei"),
    "43": Localized("湖南", "Hunan"),
    "44": Localized("广东", "Guangdong"),
    "45": Localized("广西", "Guangxi"),
    "46": Localized("海南", "Hainan"),
    "50": Localized("重庆", "Chongqing"),
    "51": Localized("四川", "Sichuan"),
    "52": Localized("贵州", "Guizhou"),
    "53": Localized("云南", "Yunnan"),
    "54": Localized("西藏", "Tibet"),
    "61": Localized("陕西", "Shaanxi"),
    "62": Localized("甘肃", "Gansu"),
    "63": Localized("青海", "Qinghai"),
    "64": Localized("宁夏", "Ningxia"),
    "65": Localized("新疆", "Xinjiang"),
}

DEFAULT_PROVINCE = "11"
"""Where freight is estimated to before the shopper has an address."""


def province_name(code: str) -> Localized:
    """The name of a province code (the code itself if unknown)."""
    return PROVINCES.get(code, Localized(code, code))
