"""The `kstui` command line: search and show products, seeding, errors as one plain line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kstui.cli import main
from kstui.store.interface import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `kstui ARGS` in this process; returns (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_search_json_has_integer_fen(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    code, out, err = run(capsys, "--db", str(store.path), "products", "search", "裙", "--json")
    assert code == 0, err
    products = json.loads(out)
    assert {p["name"]["zh"] for p in products} == {
        "法式碎花雪纺连衣裙女夏季中长款",
        "百褶半身裙女高腰A字裙",
        "碎花短裙夏季",
    }
    dress = next(p for p in products if p["id"] == 1)
    assert dress["price"] == 12900
    assert dress["original_price"] == 15900
    assert all(isinstance(p["price"], int) for p in products)


def test_search_filters_and_sort(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    code, out, _ = run(
        capsys,
        "--db", str(store.path), "products", "search",
        "--category", "服装", "--min-price", "50", "--max-price", "130",
        "--brand", "aurora", "--sort", "price_desc", "--in-stock", "--json",
    )  # fmt: skip
    assert code == 0
    prices = [p["price"] for p in json.loads(out)]
    assert prices == [12900, 6900]


def test_search_table_in_english(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    code, out, _ = run(capsys, "--lang", "en", "--db", str(store.path), "products", "search", "lyq")
    assert code == 0
    assert "French Floral Chiffon Midi Dress" in out
    assert "Showing 1 of 1" in out


def test_markup_is_printed_literally(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    code, out, _ = run(capsys, "--db", str(store.path), "products", "search", "标记测试")
    assert code == 0
    assert "[b]粗体[/b]" in out


def test_show_product(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    code, out, _ = run(capsys, "--db", str(store.path), "products", "show", "1", "--json")
    assert code == 0
    detail = json.loads(out)
    assert detail["price_range"] == [12900, 14900]
    assert len(detail["skus"]) == 6
    assert detail["no_reason_returns"] is True
    assert detail["rating"]["count"] == 4
    code, out, _ = run(capsys, "--db", str(store.path), "products", "show", "7")
    assert code == 0
    assert "生鲜商品，不支持7天无理由退货" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["products", "show", "999"], "错误：商品不存在或已下架：999"),
        (["products", "search", "--min-price", "abc"], "错误：价格请填写数字"),
        (["products", "search", "--min-price", "-5"], "错误：价格请填写数字"),
        (
            ["products", "search", "--min-price", "200", "--max-price", "100"],
            "错误：价格区间不正确",
        ),
        (["products", "search", "--category", "nope"], "错误：没有这个分类：nope"),
        (["products", "search", "--brand", "nobrand"], "错误：没有这个品牌：nobrand"),
        (["products", "search", "x" * 10_000], "错误：搜索词太长了"),
        (["products", "search", "--limit", "0"], "错误：数量 0 超出范围"),
        (["products", "search", "--bogus"], "错误：没有这个选项：--bogus"),
        (["--lang", "fr"], "错误：不支持的语言：fr"),
    ],
)
def test_errors_are_one_plain_line(
    capsys: pytest.CaptureFixture[str], store: Store, args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--db", str(store.path), *args)
    assert code != 0
    assert out == ""
    assert err.startswith(message), err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_seed_is_idempotent(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    def counts() -> dict[str, int]:
        with store.reading() as tx:
            return {
                table: tx.fetch_value(f"SELECT count(*) FROM {table}")
                for table in ("product", "sku", "review", "account", "search_tri")
            }

    before = counts()
    code, out, _ = run(capsys, "--db", str(store.path), "seed")
    assert code == 0
    assert "未重复载入" in out
    assert counts() == before


def test_seed_synthetic_adds_searchable_products(
    capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    code, out, _ = run(capsys, "--db", str(store.path), "seed", "--synthetic", "300")
    assert code == 0
    assert "新增 300 件模拟商品" in out
    code, out, _ = run(capsys, "--db", str(store.path), "seed", "--synthetic", "300")
    assert "新增 0 件模拟商品" in out
    with store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM product") == 312
    code, out, _ = run(capsys, "--db", str(store.path), "products", "search", "lyq", "--json")
    assert code == 0
    assert len(json.loads(out)) > 1


def test_first_run_creates_and_seeds_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "new" / "kstui.db"
    code, out, err = run(capsys, "--db", str(db), "products", "search", "--json", "--limit", "200")
    assert code == 0, err
    assert "首次运行" in err
    assert len(json.loads(out)) >= 150
    code, _, err = run(capsys, "--db", str(db), "products", "search", "--json")
    assert "首次运行" not in err


def test_help_works_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    commands = ([], ["products"], ["products", "search"], ["products", "show"], ["seed"], ["sms"],
                ["sms", "outbox"], ["sim"], ["sim", "advance"], ["sim", "status"])  # fmt: skip
    for args in commands:
        code, out, _ = run(capsys, *args, "--help")
        assert code == 0
        assert out.startswith("用法：kstui"), (args, out)
        code, out, _ = run(capsys, "--lang", "en", *args, "--help")
        assert code == 0
        assert out.startswith("Usage: kstui"), (args, out)


def test_real_process_entry_point(store: Store) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kstui", "--db", str(store.path), "products", "search", "耳机",
         "--json"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3


def test_default_store_lives_in_the_user_data_directory(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kstui", "products", "search", "连衣裙", "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "kstui" / "kstui.db").exists()
    assert len(json.loads(result.stdout)) >= 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (None, "zh")),
        (["--lang", "en"], (None, "en")),
        (["--lang=EN", "--db", "/tmp/x.db"], (Path("/tmp/x.db"), "en")),
        (["--db=/tmp/y.db"], (Path("/tmp/y.db"), "zh")),
        (["--db"], None),  # missing value: Typer explains
        (["--lang", "fr"], None),  # unknown language: Typer explains
        (["--help"], None),
        (["products", "search"], None),
        (["--db", "/tmp/x.db", "seed"], None),
    ],
)
def test_shop_fast_path_takes_only_the_shop_options(
    args: list[str], expected: tuple[Path | None, str] | None
) -> None:
    from kstui.cli import _shop_only

    found = _shop_only(args)
    assert (None if found is None else (found.db, found.lang)) == expected


def test_opening_the_shop_skips_typer(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    import kstui.cli as cli

    opened: list[object] = []
    monkeypatch.setattr(cli, "_run_shop", opened.append)
    monkeypatch.setattr(cli, "_run_cli", lambda *_: pytest.fail("Typer was used"))
    with pytest.raises(SystemExit) as done:
        cli.main(["--db", str(store.path), "--lang", "en"])
    assert done.value.code == 0
    [context] = opened
    assert context.db == store.path  # type: ignore[attr-defined]
    assert context.t.lang == "en"  # type: ignore[attr-defined]


def test_pay_timeout_is_bounded(capsys: pytest.CaptureFixture[str], store: Store) -> None:
    code, _, err = run(
        capsys, "--db", str(store.path), "--pay-timeout", "0", "products", "show", "1"
    )
    assert code != 0
    assert "--pay-timeout" in err


def test_pay_timeout_reaches_the_app(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    """`kstui --pay-timeout 30` builds the app with orders waiting 30 minutes for payment."""
    from datetime import timedelta

    import kstui.app
    from kstui.cli import main

    seen: list[timedelta] = []

    class NoApp:
        def run(self) -> None:
            pass

    def fake_create_app(settings: object, *_: object) -> NoApp:
        seen.append(settings.pay_timeout)  # type: ignore[attr-defined]
        return NoApp()

    monkeypatch.setattr(kstui.app, "create_app", fake_create_app)
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(store.path), "--pay-timeout", "30"])
    assert exited.value.code in (0, None)
    assert seen == [timedelta(minutes=30)]
