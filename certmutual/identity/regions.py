"""Provincial-level divisions of GB/T 2260 (中华人民共和国行政区划代码), keyed by their two-digit code.

Source: GB/T 2260; the code list is the digest's table (``reference/china-specs.md`` §3.3). The
list has all 34 provincial-level divisions, including 71 台湾省, 81 香港特别行政区 and 82 澳门特别行政区
as the standard lists them. Code 91 (国外, "abroad"), which some validators accept, is not a
division and is deliberately absent.

A code's division digits name the **registering authority** (credit code positions 3–8) or the
place of **first registration** (ID number positions 1–6). Neither says where an entity operates
today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["PROVINCES", "Province", "province_by_code"]


@dataclass(frozen=True)
class Province:
    """One provincial-level division (省级行政区) of GB/T 2260."""

    code: str
    """The two-digit division prefix, e.g. ``"44"``."""
    name: str
    """Full Chinese name as GB/T 2260 gives it, e.g. ``"广东省"``."""
    short_name: str
    """Short Chinese name, e.g. ``"广东"``."""
    name_en: str
    """Common English name, e.g. ``"Guangdong"``."""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "name_en": self.name_en}


PROVINCES: Final[tuple[Province, ...]] = (
    Province("11", "北京市", "北京", "Beijing"),
    Province("12", "天津市", "天津", "Tianjin"),
    Province("13", "河北省", "河北", "Hebei"),
    Province("14", "山西省", "山西", "Shanxi"),
    Province("15", "内蒙古自治区", "内蒙古", "Inner Mongolia"),
    Province("21", "辽宁省", "辽宁", "Liaoning"),
    Province("22", "吉林省", "吉林", "Jilin"),
    Province("23", "黑龙江省", "黑龙江", "Heilongjiang"),
    Province("31", "上海市", "上海", "Shanghai"),
    Province("32", "江苏省", "江苏", "Jiangsu"),
    Province("33", "浙江省", "浙江", "Zhejiang"),
    Province("34", "安徽省", "安徽", "Anhui"),
    Province("35", "福建省", "福建", "Fujian"),
    Province("36", "江西省", "江西", "Jiangxi"),
    Province("37", "山东省", "山东", "Shandong"),
    Province("41", "河南省", "河南", "Henan"),
    Province("42", "湖北省", "湖北", "Hubei"),
    Province("43", "湖南省", "湖南", "Hunan"),
    Province("44", "广东省", "广东", "Guangdong"),
    Province("45", "广西壮族自治区", "广西", "Guangxi"),
    Province("46", "海南省", "海南", "Hainan"),
    Province("50", "重庆市", "重庆", "Chongqing"),
    Province("51", "四川省", "四川", "Sichuan"),
    Province("52", "贵州省", "贵州", "Guizhou"),
    Province("53", "云南省", "云南", "Yunnan"),
    Province("54", "西藏自治区", "西藏", "Tibet"),
    Province("61", "陕西省", "陕西", "Shaanxi"),
    Province("62", "甘肃省", "甘肃", "Gansu"),
    Province("63", "青海省", "青海", "Qinghai"),
    Province("64", "宁夏回族自治区", "宁夏", "Ningxia"),
    Province("65", "新疆维吾尔自治区", "新疆", "Xinjiang"),
    Province("71", "台湾省", "台湾", "Taiwan"),
    Province("81", "香港特别行政区", "香港", "Hong Kong"),
    Province("82", "澳门特别行政区", "澳门", "Macao"),
)
"""All 34 provincial-level divisions, in code order."""

_BY_CODE: Final[Mapping[str, Province]] = MappingProxyType({p.code: p for p in PROVINCES})


def province_by_code(code: str) -> Province | None:
    """Look up a provincial-level division by its two-digit GB/T 2260 code.

    :param code: exactly two ASCII digits, e.g. ``"44"``.
    :returns: the division, or ``None`` for any other string (including 91 国外 and the central
        registrations' ``10``).
    """
    return _BY_CODE.get(code)
