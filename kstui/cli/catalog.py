"""`kstui products search|show`: the catalogue from the command line."""

import json
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from kstui.cli.context import CliContext, CliError, out
from kstui.i18n import Translator
from kstui.money import MoneyFormatError, format_fen, parse_yuan


def register(app: typer.Typer, t: Translator) -> None:
    """Add `products` and its commands to the CLI, with help in `t`'s language."""
    from kstui.services.catalog.listing import Sort

    products = typer.Typer(help=t("app.cli.products.help"), no_args_is_help=True)
    app.add_typer(products, name="products")

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

        c: CliContext = ctx.obj
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
            out(json.dumps([_card_json(card) for card in page.cards], ensure_ascii=False))
            return
        _print_cards(c.t, page.cards, total)

    @products.command("show", help=t("app.cli.show.help"))
    def products_show(
        ctx: typer.Context,
        product_id: Annotated[int, typer.Argument(help=t("app.cli.show.id"))],
        as_json: Annotated[bool, typer.Option("--json", help=t("app.cli.opt.json"))] = False,
    ) -> None:
        from kstui.services.catalog.products import product_detail, reviews

        c: CliContext = ctx.obj
        store = c.open_store()
        with store.reading() as conn:
            detail = product_detail(conn, product_id, clock=c.clock)
            first = reviews(conn, product_id, limit=10)
        if as_json:
            out(json.dumps(_detail_json(detail, first.reviews), ensure_ascii=False))
            return
        _print_detail(c.t, detail, first.reviews)


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
        out(t("catalog.empty"))
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
        out(t("app.cli.total", shown=len(cards), total=total))


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
