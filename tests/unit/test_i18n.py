"""`kstui.i18n`: the two message catalogues agree, every key the code uses exists, counts.

The code is read with `ast`, never imported, so no Textual is loaded here.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

import kstui
from kstui.cli.click_texts import MESSAGES, PLURALS
from kstui.i18n import (
    LANGS,
    Lang,
    Localized,
    Translator,
    UnknownLanguage,
    catalogue,
    catalogue_files,
    parse_lang,
)
from kstui.providers.gateway import CardOutcome
from kstui.providers.social import SocialProvider
from kstui.services import errors
from kstui.services.accounts.identity import Strength
from kstui.services.catalog.errors import InvalidLimit, QueryTooLong
from kstui.services.catalog.listing import Sort
from kstui.services.jobs import STEPS
from kstui.services.payments.wallet import EntryKind
from kstui.services.time_limits import DEFAULT_LIMITS
from kstui.settings import DEVICE_KINDS
from kstui.store.enums import InvoiceKind, OrderStatus, PaymentMethod, ReturnPolicy

FAILURES = {"declined", "insufficient_funds"}
"""Card outcomes that are failures shown at the cashier."""

PACKAGE = Path(kstui.__file__).parent
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)
KEY_SHAPE = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")
PLACES = {"cart", "orders", "wallet", "coupons", "service", "account"}

# Keys whose two texts deliberately use different fields: Chinese says "9.5折" (rate),
# English says "5% off" (off); the caller passes both.
DIFFERENT_FIELDS = {
    "ordering.coupon.percent": ({"rate"}, {"off"}),
    "ordering.coupon.percent_over": ({"threshold", "rate"}, {"threshold", "off"}),
}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def namespaces() -> set[str]:
    return {key.split(".", 1)[0] for key in catalogue("zh")}


def test_languages() -> None:
    assert LANGS == ("zh", "en")


def test_catalogues_have_the_same_keys() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert len(zh) > 100
    assert set(zh) - set(en) == set()
    assert set(en) - set(zh) == set()


def test_catalogues_have_no_empty_text() -> None:
    for lang in LANGS:
        empty = [key for key, text in catalogue(lang).items() if not text.strip()]
        assert empty == [], lang


def test_catalogues_have_the_same_fields_per_key() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    differing = {
        key: (fields(zh[key]), fields(en[key])) for key in zh if fields(zh[key]) != fields(en[key])
    }
    assert differing == DIFFERENT_FIELDS


def test_every_text_formats_with_its_fields() -> None:
    for lang in LANGS:
        t = Translator(lang)
        for key, text in catalogue(lang).items():
            names = fields(text) | {n for pair in DIFFERENT_FIELDS.get(key, ()) for n in pair}
            params = {name: f"<{name}>" for name in names}
            out = t(key, **params) if params else t(key)
            for name in fields(text):
                assert f"<{name}>" in out, (lang, key)


def _translator_calls() -> list[tuple[Path, int, ast.expr]]:
    """The first argument of every `t(…)` / `x.t(…)` call in the package."""
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            if name == "t":
                calls.append((path, node.lineno, node.args[0]))
    return calls


def test_the_scan_finds_translator_calls() -> None:
    literal = [a for _, _, a in _translator_calls() if isinstance(a, ast.Constant)]
    assert len(literal) > 50


def test_every_literal_key_passed_to_a_translator_exists() -> None:
    keys = set(catalogue("zh"))
    missing = [
        f"{path.relative_to(PACKAGE)}:{line}: {arg.value!r}"
        for path, line, arg in _translator_calls()
        if isinstance(arg, ast.Constant) and arg.value not in keys
    ]
    assert missing == []


def _f_string_prefixes() -> set[str]:
    prefixes: set[str] = set()
    for _, _, arg in _translator_calls():
        if isinstance(arg, ast.JoinedStr):
            first = arg.values[0]
            assert isinstance(first, ast.Constant), ast.unparse(arg)
            assert isinstance(first.value, str)
            prefixes.add(first.value)
    for path in SOURCES:  # f-string keys built first, then passed: key = f"catalog.policy.{…}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
                head = node.values[0].value
                if isinstance(head, str) and head.split(".", 1)[0] in namespaces():
                    prefixes.add(head)
    return prefixes


def test_f_string_key_families_are_all_known() -> None:
    # If this fails, a new f-string family of keys appeared: add its values below.
    assert _f_string_prefixes() == {
        "catalog.sort.",
        "catalog.policy.",
        "app.place.",
        "accounts.login.reason_",
        "accounts.strength.",
        "accounts.provider.",
        "accounts.device.",
        "payments.method.",
        "ordering.invoice.kind.",
        "payments.cashier.failure.",
        "orders.order_status.",
        "payments.ledger.",
        "app.click.",
        "app.cli.sim.step.",
        "app.cli.sim.limit.",
    }


def _places_in_app() -> set[str]:
    tree = ast.parse((PACKAGE / "screens" / "coming_soon.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PLACES" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError("PLACES not found in screens/coming_soon.py")


def test_places_of_the_app() -> None:
    assert _places_in_app() == PLACES


@pytest.mark.parametrize("lang", LANGS)
def test_f_string_key_families_exist(lang: Lang) -> None:
    keys = set(catalogue(lang))
    wanted = {f"catalog.sort.{s.value}" for s in Sort}
    wanted |= {f"catalog.policy.{p.value}" for p in ReturnPolicy}
    wanted |= {f"app.place.{p}" for p in PLACES | _places_in_app()}
    wanted |= {f"accounts.login.reason_{p}" for p in PLACES - {"service"}}
    wanted |= {f"accounts.strength.{s.name.lower()}" for s in Strength}
    wanted |= {f"accounts.provider.{p.value}" for p in SocialProvider}
    wanted |= {f"accounts.device.{d}" for d in DEVICE_KINDS}
    wanted |= {f"payments.method.{m.value}" for m in PaymentMethod}
    wanted |= {f"ordering.invoice.kind.{k.value}" for k in InvoiceKind}
    wanted |= {f"payments.cashier.failure.{o.value}" for o in CardOutcome if o.value in FAILURES}
    wanted |= {f"orders.order_status.{s.value}" for s in OrderStatus}
    wanted |= {f"payments.ledger.{k.value}" for k in EntryKind}
    assert len(wanted) == 5 + 4 + 6 + 5 + 4 + 2 + 1 + 4 + 3 + 2 + 5 + 3
    wanted |= {f"app.click.{part}" for part in (*MESSAGES.values(), *PLURALS.values())}
    wanted |= {f"app.cli.sim.step.{step.name}" for step in STEPS}
    wanted |= {f"app.cli.sim.limit.{name}" for name, _ in DEFAULT_LIMITS.items()}
    assert wanted - keys == set()


def _domain_errors() -> list[type[errors.DomainError]]:
    found: list[type[errors.DomainError]] = []
    todo = [errors.DomainError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _import_services() -> None:
    import importlib
    import pkgutil

    import kstui.services

    for module in pkgutil.walk_packages(kstui.services.__path__, "kstui.services."):
        importlib.import_module(module.name)


@pytest.mark.parametrize("lang", LANGS)
def test_every_domain_error_key_exists(lang: Lang) -> None:
    _import_services()
    keys = set(catalogue(lang))
    classes = [c for c in _domain_errors() if c.__module__.startswith("kstui.services.")]
    assert len(classes) >= 7
    missing = {c.key for c in classes if not c.by_reason} - keys
    assert missing == set()


@pytest.mark.parametrize("lang", LANGS)
def test_no_key_is_defined_twice(lang: Lang) -> None:
    seen: dict[str, str] = {}
    for path in catalogue_files(lang):
        for key in json.loads(path.read_text(encoding="utf-8")):
            assert key not in seen, (key, path.name, seen.get(key))
            seen[key] = path.name


AREAS = {"app", "catalog", "accounts", "ordering", "payments", "orders"}
"""The areas with texts: the shell (`app`) and the service areas that have screens."""


def test_area_files_exist_in_both_languages() -> None:
    zh = {p.name for p in catalogue_files("zh")}
    assert zh == {p.name for p in catalogue_files("en")}
    assert zh == {f"{area}.json" for area in AREAS}


@pytest.mark.parametrize("lang", LANGS)
def test_a_key_s_first_segment_is_its_file_s_area(lang: Lang) -> None:
    misplaced = [
        (path.name, key)
        for path in catalogue_files(lang)
        for key in json.loads(path.read_text(encoding="utf-8"))
        if key.split(".", 1)[0] != path.stem
    ]
    assert misplaced == []


def test_domain_error_params_fill_their_message() -> None:
    t = Translator("en")
    assert t(QueryTooLong.key, **QueryTooLong(limit=50, length=60).params) == (
        "The search text is too long: at most 50 characters"
    )
    error = InvalidLimit(limit=0, max=200)
    assert t(error.key, **error.params) == "0 is out of range (1–200)"
    assert Translator("zh")(error.key, **error.params) == "数量 0 超出范围（1–200）"


def test_every_key_shaped_literal_exists() -> None:
    """Keys kept in variables or bindings (`key.back`, `product.login_for_buy`) exist too."""
    keys = set(catalogue("zh"))
    known = namespaces()
    not_keys = {"app.command_palette"}  # an action
    missing = []
    seen = 0
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        f_string_parts = {
            id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
            for part in node.values
        }  # fmt: skip
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if id(node) in f_string_parts:  # a family's head (checked above)
                continue
            value = node.value
            if not KEY_SHAPE.fullmatch(value) or value.split(".", 1)[0] not in known:
                continue
            if value.endswith((".tcss", ".id", ".trade_no")) or value in not_keys:  # foreign keys
                continue
            seen += 1
            if value not in keys:
                missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {value}")
    assert missing == []
    assert seen > 100


def test_binding_descriptions_that_are_keys_exist() -> None:
    keys = set(catalogue("zh"))
    descriptions: list[str] = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Binding"
                and len(node.args) >= 3
                and isinstance(node.args[2], ast.Constant)
                and isinstance(node.args[2].value, str)
            ):
                descriptions.append(node.args[2].value)
    as_keys = [d for d in descriptions if ".key." in d]
    assert len(as_keys) >= 14
    assert [d for d in as_keys if d not in keys] == []


@pytest.mark.parametrize(
    ("n", "zh", "en"),
    [
        (0, "0", "0"),
        (999, "999", "999"),
        (1000, "1000", "1,000"),
        (9999, "9999", "9,999"),
        (10000, "1万", "10k"),
        (12345, "1.2万", "12.3k"),
        (19999, "1.9万", "19.9k"),
        (150000, "15万", "150k"),
        (999_999, "99.9万", "999.9k"),
        (1_000_000, "100万", "1M"),
        (99_999_999, "9999.9万", "99.9M"),
        (100_000_000, "1亿", "100M"),
        (123456789, "1.2亿", "123.4M"),
    ],
)
def test_count(n: int, zh: str, en: str) -> None:
    assert Translator("zh").count(n) == zh
    assert Translator("en").count(n) == en


def test_translator_formats_and_falls_back_to_the_key() -> None:
    zh, en = Translator("zh"), Translator(lang="en")
    assert zh.lang == "zh"
    assert Translator().lang == "zh"
    assert zh("catalog.sold", count="1.2万") == "已售1.2万"
    assert en("catalog.sold", count="12.3k") == "12.3k sold"
    assert zh("catalog.sort.overall") == "综合"
    assert en("catalog.sort.overall") == "Top"
    assert zh("no.such.key") == "no.such.key"
    assert en("Cancel") == "Cancel"


def test_translator_does_not_interpret_braces_without_params() -> None:
    assert Translator("en")("catalog.count") == "{count} products"


def test_pick() -> None:
    text = Localized("连衣裙", "Dresses")
    assert Translator("zh").pick(text) == "连衣裙"
    assert Translator("en").pick(text) == "Dresses"


@pytest.mark.parametrize(
    ("value", "lang"), [("zh", "zh"), ("en", "en"), ("ZH", "zh"), (" En ", "en"), ("eN", "en")]
)
def test_parse_lang(value: str, lang: str) -> None:
    assert parse_lang(value) == lang


@pytest.mark.parametrize("value", ["", "fr", "zh-CN", "english", "中文", "z h"])
def test_parse_lang_rejects(value: str) -> None:
    with pytest.raises(UnknownLanguage) as caught:
        parse_lang(value)
    assert caught.value.args == (value,)
