"""The command line at its edges: what a mistyped or hostile argument gets back, Click's
own texts in Chinese, where the crash log goes, other programs' files, PostgreSQL URLs."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

import kstui.services.catalog.products as products
from kstui.store.interface import Store
from tests.e2e.test_cli import run

ENGLISH_CLICK = ("Usage:", "Options", "Show this message", "No such", "Invalid value", "Error:")


def test_control_characters_in_an_argument_are_shown_escaped(
    capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    code, out, err = run(
        capsys, "--db", str(store.path), "products", "search", "--category", "\x1b]0;x\a"
    )
    assert code != 0
    assert out == ""
    assert "\x1b" not in err
    assert "\a" not in err
    assert r"\x1b]0;x\x07" in err
    assert len(err.strip().splitlines()) == 1


def test_a_direction_mark_is_shown_escaped(
    capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    code, _, err = run(capsys, "--db", str(store.path), "products", "search", "--brand", "a\u202eb")
    assert code != 0
    assert "\u202e" not in err
    assert r"\u202e" in err


@pytest.mark.parametrize(
    ("args", "chinese"),
    [
        (["products", "show", "-1"], "没有这个选项"),
        (["products", "show", "abc"], "不是有效的数字"),
        (["nosuch"], "没有这个命令"),
        (["products", "search", "--limit"], "需要一个值"),
        (["products", "search", "a", "b"], "多余的参数"),
        (["sim", "advance"], "缺少参数"),
    ],
)
def test_usage_errors_are_chinese_in_the_chinese_cli(
    capsys: pytest.CaptureFixture[str], store: Store, args: list[str], chinese: str
) -> None:
    code, _, err = run(capsys, "--db", str(store.path), *args)
    assert code == 2
    assert chinese in err
    assert not any(english in err for english in ENGLISH_CLICK), err


@pytest.mark.parametrize("huge", ["9223372036854775808", "99999999999999999999999"])
def test_an_id_too_big_for_any_store_is_no_such_product(
    capsys: pytest.CaptureFixture[str], store: Store, huge: str
) -> None:
    code, out, err = run(capsys, "--db", str(store.path), "products", "show", huge)
    assert code == 1
    assert out == ""
    assert err.strip() == f"错误：商品不存在或已下架：{huge}"


def test_help_is_chinese_through_and_through(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for chinese in ("用法：", "选项", "命令", "显示本帮助并退出", "--database-url", "--demo-speed"):
        assert chinese in out
    assert not any(english in out for english in ENGLISH_CLICK), out
    code, out, _ = run(capsys, "sim", "advance", "--help")
    assert "拨多久" in out
    assert not any(english in out for english in ENGLISH_CLICK), out


def test_help_in_english_is_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "en", "--help")
    assert code == 0
    assert "Usage:" in out
    assert "Show this message and exit." in out
    assert not any("\u4e00" <= c <= "\u9fff" for c in out), out


def test_the_crash_log_goes_beside_the_store(
    capsys: pytest.CaptureFixture[str],
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(products, "product_detail", broken)
    code, _, err = run(capsys, "--db", str(store.path), "products", "show", "1")
    assert code == 70
    log = store.path.parent / "kstui-error.log"  # type: ignore[attr-defined]
    assert str(log) in err
    assert "RuntimeError: a bug" in log.read_text(encoding="utf-8")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert not (home / "data").exists()  # not in the default data folder


def test_another_program_s_file_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(notes)
    conn.execute("CREATE TABLE notes (t)")
    conn.commit()
    conn.close()
    size = notes.stat().st_size
    code, out, err = run(capsys, "--db", str(notes), "products", "search", "裙")
    assert code == 1
    assert out == ""
    assert "不是 kstui 的商店数据库" in err
    assert len(err.strip().splitlines()) == 1
    assert notes.stat().st_size == size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_db_and_database_url_together_are_refused(
    capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    code, _, err = run(
        capsys,
        "--db",
        str(store.path),
        "--database-url",
        "postgresql://x@/y",
        "products",
        "show",
        "1",
    )
    assert code == 1
    assert "--db" in err
    assert "--database-url" in err


def test_an_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "--database-url", "postgresql://nobody:secret@/nothere?host=/nonexistent-socket-dir",
        "products", "show", "1",
    )  # fmt: skip
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "secret" not in err  # never the password


def test_the_cli_runs_on_postgresql(
    capsys: pytest.CaptureFixture[str], pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_store.url  # type: ignore[attr-defined]
    code, out, err = run(capsys, "--database-url", url, "products", "search", "裙", "--json")
    assert code == 0, err
    assert "法式碎花雪纺连衣裙女夏季中长款" in out
    monkeypatch.setenv("KSTUI_DATABASE_URL", url)
    code, out, err = run(capsys, "--lang", "en", "products", "show", "1")
    assert code == 0, err
    assert "French Floral Chiffon Midi Dress" in out
    code, out, err = run(capsys, "seed")
    assert code == 0, err
    assert "已有数据" in out


def test_seed_creates_and_migrates_a_new_postgresql_database(
    capsys: pytest.CaptureFixture[str], pg_server: object
) -> None:
    name = pg_server.new_database()  # type: ignore[attr-defined]
    url = pg_server.url(name)  # type: ignore[attr-defined]
    try:
        code, out, err = run(capsys, "--lang", "en", "--database-url", url, "seed")
        assert code == 0, err
        assert "Loaded" in out or "loaded" in out
        code, out, err = run(capsys, "--database-url", url, "products", "search", "lyq")
        assert code == 0, err
        assert "连衣裙" in out
    finally:
        pg_server.drop_database(name)  # type: ignore[attr-defined]


def test_no_environment_leaks_into_other_tests() -> None:
    assert "KSTUI_DATABASE_URL" not in os.environ
