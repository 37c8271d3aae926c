"""The `kstui` command: opens the shop, and sub-commands for the catalogue and the store.

Every error reaches the user as one plain line on stderr and a non-zero exit code.
Texts follow `--lang` (Chinese by default), help included: the language is read from
the command line before the commands are built.
"""

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

from kstui.i18n import Lang, Translator, UnknownLanguage, parse_lang
from kstui.money import MoneyFormatError, format_fen, parse_yuan
from kstui.services.errors import DomainError

if TYPE_CHECKING:
    import typer


class CliError(Exception):
    """A failure to report as one line (already translated)."""


@dataclass
class _Context:
    t: Translator
    db: Path | None
    pay_minutes: int = 15

    @property
    def clock(self) -> Any:
        from kstui.providers.clock import SystemClock

        return SystemClock()

    def db_path(self) -> Path:
        from kstui.settings import default_db_path

        return self.db if self.db is not None else default_db_path()

    def open_store(self) -> Any:
        from kstui.store.bootstrap import needs_setup, open_store

        path = self.db_path()
        if needs_setup(path):
            _err(self.t("app.cli.first_run", path=path))
        return open_store(path, clock=self.clock)


def _err(line: str) -> None:
    print(line, file=sys.stderr)  # noqa: T201


def _out(line: str) -> None:
    print(line)  # noqa: T201


def _lang_from_argv(argv: Sequence[str]) -> Lang:
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                return parse_lang(value)
            except UnknownLanguage:
                return "zh"
    return "zh"


def build_cli(lang: Lang = "zh") -> "typer.Typer":
    """The Typer application, with help texts in `lang`."""
    import typer

    from kstui.services.catalog.listing import Sort

    t = Translator(lang)
    app = typer.Typer(
        help=t("app.cli.help"),
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    products = typer.Typer(help=t("app.cli.products.help"), no_args_is_help=True)
    app.add_typer(products, name="products")
    sms = typer.Typer(help=t("app.cli.sms.help"), no_args_is_help=True)
    app.add_typer(sms, name="sms")

    @app.callback(invoke_without_command=True)
    def shop(
        ctx: typer.Context,
        db: Annotated[Path | None, typer.Option("--db", help=t("app.cli.opt.db"))] = None,
        lang_option: Annotated[str, typer.Option("--lang", help=t("app.cli.opt.lang"))] = "zh",
        pay_minutes: Annotated[
            int, typer.Option("--pay-timeout", min=1, max=1440, help=t("app.cli.opt.pay_timeout"))
        ] = 15,
    ) -> None:
        try:
            chosen = parse_lang(lang_option)
        except UnknownLanguage:
            raise CliError(t("app.cli.bad_lang", lang=lang_option)) from None
        ctx.obj = _Context(Translator(chosen), db, pay_minutes)
        if ctx.invoked_subcommand is None:
            _run_shop(ctx.obj)

    @products.command("search", help=t("app.cli.search.help"))
    def products_search(
        ctx: typer.Context,
        query: Annotated[str, typer.Argument(help=t("app.cli.search.query"))] = "",
        category: Annotated[
            str | None, typer.Option("--category", help=t("app.cli.search.category"))
        ] = None,
        brand: Annotated[
            list[str] | None, typer.Option("--brand", help=t("app.cli.search.brand"))
        ] = None,
        min_price: Annotated[
            str | None, typer.Option("--min-price", help=t("app.cli.search.min_price"))
        ] = None,
        max_price: Annotated[
            str | None, typer.Option("--max-price", help=t("app.cli.search.max_price"))
        ] = None,
        in_stock: Annotated[
            bool, typer.Option("--in-stock", help=t("app.cli.search.in_stock"))
        ] = False,
        sort: Annotated[Sort, typer.Option("--sort", help=t("app.cli.search.sort"))] = Sort.OVERALL,
        limit: Annotated[int, typer.Option("--limit", help=t("app.cli.search.limit"))] = 20,
        as_json: Annotated[bool, typer.Option("--json", help=t("app.cli.opt.json"))] = False,
    ) -> None:
        from kstui.services.catalog.listing import (
            CatalogQuery,
            count_products,
            find_brands,
            find_category,
            search_products,
        )

        c: _Context = ctx.obj
        store = c.open_store()
        with store.reading() as conn:
            query_obj = CatalogQuery(
                text=query,
                category_id=find_category(conn, category) if category else None,
                brand_ids=find_brands(conn, brand or []),
                min_price=_price(c.t, min_price),
                max_price=_price(c.t, max_price),
                in_stock=in_stock,
                sort=sort,
            )
            page = search_products(conn, query_obj, limit=limit)
            total = count_products(conn, query_obj) if not as_json else None
        if as_json:
            _out(json.dumps([_card_json(card) for card in page.cards], ensure_ascii=False))
            return
        _print_cards(c.t, page.cards, total)

    @products.command("show", help=t("app.cli.show.help"))
    def products_show(
        ctx: typer.Context,
        product_id: Annotated[int, typer.Argument(help=t("app.cli.show.id"))],
        as_json: Annotated[bool, typer.Option("--json", help=t("app.cli.opt.json"))] = False,
    ) -> None:
        from kstui.services.catalog.products import product_detail, reviews

        c: _Context = ctx.obj
        store = c.open_store()
        with store.reading() as conn:
            detail = product_detail(conn, product_id, clock=c.clock)
            first = reviews(conn, product_id, limit=10)
        if as_json:
            _out(json.dumps(_detail_json(detail, first.reviews), ensure_ascii=False))
            return
        _print_detail(c.t, detail, first.reviews)

    @sms.command("outbox", help=t("app.cli.sms.outbox.help"))
    def sms_outbox(
        ctx: typer.Context,
        phone: Annotated[str | None, typer.Option("--phone", help=t("app.cli.sms.phone"))] = None,
        limit: Annotated[
            int, typer.Option("--limit", min=1, max=500, help=t("app.cli.sms.limit"))
        ] = 20,
        as_json: Annotated[bool, typer.Option("--json", help=t("app.cli.opt.json"))] = False,
    ) -> None:
        from kstui.providers.sms import outbox
        from kstui.services.accounts.identity import normalize_phone
        from kstui.text import printable
        from kstui.timefmt import local_minute

        c: _Context = ctx.obj
        number = normalize_phone(phone) if phone else None
        store = c.open_store()
        with store.reading() as conn:
            messages = outbox(conn, phone=number, limit=limit)
        if as_json:
            rows = [
                {"id": m.id, "phone": m.phone, "text": m.text, "sent_at": m.sent_at.isoformat()}
                for m in messages
            ]
            _out(json.dumps(rows, ensure_ascii=False))
            return
        if not messages:
            _out(c.t("app.cli.sms.empty"))
        for m in messages:
            _out(f"{local_minute(m.sent_at)}  {m.phone}  {printable(m.text)}")

    @app.command("seed", help=t("app.cli.seed.help"))
    def seed(
        ctx: typer.Context,
        reset: Annotated[bool, typer.Option("--reset", help=t("app.cli.seed.reset"))] = False,
        synthetic: Annotated[
            int, typer.Option("--synthetic", min=0, max=5_000_000, help=t("app.cli.seed.synthetic"))
        ] = 0,
    ) -> None:
        from kstui.store.bootstrap import default_seed_path
        from kstui.store.db import Store
        from kstui.store.migrate import ensure_schema
        from kstui.store.seed_loader import load_seed

        c: _Context = ctx.obj
        store = Store(c.db_path())
        ensure_schema(store)
        report = load_seed(store, default_seed_path(), clock=c.clock, reset=reset)
        if report.loaded:
            _out(c.t("app.cli.seed.loaded", products=report.products, accounts=report.accounts))
        else:
            _out(c.t("app.cli.seed.already"))
        if synthetic:
            from kstui.store.synthetic import ensure_synthetic

            def progress(done: int, total: int) -> None:
                _err(c.t("app.cli.seed.progress", done=done, total=total))

            added = ensure_synthetic(store, synthetic, clock=c.clock, progress=progress)
            _out(c.t("app.cli.seed.synthetic_done", added=added, total=synthetic))

    return app


def _price(t: Translator, text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return parse_yuan(text)
    except MoneyFormatError:
        raise CliError(t("catalog.error.invalid_price")) from None


def _card_json(card: Any) -> dict[str, Any]:
    return {
        "id": card.id,
        "name": card.name._asdict(),
        "price": card.price,
        "original_price": card.original_price,
        "sales": card.sales,
        "stock": card.stock,
        "shop": card.shop._asdict(),
        "brand": card.brand._asdict() if card.brand else None,
    }


def _detail_json(detail: Any, review_list: list[Any]) -> dict[str, Any]:
    return {
        "id": detail.id,
        "name": detail.name._asdict(),
        "description": detail.description._asdict(),
        "category": detail.category._asdict(),
        "top_category": detail.top_category._asdict(),
        "brand": detail.brand._asdict() if detail.brand else None,
        "sales": detail.sales,
        "stock": detail.stock,
        "price_range": list(detail.price_range),
        "return_policy": detail.return_policy.value,
        "no_reason_returns": detail.return_policy.no_reason_returns,
        "per_order_limit": detail.per_order_limit,
        "specs": [
            {"name": s.name._asdict(), "values": [v._asdict() for v in s.values]}
            for s in detail.specs
        ],
        "skus": [
            {
                "id": k.id,
                "values": list(k.values),
                "price": k.price,
                "original_price": k.original_price,
                "stock": k.stock,
            }
            for k in detail.skus
        ],
        "promotions": [
            {"kind": p.kind.value, "title": p.title._asdict(), "ends_at": p.ends_at.isoformat()}
            for p in detail.promotions
        ],
        "coupons": [
            {
                "id": c.id,
                "title": c.title._asdict(),
                "kind": c.kind.value,
                "threshold": c.threshold,
                "amount_off": c.amount_off,
                "pay_percent": c.pay_percent,
                "ends_at": c.ends_at.isoformat(),
            }
            for c in detail.coupons
        ],
        "shop": {
            "id": detail.shop.id,
            "name": detail.shop.name._asdict(),
            "rating_tenths": detail.shop.rating_tenths,
            "ships_from": detail.shop.ships_from,
            "default_freight": detail.shop.shipping.default_fee,
            "free_shipping_threshold": detail.shop.shipping.free_threshold,
        },
        "rating": {
            "count": detail.rating.count,
            "average_tenths": detail.rating.average_tenths,
            "positive_percent": detail.rating.positive_percent,
            "with_photos": detail.rating.with_photos,
        },
        "reviews": [
            {
                "author": r.author,
                "rating": r.rating,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
                "photos": len(r.photo_ids),
            }
            for r in review_list
        ],
    }


def _print_cards(t: Translator, cards: Sequence[Any], total: int | None) -> None:
    from rich.table import Table
    from rich.text import Text

    if not cards:
        _out(t("catalog.empty"))
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column, justify in (
        ("app.cli.col.id", "right"),
        ("app.cli.col.name", "left"),
        ("app.cli.col.price", "right"),
        ("app.cli.col.sales", "right"),
        ("app.cli.col.stock", "right"),
        ("app.cli.col.shop", "left"),
    ):
        table.add_column(t(column), justify=justify)  # type: ignore[arg-type]
    for card in cards:
        price = format_fen(card.price)
        if card.original_price:
            price += f" ({format_fen(card.original_price)})"
        table.add_row(
            str(card.id),
            Text(t.pick(card.name), overflow="ellipsis", no_wrap=True),
            price,
            t.count(card.sales),
            str(card.stock),
            Text(t.pick(card.shop), no_wrap=True),
        )
    console = _console()
    console.print(table)
    if total is not None:
        _out(t("app.cli.total", shown=len(cards), total=total))


def _print_detail(t: Translator, detail: Any, review_list: list[Any]) -> None:
    from rich.text import Text

    console = _console()
    low, high = detail.price_range
    price = format_fen(low) + (f"–{format_fen(high)}" if high != low else "")
    console.print(Text(t.pick(detail.name), style="bold"))
    lines = [
        f"{t('app.cli.col.price')}: {price}    {t('catalog.sold', count=t.count(detail.sales))}",
        f"{t('app.cli.col.shop')}: {t.pick(detail.shop.name)}",
        t(f"catalog.policy.{detail.return_policy.value}"),
        t.pick(detail.description),
    ]
    for line in lines:
        console.print(Text(line))
    for spec in detail.specs:
        console.print(Text(f"{t.pick(spec.name)}: " + " / ".join(t.pick(v) for v in spec.values)))
    for sku in detail.skus:
        values = " / ".join(
            t.pick(spec.values[v]) for spec, v in zip(detail.specs, sku.values, strict=True)
        )
        stock = f"{t('app.cli.col.stock')} {sku.stock}"
        console.print(Text(f"  #{sku.id} {values or '-'}  {format_fen(sku.price)}  {stock}"))
    for review in review_list:
        console.print(Text(f"  {'★' * review.rating} {review.author}: {review.text}"))


def _console() -> Any:
    """A Rich console; wide when printing into a pipe or file, so nothing is cut."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _run_shop(c: _Context) -> None:
    import gc
    import os

    # Textual repaints at most 60 times a second by default, so every change waits up
    # to 17 ms for its frame; at 120 a keystroke's results reach the screen sooner.
    # Set before Textual is imported; an explicit TEXTUAL_FPS in the environment wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from kstui.app import create_app
    from kstui.settings import Settings

    store = c.open_store()
    from datetime import timedelta

    settings = Settings(
        db_path=c.db_path(), lang=c.t.lang, pay_timeout=timedelta(minutes=c.pay_minutes)
    )
    app = create_app(settings, store, c.clock)
    gc.freeze()  # what is loaded now lives as long as the app: keep it out of every GC pass
    app.run()


@dataclass(frozen=True)
class _ShopOnly:
    db: Path | None
    lang: Lang


def _shop_only(args: Sequence[str]) -> _ShopOnly | None:
    """`kstui [--db PATH] [--lang zh|en]` and nothing else: the shop itself.

    Opening the shop is by far the most common command, and building the Typer
    application (Typer, Click) costs a noticeable part of the start-up; this path skips
    it. Anything else, including `--help` and mistakes, goes through Typer.
    """
    db: Path | None = None
    lang: Lang = "zh"
    rest = list(args)
    while rest:
        option = rest.pop(0)
        name, has_value, value = option.partition("=")
        if name not in ("--db", "--lang"):
            return None
        if not has_value:
            if not rest:
                return None
            value = rest.pop(0)
        if name == "--db":
            db = Path(value)
        else:
            try:
                lang = parse_lang(value)
            except UnknownLanguage:
                return None
    return _ShopOnly(db, lang)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the `kstui` command."""
    from kstui.store.errors import SeedError, StoreError

    args = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_argv(args)
    t = Translator(lang)
    try:
        if (shop := _shop_only(args)) is not None:
            _run_shop(_Context(Translator(shop.lang), shop.db))
        else:
            _run_cli(args, lang)
    except DomainError as error:
        _err(t("app.cli.error", message=t(error.message_key, **error.params)))
        sys.exit(1)
    except CliError as error:
        _err(t("app.cli.error", message=str(error)))
        sys.exit(1)
    except StoreError as error:
        _err(t("app.cli.error", message=t("app.cli.store_error", detail=str(error))))
        sys.exit(1)
    except SeedError as error:
        _err(t("app.cli.error", message=t("app.cli.seed_error", detail=str(error))))
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # a bug: the details go to a log, the user gets one line
        _err(t("app.crashed", log=_write_crash_log()))
        sys.exit(70)
    sys.exit(0)


def _write_crash_log() -> str:
    """Append the current exception's traceback to the crash log; where it went, or -."""
    import traceback

    from kstui.settings import default_db_path

    log = default_db_path().parent / "kstui-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as file:
            traceback.print_exc(file=file)
    except OSError:
        return "-"
    return str(log)


def _run_cli(args: list[str], lang: Lang) -> None:
    """Run a sub-command (or help) through Typer; usage errors exit here."""
    import typer

    t = Translator(lang)
    try:
        build_cli(lang)(args=args, prog_name="kstui", standalone_mode=False)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as error:
        _usage_error(t, error)


def _usage_error(t: Translator, error: Exception) -> NoReturn:
    """Bad command-line usage: a help text is printed as is, anything else as one line."""
    message = getattr(error, "format_message", lambda: str(error))()
    if type(error).__name__ == "NoArgsIsHelpError":
        _err(message)
    else:
        _err(t("app.cli.error", message=message))
    sys.exit(getattr(error, "exit_code", 2))
