"""`kstui.store.seed_loader`, `bootstrap` and `migrate`: making, seeding and upgrading a store."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from sqlmodel import SQLModel

import kstui.store.models  # noqa: F401  (registers the tables)
from kstui.providers.clock import FrozenClock
from kstui.services.catalog.listing import CatalogQuery, search_products
from kstui.store.bootstrap import needs_setup, open_store
from kstui.store.errors import StoreError, StoreTooNew
from kstui.store.interface import Engine, Store, from_db_date, from_db_time
from kstui.store.migrate import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    POSTGRESQL_SEARCH_TABLES,
    SEARCH_TABLES,
    current_revision,
    ensure_schema,
    has_table,
    known_revisions,
)
from kstui.store.seed_loader import (
    DATA_TABLES,
    SeedError,
    SeedReport,
    is_seeded,
    load_seed,
    overall_score,
    spec_key,
)
from kstui.store.sqlite import SqliteStore, SqliteTransaction

FIXTURES = Path(__file__).parents[2] / "fixtures"
SMALL_SEED = FIXTURES / "seed_small.json"
PASSWORD = "Kstui2026"
Json = dict[str, Any]


def raw_seed() -> Json:
    data: Json = json.loads(SMALL_SEED.read_text(encoding="utf-8"))
    return data


def search_tables(engine: Engine) -> tuple[str, ...]:
    """The engine's search index tables (one row per product in each)."""
    return SEARCH_TABLES if engine == "sqlite" else POSTGRESQL_SEARCH_TABLES


KEYS = {
    "lockout": "scope, subject",
    "wallet": "account_id",
    "gateway_trade": "trade_no",
    "sms_quota": "phone",
}
"""The key of each shop table that has no `id`."""
SEARCH_KEYS = {"search_tri": "rowid", "search_gram": "rowid", "search_doc": "product_id"}
"""The product id of each search table's row (FTS5 tables: its rowid)."""


def counts(store: Store) -> dict[str, int]:
    with store.reading() as tx:
        tables = [*DATA_TABLES, *search_tables(tx.engine)]
        return {t: int(tx.fetch_value(f"SELECT count(*) FROM {t}")) for t in tables}


def dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every shop row and search document, except password hashes (salted anew on each
    load)."""
    with store.reading() as tx:
        tables = {
            t: tx.fetch_all(f"SELECT * FROM {t} ORDER BY {KEYS.get(t, 'id')}")
            for t in DATA_TABLES
            if t != "account"
        }
        tables["account"] = tx.fetch_all(
            "SELECT id, phone, nickname, role, shop_id, real_name, id_number, birth_date, "
            "created_at FROM account ORDER BY id"
        )
        for t in search_tables(tx.engine):
            key = SEARCH_KEYS[t]
            tables[t] = tx.fetch_all(f"SELECT {key}, * FROM {t} ORDER BY {key}")
    return tables


def new_store(path: Path) -> Store:
    store = SqliteStore(path)
    assert ensure_schema(store) is True
    return store


def seed_copy(tmp_path: Path, edit: Callable[[Json], None] | None = None) -> Path:
    """The small seed and its pictures copied to `tmp_path / "seed"`, edited if asked."""
    folder = tmp_path / "seed"
    shutil.copytree(FIXTURES / "pictures", folder / "pictures")
    data = raw_seed()
    if edit is not None:
        edit(data)
    path = folder / "seed.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def expected_counts(data: Json, engine: Engine = "sqlite") -> dict[str, int]:
    products = data["products"]
    reviews = [r for p in products for r in p["reviews"]]
    pictures = {p["picture"] for p in products} | {f for r in reviews for f in r["photos"]}
    contents = {(FIXTURES / rel).read_bytes() for rel in pictures}
    shoppers = [a for a in data["accounts"] if a["role"] == "shopper"]
    with_balance = [a for a in data["accounts"] if a.get("balance")]
    new_user = [c for c in data["platform_coupons"] if c.get("new_user")]
    empty = dict.fromkeys(DATA_TABLES, 0)
    return (
        empty
        | dict.fromkeys(search_tables(engine), len(products))
        | {
            "coupon": len(shoppers) * len(new_user),
            "wallet": len(with_balance),
            "wallet_entry": len(with_balance),
            "review_photo": sum(len(r["photos"]) for r in reviews),
            "review": len(reviews),
            "promotion": sum(len(p.get("promotions", [])) for p in products),
            "sku": sum(len(p["skus"]) for p in products),
            "spec_value": sum(len(s["values"]) for p in products for s in p["specs"]),
            "product_spec": sum(len(p["specs"]) for p in products),
            "product": len(products),
            "coupon_template": sum(len(s.get("coupons", [])) for s in data["shops"])
            + len(data["platform_coupons"])
            + sum(len(r["days"]) for r in data.get("checkin_rewards", [])),
            "account": len(data["accounts"]),
            "shipping_rate": sum(len(s["shipping"]["fees"]) for s in data["shops"]),
            "shop": len(data["shops"]),
            "brand": len(data["brands"]),
            "category": sum(1 + len(c["children"]) for c in data["categories"]),
            "picture": len(contents),
        }
    )


# -- loading ----------------------------------------------------------------------------------


def test_the_seeded_store_holds_the_whole_seed(store: Store) -> None:
    expected = expected_counts(raw_seed(), store.engine)
    assert expected["product"] == 12
    assert expected["sku"] == 24
    assert expected["review"] == 20
    assert expected["picture"] == 5
    assert counts(store) == expected
    with store.reading() as tx:
        assert is_seeded(tx)


def test_loading_twice_is_a_no_op(store: Store, clock: FrozenClock) -> None:
    before, rows = counts(store), dump(store)
    with store.reading() as tx:
        hashes = tx.fetch_all("SELECT password_hash FROM account ORDER BY id")
    assert load_seed(store, SMALL_SEED, clock=clock) == SeedReport(loaded=False)
    assert counts(store) == before
    assert dump(store) == rows
    with store.reading() as tx:
        assert tx.fetch_all("SELECT password_hash FROM account ORDER BY id") == hashes


def test_reset_reloads_to_the_same_store(store: Store, clock: FrozenClock) -> None:
    before, rows = counts(store), dump(store)
    report = load_seed(store, SMALL_SEED, clock=clock, reset=True)
    assert report == SeedReport(loaded=True, products=12, accounts=3)
    assert counts(store) == before
    assert dump(store) == rows
    with store.reading() as tx:  # the search index was rebuilt too
        [card] = search_products(tx, CatalogQuery(text="lianyiqun"), limit=5).cards
        assert card.id == 1


def _missing_spec_value(data: Json) -> None:
    data["products"][0]["skus"][0]["values"] = [0, 7]


def _escaping_picture(data: Json) -> None:
    data["products"][0]["picture"] = "../outside.png"


def _absolute_picture(data: Json) -> None:
    data["products"][0]["picture"] = str(FIXTURES / "pictures" / "dress.png")


def _non_png_picture(data: Json) -> None:
    data["products"][1]["reviews"][0]["photos"] = ["pictures/fake.png"]


def _missing_picture(data: Json) -> None:
    data["products"][2]["picture"] = "pictures/nope.png"


def _unknown_brand(data: Json) -> None:
    data["products"][3]["brand"] = "nobody"


def _negative_stock(data: Json) -> None:
    data["products"][0]["skus"][0]["stock"] = -1


def _extra_field(data: Json) -> None:
    data["products"][0]["colour"] = "red"


BAD_SEEDS: dict[str, tuple[Callable[[Json], None], str]] = {
    "sku names a missing spec value": (_missing_spec_value, "names a missing value"),
    "picture escapes the folder": (_escaping_picture, "outside the seed folder"),
    "absolute picture path": (_absolute_picture, "outside the seed folder"),
    "picture is not a PNG": (_non_png_picture, "not a PNG"),
    "picture is missing": (_missing_picture, "nope.png"),
    "unknown brand": (_unknown_brand, "unknown brand nobody"),
    "negative stock": (_negative_stock, "stock"),
    "unknown field": (_extra_field, "colour"),
}


def bad_seed(tmp_path: Path, case: str) -> Path:
    edit, _ = BAD_SEEDS[case]
    path = seed_copy(tmp_path, edit)
    # a real PNG just outside the seed folder, and a GIF posing as a PNG inside it
    shutil.copyfile(FIXTURES / "pictures" / "apple.png", tmp_path / "outside.png")
    (path.parent / "pictures" / "fake.png").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    return path


@pytest.mark.parametrize("case", sorted(BAD_SEEDS))
def test_a_bad_seed_leaves_a_seeded_store_unchanged(
    store: Store, clock: FrozenClock, tmp_path: Path, case: str
) -> None:
    path = bad_seed(tmp_path, case)
    before, rows = counts(store), dump(store)
    with pytest.raises(SeedError, match=BAD_SEEDS[case][1]):
        load_seed(store, path, clock=clock, reset=True)
    assert counts(store) == before
    assert dump(store) == rows


@pytest.mark.parametrize("case", ["picture escapes the folder", "sku names a missing spec value"])
def test_a_bad_seed_leaves_an_empty_store_empty(
    tmp_path: Path, clock: FrozenClock, case: str
) -> None:
    store = new_store(tmp_path / "new.db")
    with pytest.raises(SeedError):
        load_seed(store, bad_seed(tmp_path, case), clock=clock)
    assert set(counts(store).values()) == {0}
    store.close()


def test_a_symlink_out_of_the_seed_folder_is_refused(
    store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    path = seed_copy(tmp_path)
    shutil.copyfile(FIXTURES / "pictures" / "dress.png", tmp_path / "elsewhere.png")
    (path.parent / "pictures" / "dress.png").unlink()
    (path.parent / "pictures" / "dress.png").symlink_to(tmp_path / "elsewhere.png")
    rows = dump(store)
    with pytest.raises(SeedError, match="outside the seed folder"):
        load_seed(store, path, clock=clock, reset=True)
    assert dump(store) == rows


def test_a_missing_seed_file(store: Store, clock: FrozenClock, tmp_path: Path) -> None:
    rows = dump(store)
    with pytest.raises(SeedError, match=r"nope\.json"):
        load_seed(store, tmp_path / "nope.json", clock=clock, reset=True)
    assert dump(store) == rows


@pytest.mark.parametrize("text", ["", "{", "not json", "[1, 2", "\x00\x01"])
def test_a_seed_file_that_is_not_json(
    store: Store, clock: FrozenClock, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "seed.json"
    path.write_text(text, encoding="utf-8")
    rows = dump(store)
    with pytest.raises(SeedError, match=r"seed\.json"):
        load_seed(store, path, clock=clock, reset=True)
    assert dump(store) == rows


def test_a_seed_file_that_is_not_utf8(store: Store, clock: FrozenClock, tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_bytes(b'{"version": 1, "name": "\xff\xfe"}')
    rows = dump(store)
    with pytest.raises(SeedError):
        load_seed(store, path, clock=clock, reset=True)
    assert dump(store) == rows


def test_a_seed_that_is_json_but_no_object(
    store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    path = tmp_path / "seed.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(SeedError):
        load_seed(store, path, clock=clock, reset=True)
    assert counts(store)["product"] == 12


# -- what was loaded --------------------------------------------------------------------------


def test_passwords_are_argon2id_hashes(store: Store) -> None:
    with store.reading() as tx:
        rows = tx.fetch_all("SELECT phone, password_hash FROM account ORDER BY id")
    assert [phone for phone, _ in rows] == ["13800138000", "13800138001", "13900139000"]
    hasher = PasswordHasher()
    hashes = [h for _, h in rows]
    assert len(set(hashes)) == 3  # same password, different salts
    for password_hash in hashes:
        assert password_hash.startswith("$argon2id$")
        assert hasher.verify(password_hash, PASSWORD)
        with pytest.raises(VerifyMismatchError):
            hasher.verify(password_hash, PASSWORD + "x")


def test_the_clear_password_is_nowhere_in_the_files(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "fresh.db"
    store = open_store(path, clock=clock, seed_path=SMALL_SEED)
    with store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM account") == 3
    files = sorted(tmp_path.glob("fresh.db*"))
    assert path in files
    for file in files:  # the database, and its WAL if any
        data = file.read_bytes()
        assert PASSWORD.encode() not in data
        assert PASSWORD.encode("utf-16-le") not in data
    store.close()
    data = path.read_bytes()
    assert PASSWORD.encode() not in data
    assert b"$argon2id$" in data


def test_accounts(store: Store) -> None:
    with store.reading() as tx:
        rows = [
            (*row[:4], None if row[4] is None else from_db_date(row[4]))
            for row in tx.fetch_all(
                "SELECT a.nickname, a.role, s.slug, a.real_name, a.birth_date FROM account a "
                "LEFT JOIN shop s ON s.id = a.shop_id ORDER BY a.id"
            )
        ]
    assert rows == [
        ("测试买家", "shopper", None, "林小满", date(1990, 3, 7)),
        ("小同学", "shopper", None, "陈一一", date(2012, 5, 6)),
        ("衣衣掌柜", "merchant", "yiyi", None, None),
    ]


def test_identical_pictures_are_stored_once(tmp_path: Path, clock: FrozenClock) -> None:
    def use_a_copy(data: Json) -> None:
        data["products"][1]["picture"] = "pictures/dress-copy.png"  # the skirt
        data["products"][2]["reviews"][0]["photos"] = ["pictures/dress-copy.png"]

    path = seed_copy(tmp_path, use_a_copy)
    shutil.copyfile(
        path.parent / "pictures" / "dress.png", path.parent / "pictures" / "dress-copy.png"
    )
    store = new_store(tmp_path / "new.db")
    load_seed(store, path, clock=clock)
    with store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM picture") == 5
        pictures: dict[str, int] = dict(tx.fetch_all("SELECT slug, picture_id FROM product"))
        assert pictures["floral-dress"] == pictures["pleated-skirt"]
        assert pictures["floral-dress"] != pictures["anc-earbuds"]
        photo = tx.fetch_value(
            "SELECT picture_id FROM review_photo p JOIN review r ON r.id = p.review_id "
            "WHERE r.product_id = 3"
        )
        assert photo == pictures["floral-dress"]
    store.close()


def test_the_fixture_pictures_are_distinct(store: Store) -> None:
    with store.reading() as tx:
        rows = tx.fetch_all("SELECT sha256, png FROM picture")
    assert {hashlib.sha256(png).hexdigest() for _, png in rows} == {sha for sha, _ in rows}
    on_disk = {(FIXTURES / "pictures" / f).read_bytes() for f in ("apple.png", "dress.png")}
    assert on_disk <= {bytes(png) for _, png in rows}


def _cheapest(product: Json) -> Json:
    in_stock = [s for s in product["skus"] if s["stock"] > 0] or product["skus"]
    return min(in_stock, key=lambda s: (s["price"], s["values"]))


def test_product_aggregates_match_the_seed(store: Store) -> None:
    with store.reading() as tx:
        stored = {
            row[0]: row[1:]
            for row in tx.fetch_all(
                "SELECT slug, price, original_price, stock, sales, review_count, rating_sum, "
                "photo_review_count, score, return_policy, per_order_limit FROM product"
            )
        }
    for p in raw_seed()["products"]:
        cheapest = _cheapest(p)
        ratings = [r["rating"] for r in p["reviews"]]
        assert stored[p["slug"]] == (
            cheapest["price"],
            cheapest.get("original_price"),
            sum(s["stock"] for s in p["skus"]),
            p["sales"],
            len(ratings),
            sum(ratings),
            sum(1 for r in p["reviews"] if r["photos"]),
            overall_score(
                sales=p["sales"],
                rating_sum=sum(ratings),
                reviews=len(ratings),
                listed_days_ago=p["listed_days_ago"],
            ),
            p.get("return_policy", "standard"),
            p.get("per_order_limit"),
        ), p["slug"]


def test_aggregates_of_some_products(store: Store) -> None:
    with store.reading() as tx:
        rows = {
            slug: (price, original, stock)
            for slug, price, original, stock in tx.fetch_all(
                "SELECT slug, price, original_price, stock FROM product"
            )
        }
    assert rows["floral-dress"] == (12900, 15900, 30)  # the ¥129 rose S, first of the ¥129s
    assert rows["anc-earbuds"] == (29900, 39900, 50)
    assert rows["studio-headphones"] == (45900, None, 0)  # all sold out: still priced
    assert rows["filler-1"] == (3900, None, 0)


def test_a_cheaper_sold_out_sku_does_not_set_the_price(tmp_path: Path, clock: FrozenClock) -> None:
    def cheap_but_sold_out(data: Json) -> None:
        skirt, earbuds = data["products"][1], data["products"][2]
        skirt["skus"][2].update(price=5900, stock=0)  # L
        earbuds["skus"][1].update(price=19900, original_price=24900, stock=0)  # 珍珠白
        data["products"][3]["skus"][0].update(price=45800)  # sold out all the same

    store = new_store(tmp_path / "new.db")
    load_seed(store, seed_copy(tmp_path, cheap_but_sold_out), clock=clock)
    with store.reading() as tx:
        rows = {
            slug: (price, original, stock)
            for slug, price, original, stock in tx.fetch_all(
                "SELECT slug, price, original_price, stock FROM product"
            )
        }
    assert rows["pleated-skirt"] == (6900, None, 60)
    assert rows["anc-earbuds"] == (29900, 39900, 50)
    assert rows["studio-headphones"] == (45800, None, 0)
    store.close()


@pytest.mark.parametrize(
    ("sales", "rating_sum", "reviews", "days", "score"),
    [
        (0, 0, 0, 400, 0),
        (12840, 16, 4, 20, 4759),  # 4108.6 + 300 + 350
        (9, 5, 1, 90, 1600),  # 1000 + 600 + 0
        (99, 3, 1, 0, 2450),  # 2000 + 0 + 450
    ],
)
def test_overall_score(sales: int, rating_sum: int, reviews: int, days: int, score: int) -> None:
    assert (
        overall_score(sales=sales, rating_sum=rating_sum, reviews=reviews, listed_days_ago=days)
        == score
    )


def test_spec_key() -> None:
    assert spec_key([]) == ""
    assert spec_key((1, 3)) == "1.3"
    assert spec_key([10, 0]) == "10.0"


def test_times_are_relative_to_the_clock(tmp_path: Path) -> None:
    now = datetime(2031, 2, 3, 13, 45, 30, 123456, tzinfo=UTC)
    store = new_store(tmp_path / "later.db")
    load_seed(store, SMALL_SEED, clock=FrozenClock(now))
    data = raw_seed()

    def days(n: int) -> datetime:
        return now + timedelta(days=n)

    with store.reading() as tx:
        listed = {
            s: from_db_time(t) for s, t in tx.fetch_all("SELECT slug, listed_at FROM product")
        }
        assert listed == {p["slug"]: days(-p["listed_days_ago"]) for p in data["products"]}
        created = [
            from_db_time(r[0]) for r in tx.fetch_all("SELECT created_at FROM review ORDER BY id")
        ]
        assert created == [days(-r["days_ago"]) for p in data["products"] for r in p["reviews"]]
        ends = [
            from_db_time(r[0]) for r in tx.fetch_all("SELECT ends_at FROM promotion ORDER BY id")
        ]
        assert ends == [
            days(x["ends_in_days"]) for p in data["products"] for x in p.get("promotions", [])
        ]
        coupons = [
            (from_db_time(starts), from_db_time(ends), valid_days)
            for starts, ends, valid_days in tx.fetch_all(
                "SELECT starts_at, ends_at, valid_days FROM coupon_template ORDER BY id"
            )
        ]
        seeded = [c for s in data["shops"] for c in s.get("coupons", [])]
        seeded += data["platform_coupons"]
        seeded += [r["coupon"] for r in data["checkin_rewards"] for _ in r["days"]]
        assert coupons == [
            (days(0), days(c.get("campaign_days", 365)), c["valid_days"]) for c in seeded
        ]
        accounts = {from_db_time(r[0]) for r in tx.fetch_all("SELECT created_at FROM account")}
        assert accounts == {now}  # to the microsecond
    store.close()


# -- bootstrap --------------------------------------------------------------------------------


def test_open_store_creates_migrates_and_seeds_once(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "sub" / "dir" / "kstui.db"
    assert needs_setup(path)
    store = open_store(path, clock=clock, seed_path=SMALL_SEED)
    assert not needs_setup(path)
    first = counts(store)
    with store.reading() as tx:
        hashes = tx.fetch_all("SELECT password_hash FROM account ORDER BY id")
    store.close()
    # a second opening neither migrates nor seeds again, even with an unusable seed
    again = open_store(path, clock=clock, seed_path=tmp_path / "missing.json")
    assert counts(again) == first == expected_counts(raw_seed())
    with again.reading() as tx:
        assert tx.fetch_all("SELECT password_hash FROM account ORDER BY id") == hashes
    again.close()


def test_open_store_on_an_empty_store_with_a_bad_seed(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "kstui.db"
    with pytest.raises(SeedError):
        open_store(path, clock=clock, seed_path=tmp_path / "missing.json")
    store = SqliteStore(path)
    with store.reading() as tx:
        assert current_revision(tx) == HEAD_REVISION
        assert not is_seeded(tx)
    store.close()


def test_needs_setup_for_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert needs_setup(path)


def test_open_store_on_a_file_that_is_no_database(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError):
        open_store(path, clock=clock, seed_path=SMALL_SEED)
    assert path.read_bytes() == b"these are my notes, not a database\n" * 200


# -- migrations -------------------------------------------------------------------------------


def sqlalchemy_engine(store: Store) -> Any:
    """The store's SQLAlchemy engine (what Alembic runs on)."""
    return store.sqlalchemy_engine  # type: ignore[attr-defined]


def _scripts() -> dict[str, str | None]:
    """revision → down_revision of every migration script."""
    found: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, Any] = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in ("revision", "down_revision")
            ):
                values[node.targets[0].id] = ast.literal_eval(node.value)
        if "revision" in values:
            found[values["revision"]] = values.get("down_revision")
    return found


def test_head_revision_is_the_newest_script() -> None:
    scripts = _scripts()
    assert scripts
    heads = set(scripts) - {down for down in scripts.values() if down is not None}
    assert heads == {HEAD_REVISION}
    assert [r for r, down in scripts.items() if down is None] != []  # one base
    assert known_revisions() == set(scripts)


def test_ensure_schema_on_a_current_store(store: Store) -> None:
    assert ensure_schema(store) is False
    with store.reading() as tx:
        assert current_revision(tx) == HEAD_REVISION


def test_ensure_schema_on_a_new_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "new.db")
    with store.reading() as tx:
        assert current_revision(tx) is None
    assert ensure_schema(store) is True
    assert ensure_schema(store) is False
    with store.reading() as tx:
        assert current_revision(tx) == HEAD_REVISION
        for table in (*DATA_TABLES, *search_tables(tx.engine)):
            assert has_table(tx, table), table
    store.close()


def test_a_store_from_a_newer_kstui(store: Store) -> None:
    with store.writing() as tx:
        tx.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreTooNew, match="9999"):
        ensure_schema(store)
    assert issubclass(StoreTooNew, StoreError)
    with store.reading() as tx:
        assert current_revision(tx) == "9999"
        assert tx.fetch_value("SELECT count(*) FROM product") == 12


def test_open_store_refuses_a_newer_store(store: Store, clock: FrozenClock) -> None:
    with store.writing() as tx:
        tx.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreTooNew):
        open_store(store.location, clock=clock, seed_path=SMALL_SEED)


def test_models_match_the_migrated_schema(store: Store) -> None:
    def not_fts(name: str | None, type_: str, _parent: object) -> bool:
        return not (
            type_ == "table"
            and name is not None
            and name.startswith(SEARCH_TABLES + POSTGRESQL_SEARCH_TABLES)
        )

    with sqlalchemy_engine(store).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": not_fts}
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_comparison_sees_a_difference(store: Store) -> None:
    """The schema check above is not blind: an extra column is reported."""
    with store.writing() as tx:
        tx.execute("ALTER TABLE brand ADD COLUMN motto TEXT")
    with sqlalchemy_engine(store).connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, _type, _parent: not str(name).startswith("search_")},
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert [(d[0], d[2], d[3].name) for d in diff] == [("remove_column", "brand", "motto")]


def test_birth_dates_are_iso_dates(store: Store) -> None:
    with store.reading() as tx:
        dates = [
            r[0]
            for r in tx.fetch_all(
                "SELECT birth_date FROM account WHERE birth_date IS NOT NULL ORDER BY id"
            )
        ]
    assert [from_db_date(d) for d in dates] == [date(1990, 3, 7), date(2012, 5, 6)]


def test_foreign_keys_hold_after_loading(sqlite_store: SqliteStore) -> None:
    """SQLite checks foreign keys only as rows are written: the loaded file holds."""
    with sqlite_store.reading() as tx:
        assert tx.fetch_all("PRAGMA foreign_key_check") == []
        assert tx.fetch_one("PRAGMA integrity_check") == ("ok",)


def test_sqlite_rows_are_plain(sqlite_store: SqliteStore) -> None:
    with sqlite_store.reading() as tx:
        assert isinstance(tx, SqliteTransaction)
        assert isinstance(tx.connection, sqlite3.Connection)
        assert tx.connection.row_factory is None
        assert type(tx.fetch_one("SELECT 1, 'a'")) is tuple


def test_autogenerate_finds_nothing_to_change(store: Store) -> None:
    """The migrations and the models agree, and autogenerate leaves the search index be."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from kstui.store.migrate import include_object

    with sqlalchemy_engine(store).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
