# ruff: noqa: E501  -- the catalogue keeps each product text on one line, however long
"""Generate `data/seed.json`, the demo catalogue of kstui.

Run from the repository root::

    python tools/make_pictures.py   # the pictures the seed refers to
    python tools/build_seed.py      # writes data/seed.json

The output is deterministic: one fixed random seed, no network, no clock. Every
product, brand and shop is fictional and every text was written for this project.
The hand-written part is the catalogue below (names, pitches, prices, specs); the
random part fills in stock, sales, listing age, promotions and reviews.

`build()` is also imported by `tools/make_pictures.py`, which draws one picture per
product and the review photos from the picture plan it returns.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED_PATH = DATA / "seed.json"
RANDOM_SEED = 20260315
SEED_VERSION = 1
VIRTUAL_STOCK = 9999

Json = dict[str, Any]
RGB = tuple[int, int, int]


def text(zh: str, en: str | None = None) -> Json:
    """A `Text`: the same string in both languages when `en` is omitted."""
    return {"zh": zh, "en": zh if en is None else en}


# --------------------------------------------------------------------------- colours

# key: (zh, en, rgb used by the picture generator)
COLOURS: dict[str, tuple[str, str, RGB]] = {
    "black": ("黑色", "Black", (34, 34, 38)),
    "white": ("白色", "White", (248, 248, 246)),
    "red": ("正红", "Red", (206, 32, 41)),
    "wine": ("酒红", "Burgundy", (122, 24, 48)),
    "pink": ("樱花粉", "Blossom Pink", (244, 143, 177)),
    "apricot": ("杏色", "Apricot", (242, 196, 150)),
    "ivory": ("米白", "Ivory", (238, 228, 205)),
    "cream": ("奶油白", "Cream", (246, 236, 212)),
    "khaki": ("卡其", "Khaki", (189, 160, 112)),
    "camel": ("驼色", "Camel", (176, 128, 80)),
    "navy": ("藏青", "Navy", (28, 44, 96)),
    "hazeblue": ("雾霾蓝", "Haze Blue", (112, 146, 186)),
    "skyblue": ("浅蓝", "Light Blue", (120, 178, 230)),
    "denim": ("牛仔蓝", "Denim Blue", (58, 96, 150)),
    "avocado": ("牛油果绿", "Avocado Green", (152, 184, 84)),
    "forest": ("墨绿", "Forest Green", (28, 88, 60)),
    "mint": ("薄荷绿", "Mint Green", (120, 205, 170)),
    "grey": ("浅灰", "Light Grey", (176, 178, 182)),
    "charcoal": ("深灰", "Charcoal", (78, 80, 86)),
    "taro": ("香芋紫", "Taro Purple", (158, 128, 200)),
    "lemon": ("柠檬黄", "Lemon Yellow", (246, 214, 62)),
    "orange": ("活力橙", "Orange", (240, 128, 36)),
    "coral": ("珊瑚橙", "Coral", (244, 120, 96)),
    "coffee": ("咖啡色", "Coffee Brown", (112, 74, 48)),
    "silver": ("冰川银", "Glacier Silver", (196, 202, 210)),
    "gold": ("香槟金", "Champagne Gold", (214, 184, 122)),
    "starblack": ("星空黑", "Starry Black", (26, 28, 40)),
    "mistblue": ("晨雾蓝", "Mist Blue", (126, 164, 204)),
    "floralblue": ("蓝色碎花", "Blue Floral", (70, 110, 190)),
    "floralpink": ("粉色碎花", "Pink Floral", (230, 120, 150)),
    "clear": ("透明", "Clear", (200, 226, 238)),
    "teal": ("湖蓝", "Teal", (24, 140, 160)),
}


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Axis:
    """One spec of a product: its name and values, each with a price delta in fen."""

    zh: str
    en: str
    values: tuple[tuple[str, str, int], ...]
    kind: str = "option"  # "colour", "size" (apparel: gaps and low stock) or "option"
    colour_keys: tuple[str, ...] = ()

    def spec(self) -> Json:
        return {"name": text(self.zh, self.en), "values": [text(z, e) for z, e, _ in self.values]}


def colours(*keys: str) -> Axis:
    values = tuple((COLOURS[k][0], COLOURS[k][1], 0) for k in keys)
    return Axis("颜色", "Colour", values, "colour", keys)


def sizes(*labels: str) -> Axis:
    labels = labels or ("S", "M", "L", "XL")
    return Axis("尺码", "Size", tuple((s, s, 0) for s in labels), "size")


def shoe_sizes() -> Axis:
    return Axis("尺码", "Size", tuple((str(n), f"EU {n}", 0) for n in range(38, 44)), "size")


def option(zh: str, en: str, *values: tuple[str, str, int]) -> Axis:
    return Axis(zh, en, tuple(values))


def storage(*values: tuple[str, int]) -> Axis:
    return Axis(
        "存储",
        "Storage",
        tuple((v, v.replace("GB", " GB").replace("TB", " TB"), d) for v, d in values),
    )


def weight(*values: tuple[str, str, int]) -> Axis:
    return Axis("规格", "Weight", tuple(values))


def edition(extra: int) -> Axis:
    return option(
        "版本", "Edition", ("标准版", "Standard", 0), ("会员版", "Premium with mentoring", extra)
    )


# --------------------------------------------------------------------------- categories

TOPS: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "clothing",
        "服装",
        "Clothing",
        [
            ("dresses", "连衣裙", "Dresses"),
            ("skirts", "半身裙", "Skirts"),
            ("tshirts", "T恤", "T-Shirts"),
            ("coats", "外套", "Coats & Jackets"),
            ("trousers", "裤装", "Trousers"),
        ],
    ),
    (
        "digital",
        "数码电子",
        "Electronics",
        [
            ("phones", "手机", "Phones"),
            ("earphones", "耳机", "Headphones & Earbuds"),
            ("pc-accessories", "电脑配件", "Computer Accessories"),
            ("wearables", "智能穿戴", "Wearables"),
            ("chargers", "充电配件", "Chargers & Power"),
        ],
    ),
    (
        "home",
        "家居",
        "Home",
        [
            ("kitchenware", "厨具", "Cookware"),
            ("drinkware", "杯具水壶", "Cups & Bottles"),
            ("bedding", "家纺", "Bedding"),
            ("storage", "收纳", "Storage"),
            ("lighting", "灯具", "Lighting"),
        ],
    ),
    (
        "beauty",
        "美妆",
        "Beauty",
        [
            ("makeup", "口红彩妆", "Lipstick & Makeup"),
            ("skincare", "护肤", "Skincare"),
            ("fragrance", "香水", "Fragrance"),
            ("beauty-tools", "美妆工具", "Beauty Tools"),
        ],
    ),
    (
        "food",
        "食品生鲜",
        "Food & Fresh",
        [
            ("fruit", "水果", "Fruit"),
            ("meat-eggs", "肉禽蛋", "Meat & Eggs"),
            ("seafood", "海鲜水产", "Seafood"),
            ("snacks", "零食", "Snacks"),
            ("tea-drinks", "茶饮冲调", "Tea & Drinks"),
        ],
    ),
    (
        "books",
        "图书",
        "Books",
        [
            ("fiction", "小说", "Fiction"),
            ("childrens-books", "童书", "Children's Books"),
            ("textbooks", "教材教辅", "Textbooks & Study"),
            ("nonfiction", "社科人文", "Non-Fiction"),
        ],
    ),
    (
        "courses",
        "付费课程",
        "Courses & Content",
        [
            ("programming", "编程课", "Programming"),
            ("photography", "摄影课", "Photography"),
            ("languages", "语言课", "Languages"),
            ("columns", "付费专栏", "Paid Columns"),
        ],
    ),
    (
        "sports",
        "运动户外",
        "Sports & Outdoors",
        [
            ("running", "跑步装备", "Running"),
            ("fitness", "健身瑜伽", "Fitness & Yoga"),
            ("camping", "户外露营", "Camping & Hiking"),
        ],
    ),
]

TOP_OF = {sub: top for top, _, _, subs in TOPS for sub, _, _ in subs}
FRESH_SUBS = {"fruit", "meat-eggs", "seafood"}
VIRTUAL_TOPS = {"courses"}

# --------------------------------------------------------------------------- brands

BRANDS: list[tuple[str, str, str]] = [
    ("moko", "MOKO", "MOKO"),
    ("lumi", "露米", "Lumi"),
    ("celadon", "青衣坊", "Celadon Loom"),
    ("nordvik", "诺维克", "Nordvik"),
    ("denimora", "丹宁摩", "Denimora"),
    ("urbanite", "城迹", "Urbanite"),
    ("aurora", "极光", "Aurora"),
    ("zenko", "臻酷", "Zenko"),
    ("sonora", "声澜", "Sonora"),
    ("echoa", "回响", "Echoa"),
    ("keyforge", "键匠", "Keyforge"),
    ("nuvo", "NUVO", "NUVO"),
    ("tempora", "时拓", "Tempora"),
    ("potlux", "炊趣", "Potlux"),
    ("clayday", "陶日", "Clayday"),
    ("hearthly", "暖窝", "Hearthly"),
    ("neatbox", "整点", "Neatbox"),
    ("glowen", "光屿", "Glowen"),
    ("velora", "绒雾", "Velora"),
    ("rosene", "蔷语", "Rosene"),
    ("aqualis", "水漾", "Aqualis"),
    ("noctis", "夜语", "Noctis"),
    ("sunnygrove", "阳光果园", "Sunny Grove"),
    ("prairie-song", "草原牧歌", "Prairie Song"),
    ("crunchee", "咔滋", "Crunchee"),
    ("misthill", "雾山", "Misthill"),
    ("brewly", "醇萃", "Brewly"),
    ("inkwell", "墨韵", "Inkwell Press"),
    ("starkid", "星童", "StarKid"),
    ("codepath", "码途", "CodePath"),
    ("lensly", "镜界", "Lensly"),
    ("lingora", "语途", "Lingora"),
    ("zeal", "ZEAL", "ZEAL"),
    ("trailix", "野径", "Trailix"),
]

# --------------------------------------------------------------------------- shops

REMOTE = ("65", "54", "63", "64", "15", "62")


def remote_fees(far: int, near: int) -> dict[str, int]:
    """Higher fees for the remote provinces: Xinjiang, Tibet, Qinghai (far), the rest near."""
    return {code: (far if code in ("65", "54", "63") else near) for code in REMOTE}


def amount_coupon(threshold: int, off: int, days: int, total: int, new_user: bool = False) -> Json:
    if threshold:
        title = text(
            f"满{threshold // 100}减{off // 100}",
            f"¥{off // 100} off orders over ¥{threshold // 100}",
        )
    else:
        title = text(f"无门槛{off // 100}元券", f"¥{off // 100} off, no minimum spend")
    coupon: Json = {
        "title": title,
        "kind": "amount_off",
        "threshold": threshold,
        "amount_off": off,
        "valid_days": days,
        "total": total,
    }
    if new_user:
        coupon["new_user"] = True
    return coupon


def percent_coupon(percent: int, threshold: int, days: int, total: int) -> Json:
    zh_rate = f"{percent // 10}.{percent % 10}" if percent % 10 else f"{percent // 10}"
    zh = f"{zh_rate}折券" + (f"（满{threshold // 100}可用）" if threshold else "")
    en = f"{100 - percent}% off" + (f" orders over ¥{threshold // 100}" if threshold else "")
    return {
        "title": text(zh, en),
        "kind": "discount",
        "threshold": threshold,
        "pay_percent": percent,
        "valid_days": days,
        "total": total,
    }


SHOPS: list[Json] = [
    {
        "slug": "yunshang-women",
        "name": text("云裳女装旗舰店", "Yunshang Womenswear Flagship Store"),
        "rating_tenths": 48,
        "ships_from": "33",
        "ships_from_city": text("杭州", "Hangzhou"),
        "shipping": {"default_fee": 0, "fees": remote_fees(2000, 1500)},
        "coupons": [amount_coupon(19900, 2000, 14, 3000), amount_coupon(29900, 4000, 14, 1500)],
    },
    {
        "slug": "urban-wardrobe",
        "name": text("城迹男装潮牌店", "Urbanite Menswear"),
        "rating_tenths": 46,
        "ships_from": "44",
        "ships_from_city": text("广州", "Guangzhou"),
        "shipping": {"default_fee": 600, "free_threshold": 9900, "fees": remote_fees(2000, 1500)},
        "coupons": [percent_coupon(95, 10000, 30, 2000)],
    },
    {
        "slug": "geek-digital",
        "name": text("极客数码专营店", "Geek Digital Store"),
        "rating_tenths": 49,
        "ships_from": "44",
        "ships_from_city": text("深圳", "Shenzhen"),
        "shipping": {"default_fee": 0, "fees": remote_fees(1500, 1000)},
        "coupons": [amount_coupon(100000, 5000, 30, 800), amount_coupon(9900, 500, 30, 5000)],
    },
    {
        "slug": "soundwave-audio",
        "name": text("声浪音频官方旗舰店", "Soundwave Audio Official Store"),
        "rating_tenths": 47,
        "ships_from": "44",
        "ships_from_city": text("东莞", "Dongguan"),
        "shipping": {"default_fee": 800, "free_threshold": 4900, "fees": remote_fees(1800, 1200)},
        "coupons": [amount_coupon(20000, 2000, 7, 2000)],
    },
    {
        "slug": "cozy-home",
        "name": text("暖居生活馆", "Cozy Home Living"),
        "rating_tenths": 48,
        "ships_from": "33",
        "ships_from_city": text("宁波", "Ningbo"),
        "shipping": {"default_fee": 800, "free_threshold": 9900, "fees": remote_fees(2500, 1800)},
        "coupons": [amount_coupon(10000, 1000, 30, 5000), amount_coupon(30000, 4000, 30, 1000)],
    },
    {
        "slug": "glowen-lighting",
        "name": text("光屿灯饰工厂店", "Glowen Lighting Factory Store"),
        "rating_tenths": 45,
        "ships_from": "44",
        "ships_from_city": text("中山", "Zhongshan"),
        "shipping": {"default_fee": 1000, "free_threshold": 9900, "fees": remote_fees(2500, 2000)},
        "coupons": [percent_coupon(90, 30000, 15, 500)],
    },
    {
        "slug": "bloom-beauty",
        "name": text("花漾美妆集合店", "Bloom Beauty"),
        "rating_tenths": 49,
        "ships_from": "31",
        "ships_from_city": text("上海", "Shanghai"),
        "shipping": {"default_fee": 600, "free_threshold": 4900, "fees": remote_fees(1500, 1000)},
        "coupons": [amount_coupon(10000, 1000, 15, 8000), percent_coupon(95, 0, 7, 3000)],
    },
    {
        "slug": "orchard-direct",
        "name": text("果园直发水果店", "Orchard Direct Fruit"),
        "rating_tenths": 47,
        "ships_from": "61",
        "ships_from_city": text("西安", "Xi'an"),
        "shipping": {"default_fee": 0, "fees": remote_fees(2500, 1500)},
        "coupons": [amount_coupon(6900, 500, 7, 6000)],
    },
    {
        "slug": "fresh-cold-chain",
        "name": text("鲜到家冷链生鲜", "FreshHome Cold-Chain Grocer"),
        "rating_tenths": 46,
        "ships_from": "37",
        "ships_from_city": text("青岛", "Qingdao"),
        # Cold chain: every parcel pays for ice packs and a chilled van.
        "shipping": {
            "default_fee": 1500,
            "free_threshold": 19900,
            "fees": {**remote_fees(3500, 2500), "46": 2000, "53": 2000},
        },
        "coupons": [amount_coupon(19900, 2000, 10, 2000)],
    },
    {
        "slug": "snack-corner",
        "name": text("零嘴小铺", "Snack Corner"),
        "rating_tenths": 48,
        "ships_from": "35",
        "ships_from_city": text("厦门", "Xiamen"),
        "shipping": {"default_fee": 600, "free_threshold": 4900, "fees": remote_fees(1500, 1000)},
        "coupons": [amount_coupon(5900, 500, 7, 10000), amount_coupon(9900, 1200, 7, 5000)],
    },
    {
        "slug": "misthill-tea",
        "name": text("雾山茶庄", "Misthill Tea House"),
        "rating_tenths": 50,
        "ships_from": "53",
        "ships_from_city": text("昆明", "Kunming"),
        "shipping": {"default_fee": 0, "fees": remote_fees(1500, 1000)},
        "coupons": [amount_coupon(20000, 2000, 30, 1000)],
    },
    {
        "slug": "inkscent-books",
        "name": text("墨香书屋", "Inkscent Books"),
        "rating_tenths": 49,
        "ships_from": "11",
        "ships_from_city": text("北京", "Beijing"),
        "shipping": {"default_fee": 600, "free_threshold": 4900, "fees": remote_fees(1500, 1000)},
        "coupons": [amount_coupon(10000, 1500, 30, 4000)],
    },
    {
        "slug": "zhixing-academy",
        "name": text("知行课堂", "Zhixing Academy"),
        "rating_tenths": 47,
        "ships_from": "11",
        "ships_from_city": text("北京", "Beijing"),
        # Courses are delivered online: nothing to ship, anywhere.
        "shipping": {"default_fee": 0},
        "coupons": [amount_coupon(29900, 5000, 30, 1000), percent_coupon(85, 50000, 30, 300)],
    },
    {
        "slug": "wildtrail-outdoor",
        "name": text("野径户外运动", "Wildtrail Outdoor"),
        "rating_tenths": 43,
        "ships_from": "35",
        "ships_from_city": text("泉州", "Quanzhou"),
        "shipping": {"default_fee": 800, "free_threshold": 9900, "fees": remote_fees(2000, 1500)},
        "coupons": [],
    },
]

# Which shop sells a sub-category unless the product says otherwise.
DEFAULT_SHOP = {
    "dresses": "yunshang-women",
    "skirts": "yunshang-women",
    "tshirts": "yunshang-women",
    "coats": "yunshang-women",
    "trousers": "yunshang-women",
    "phones": "geek-digital",
    "earphones": "soundwave-audio",
    "pc-accessories": "geek-digital",
    "wearables": "geek-digital",
    "chargers": "geek-digital",
    "kitchenware": "cozy-home",
    "drinkware": "cozy-home",
    "bedding": "cozy-home",
    "storage": "cozy-home",
    "lighting": "glowen-lighting",
    "makeup": "bloom-beauty",
    "skincare": "bloom-beauty",
    "fragrance": "bloom-beauty",
    "beauty-tools": "bloom-beauty",
    "fruit": "orchard-direct",
    "meat-eggs": "fresh-cold-chain",
    "seafood": "fresh-cold-chain",
    "snacks": "snack-corner",
    "tea-drinks": "misthill-tea",
    "fiction": "inkscent-books",
    "childrens-books": "inkscent-books",
    "textbooks": "inkscent-books",
    "nonfiction": "inkscent-books",
    "programming": "zhixing-academy",
    "photography": "zhixing-academy",
    "languages": "zhixing-academy",
    "columns": "zhixing-academy",
    "running": "wildtrail-outdoor",
    "fitness": "wildtrail-outdoor",
    "camping": "wildtrail-outdoor",
}

# Default picture silhouette per sub-category (a product may name another).
DEFAULT_SHAPE = {
    "dresses": "dress",
    "skirts": "skirt",
    "tshirts": "tshirt",
    "coats": "coat",
    "trousers": "trousers",
    "phones": "phone",
    "earphones": "earbuds",
    "pc-accessories": "keyboard",
    "wearables": "watch",
    "chargers": "powerbank",
    "kitchenware": "pot",
    "drinkware": "mug",
    "bedding": "pillow",
    "storage": "box",
    "lighting": "desklamp",
    "makeup": "lipstick",
    "skincare": "jar",
    "fragrance": "perfume",
    "beauty-tools": "brushes",
    "fruit": "apple",
    "meat-eggs": "steak",
    "seafood": "fish",
    "snacks": "snackbag",
    "tea-drinks": "teatin",
    "fiction": "book",
    "childrens-books": "kidsbook",
    "textbooks": "textbook",
    "nonfiction": "book",
    "programming": "code",
    "photography": "camera",
    "languages": "speech",
    "columns": "article",
    "running": "shoe",
    "fitness": "yogamat",
    "camping": "tent",
}

# --------------------------------------------------------------------------- catalogue


def item(
    slug: str,
    brand: str | None,
    name_zh: str,
    name_en: str,
    pitch_zh: str,
    pitch_en: str,
    price: int,
    *axes: Axis,
    **opts: Any,
) -> Json:
    """One hand-written product; `opts` tune what the generator would otherwise pick."""
    return {
        "slug": slug,
        "brand": brand,
        "name": text(name_zh, name_en),
        "pitch": (pitch_zh, pitch_en),
        "price": price,
        "axes": axes,
        "opts": opts,
    }


CATALOGUE: dict[str, list[Json]] = {
    "dresses": [
        item(
            "floral-chiffon-dress",
            "lumi",
            "法式碎花雪纺连衣裙女夏季中长款",
            "French Floral Chiffon Midi Dress",
            "轻薄雪纺配细碎小花，V领收腰设计，显瘦又温柔。",
            "Light chiffon with a fine floral print, a V-neck and a fitted waist for a soft, slimming line.",
            15900,
            colours("floralblue", "floralpink", "black"),
            sizes(),
            sales=186420,
            promo=["limited_time"],
            reviews=10,
            photo_reviews=True,
        ),
        item(
            "linen-shirt-dress",
            "celadon",
            "文艺棉麻衬衫连衣裙宽松长款",
            "Relaxed Cotton-Linen Shirt Dress",
            "棉麻混纺透气不闷，腰带可拆卸。通勤和度假都能穿。",
            "A breathable cotton-linen blend with a removable belt. Works for the office and for holidays alike.",
            12900,
            colours("ivory", "khaki", "avocado"),
            sizes(),
        ),
        item(
            "knit-bodycon-dress",
            "moko",
            "针织修身包臀连衣裙秋冬打底",
            "Fitted Knit Bodycon Dress",
            "弹力针织贴合身形，单穿或叠穿大衣都不臃肿。",
            "Stretchy knit that follows your shape, smooth enough to wear alone or under a coat.",
            9900,
            colours("wine", "black", "grey"),
            sizes(),
        ),
        item(
            "square-neck-black-dress",
            "moko",
            "赫本风小黑裙方领连衣裙气质款",
            "Square-Neck Little Black Dress",
            "经典方领配A字裙摆，约会聚会一条搞定。",
            "A classic square neckline and A-line skirt that takes you from dinner dates to parties.",
            19900,
            colours("black", "navy"),
            sizes(),
        ),
        item(
            "polka-dot-puff-dress",
            "lumi",
            "复古波点泡泡袖连衣裙收腰显瘦",
            "Vintage Polka-Dot Puff-Sleeve Dress",
            "复古波点搭配泡泡袖，腰部松紧设计，多种身材都能穿。",
            "Retro polka dots and puff sleeves with an elastic waist that suits many figures.",
            13900,
            colours("navy", "red"),
            sizes(),
            pattern="dots",
            soldout=True,
        ),
        item(
            "satin-slip-dress",
            "lumi",
            "缎面吊带连衣裙内搭外穿两用",
            "Satin Slip Dress, Layer or Wear Alone",
            "垂坠缎面自带柔光，单穿优雅，外搭西装也很高级。",
            "Fluid satin with a soft sheen: elegant on its own and sharp under a blazer.",
            16900,
            colours("gold", "black", "forest"),
            sizes(),
        ),
        item(
            "plus-size-floral-maxi-dress",
            "moko",
            "大码女装碎花连衣裙遮肉显瘦长裙",
            "Plus-Size Floral Maxi Dress",
            "宽松A字版型遮肉不挑身材，裙长及踝。尺码覆盖到4XL。",
            "A loose A-line cut that skims the figure, in an ankle length. Sizes run up to 4XL.",
            10900,
            colours("floralpink", "navy"),
            sizes("XL", "2XL", "3XL", "4XL"),
        ),
    ],
    "skirts": [
        item(
            "pleated-midi-skirt",
            "moko",
            "高腰百褶半身裙中长款垂感",
            "High-Waist Pleated Midi Skirt",
            "细密压褶走路飘逸，高腰设计拉长腿部比例。",
            "Fine pleats that swing as you walk, and a high waist that lengthens the legs.",
            8900,
            colours("black", "khaki", "forest"),
            sizes(),
        ),
        item(
            "denim-a-line-skirt",
            "denimora",
            "牛仔A字半身裙短款高腰",
            "High-Waist Denim A-Line Mini Skirt",
            "水洗牛仔不易褪色，A字版型遮胯，内衬安全裤不走光。",
            "Washed denim that keeps its colour, an A-line cut, and built-in shorts for peace of mind.",
            6900,
            colours("denim", "black"),
            sizes(),
        ),
        item(
            "knit-slit-pencil-skirt",
            "celadon",
            "针织开衩包臀半身裙秋冬",
            "Knit Side-Slit Pencil Skirt",
            "柔软针织不扎肤，侧开衩方便迈步。",
            "Soft knit that never itches, with a side slit for an easy stride.",
            7900,
            colours("grey", "coffee", "black"),
            sizes(),
        ),
        item(
            "tulle-maxi-skirt",
            "lumi",
            "仙女网纱半身裙蓬蓬纱裙长款",
            "Layered Tulle Maxi Skirt",
            "三层网纱蓬松不塌，配T恤或毛衣都很有氛围感。",
            "Three layers of soft tulle that stay full; lovely with a tee or a chunky knit.",
            9900,
            colours("pink", "ivory", "black"),
            sizes(),
            listed=3,
            promo=["new_arrival"],
        ),
        item(
            "suit-pencil-skirt",
            "moko",
            "通勤西装半身裙高腰一步裙",
            "Office Suit Pencil Skirt",
            "挺括西装面料不易起皱，后开衩行走方便。",
            "Crisp suiting fabric that resists creases, with a back vent for easy walking.",
            11900,
            colours("navy", "black", "khaki"),
            sizes(),
        ),
    ],
    "tshirts": [
        item(
            "cotton-crew-tee",
            "moko",
            "纯棉圆领短袖T恤女宽松百搭",
            "Cotton Crew-Neck Tee, Relaxed Fit",
            "精选长绒棉，亲肤柔软不透肉，五色可选。",
            "Soft long-staple cotton that isn't see-through, in five easy colours.",
            3990,
            colours("white", "black", "grey", "pink", "skyblue"),
            sizes(),
            sales=98210,
        ),
        item(
            "custom-name-tee",
            "urbanite",
            "定制名字T恤印字班服团建DIY",
            "Custom Name T-Shirt, Print Your Own Text",
            "下单备注文字或图案即可印制，适合班服、团建和亲子装。",
            "Add your text or logo in the order note; perfect for class, team and family outfits.",
            4900,
            colours("red", "white", "black"),
            sizes(),
            policy="custom",
            shop="urban-wardrobe",
        ),
        item(
            "oversized-graphic-tee",
            "urbanite",
            "美式复古印花oversize短袖T恤男",
            "Oversized Vintage Graphic Tee",
            "重磅棉落肩版型，复古印花洗后不开裂。",
            "Heavyweight cotton with dropped shoulders and a retro print that doesn't crack in the wash.",
            5900,
            colours("black", "white", "khaki"),
            sizes(),
            shop="urban-wardrobe",
        ),
        item(
            "smart-casual-polo",
            "nordvik",
            "商务休闲POLO衫男短袖翻领",
            "Men's Smart-Casual Polo Shirt",
            "珠地棉面料透气吸汗，翻领挺括不卷边。",
            "Breathable piqué cotton that wicks sweat, with a collar that stays crisp.",
            7900,
            colours("navy", "white", "forest"),
            sizes(),
            shop="urban-wardrobe",
        ),
        item(
            "cropped-fitted-tee",
            "lumi",
            "修身短款T恤女辣妹露脐上衣",
            "Cropped Fitted Tee",
            "弹力罗纹修身显腰线，搭配高腰裤刚刚好。",
            "Stretchy ribbed cotton that shows off the waist; made for high-rise bottoms.",
            3500,
            colours("pink", "white", "black"),
            sizes("S", "M", "L"),
            listed=1,
            sales=0,
        ),
    ],
    "coats": [
        item(
            "midi-trench-coat",
            "nordvik",
            "英伦风中长款风衣女春秋",
            "Classic Midi Trench Coat",
            "防泼水面料，双排扣配腰带。春秋通勤一件就够。",
            "Water-repellent fabric, double-breasted with a belt. The one coat you need for spring and autumn.",
            29900,
            colours("khaki", "black"),
            sizes(),
        ),
        item(
            "light-down-jacket",
            "nordvik",
            "90白鸭绒轻薄羽绒服短款",
            "Lightweight Short Down Jacket, 90% Duck Down",
            "充绒量足，蓬松保暖，可收纳进随附小包。",
            "Generously filled and warm, and it packs into its own pouch.",
            39900,
            colours("black", "cream", "navy", "red"),
            sizes(),
            shop="urban-wardrobe",
        ),
        item(
            "washed-denim-jacket",
            "denimora",
            "复古水洗牛仔外套男女同款",
            "Vintage Washed Denim Jacket, Unisex",
            "做旧水洗有层次感，四季都能叠穿。",
            "A layered vintage wash you can wear in any season.",
            15900,
            colours("skyblue", "denim"),
            sizes(),
            shop="urban-wardrobe",
        ),
        item(
            "double-faced-wool-coat",
            "celadon",
            "双面羊毛大衣女中长款",
            "Double-Faced Wool Coat, Mid Length",
            "双面呢工艺手工缝制，轻盈保暖不压身。",
            "Hand-finished double-faced wool that is warm without weighing you down.",
            59900,
            colours("camel", "grey", "black"),
            sizes(),
        ),
    ],
    "trousers": [
        item(
            "wide-leg-jeans",
            "denimora",
            "高腰阔腿牛仔裤女直筒显瘦",
            "High-Waist Wide-Leg Jeans",
            "高腰直筒遮肉显高，微弹面料久坐不勒。",
            "A high waist and a straight wide leg that add height, in soft stretch denim that's comfy all day.",
            12900,
            colours("skyblue", "denim", "black"),
            sizes(),
        ),
        item(
            "cropped-suit-trousers",
            "moko",
            "垂感西装裤女九分烟管裤",
            "Drapey Cropped Suit Trousers",
            "垂感面料不易起皱，九分长度露出脚踝更显瘦。",
            "Crease-resistant drape with an ankle-grazing length that looks neat and slim.",
            9900,
            colours("black", "grey", "khaki"),
            sizes(),
        ),
        item(
            "cargo-joggers",
            "urbanite",
            "美式工装裤男宽松束脚",
            "Loose Cargo Joggers",
            "多口袋工装设计，束脚版型利落好搭配。",
            "Plenty of pockets and cuffed ankles for a clean, easy look.",
            10900,
            colours("forest", "khaki", "black"),
            sizes(),
            shop="urban-wardrobe",
        ),
        item(
            "fleece-sweatpants",
            "urbanite",
            "加绒卫裤男冬季运动裤",
            "Fleece-Lined Winter Sweatpants",
            "内里加绒厚实保暖，松紧腰头配抽绳。",
            "Thick fleece lining for warmth, with an elastic drawstring waist.",
            7900,
            colours("grey", "black", "navy"),
            sizes(),
            shop="urban-wardrobe",
        ),
        item(
            "cool-wide-leg-trousers",
            "celadon",
            "冰丝阔腿裤女夏季薄款垂感",
            "Cool-Touch Wide-Leg Summer Trousers",
            "冰丝面料摸着凉爽，宽松裤腿走路带风。",
            "Cool-touch fabric and a wide, breezy leg for hot days.",
            5900,
            colours("ivory", "black", "khaki"),
            sizes(),
        ),
    ],
    "phones": [
        item(
            "aurora-x5-pro",
            "aurora",
            "极光X5 Pro 5G手机 1亿像素 120Hz曲面屏",
            "Aurora X5 Pro 5G Smartphone, 100 MP Camera, 120 Hz Curved Display",
            "6.7英寸AMOLED曲面屏，5000mAh大电池配67W快充，半小时充到八成。",
            "A 6.7-inch curved AMOLED screen and a 5000 mAh battery with 67 W charging: 80% in half an hour.",
            249900,
            colours("starblack", "silver", "mistblue"),
            storage(("256GB", 0), ("512GB", 40000)),
            limit=2,
            sales=52310,
            photo_reviews=True,
        ),
        item(
            "aurora-a3",
            "aurora",
            "极光A3 大屏长续航手机 老人学生备用机",
            "Aurora A3 Big-Screen Long-Battery Phone",
            "6000mAh超大电池，待机三天不用充。大字体模式，长辈用着也方便。",
            "A 6000 mAh battery that lasts three days on standby. A large-text mode makes it easy for older users.",
            89900,
            colours("mint", "black"),
            storage(("128GB", 0), ("256GB", 20000)),
        ),
        item(
            "zenko-flip",
            "zenko",
            "臻酷Flip小折叠屏手机 限量首发",
            "Zenko Flip Compact Foldable Phone, Launch Edition",
            "合上只有掌心大小，展开是6.9英寸大屏。铰链经过二十万次折叠测试。",
            "Palm-sized when closed, a 6.9-inch screen when open. The hinge is tested for 200,000 folds.",
            499900,
            colours("taro", "black"),
            storage(("256GB", 0), ("512GB", 50000)),
            limit=2,
            soldout=True,
            sales=3000,
        ),
        item(
            "zenko-gt",
            "zenko",
            "臻酷GT电竞游戏手机 165Hz 主动散热",
            "Zenko GT Gaming Phone, 165 Hz with Active Cooling",
            "165Hz高刷屏配肩键，内置散热风扇，团战不掉帧。",
            "A 165 Hz display, shoulder triggers and a built-in cooling fan keep frame rates steady.",
            329900,
            colours("black", "silver"),
            storage(("256GB", 0), ("512GB", 60000), ("1TB", 150000)),
        ),
        item(
            "aurora-mini",
            "aurora",
            "极光mini小屏旗舰手机 单手握持",
            "Aurora mini Compact Flagship Phone",
            "6.1英寸小屏，机身轻至168克，单手操作毫不费力。",
            "A 6.1-inch screen in a 168 g body that is easy to use with one hand.",
            199900,
            colours("white", "pink", "black"),
            storage(("128GB", 0), ("256GB", 30000)),
            listed=12,
            promo=["new_arrival"],
        ),
    ],
    "earphones": [
        item(
            "anc-bluetooth-earbuds",
            "sonora",
            "主动降噪蓝牙耳机入耳式长续航",
            "Active Noise-Cancelling Bluetooth Earbuds, Long Battery Life",
            "深度降噪最高可达45分贝，单次续航8小时，配合充电盒可用36小时。",
            "Cuts noise by up to 45 dB, with 8 hours per charge and 36 hours with the case.",
            29900,
            colours("white", "black", "mistblue"),
            sales=152340,
            photo_reviews=True,
        ),
        item(
            "bone-conduction-headphones",
            "echoa",
            "骨传导运动耳机不入耳防水",
            "Bone-Conduction Sports Headphones, Open-Ear and Waterproof",
            "不入耳设计，跑步时也能听见路况。IP67防水，出汗淋雨都不怕。",
            "Leaves your ears open so you can hear traffic while running. IP67 rated against sweat and rain.",
            39900,
            colours("black", "grey"),
            shape="neckband",
        ),
        item(
            "over-ear-anc-headphones",
            "sonora",
            "头戴式无线降噪耳机折叠便携",
            "Foldable Wireless Over-Ear Noise-Cancelling Headphones",
            "蛋白皮耳罩柔软包裹，折叠后可放进随身包，续航长达50小时。",
            "Soft protein-leather cups, a fold-flat design for your bag and up to 50 hours of play.",
            49900,
            colours("black", "silver", "ivory"),
            shape="headphones",
        ),
        item(
            "gaming-headset",
            "echoa",
            "电竞游戏耳机头戴式带麦7.1环绕声",
            "Gaming Headset with Mic, 7.1 Surround Sound",
            "7.1虚拟环绕听声辨位，可拆卸降噪麦克风，RGB灯效。",
            "Virtual 7.1 surround to pinpoint footsteps, a detachable noise-reducing mic and RGB lighting.",
            19900,
            colours("black", "red"),
            shape="headset",
        ),
        item(
            "budget-bluetooth-earbuds",
            "echoa",
            "半入耳式蓝牙耳机学生平价款",
            "Budget Semi-In-Ear Bluetooth Earbuds",
            "半入耳设计久戴不胀，蓝牙5.3连接稳定。",
            "A semi-in-ear fit that stays comfortable, with stable Bluetooth 5.3.",
            6900,
            colours("pink", "white", "black", "lemon"),
            limit=5,
            sales=198760,
            promo=["limited_time"],
        ),
        item(
            "usb-c-wired-earphones",
            "nuvo",
            "Type-C有线耳机入耳式带麦",
            "USB-C Wired In-Ear Earphones with Mic",
            "数字解码芯片，即插即用，线控可接听电话和切歌。",
            "A built-in digital decoder, plug-and-play, with an inline remote for calls and tracks.",
            2900,
            colours("white", "black"),
            shape="wired",
            shop="geek-digital",
        ),
        item(
            "kids-volume-limited-headphones",
            "sonora",
            "儿童头戴式耳机音量保护85分贝",
            "Kids' Headphones with 85 dB Volume Limit",
            "85分贝音量上限保护听力，软胶头梁摔不坏。",
            "An 85 dB limit protects young ears, and the soft headband survives drops.",
            9900,
            colours("pink", "skyblue"),
            shape="headphones",
        ),
    ],
    "pc-accessories": [
        item(
            "rgb-mechanical-keyboard",
            "keyforge",
            "机械键盘 [RGB背光] 热插拔 87键",
            "Mechanical Keyboard [RGB Backlight] Hot-Swap, 87 Keys",
            "全键热插拔，不用焊接就能换轴。三模连接，有线、蓝牙和2.4G随意切换。",
            "Every switch is hot-swappable, no soldering needed. Connect by cable, Bluetooth or 2.4 GHz.",
            29900,
            colours("black", "white"),
            option(
                "轴体",
                "Switch",
                ("红轴", "Red (linear)", 0),
                ("青轴", "Blue (clicky)", 0),
                ("茶轴", "Brown (tactile)", 2000),
            ),
        ),
        item(
            "silent-wireless-mouse",
            "nuvo",
            "静音无线鼠标办公便携充电款",
            "Silent Rechargeable Wireless Mouse",
            "静音按键深夜加班不吵人，充一次电用一个月。",
            "Quiet clicks for late nights, and one charge lasts a month.",
            4900,
            colours("black", "white", "pink"),
            shape="mouse",
        ),
        item(
            "usb-c-hub-7in1",
            "nuvo",
            "Type-C扩展坞七合一HDMI拓展坞",
            "7-in-1 USB-C Hub with HDMI",
            "一根线扩展HDMI、USB和读卡器，4K投屏不卡顿。",
            "One cable adds HDMI, USB ports and a card reader, with smooth 4K output.",
            12900,
            shape="hub",
            tint="charcoal",
        ),
        item(
            "aluminium-laptop-stand",
            "keyforge",
            "铝合金笔记本电脑支架升降散热",
            "Adjustable Aluminium Laptop Stand",
            "六档高度可调，抬高屏幕缓解颈椎压力，镂空设计利于散热。",
            "Six height settings lift the screen to ease your neck, and the open frame helps cooling.",
            8900,
            colours("silver", "charcoal"),
            shape="stand",
        ),
        item(
            "xl-desk-mat",
            "nuvo",
            "超大号鼠标垫办公桌垫加厚锁边",
            "Extra-Large Desk Mat with Stitched Edges",
            "90×40厘米大尺寸，键盘鼠标都放得下，防水面料一擦就干净。",
            "At 90 × 40 cm it fits keyboard and mouse, and the water-resistant surface wipes clean.",
            2900,
            colours("black", "grey", "forest"),
            shape="mat",
        ),
    ],
    "wearables": [
        item(
            "tempora-s3-smartwatch",
            "tempora",
            "时拓S3智能手表 血氧心率监测 NFC",
            "Tempora S3 Smartwatch with SpO2, Heart Rate and NFC",
            "1.43英寸AMOLED屏，支持血氧、心率和睡眠监测。NFC刷门禁坐地铁，抬手就搞定。",
            "A 1.43-inch AMOLED screen with SpO2, heart-rate and sleep tracking. Tap NFC for doors and the metro.",
            69900,
            colours("black", "silver", "pink"),
        ),
        item(
            "fitness-band",
            "tempora",
            "智能运动手环防水计步睡眠监测",
            "Waterproof Fitness Band with Step and Sleep Tracking",
            "五十米防水，游泳也能戴，续航长达14天。",
            "Water-resistant to 50 m for swimming, with up to 14 days of battery.",
            14900,
            colours("black", "mistblue", "pink"),
            shape="band",
        ),
        item(
            "kids-4g-watch",
            "tempora",
            "儿童电话手表4G视频通话精准定位",
            "Kids' 4G Video-Call Watch with GPS",
            "支持视频通话和多重定位，家长手机随时查看位置。上课模式自动屏蔽游戏。",
            "Video calls and location that parents can check any time. Class mode switches games off during lessons.",
            39900,
            colours("skyblue", "pink"),
            limit=3,
        ),
        item(
            "titanium-smart-ring",
            "tempora",
            "智能戒指睡眠心率监测 钛合金",
            "Titanium Smart Ring for Sleep and Heart Rate",
            "钛合金机身仅重3克，戴着睡觉毫无感觉。",
            "A titanium body weighing just 3 g that you won't notice while you sleep.",
            89900,
            colours("silver", "gold", "black"),
            option(
                "尺码",
                "Ring size",
                ("7号", "Size 7", 0),
                ("8号", "Size 8", 0),
                ("9号", "Size 9", 0),
                ("10号", "Size 10", 0),
            ),
            shape="ring",
        ),
    ],
    "chargers": [
        item(
            "power-bank-20000",
            "nuvo",
            "20000毫安充电宝22.5W快充大容量",
            "20,000 mAh Power Bank with 22.5 W Fast Charging",
            "两万毫安大容量，手机能充四到五次，可以带上飞机。",
            "Enough capacity for four or five phone charges, and it's allowed on flights.",
            9900,
            colours("white", "black"),
        ),
        item(
            "gan-charger-65w",
            "nuvo",
            "65W氮化镓充电器三口快充头",
            "65 W GaN Three-Port Charger",
            "氮化镓小体积，一个充电头同时充电脑、手机和耳机。",
            "Compact GaN that charges a laptop, a phone and earbuds at once.",
            12900,
            shape="charger",
            tint="white",
        ),
        item(
            "braided-3in1-cable",
            "nuvo",
            "编织快充数据线三合一一拖三",
            "Braided 3-in-1 Fast-Charging Cable",
            "一根线兼容三种接口，编织线身耐弯折。",
            "One cable with three connector types, in a braided jacket that resists bending.",
            1990,
            option("长度", "Length", ("1米", "1 m", 0), ("2米", "2 m", 600)),
            shape="cable",
            tint="red",
        ),
    ],
    "kitchenware": [
        item(
            "stone-nonstick-wok",
            "potlux",
            "麦饭石不粘炒锅家用少油烟",
            "Stone-Coated Non-Stick Wok, Low Smoke",
            "麦饭石涂层不粘耐刮，少油也能炒出好菜。燃气灶电磁炉通用。",
            "A scratch-resistant stone coating that cooks well with little oil. Works on gas and induction.",
            15900,
            option("尺寸", "Size", ("30厘米", "30 cm", 0), ("32厘米", "32 cm", 3000)),
            shape="wok",
            tint="charcoal",
        ),
        item(
            "enamel-cast-iron-pot",
            "potlux",
            "珐琅铸铁锅炖锅汤锅22cm",
            "Enamelled Cast-Iron Casserole, 22 cm",
            "厚实锅体锁住水分，炖肉煲汤格外软烂入味。",
            "A heavy body that locks in moisture for tender stews and rich soups.",
            29900,
            colours("red", "cream", "forest"),
        ),
        item(
            "knife-and-board-set",
            "potlux",
            "不锈钢刀具套装菜刀砧板组合",
            "Stainless Steel Knife and Chopping Board Set",
            "一体成型刀身锋利耐用，配双面砧板，生熟分开。",
            "Sharp one-piece blades with a double-sided board to keep raw and cooked food apart.",
            13900,
            option("套装", "Set", ("三件套", "3 pieces", 0), ("五件套", "5 pieces", 6000)),
            shape="knife",
            tint="coffee",
        ),
        item(
            "underglaze-tableware-set",
            "potlux",
            "日式釉下彩陶瓷碗碟套装",
            "Japanese-Style Underglaze Ceramic Tableware Set",
            "釉下彩工艺无铅无镉，可进微波炉和洗碗机。",
            "Lead- and cadmium-free underglaze decoration, safe in the microwave and dishwasher.",
            8900,
            option("规格", "Set size", ("10件套", "10 pieces", 0), ("20件套", "20 pieces", 7000)),
            shape="bowl",
            tint="hazeblue",
        ),
        item(
            "mini-rice-cooker",
            "potlux",
            "迷你电饭煲1-2人小型家用",
            "Mini Rice Cooker for One or Two",
            "1.2升小容量刚好一两人吃，预约定时，早上起来就有热粥。",
            "A 1.2 L bowl sized for one or two, with a timer for hot porridge in the morning.",
            14900,
            colours("cream", "pink"),
            shape="ricecooker",
        ),
    ],
    "drinkware": [
        item(
            "engraved-ceramic-mug",
            "clayday",
            "定制刻字马克杯情侣陶瓷杯",
            "Engraved Ceramic Mug, Personalised Gift",
            "激光刻字永不掉色，可刻名字、日期或一句话。",
            "Laser engraving that never fades: a name, a date or a line of your own.",
            4900,
            colours("white", "black", "hazeblue"),
            policy="custom",
            shape="mugheart",
        ),
        item(
            "vacuum-flask",
            "clayday",
            "316不锈钢保温杯大容量便携",
            "316 Stainless Steel Vacuum Flask",
            "316不锈钢内胆，保温12小时，一键开盖单手就能喝。",
            "A 316 steel liner keeps drinks hot for 12 hours, with a one-touch lid you can open one-handed.",
            8900,
            colours("white", "charcoal", "mint"),
            option("容量", "Capacity", ("500毫升", "500 ml", 0), ("750毫升", "750 ml", 1000)),
            shape="flask",
        ),
        item(
            "glass-cup-with-straw",
            "clayday",
            "耐热玻璃杯带盖吸管ins风",
            "Heat-Resistant Glass Cup with Lid and Straw",
            "高硼硅玻璃耐冷耐热，冷饮热茶都能装。",
            "Borosilicate glass that handles both iced drinks and hot tea.",
            2990,
            colours("clear", "pink"),
            shape="glass",
        ),
        item(
            "2l-sports-water-bottle",
            "clayday",
            "大容量吨吨桶运动水壶2000ml",
            "2 L Sports Water Bottle with Time Markers",
            "刻度提醒喝水时间，一天轻松喝够两升水。",
            "Time markings remind you to drink, so you get your 2 litres a day.",
            3900,
            colours("mint", "taro", "orange"),
            shape="bigbottle",
        ),
        item(
            "kung-fu-tea-set",
            "clayday",
            "功夫茶具套装家用陶瓷盖碗",
            "Ceramic Kung Fu Tea Set with Gaiwan",
            "盖碗、公道杯和六只品茗杯一套配齐，开箱就能泡茶。",
            "A gaiwan, a pitcher and six tasting cups: everything you need to start brewing.",
            15900,
            shape="teapot",
            tint="teal",
        ),
    ],
    "bedding": [
        item(
            "cotton-bedding-set",
            "hearthly",
            "全棉四件套纯棉床单被套",
            "100% Cotton Four-Piece Bedding Set",
            "100%长绒棉，越洗越柔软。活性印染，不易褪色。",
            "Pure long-staple cotton that gets softer with every wash, dyed to hold its colour.",
            29900,
            colours("ivory", "grey", "hazeblue", "pink"),
            option("尺寸", "Bed size", ("1.5米床", "1.5 m bed", 0), ("1.8米床", "1.8 m bed", 4000)),
            shape="bed",
        ),
        item(
            "memory-foam-pillow",
            "hearthly",
            "记忆棉枕头护颈枕慢回弹",
            "Memory-Foam Contour Pillow",
            "慢回弹记忆棉贴合颈部曲线，侧睡仰睡都舒服。",
            "Slow-rebound foam that follows the curve of your neck, for side and back sleepers.",
            9900,
            colours("white", "grey"),
        ),
        item(
            "custom-photo-cushion",
            "hearthly",
            "定制照片抱枕DIY来图印制",
            "Custom Photo Cushion, Printed With Your Picture",
            "上传照片即可印制，双面高清打印。送人当生日礼物很有心意。",
            "Send us a photo and we'll print it in high definition on both sides. A thoughtful birthday gift.",
            5900,
            option(
                "尺寸", "Size", ("40×40厘米", "40 × 40 cm", 0), ("45×45厘米", "45 × 45 cm", 1000)
            ),
            policy="custom",
            shape="cushion",
            tint="coral",
        ),
        item(
            "cooling-summer-quilt",
            "hearthly",
            "冰丝凉感夏凉被可机洗",
            "Cool-Touch Summer Quilt, Machine Washable",
            "接触凉感面料，空调房盖着刚刚好，整床可机洗。",
            "A cool-touch fabric that's just right in air-conditioned rooms, and it goes in the washing machine.",
            12900,
            colours("skyblue", "grey", "pink"),
            option(
                "尺寸",
                "Size",
                ("150×200厘米", "150 × 200 cm", 0),
                ("200×230厘米", "200 × 230 cm", 3000),
            ),
            shape="blanket",
        ),
        item(
            "flannel-throw-blanket",
            "hearthly",
            "法兰绒毛毯沙发午睡盖毯",
            "Flannel Throw Blanket",
            "细腻法兰绒柔软亲肤，午睡、看电视盖着都舒服。",
            "Fine flannel that feels soft on the skin, for naps or nights on the sofa.",
            6900,
            colours("coffee", "taro", "grey"),
            shape="blanket",
        ),
    ],
    "storage": [
        item(
            "foldable-storage-box",
            "neatbox",
            "可折叠收纳箱衣物整理箱带盖",
            "Foldable Lidded Storage Box",
            "不用时可折叠收起，带盖防尘，叠放稳固。",
            "Folds flat when not in use; the lid keeps dust out and the boxes stack firmly.",
            3990,
            colours("grey", "ivory"),
            option("容量", "Capacity", ("36升", "36 L", 0), ("66升", "66 L", 1500)),
        ),
        item(
            "desktop-drawer-organiser",
            "neatbox",
            "桌面抽屉式收纳盒化妆品文具整理",
            "Desktop Drawer Organiser",
            "三层抽屉分区收纳，化妆品、文具一目了然。",
            "Three drawers keep makeup and stationery sorted and easy to find.",
            4590,
            colours("white", "pink"),
            shape="drawers",
        ),
        item(
            "velvet-hangers-20",
            "neatbox",
            "植绒防滑衣架20个装无痕",
            "Non-Slip Velvet Hangers, Pack of 20",
            "植绒表面防滑，吊带裙也不会滑落，肩部无痕。",
            "A velvet surface holds even slip dresses in place and leaves no shoulder bumps.",
            2990,
            colours("black", "grey", "pink"),
            shape="hanger",
        ),
        item(
            "vacuum-storage-bags",
            "neatbox",
            "真空压缩袋收纳袋棉被衣物",
            "Vacuum Storage Bags for Duvets and Clothes",
            "抽气后体积缩小七成，换季收纳省空间。",
            "Shrink bulky bedding by 70% for easy seasonal storage.",
            3590,
            option("套装", "Set", ("8件套", "8 bags", 0), ("12件套", "12 bags", 1500)),
            shape="vacuumbag",
            tint="hazeblue",
        ),
    ],
    "lighting": [
        item(
            "led-eye-care-desk-lamp",
            "glowen",
            "LED护眼台灯学生学习书桌",
            "LED Eye-Care Desk Lamp for Study",
            "无频闪全光谱光源，长时间写作业眼睛也不累。三档色温可调。",
            "Flicker-free, full-spectrum light for long homework sessions, with three colour temperatures.",
            15900,
            colours("white", "black"),
        ),
        item(
            "motion-sensor-night-light",
            "glowen",
            "人体感应小夜灯卧室床头",
            "Motion-Sensor Night Light",
            "起夜自动亮灯，人走后自动熄灭。磁吸安装，哪里都能贴。",
            "Lights up when you get up at night and switches off once you've gone. The magnetic mount sticks anywhere.",
            1990,
            option("套装", "Pack", ("单只装", "Single", 0), ("两只装", "Pack of 2", 1500)),
            shape="nightlight",
            tint="lemon",
        ),
        item(
            "round-led-ceiling-light",
            "glowen",
            "客厅吸顶灯现代简约LED",
            "Modern Round LED Ceiling Light",
            "超薄灯体，遥控调节亮度和色温。",
            "An ultra-slim fitting with remote control for brightness and colour temperature.",
            39900,
            option("尺寸", "Size", ("50厘米", "50 cm", 0), ("60厘米", "60 cm", 10000)),
            shape="ceilinglamp",
            tint="white",
        ),
        item(
            "nordic-floor-lamp",
            "glowen",
            "北欧落地灯客厅卧室立式",
            "Nordic Floor Lamp",
            "布艺灯罩光线柔和，给客厅添一点温馨。",
            "A fabric shade gives soft light that warms up the living room.",
            25900,
            colours("white", "black"),
            shape="floorlamp",
        ),
        item(
            "sunset-projection-lamp",
            "glowen",
            "落日灯氛围灯拍照网红款",
            "Sunset Projection Lamp",
            "一键投射落日光晕，随手拍照都出片。",
            "Casts a sunset glow on the wall, so every photo looks great.",
            4900,
            option("灯色", "Light colour", ("落日红", "Sunset red", 0), ("彩虹色", "Rainbow", 500)),
            shape="sunsetlamp",
            tint="orange",
        ),
    ],
    "makeup": [
        item(
            "velvet-matte-lipstick",
            "velora",
            "丝绒哑光口红显白不拔干",
            "Velvet Matte Lipstick, Non-Drying",
            "丝绒质地一抹显色，添加植物油脂，滋润不拔干。",
            "A velvet texture with rich colour in one swipe, plus plant oils so lips don't dry out.",
            12900,
            option(
                "色号",
                "Shade",
                ("#01 正红", "#01 Classic Red", 0),
                ("#02 豆沙", "#02 Rosewood", 0),
                ("#03 烂番茄", "#03 Tomato Red", 0),
                ("#04 枫叶棕", "#04 Maple Brown", 0),
            ),
            tint="red",
            sales=75300,
            photo_reviews=True,
        ),
        item(
            "glossy-lip-glaze",
            "velora",
            "镜面水光唇釉持久不沾杯",
            "Glossy Lip Glaze, Long-Wear and Transfer-Proof",
            "水光镜面效果，成膜后不沾杯。",
            "A mirror-shine finish that sets so it won't transfer to your cup.",
            8900,
            option(
                "色号",
                "Shade",
                ("#11 蜜桃", "#11 Peach", 0),
                ("#12 草莓", "#12 Strawberry", 0),
                ("#13 奶茶", "#13 Milk Tea", 0),
            ),
            shape="lipgloss",
            tint="coral",
        ),
        item(
            "lipstick-gift-set",
            "velora",
            "口红礼盒套装七夕限定",
            "Limited-Edition Lipstick Gift Set",
            "限定雕花礼盒装热门色号，附赠手提袋和贺卡。",
            "An embossed limited-edition box of best-selling shades, with a gift bag and a card.",
            39900,
            option("套装", "Set", ("3支装", "3 lipsticks", 0), ("5支装", "5 lipsticks", 20000)),
            limit=2,
            shape="lipstickset",
            tint="wine",
        ),
        item(
            "earth-tone-eyeshadow-palette",
            "rosene",
            "十二色眼影盘大地色珠光哑光",
            "12-Shade Earth-Tone Eyeshadow Palette",
            "哑光和珠光搭配，粉质细腻好晕染，新手也能画。",
            "A mix of matte and shimmer with a fine, blendable powder that beginners can handle.",
            11900,
            option("色系", "Palette", ("大地色", "Earth tones", 0), ("蜜桃色", "Peach tones", 0)),
            shape="palette",
            tint="camel",
        ),
        item(
            "long-wear-cushion-foundation",
            "rosene",
            "气垫粉底液遮瑕持妆控油",
            "Long-Wear Cushion Foundation",
            "轻薄服帖，遮瑕力强，持妆一整天不暗沉。",
            "Light and flexible with solid coverage that stays fresh all day.",
            16900,
            option(
                "色号", "Shade", ("#00 象牙白", "#00 Ivory", 0), ("#01 自然色", "#01 Natural", 0)
            ),
            shape="compact",
            tint="apricot",
        ),
    ],
    "skincare": [
        item(
            "hyaluronic-hydrating-serum",
            "aqualis",
            "玻尿酸保湿精华液补水修护",
            "Hyaluronic Acid Hydrating Serum",
            "多种分子量玻尿酸层层补水，质地清爽好吸收。",
            "Several sizes of hyaluronic acid hydrate layer by layer, in a light, fast-absorbing texture.",
            19900,
            option("容量", "Size", ("30毫升", "30 ml", 0), ("50毫升", "50 ml", 8000)),
            shape="dropper",
            tint="skyblue",
        ),
        item(
            "ceramide-repair-cream",
            "aqualis",
            "神经酰胺修护面霜保湿滋润",
            "Ceramide Repair Moisturising Cream",
            "神经酰胺修护屏障，换季泛红干痒也不怕。",
            "Ceramides restore the skin barrier through seasonal redness and dryness.",
            22900,
            tint="hazeblue",
        ),
        item(
            "spf50-sunscreen",
            "aqualis",
            "清爽防晒霜SPF50+户外防水防汗",
            "Light SPF50+ Sunscreen, Water- and Sweat-Resistant",
            "高倍防晒清爽不油，出汗也不易脱妆。",
            "High protection that isn't greasy and holds up when you sweat.",
            9900,
            option("规格", "Pack", ("单支装", "Single", 0), ("两支装", "Pack of 2", 7000)),
            shape="tube",
            tint="lemon",
        ),
        item(
            "amino-acid-cleanser",
            "rosene",
            "氨基酸洗面奶温和控油",
            "Gentle Amino-Acid Facial Cleanser",
            "氨基酸表活温和不紧绷，绵密泡沫带走多余油脂。",
            "Mild amino-acid surfactants that leave skin comfortable, with a rich foam that lifts excess oil.",
            5900,
            shape="tube",
            tint="mint",
        ),
        item(
            "hydrating-sheet-masks",
            "aqualis",
            "补水保湿面膜贴 熬夜急救",
            "Hydrating Sheet Masks for Tired Skin",
            "一片相当于半瓶精华，敷完皮肤水润透亮。",
            "Each mask holds half a bottle of serum for fresh, dewy skin.",
            4990,
            option("规格", "Box", ("10片", "10 masks", 0), ("20片", "20 masks", 4000)),
            shape="mask",
            tint="skyblue",
        ),
        item(
            "niacinamide-toner",
            "rosene",
            "烟酰胺亮肤水爽肤水",
            "Niacinamide Brightening Toner",
            "5%烟酰胺温和提亮，改善暗沉。",
            "5% niacinamide gently brightens and evens out dull skin.",
            12900,
            shape="bottle",
            tint="pink",
            listed=1,
            sales=0,
            promo=["new_arrival"],
        ),
    ],
    "fragrance": [
        item(
            "woody-eau-de-toilette",
            "noctis",
            "木质调淡香水持久留香男女",
            "Woody Eau de Toilette, Long-Lasting, Unisex",
            "雪松与檀木交织，干净沉稳，通勤约会都合适。",
            "Cedar and sandalwood for a clean, calm scent that suits work and evenings out.",
            19900,
            option(
                "容量",
                "Volume",
                ("30毫升", "30 ml", 0),
                ("50毫升", "50 ml", 8000),
                ("100毫升", "100 ml", 18000),
            ),
            tint="coffee",
        ),
        item(
            "gardenia-eau-de-parfum",
            "noctis",
            "栀子花香水女士淡香清新",
            "Gardenia Eau de Parfum",
            "栀子花香调清新甜美，像初夏傍晚的风。",
            "Fresh, sweet gardenia, like a breeze on an early-summer evening.",
            26900,
            option("容量", "Volume", ("50毫升", "50 ml", 0), ("100毫升", "100 ml", 12000)),
            tint="gold",
        ),
        item(
            "perfume-discovery-set",
            "noctis",
            "香水小样套装五支装试香",
            "Perfume Discovery Set, Five 5 ml Minis",
            "五款热门香型小样，先试再买不踩雷。",
            "Five popular scents in 5 ml minis, so you can try before you commit.",
            9900,
            shape="perfumeset",
            tint="taro",
        ),
        item(
            "midnight-rose-limited",
            "noctis",
            "午夜玫瑰限定版香水 编号典藏",
            "Midnight Rose Limited-Edition Perfume, Numbered",
            "全球限量编号瓶，大马士革玫瑰搭配黑醋栗。",
            "A numbered limited-edition bottle of Damask rose with blackcurrant.",
            59900,
            tint="wine",
            limit=1,
            soldout=True,
        ),
    ],
    "beauty-tools": [
        item(
            "soft-makeup-brush-set",
            "rosene",
            "化妆刷套装12支 软毛不吃粉",
            "12-Piece Soft Makeup Brush Set",
            "纤维刷毛柔软不扎脸，抓粉好、不吃粉。",
            "Soft synthetic bristles that pick up powder well without wasting it.",
            6900,
            tint="pink",
        ),
        item(
            "beauty-sponges-4",
            "rosene",
            "美妆蛋不吃粉 干湿两用四只装",
            "Beauty Sponges, Wet or Dry, Pack of 4",
            "遇水变大一倍，上妆服帖不吃粉。",
            "Doubles in size when wet and blends foundation smoothly.",
            1990,
            colours("pink", "taro", "lemon"),
            shape="sponge",
        ),
        item(
            "ionic-hair-dryer",
            "rosene",
            "负离子吹风机大功率速干护发",
            "Ionic Fast-Drying Hair Dryer",
            "高速马达配负离子，五分钟吹干长发。",
            "A high-speed motor with ionic care dries long hair in five minutes.",
            19900,
            colours("white", "pink", "charcoal"),
            shape="hairdryer",
        ),
    ],
    "fruit": [
        item(
            "sugar-heart-apples",
            None,
            "新疆冰糖心苹果当季现摘脆甜",
            "Xinjiang Sugar-Heart Apples, Fresh-Picked",
            "高海拔昼夜温差大，果肉脆甜，切开有透明糖心。",
            "Grown at altitude with cool nights, so the flesh is crisp and sweet with a glassy sugar core.",
            3990,
            weight(("2.5公斤", "2.5 kg", 0), ("5公斤", "5 kg", 3000)),
            tint="red",
            photo_reviews=True,
        ),
        item(
            "zhouzhi-green-kiwifruit",
            "sunnygrove",
            "陕西周至猕猴桃绿心徐香",
            "Zhouzhi Green Kiwifruit",
            "果肉细腻，酸甜可口，放软即可食用。",
            "Smooth, sweet-tart flesh, ready to eat once it softens.",
            2990,
            weight(("2.5公斤", "2.5 kg", 0), ("5公斤", "5 kg", 2000)),
            shape="kiwi",
            tint="avocado",
        ),
        item(
            "hainan-guifei-mangoes",
            None,
            "海南贵妃芒果新鲜当季",
            "Hainan Guifei Mangoes, In Season",
            "树上自然熟，果肉金黄细滑。",
            "Ripened on the tree, with smooth golden flesh.",
            4590,
            weight(("2.5公斤", "2.5 kg", 0), ("5公斤", "5 kg", 3500)),
            shape="mango",
            tint="lemon",
        ),
        item(
            "gannan-navel-oranges",
            "sunnygrove",
            "赣南脐橙新鲜甜橙",
            "Gannan Navel Oranges",
            "皮薄多汁，剥开满手橙香。",
            "Thin-skinned and juicy, with a burst of orange scent when you peel one.",
            3590,
            weight(("2.5公斤", "2.5 kg", 0), ("5公斤", "5 kg", 2500)),
            shape="orange",
            tint="orange",
        ),
        item(
            "shine-muscat-grapes",
            "sunnygrove",
            "阳光玫瑰葡萄 果大无籽",
            "Shine Muscat Grapes, Large and Seedless",
            "果粒饱满无籽，带淡淡玫瑰香。",
            "Plump seedless grapes with a hint of rose.",
            6990,
            weight(("1公斤", "1 kg", 0), ("2公斤", "2 kg", 5000)),
            shape="grapes",
            tint="avocado",
            limit=5,
        ),
        item(
            "feizixiao-lychees",
            None,
            "妃子笑荔枝 产地现摘冷链直发",
            "Feizixiao Lychees, Picked to Order, Cold-Chain",
            "当天采摘当天发货，冰袋保鲜。",
            "Picked and shipped the same day, packed with ice.",
            5990,
            weight(("1.5公斤", "1.5 kg", 0), ("2.5公斤", "2.5 kg", 3000)),
            shape="lychee",
            tint="red",
            soldout=True,
        ),
        item(
            "dalian-cherries",
            None,
            "大连樱桃 美早 单果直径28毫米以上",
            "Dalian Cherries, 28 mm and Up",
            "果肉厚实硬脆，甜度高。",
            "Firm, crisp flesh with high sweetness.",
            12900,
            weight(("1公斤", "1 kg", 0), ("2公斤", "2 kg", 11000)),
            shape="cherries",
            tint="wine",
        ),
    ],
    "meat-eggs": [
        item(
            "uncut-ribeye-steaks",
            "prairie-song",
            "原切眼肉牛排 新鲜冷冻 非合成",
            "Uncut Ribeye Steaks, Frozen Fresh",
            "整块原切，不腌不拼，大理石纹清晰。",
            "Whole cuts with clear marbling, never marinated or reformed.",
            15900,
            option("规格", "Pack", ("5片装", "5 steaks", 0), ("10片装", "10 steaks", 13000)),
            tint="red",
        ),
        item(
            "free-range-eggs",
            None,
            "散养土鸡蛋 农家新鲜",
            "Farm Free-Range Eggs",
            "山林散养，蛋黄橙黄饱满。",
            "The hens roam the hillside, so the yolks are deep orange and full.",
            3990,
            option("规格", "Pack", ("30枚", "30 eggs", 0), ("60枚", "60 eggs", 3500)),
            shape="eggs",
            tint="apricot",
        ),
        item(
            "black-pig-pork-belly",
            None,
            "黑猪五花肉 土猪肉新鲜",
            "Black-Pig Pork Belly",
            "肥瘦相间层次分明，红烧炖煮都香。",
            "Clear layers of fat and lean, rich when braised or stewed.",
            4990,
            weight(("500克", "500 g", 0), ("1公斤", "1 kg", 4500)),
            shape="porkbelly",
            tint="pink",
        ),
        item(
            "chicken-wing-mids",
            None,
            "鸡翅中 冷冻新鲜 烧烤炸鸡",
            "Chicken Wing Mid-Joints, Frozen",
            "大小均匀，烤箱空气炸锅都适合。",
            "Even-sized pieces, great in the oven or the air fryer.",
            3990,
            weight(("1公斤", "1 kg", 0), ("2公斤", "2 kg", 3500)),
            shape="drumstick",
            tint="orange",
        ),
        item(
            "lamb-hotpot-rolls",
            "prairie-song",
            "内蒙古羔羊肉卷 涮火锅",
            "Inner Mongolia Lamb Rolls for Hot Pot",
            "精选羔羊肉，肥瘦均匀，涮几秒就熟。",
            "Tender lamb, evenly marbled, cooked in seconds in the pot.",
            6990,
            weight(("500克", "500 g", 0), ("1公斤", "1 kg", 5500)),
            shape="meatroll",
            tint="red",
        ),
    ],
    "seafood": [
        item(
            "argentine-red-shrimp",
            None,
            "阿根廷红虾 特大号 冷冻海鲜",
            "Argentine Red Shrimp, Extra Large, Frozen",
            "深海野生捕捞，船上急冻，虾肉弹牙。",
            "Wild-caught and frozen on board for firm, springy meat.",
            12900,
            weight(("1公斤", "1 kg", 0), ("2公斤", "2 kg", 11000)),
            shape="shrimp",
            tint="coral",
        ),
        item(
            "hairy-crab-gift-box",
            None,
            "大闸蟹礼盒 公蟹4两母蟹3两",
            "Hairy Crab Gift Box",
            "到手鲜活，膏满黄肥，附送蟹醋和蟹八件。",
            "Delivered live and full of roe, with vinegar and crab tools included.",
            39900,
            option("规格", "Box", ("4对装", "4 pairs", 0), ("6对装", "6 pairs", 18000)),
            shape="crab",
            tint="orange",
            limit=3,
        ),
        item(
            "chilled-salmon-sashimi",
            None,
            "冰鲜三文鱼刺身 中段",
            "Chilled Salmon Sashimi, Centre Cut",
            "中段厚切，纹理清晰，解冻即食。",
            "Thick centre-cut slices with clear marbling, ready to eat.",
            9900,
            weight(("300克", "300 g", 0), ("500克", "500 g", 5000)),
            tint="coral",
        ),
        item(
            "live-rushan-oysters",
            None,
            "乳山生蚝 鲜活带壳",
            "Live Rushan Oysters in the Shell",
            "肉质肥美，清蒸烧烤都鲜。",
            "Plump and sweet, delicious steamed or grilled.",
            8990,
            weight(("2.5公斤", "2.5 kg", 0), ("5公斤", "5 kg", 6000)),
            shape="oyster",
            tint="grey",
        ),
    ],
    "snacks": [
        item(
            "daily-mixed-nuts-30",
            "crunchee",
            "每日坚果混合果仁30包",
            "Daily Mixed Nuts, 30 Packs",
            "六种坚果果干科学配比，一天一包刚刚好。",
            "Six nuts and dried fruits in balanced portions, one pack a day.",
            8990,
            tint="coffee",
            limit=5,
            sales=86500,
            promo=["limited_time"],
        ),
        item(
            "spicy-gluten-strips",
            "crunchee",
            "麻辣辣条怀旧零食大礼包",
            "Spicy Gluten Strips Snack Pack",
            "童年的味道，麻辣过瘾，越吃越香。",
            "The taste of childhood: numbing, spicy and impossible to put down.",
            1990,
            option("规格", "Pack", ("20包", "20 packs", 0), ("40包", "40 packs", 1500)),
            tint="red",
        ),
        item(
            "hand-torn-beef-jerky",
            "crunchee",
            "手撕牛肉干 风干 内蒙古风味",
            "Hand-Torn Air-Dried Beef Jerky",
            "风干工艺保留肉香，越嚼越有味。",
            "Air-dried to keep the rich beefy flavour; the more you chew, the better it gets.",
            5990,
            option(
                "口味",
                "Flavour",
                ("原味", "Original", 0),
                ("麻辣", "Spicy", 0),
                ("孜然", "Cumin", 0),
            ),
            tint="camel",
        ),
        item(
            "kids-snack-gift-box",
            "crunchee",
            "儿童零食大礼包 一整箱",
            "Kids' Snack Gift Box, One Full Carton",
            "饼干、果冻、海苔二十多种搭配，过节送孩子超有面子。",
            "More than twenty treats, from biscuits to jelly and seaweed; a big hit as a holiday gift.",
            9900,
            shape="giftbox",
            tint="orange",
        ),
        item(
            "sea-salt-soda-crackers",
            "crunchee",
            "海盐苏打饼干 无蔗糖 办公室零食",
            "Sea-Salt Soda Crackers, No Added Sugar",
            "薄脆咸香，饿了垫垫肚子。",
            "Thin, crisp and lightly salted, for when hunger strikes.",
            2490,
            shape="crackers",
            tint="lemon",
        ),
    ],
    "tea-drinks": [
        item(
            "pre-qingming-longjing",
            "misthill",
            "明前龙井绿茶 2026新茶 罐装",
            "Pre-Qingming Longjing Green Tea, 2026 Harvest",
            "清明前采摘一芽一叶，豆香浓郁，汤色嫩绿。",
            "Picked before Qingming, one bud and one leaf, with a nutty aroma and a bright green cup.",
            16800,
            weight(("100克", "100 g", 0), ("250克", "250 g", 22000)),
            tint="forest",
            listed=15,
            promo=["new_arrival"],
        ),
        item(
            "yunnan-ripe-puerh-cake",
            "misthill",
            "云南普洱熟茶饼 357克 古树",
            "Yunnan Ripe Pu-erh Tea Cake, 357 g",
            "陈香醇厚，汤色红浓，越放越好喝。",
            "Mellow and aged, brewing a deep red cup that improves with time.",
            19800,
            shape="teacake",
            tint="coffee",
        ),
        item(
            "freeze-dried-coffee-24",
            "brewly",
            "冻干咖啡粉 速溶黑咖啡 24杯",
            "Freeze-Dried Instant Coffee, 24 Cups",
            "三秒速溶，冷水也能冲，不加蔗糖和植脂末。",
            "Dissolves in three seconds, even in cold water, with no sugar or creamer.",
            5990,
            shape="coffee",
            tint="coffee",
        ),
        item(
            "freeze-dried-fruit-tea",
            "brewly",
            "冻干水果茶 柠檬百香果 冷泡",
            "Freeze-Dried Fruit Tea for Cold Brewing",
            "整片果干冷泡，酸甜清爽，夏天来一杯。",
            "Whole fruit slices for cold brewing, tart and refreshing on a hot day.",
            3990,
            option(
                "口味",
                "Flavour",
                ("柠檬百香果", "Lemon & passion fruit", 0),
                ("蜜桃乌龙", "Peach oolong", 0),
            ),
            shape="fruittea",
            tint="lemon",
        ),
        item(
            "wildflower-honey",
            None,
            "农家土蜂蜜 百花蜜 500克",
            "Wildflower Honey, 500 g",
            "山区蜂农自家割蜜，不加糖不勾兑。",
            "Harvested by a mountain beekeeper, with nothing added.",
            5800,
            shape="honey",
            tint="gold",
        ),
    ],
    "fiction": [
        item(
            "letters-from-fog-harbour",
            "inkwell",
            "悬疑小说《雾港来信》长篇推理",
            "Letters from Fog Harbour: A Mystery Novel",
            "一封迟到二十年的信，揭开小镇码头的旧案。",
            "A letter twenty years late reopens an old case on a small-town pier.",
            4980,
            tint="navy",
            photo_reviews=True,
        ),
        item(
            "the-seventh-satellite",
            "inkwell",
            "科幻小说《第七颗卫星》",
            "The Seventh Satellite: A Science-Fiction Novel",
            "近地轨道上突然多出一颗卫星，没有人知道它从哪里来。",
            "A seventh satellite appears in low orbit, and no one knows where it came from.",
            5600,
            tint="teal",
        ),
        item(
            "evening-breeze-and-you",
            None,
            "都市言情小说《晚风与你》",
            "Evening Breeze and You: A Romance Novel",
            "两个在城市里奔波的年轻人，在同一班末班车上相遇。",
            "Two young people rushing through the city meet on the same last bus home.",
            3980,
            tint="pink",
        ),
        item(
            "sword-of-xiliang-trilogy",
            "inkwell",
            "武侠小说《剑出西凉》全三册",
            "Sword of Xiliang: A Wuxia Trilogy, 3 Volumes",
            "西凉少年携一柄断剑闯荡江湖，了结两代人的恩怨。",
            "A young man from the western frontier carries a broken sword into the martial world to settle old scores.",
            12800,
            shape="bookset",
            tint="wine",
            soldout=True,
        ),
        item(
            "tales-of-the-grand-canal",
            None,
            "历史小说《大运河往事》",
            "Tales of the Grand Canal: A Historical Novel",
            "以一条运河串起三代船家的命运。",
            "One canal ties together three generations of a boat family.",
            6800,
            tint="coffee",
        ),
        item(
            "people-of-a-small-town",
            "inkwell",
            "短篇小说集《小城里的人》",
            "People of a Small Town: Short Stories",
            "十二个短篇，写尽小城里的烟火气。",
            "Twelve short stories full of everyday small-town life.",
            4200,
            tint="avocado",
        ),
    ],
    "childrens-books": [
        item(
            "dinosaur-pop-up-encyclopedia",
            "starkid",
            "恐龙百科立体书 3D翻翻书",
            "Dinosaur Pop-Up Encyclopedia",
            "打开就是立体恐龙世界，孩子边玩边认识四十种恐龙。",
            "Every page pops up into a dinosaur world, and kids meet forty species as they play.",
            8800,
            tint="forest",
        ),
        item(
            "bedtime-picture-books-10",
            "starkid",
            "儿童睡前故事绘本全10册",
            "Bedtime Story Picture Books, 10 Volumes",
            "十个温暖的小故事，陪孩子安心入睡。",
            "Ten gentle stories to send little ones off to sleep.",
            9900,
            shape="bookset",
            tint="taro",
        ),
        item(
            "fun-maths-comics",
            "starkid",
            "小学生趣味数学漫画全4册",
            "Fun Maths Comics for Primary Pupils, 4 Volumes",
            "用漫画讲透数学概念，孩子看得懂也爱看。",
            "Comics that make maths ideas click, and kids actually want to read them.",
            7200,
            tint="orange",
        ),
        item(
            "lift-the-flap-first-words",
            "starkid",
            "幼儿认知翻翻书 0-3岁",
            "Lift-the-Flap First Words, Ages 0–3",
            "厚纸板圆角设计不划手，撕不烂咬不坏。",
            "Sturdy board pages with rounded corners that survive tearing and chewing.",
            3900,
            tint="lemon",
        ),
        item(
            "classical-poems-with-pinyin",
            "starkid",
            "儿童古诗词注音版 彩图",
            "Classical Poems for Children, with Pinyin",
            "精选一百首必背古诗，注音加插图，配音频朗读。",
            "One hundred must-know poems with pinyin, pictures and audio readings.",
            3600,
            tint="red",
        ),
    ],
    "textbooks": [
        item(
            "python-from-scratch-textbook",
            "inkwell",
            "零基础学Python编程实战教程",
            "Python Programming from Scratch: A Hands-On Textbook",
            "从安装环境讲起，每章配练习和完整项目。",
            "Starts from installing Python, with exercises and a full project in every chapter.",
            7900,
            tint="hazeblue",
        ),
        item(
            "gaokao-maths-past-papers",
            None,
            "高考数学真题精讲 十年真题详解",
            "Gaokao Mathematics: Ten Years of Past Papers Explained",
            "逐题拆解解题思路，总结常考题型。",
            "Every question is broken down step by step, with the most common question types summed up.",
            4580,
            tint="red",
        ),
        item(
            "cet4-vocabulary-handbook",
            None,
            "大学英语四级词汇 乱序版 便携",
            "CET-4 Vocabulary Handbook, Shuffled Edition",
            "乱序编排，避免只记住开头几页，小开本随身背。",
            "Shuffled so you don't only remember the first pages, in a pocket-sized format.",
            2980,
            tint="teal",
        ),
        item(
            "junior-accountant-exam-textbook",
            None,
            "初级会计职称考试教材 2026版",
            "Junior Accountant Exam Textbook, 2026 Edition",
            "紧扣最新考纲，重点难点一目了然。",
            "Follows the latest syllabus with the key points clearly highlighted.",
            6800,
            tint="skyblue",
        ),
    ],
    "nonfiction": [
        item(
            "minimal-money",
            "inkwell",
            "《极简理财课》普通人的财务入门",
            "Minimal Money: A Personal Finance Primer",
            "不讲复杂公式，教你从记账开始管好自己的钱。",
            "No complex formulas: learn to manage your money, starting with a simple budget.",
            4900,
            tint="gold",
        ),
        item(
            "the-breathing-city",
            None,
            "《城市的呼吸》城市生活随笔集",
            "The Breathing City: Essays on Urban Life",
            "写地铁、菜市场和老街，记录城市的日常。",
            "Essays on metros, wet markets and old streets that capture the city's daily life.",
            5200,
            tint="charcoal",
        ),
        item(
            "china-in-a-bowl-of-noodles",
            "inkwell",
            "《一碗面里的中国》美食文化史",
            "China in a Bowl of Noodles: A Food History",
            "从北到南三十种面，讲一段饮食变迁史。",
            "Thirty noodles from north to south tell a story of changing tastes.",
            5800,
            tint="orange",
        ),
        item(
            "sleep-well-guide",
            None,
            "《睡个好觉》睡眠科学指南",
            "Sleep Well: A Guide to the Science of Rest",
            "用通俗的语言讲清睡眠原理，附21天改善计划。",
            "Explains how sleep works in plain language, with a 21-day plan to sleep better.",
            4600,
            tint="taro",
        ),
    ],
    "programming": [
        item(
            "python-data-analysis-course",
            "codepath",
            "Python零基础入门到数据分析实战课",
            "Python from Zero to Data Analysis: Video Course",
            "120节视频课，从基础语法讲到数据清洗和可视化。会员版含一对一作业批改。",
            "120 video lessons from basic syntax to cleaning and charting data. Premium adds one-to-one homework review.",
            19900,
            edition(20000),
            tint="hazeblue",
        ),
        item(
            "full-stack-web-bootcamp",
            "codepath",
            "Web前端开发全栈训练营 项目实战",
            "Full-Stack Web Development Bootcamp",
            "跟着做五个完整项目，从网页到后端接口一次学会。",
            "Build five complete projects and learn everything from web pages to back-end APIs.",
            59900,
            edition(40000),
            tint="teal",
        ),
        item(
            "algorithms-interview-course",
            "codepath",
            "数据结构与算法面试通关课",
            "Data Structures and Algorithms for Interviews",
            "两百道高频面试题逐一讲解，总结可复用的解题套路。",
            "Two hundred common interview problems explained, with patterns you can reuse.",
            29900,
            edition(20000),
            tint="navy",
        ),
        item(
            "ai-image-prompt-course",
            "codepath",
            "AI绘画与提示词实战课 零基础",
            "AI Image Generation and Prompt Writing for Beginners",
            "从提示词写法讲到风格控制，学完就能做海报和插画。",
            "From writing prompts to controlling style, so you can make posters and illustrations.",
            9900,
            edition(10000),
            shape="play",
            tint="taro",
        ),
        item(
            "excel-pivot-table-course",
            "codepath",
            "办公Excel函数与数据透视表速成",
            "Excel Formulas and Pivot Tables Crash Course",
            "三十个常用函数加数据透视表，告别加班做报表。",
            "Thirty everyday formulas plus pivot tables, so reports no longer keep you late.",
            4900,
            edition(5000),
            shape="sheet",
            tint="forest",
        ),
    ],
    "photography": [
        item(
            "smartphone-photography-course",
            "lensly",
            "手机摄影从入门到精通",
            "Smartphone Photography: From Beginner to Pro",
            "不用买相机，用手机也能拍出大片感。",
            "No camera needed: take striking photos with the phone you already have.",
            6900,
            edition(6000),
            tint="coral",
        ),
        item(
            "portrait-lighting-course",
            "lensly",
            "人像摄影用光与构图",
            "Portrait Photography: Light and Composition",
            "讲透自然光和闪光灯的用法，拍人像更有氛围。",
            "Master natural light and flash for portraits with real atmosphere.",
            19900,
            edition(15000),
            tint="charcoal",
        ),
        item(
            "short-video-editing-course",
            "lensly",
            "短视频拍摄剪辑实战课",
            "Short-Video Shooting and Editing Course",
            "从脚本、拍摄到剪辑，一步步教你做出爆款短视频。",
            "From script to shoot to edit, learn step by step to make short videos that take off.",
            14900,
            edition(10000),
            shape="play",
            tint="red",
        ),
        item(
            "colour-grading-masterclass",
            "lensly",
            "照片调色大师课 赠全套预设",
            "Photo Colour-Grading Masterclass, Presets Included",
            "二十种风格的调色思路，附赠全套预设。",
            "Twenty grading styles explained, with a full set of presets included.",
            9900,
            edition(8000),
            shape="play",
            tint="orange",
        ),
    ],
    "languages": [
        item(
            "spoken-english-30-days",
            "lingora",
            "30天英语口语速成 外教陪练",
            "30-Day Spoken English with Native-Speaker Practice",
            "每天二十分钟情景对话，开口不再紧张。",
            "Twenty minutes of real-life dialogue a day, until speaking feels natural.",
            19900,
            edition(30000),
            tint="skyblue",
        ),
        item(
            "japanese-kana-to-n3",
            "lingora",
            "日语零基础五十音到N3全程班",
            "Japanese from Kana to JLPT N3",
            "从五十音学起，系统覆盖N5到N3语法和词汇。",
            "Starts with kana and covers N5 to N3 grammar and vocabulary step by step.",
            39900,
            edition(30000),
            tint="red",
        ),
        item(
            "ielts-band-7-sprint",
            "lingora",
            "雅思7分冲刺课 听说读写全科",
            "IELTS Band 7 Sprint: All Four Skills",
            "名师带练听说读写，写作和口语提供批改。",
            "Guided practice in all four skills, with marking for writing and speaking.",
            49900,
            edition(40000),
            tint="navy",
        ),
        item(
            "everyday-cantonese",
            "lingora",
            "粤语入门 日常会话速成",
            "Everyday Cantonese for Beginners",
            "从声调讲起，学会点餐、问路和聊天。",
            "Starts with the tones and gets you ordering food, asking directions and chatting.",
            9900,
            edition(6000),
            tint="orange",
            listed=0,
            sales=0,
            promo=["new_arrival"],
        ),
    ],
    "columns": [
        item(
            "workplace-communication-column",
            None,
            "职场沟通50讲 付费专栏",
            "Workplace Communication in 50 Lessons: Paid Column",
            "汇报、开会、跨部门协作，每讲解决一个真实难题。",
            "Reports, meetings, cross-team work: each lesson solves a real problem.",
            9900,
            edition(5000),
            tint="teal",
        ),
        item(
            "daily-finance-briefing",
            None,
            "每日财经解读 年度订阅",
            "Daily Finance Briefing, Annual Subscription",
            "每天十分钟，读懂当天的财经新闻。",
            "Ten minutes a day to make sense of the financial news.",
            19900,
            edition(10000),
            tint="gold",
        ),
        item(
            "parenting-0-6-column",
            None,
            "0-6岁科学育儿专栏 专家答疑",
            "Parenting Ages 0–6: Column with Expert Q&A",
            "儿科医生和心理专家联合撰写，解答养育中的常见困惑。",
            "Written by paediatricians and child psychologists to answer common parenting questions.",
            14900,
            edition(10000),
            tint="pink",
        ),
        item(
            "home-workout-plans-column",
            None,
            "居家健身计划 付费专栏 每周更新",
            "Home Workout Plans: Paid Column, Updated Weekly",
            "不用器械，每周更新一套训练计划。",
            "No equipment needed, with a new training plan every week.",
            6900,
            edition(5000),
            shape="play",
            tint="mint",
        ),
    ],
    "running": [
        item(
            "cushioned-running-shoes",
            "zeal",
            "轻量缓震跑步鞋男女透气",
            "Lightweight Cushioned Running Shoes",
            "超临界发泡中底回弹好，单只仅重220克。",
            "A supercritical-foam midsole with lively rebound, at just 220 g per shoe.",
            29900,
            colours("orange", "white", "black"),
            shoe_sizes(),
            photo_reviews=True,
        ),
        item(
            "quick-dry-running-shorts",
            "zeal",
            "速干运动短裤男女跑步健身",
            "Quick-Dry Running Shorts",
            "轻薄速干，内衬防走光，侧边有手机口袋。",
            "Light and fast-drying, with a liner and a side pocket for your phone.",
            5900,
            colours("black", "navy", "grey"),
            sizes(),
            review_group="apparel",
            shape="shorts",
        ),
        item(
            "running-waist-pack",
            "zeal",
            "跑步腰包手机包 贴身防水",
            "Running Waist Pack with Phone Pocket",
            "贴身不晃，装得下大屏手机和钥匙。",
            "Sits snugly without bouncing and holds a large phone and your keys.",
            3900,
            colours("black", "orange"),
            shape="waistpack",
        ),
        item(
            "quick-dry-training-tee",
            "zeal",
            "冰丝速干T恤 运动短袖男女",
            "Cool-Touch Quick-Dry Training Tee",
            "冰丝面料吸汗速干，运动后不黏身。",
            "Cool-touch fabric that wicks sweat and never clings after a workout.",
            4900,
            colours("black", "skyblue", "lemon"),
            sizes(),
            review_group="apparel",
            shape="tshirt",
        ),
        item(
            "pleated-tennis-skirt",
            "zeal",
            "网球裙运动半身裙 内衬安全裤",
            "Pleated Tennis Skirt with Built-In Shorts",
            "百褶裙摆轻盈，内衬安全裤，打球跑步都安心。",
            "A light pleated skirt with built-in shorts, for tennis or a run.",
            6900,
            colours("white", "black", "pink"),
            sizes(),
            review_group="apparel",
            shape="skirt",
        ),
    ],
    "fitness": [
        item(
            "tpe-yoga-mat",
            "zeal",
            "TPE瑜伽垫加厚防滑 初学者",
            "Thick Non-Slip TPE Yoga Mat for Beginners",
            "双面防滑纹理，加厚回弹保护膝盖。",
            "Non-slip on both sides, with thick cushioning to protect your knees.",
            8900,
            colours("taro", "mint", "pink"),
            option("厚度", "Thickness", ("6毫米", "6 mm", 0), ("8毫米", "8 mm", 1000)),
        ),
        item(
            "adjustable-dumbbells",
            "zeal",
            "可调节哑铃家用健身 一对",
            "Adjustable Dumbbells, Pair",
            "旋钮快速调节重量，一对顶一整排哑铃。",
            "Turn the dial to change the weight: one pair replaces a whole rack.",
            29900,
            option(
                "重量",
                "Weight",
                ("10公斤一对", "10 kg pair", 0),
                ("20公斤一对", "20 kg pair", 20000),
            ),
            shape="dumbbell",
            tint="charcoal",
        ),
        item(
            "resistance-band-set",
            "zeal",
            "弹力带套装 五档阻力 健身拉力带",
            "Resistance Band Set, Five Levels",
            "五种阻力随意组合，练臀、练腿、练手臂。",
            "Five resistance levels to combine for glutes, legs and arms.",
            3900,
            shape="bands",
            tint="orange",
        ),
        item(
            "counting-jump-rope",
            "zeal",
            "计数跳绳 有绳无绳两用 燃脂",
            "Counting Jump Rope, Corded or Cordless",
            "自动计数和热量统计，室内可用无绳模式。",
            "Counts jumps and calories automatically, with a cordless mode for indoors.",
            4900,
            colours("black", "pink"),
            shape="jumprope",
        ),
        item(
            "high-waist-yoga-leggings",
            "zeal",
            "高腰瑜伽裤女 裸感提臀",
            "High-Waist Yoga Leggings",
            "裸感面料四面弹，深蹲不透。",
            "Buttery four-way-stretch fabric that stays opaque in deep squats.",
            7900,
            colours("black", "taro", "forest"),
            sizes(),
            review_group="apparel",
            shape="leggings",
        ),
    ],
    "camping": [
        item(
            "instant-camping-tent",
            "trailix",
            "全自动速开帐篷 3-4人 防雨",
            "Instant Pop-Up Camping Tent for 3–4 People",
            "三秒自动撑开，双层防雨，周末露营不费劲。",
            "Pops up in three seconds, with a double layer against rain, for effortless weekend camping.",
            39900,
            colours("khaki", "forest"),
            photo_reviews=True,
        ),
        item(
            "folding-moon-chair",
            "trailix",
            "户外折叠月亮椅 便携露营椅",
            "Folding Moon Chair for Camping",
            "可承重150公斤，收起来只有一把伞大小。",
            "Holds up to 150 kg and folds down to the size of an umbrella.",
            12900,
            colours("khaki", "black", "forest"),
            shape="chair",
        ),
        item(
            "rechargeable-camping-lantern",
            "trailix",
            "露营灯充电式 超长续航 挂灯",
            "Rechargeable Camping Lantern",
            "三档亮度，最长续航60小时，还能当充电宝用。",
            "Three brightness levels, up to 60 hours per charge, and it doubles as a power bank.",
            8900,
            colours("forest", "khaki"),
            shape="lantern",
        ),
        item(
            "hiking-backpack-40l",
            "trailix",
            "登山包40升 户外徒步双肩包",
            "40 L Hiking Backpack",
            "背负系统透气减压，附送防雨罩。",
            "A ventilated harness that spreads the load, with a rain cover included.",
            19900,
            colours("orange", "charcoal", "forest"),
            shape="backpack",
        ),
        item(
            "carbon-trekking-poles",
            "trailix",
            "碳素登山杖 折叠伸缩 一对",
            "Carbon Trekking Poles, Folding, Pair",
            "碳纤维杖身轻便，三节折叠放进背包。",
            "Light carbon shafts that fold into three to fit in a backpack.",
            15900,
            colours("black", "orange"),
            shape="poles",
            listed=2,
            sales=0,
        ),
        item(
            "3in1-waterproof-hiking-jacket",
            "trailix",
            "三合一冲锋衣 防水防风 可拆卸抓绒内胆",
            "3-in-1 Waterproof Hiking Jacket with Removable Fleece",
            "外层防水防风，内胆可拆，春秋冬三季都能穿。",
            "A waterproof, windproof shell and a removable fleece for three seasons.",
            49900,
            colours("red", "navy", "forest"),
            sizes(),
            review_group="apparel",
            shape="coat",
        ),
    ],
}

# --------------------------------------------------------------------------- description sentences

# One general sentence per product is drawn from its top category's pool.
GENERAL_SENTENCES: dict[str, list[tuple[str, str]]] = {
    "clothing": [
        (
            "平铺手工测量，可能存在1到2厘米误差，建议参考尺码表选购。",
            "Measured flat by hand, so allow 1–2 cm; please check the size chart before ordering.",
        ),
        (
            "首次洗涤建议冷水手洗，深浅颜色分开。",
            "Hand-wash cold the first time and keep darks and lights apart.",
        ),
        (
            "面料经过预缩处理，洗后不易变形。",
            "The fabric is pre-shrunk, so it keeps its shape after washing.",
        ),
        (
            "赠送运费险，尺码不合适可以放心退换。",
            "Return-shipping insurance is included if the size isn't right.",
        ),
    ],
    "digital": [
        (
            "全国联保一年，支持官方售后网点维修。",
            "A one-year nationwide warranty with official service centres.",
        ),
        (
            "正品保障，序列号可在官网查询验证。",
            "Guaranteed genuine; the serial number can be checked on the maker's site.",
        ),
        (
            "收到后请先检查外观，再开机激活。",
            "Please check the outside before switching it on and activating it.",
        ),
    ],
    "home": [
        (
            "出厂前逐件质检，加厚防震包装发货。",
            "Every piece is checked before dispatch and packed against knocks.",
        ),
        (
            "尺寸为手工测量，存在少许误差属正常现象。",
            "Sizes are measured by hand, so small differences are normal.",
        ),
        (
            "如收到破损，拍照联系客服即可免费补发。",
            "If anything arrives broken, send us a photo and we'll replace it free.",
        ),
    ],
    "beauty": [
        (
            "品牌授权正品，每件都有防伪码可查。",
            "Authorised genuine stock, each with a verification code.",
        ),
        (
            "敏感肌建议先在耳后小范围试用。",
            "If your skin is sensitive, patch-test behind the ear first.",
        ),
        (
            "保质期三年，开封后建议一年内用完。",
            "Keeps for three years; best used within a year of opening.",
        ),
    ],
    "food": [
        (
            "产地直发，减少中间环节，新鲜看得见。",
            "Shipped straight from the source with fewer middlemen, so it arrives fresher.",
        ),
        (
            "收到后请尽快拆箱，按包装提示储存。",
            "Please unpack soon after delivery and store as the label says.",
        ),
        ("图片仅供参考，大小以实物为准。", "Pictures are for reference; actual sizes may vary."),
    ],
    "books": [
        (
            "正版图书，全新塑封，纸张厚实不透墨。",
            "A genuine new copy, shrink-wrapped, on thick paper with no ink bleed.",
        ),
        (
            "加厚纸箱包装，避免运输中折角。",
            "Packed in a sturdy box to protect the corners in transit.",
        ),
        ("支持开具电子发票。", "Electronic invoices are available."),
    ],
    "courses": [
        (
            "购买后在“我的课程”中即可观看，支持倍速播放和离线缓存。",
            "Watch in My Courses right after purchase, with speed control and offline downloads.",
        ),
        (
            "学习中可在答疑区提问，助教48小时内回复。",
            "Ask in the Q&A board and a teaching assistant replies within 48 hours.",
        ),
        ("课程永久有效，后续更新免费观看。", "Lifetime access, including all future updates."),
    ],
    "sports": [
        (
            "发货前逐件检查，支持运费险。",
            "Each item is checked before dispatch, with return-shipping insurance.",
        ),
        ("户外使用前请仔细阅读说明书。", "Please read the instructions before using it outdoors."),
        ("适合入门到进阶的运动爱好者。", "Suits everyone from beginners to seasoned enthusiasts."),
    ],
}

POLICY_SENTENCES = {
    "fresh": (
        "生鲜商品不支持7天无理由退货，如有坏损请在签收48小时内拍照联系客服。",
        "Fresh food is not eligible for 7-day no-reason returns; if anything arrives spoiled, "
        "send a photo within 48 hours of delivery.",
    ),
    "virtual": (
        "虚拟内容一经购买，不支持7天无理由退款。",
        "Digital content is not eligible for 7-day no-reason refunds once purchased.",
    ),
    "custom": (
        "定制商品按您的要求制作，不支持7天无理由退换。",
        "Made to your order, so it is not eligible for 7-day no-reason returns.",
    ),
}

# --------------------------------------------------------------------------- promotions

GIFTS = {
    "clothing": ("下单送同色系发圈", "Free matching scrunchie with every order"),
    "digital": ("买就送硅胶保护套", "Free silicone case with every order"),
    "home": ("下单送超细纤维清洁布", "Free microfibre cleaning cloth"),
    "beauty": ("下单赠旅行装小样三件", "Three free travel-size samples"),
    "food": ("加赠一份尝鲜装", "Extra tasting pack free"),
    "books": ("随书赠送定制书签", "Free bookmark with every copy"),
    "courses": ("赠送配套练习资料包", "Free practice workbook download"),
    "sports": ("下单送速干运动毛巾", "Free quick-dry sports towel"),
}

# --------------------------------------------------------------------------- reviews

REVIEW_GROUP = {
    "dresses": "apparel",
    "skirts": "apparel",
    "tshirts": "apparel",
    "coats": "apparel",
    "trousers": "apparel",
    "phones": "phone",
    "earphones": "audio",
    "pc-accessories": "gadget",
    "wearables": "wearable",
    "chargers": "gadget",
    "kitchenware": "kitchen",
    "drinkware": "cup",
    "bedding": "textile",
    "storage": "storage",
    "lighting": "lighting",
    "makeup": "makeup",
    "beauty-tools": "tools",
    "skincare": "skincare",
    "fragrance": "perfume",
    "fruit": "fruit",
    "meat-eggs": "fresh",
    "seafood": "fresh",
    "snacks": "snack",
    "tea-drinks": "tea",
    "fiction": "novel",
    "childrens-books": "kidsbook",
    "textbooks": "studybook",
    "nonfiction": "novel",
    "programming": "course",
    "photography": "course",
    "languages": "course",
    "columns": "course",
    "running": "sport",
    "fitness": "sport",
    "camping": "sport",
}

# group: (praise, complaints)
REVIEW_PHRASES: dict[str, tuple[list[str], list[str]]] = {
    "apparel": (
        [
            "面料很舒服，不起球。",
            "版型很正，穿上显瘦。",
            "颜色和图片几乎没有色差。",
            "尺码标准，按平时的码买就对了。",
            "走线整齐，没有线头。",
            "上身效果比模特图还好看。",
            "垂感很好，很有质感。",
            "洗了两次没缩水也没掉色。",
            "腰线位置刚刚好。",
            "穿着很舒服，活动自如。",
            "搭小白鞋特别好看。",
            "同事都来问链接。",
        ],
        [
            "洗了一次就有点起球。",
            "尺码偏小，建议拍大一码。",
            "颜色比图片暗不少。",
            "线头比较多，做工一般。",
            "面料有点透，得穿打底。",
            "有股味道，晾了两天才散。",
        ],
    ),
    "phone": (
        [
            "屏幕显示很细腻，看视频很爽。",
            "续航很顶，重度使用一天没问题。",
            "拍照清晰，夜景也不错。",
            "运行流畅，打游戏不卡。",
            "充电速度真的快。",
            "手感很好，拿着不重。",
            "系统干净，没什么广告。",
            "信号比我之前的手机强。",
            "指纹解锁很灵敏。",
        ],
        ["玩大型游戏会发烫。", "电池掉电有点快。", "预装软件有点多。", "相机对焦偶尔会慢。"],
    ),
    "audio": (
        [
            "音质清晰，低音很足。",
            "降噪效果明显，地铁上安静多了。",
            "佩戴舒服，戴久了耳朵也不疼。",
            "连接稳定，从来没断过。",
            "续航挺久，一周充一次就够。",
            "打电话对方听得很清楚。",
            "延迟很低，看视频声画同步。",
            "颜值很高，做工精致。",
        ],
        ["戴久了耳朵有点胀。", "左耳偶尔会断连。", "降噪一般，没宣传的那么强。", "低音有点闷。"],
    ),
    "gadget": (
        [
            "做工扎实，用料很足。",
            "手感很好，用着顺手。",
            "上手就能用，很方便。",
            "兼容性好，电脑平板都能用。",
            "比预期的好用。",
            "颜值高，放在桌上很好看。",
            "功能齐全，操作简单。",
            "细节处理得很好，没有毛刺。",
            "发热控制得不错。",
        ],
        ["用了几天有点松动。", "发热比较明显。", "接口有点紧，插拔费劲。", "APP连接有时候不稳定。"],
    ),
    "kitchen": (
        [
            "做工很好，用料厚实。",
            "清洗很方便。",
            "颜值高，厨房都变好看了。",
            "大小合适，一家三口用刚好。",
            "没有异味，用着放心。",
            "分量很足，比想象中沉。",
            "厨房好物，用着很顺手。",
            "送给妈妈的，她很喜欢。",
        ],
        [
            "有一点小瑕疵，不影响使用。",
            "比想象中小一些。",
            "用了几次就有划痕了。",
            "有点异味，洗了几遍才好。",
        ],
    ),
    "cup": (
        [
            "颜值很高，拿在手里很有质感。",
            "容量刚好，办公室用正合适。",
            "没有异味，清洗方便。",
            "密封性好，倒过来也不漏。",
            "杯口打磨得很光滑。",
            "送人很有心意，对方很喜欢。",
            "图案很清晰，不掉色。",
            "手感很好，大小合适。",
        ],
        ["盖子有点紧，不太好拧。", "杯身有个小气泡。", "比图片看起来小。", "有轻微的塑料味。"],
    ),
    "textile": (
        [
            "面料很亲肤，睡着很舒服。",
            "洗了不掉色也不起球。",
            "厚度刚好，这个季节正合适。",
            "做工精细，走线很直。",
            "软硬适中，睡醒脖子不酸了。",
            "颜色很温柔，卧室氛围感拉满。",
            "尺寸标准，和床很合适。",
            "没有异味，拆开就能用。",
        ],
        [
            "第一次洗掉了点色。",
            "有点薄，比预期差一点。",
            "有线头，需要自己剪。",
            "味道有点大，晾了几天。",
        ],
    ),
    "storage": (
        [
            "很能装，房间整洁多了。",
            "质量挺好，很结实。",
            "尺寸合适，放衣柜里刚好。",
            "安装很简单，几分钟搞定。",
            "颜值高，和家里装修很搭。",
            "性价比很高，又囤了几个。",
            "材质很厚实，不变形。",
            "收纳控必备。",
        ],
        ["有一点异味。", "塑料感有点重。", "比想象中小一些。", "有一个边角磕坏了。"],
    ),
    "lighting": (
        [
            "光线柔和不刺眼。",
            "亮度够用，晚上看书很舒服。",
            "安装很简单，十分钟搞定。",
            "颜值高，和家里装修很搭。",
            "调光很方便。",
            "氛围感拉满，拍照很好看。",
            "质量挺好，做工精细。",
            "孩子写作业用，眼睛舒服多了。",
        ],
        ["亮度有点低。", "少了一个配件，联系客服补发了。", "调光档位有点少。", "开关有点松。"],
    ),
    "makeup": (
        [
            "颜色很正，黄皮也显白。",
            "质地顺滑，上嘴不拔干。",
            "持妆很久，吃完饭还在。",
            "包装很精致，送人有面子。",
            "显色度很高，一抹就有颜色。",
            "薄涂日常，厚涂有气场。",
            "用起来很顺手，新手也不翻车。",
            "不沾杯，喝水也不怕。",
        ],
        [
            "有点拔干，要先涂润唇膏。",
            "颜色比试色图深。",
            "持久度一般，喝水就掉。",
            "包装有点简陋。",
        ],
    ),
    "tools": (
        [
            "做工精致，用着顺手。",
            "质量很好，很耐用。",
            "颜值很高，放在梳妆台上很好看。",
            "性价比很高。",
            "收纳方便，出差也能带。",
            "新手也能轻松上手。",
            "比之前用的好太多了。",
            "送闺蜜的，她很喜欢。",
        ],
        ["用了几次有点掉毛。", "有点异味。", "比想象中小。", "做工一般。"],
    ),
    "wearable": (
        [
            "数据挺准的，和医院测的差不多。",
            "续航很给力，一周一充。",
            "戴着很轻，睡觉也不硌。",
            "表盘好看，还能自己换。",
            "消息提醒很及时。",
            "运动记录很详细。",
            "屏幕清晰，太阳底下也看得清。",
            "连手机很快，设置简单。",
        ],
        ["心率偶尔不准。", "表带有点硬。", "APP连接有时候不稳定。", "续航没有宣传的那么长。"],
    ),
    "skincare": (
        [
            "用完皮肤水水润润的。",
            "吸收很快，不黏腻。",
            "味道淡淡的很好闻。",
            "敏感肌用着也不刺激。",
            "坚持用了两周，感觉皮肤亮了一些。",
            "质地清爽，夏天用正好。",
            "有防伪码，查了是正品。",
            "保湿效果很好，第二天起床也不干。",
        ],
        ["用完有点闷痘。", "有点黏，不太好推开。", "效果一般，没看出明显变化。", "味道有点重。"],
    ),
    "perfume": (
        [
            "前调清新，后调很温柔。",
            "留香挺久，晚上还能闻到。",
            "瓶子颜值很高，摆着也好看。",
            "味道很高级，不廉价。",
            "同事说好闻，问了好几次。",
            "喷头雾化很细腻。",
            "试了好几款，找到本命香了。",
            "送女朋友的，她很喜欢。",
        ],
        ["留香时间有点短。", "前调有点冲。", "和专柜的味道有点区别。", "包装盒有压痕。"],
    ),
    "fruit": (
        [
            "果子个头很大，很新鲜。",
            "甜度很高，汁水很多。",
            "包装很用心，一个坏果都没有。",
            "孩子很爱吃，一天就吃了一半。",
            "口感脆甜，比超市买的好吃。",
            "放了几天更甜了。",
            "果香很浓，打开满屋子香。",
            "大小均匀，品相很好。",
        ],
        [
            "有几个坏果，联系客服补了。",
            "有点酸，没有宣传的甜。",
            "个头偏小。",
            "运输中压坏了几个。",
        ],
    ),
    "fresh": (
        [
            "收到时冰袋还没化，很新鲜。",
            "肉质鲜嫩，没有腥味。",
            "分量很足，称了还多一点。",
            "真空包装，很干净。",
            "做出来香喷喷的，全家都爱吃。",
            "个头很大，很饱满。",
            "冷链送到家，很放心。",
            "解冻后做出来口感很好。",
        ],
        [
            "冰袋全化了，有点担心。",
            "有点腥味，要多腌一会儿。",
            "比描述的小一些。",
            "分量好像不太够。",
        ],
    ),
    "snack": (
        [
            "味道很好，一口接一口。",
            "日期很新，刚生产不久。",
            "分量很足，够吃很久。",
            "独立包装，上班带着方便。",
            "咸甜适中，不会太腻。",
            "孩子很喜欢，又催我买。",
            "口感酥脆，没有受潮。",
            "追剧必备。",
        ],
        ["有点太甜了。", "有几包受潮了。", "辣度有点高，吃不太消。", "包装比想象中小。"],
    ),
    "tea": (
        [
            "香气浓郁，回甘明显。",
            "冲泡几次味道还在。",
            "品质不错，喝得出用心。",
            "包装很高档，送长辈合适。",
            "喝起来很顺口，不苦不涩。",
            "每天一杯，很提神。",
            "一闻就是好东西。",
            "冲泡方便，办公室常备。",
        ],
        ["味道偏淡。", "有点碎末。", "和上次买的味道不一样。", "有点苦。"],
    ),
    "novel": (
        [
            "纸质很好，印刷清晰。",
            "内容很精彩，一晚上就看完了。",
            "包装很好，四个角都没压坏。",
            "节奏紧凑，停不下来。",
            "排版舒服，看着不累眼。",
            "值得反复读的一本书。",
            "文笔很好，很有画面感。",
            "看完久久不能平静。",
        ],
        ["封面有折痕。", "内容有点拖沓。", "有几页印刷模糊。", "和想象的不太一样。"],
    ),
    "kidsbook": (
        [
            "孩子每天睡前都要看。",
            "图画很精美，颜色鲜艳。",
            "纸张很厚，孩子翻不坏。",
            "内容有趣，孩子看得很认真。",
            "字体大，看着不累。",
            "包装很好，四个角都没压坏。",
            "寓教于乐，很适合这个年龄。",
            "买给侄子的，他特别喜欢。",
        ],
        ["有一页有折痕。", "内容有点少。", "有股油墨味，晾了几天。", "比想象中薄。"],
    ),
    "studybook": (
        [
            "讲解很清楚，适合自学。",
            "例题很多，练习很有用。",
            "重点标注得很清楚。",
            "纸质很好，写字不洇。",
            "正版，印刷清晰。",
            "跟着学了一个月，进步明显。",
            "排版清楚，查找方便。",
            "包装很好，没有折角。",
        ],
        ["有几处印刷错误。", "内容有点难。", "有几页印刷模糊。", "答案解析太简单。"],
    ),
    "course": (
        [
            "老师讲得很清楚，零基础也能跟上。",
            "课程节奏合适，每节课都不长。",
            "配套资料很全，练习题很有用。",
            "学完已经能自己上手做了。",
            "助教答疑很及时。",
            "案例很实用，工作里直接用上了。",
            "比线下班便宜多了，内容不缩水。",
            "更新很勤快，值了。",
        ],
        ["有些内容有点浅。", "视频偶尔卡顿。", "部分章节讲得太快。", "资料更新不及时。"],
    ),
    "sport": (
        [
            "质量很好，很耐用。",
            "用起来很顺手。",
            "很轻便，带着方便。",
            "做工扎实，细节到位。",
            "尺寸合适，很满意。",
            "性价比很高，入门够用了。",
            "颜色很好看，拍照很出片。",
            "周末用上了，朋友都说好。",
        ],
        ["有点异味，散了几天。", "比想象中重。", "做工有点粗糙。", "用了几次就有磨损。"],
    ),
}

OPENERS_GOOD = [
    "收到了，",
    "第二次回购了，",
    "蹲了好久终于下单，",
    "直播间抢的，",
    "给家里人买的，",
    "犹豫了很久还是买了，",
    "朋友推荐来的，",
    "趁活动入手，",
    "好评！",
    "比预期好，",
    "价格很美丽，",
    "",
]
DELIVERY_GOOD = [
    "物流很快，隔天就到了。",
    "快递小哥态度很好。",
    "包装很严实，没有磕碰。",
    "发货速度快。",
    "客服回复很及时。",
    "三天就到了，比预计早。",
]
# Nothing is shipped for courses: their "delivery" is how quickly they open.
ACCESS_GOOD = ["买完马上就能看。", "开通很快，客服也很耐心。", "手机电脑都能看，很方便。"]
ACCESS_BAD = ["开通等了半天。", "客服回复比较慢。", "APP里找课程入口找了半天。"]
CLOSERS_GOOD = [
    "推荐购买！",
    "会回购的。",
    "整体满意。",
    "五星好评。",
    "值得入手。",
    "已经推荐给同事了。",
    "性价比很高。",
]
OPENERS_BAD = ["有点失望，", "一般般吧，", "说实话，", "不太满意，", ""]
DELIVERY_BAD = ["物流有点慢，等了一周。", "外包装有破损。", "客服回复比较慢。", "发货拖了三天。"]
CLOSERS_BAD = ["看后续吧。", "不会回购了。", "希望商家改进。", "凑合用吧。"]
MIXED_LINKS = ["不过", "就是", "可惜", "唯一的缺点是"]

AUTHOR_HEADS = [
    "小",
    "快",
    "甜",
    "阿",
    "大",
    "喵",
    "橙",
    "星",
    "木",
    "果",
    "糖",
    "晴",
    "风",
    "北",
    "鹿",
    "L",
    "K",
    "z",
    "Y",
    "momo",
]
AUTHOR_TAILS = [
    "9",
    "8",
    "3",
    "7",
    "a",
    "x",
    "e",
    "呀",
    "酱",
    "儿",
    "6",
    "1",
    "k",
    "宝",
    "猫",
    "鱼",
    "0",
    "仔",
]

# A review and a product name carry literal square brackets: the UI must not read them as markup.
BRACKET_REVIEW = "纠结了蓝色碎花[/]粉色碎花好久，最后选了蓝色，质量[b]真的好[/b]，裙摆很飘逸！"

# --------------------------------------------------------------------------- accounts

PASSWORD = "Kstui2026"


def resident_id(region: str, birth: str, sequence: str) -> str:
    """A checksum-valid 18-digit resident ID for a real region code (validated by stdnum)."""
    from stdnum.cn import ric

    body = region + birth + sequence
    number = body + ric.calc_check_digit(body + "0")
    return ric.validate(number)


PAYMENT_PASSWORD = "135790"
"""The demo adult's payment password (in the README)."""


def demo_hash(secret: str, phone: str, purpose: str) -> str:
    """The argon2id hash the store keeps of a demo secret, made here so that loading the
    seed hashes nothing (18 hashes took ~2 s of a first start). The parameters are
    argon2-cffi's defaults, the ones kstui hashes with; the salt is derived from the phone
    and the purpose, so that the file comes out the same on every build."""
    from argon2 import PasswordHasher, Type
    from argon2.low_level import hash_secret

    defaults = PasswordHasher()
    salt = hashlib.sha256(f"kstui demo {purpose} {phone}".encode()).digest()[: defaults.salt_len]
    return hash_secret(
        secret.encode(), salt, time_cost=defaults.time_cost, memory_cost=defaults.memory_cost,
        parallelism=defaults.parallelism, hash_len=defaults.hash_len, type=Type.ID,
    ).decode()  # fmt: skip


def with_hashes(account: Json) -> Json:
    """The account with the hashes of its passwords beside them."""
    account["password_hash"] = demo_hash(account["password"], account["phone"], "password")
    if account.get("payment_password"):
        account["payment_password_hash"] = demo_hash(
            account["payment_password"], account["phone"], "payment"
        )
    return account


def build_accounts() -> list[Json]:
    accounts: list[Json] = [
        {
            "phone": "13800138000",
            "nickname": "小鹿爱逛街",
            "password": PASSWORD,
            "role": "shopper",
            "real_name": "林晓雨",
            "id_number": resident_id("330106", "19960315", "042"),
            "payment_password": PAYMENT_PASSWORD,
            "balance": 50_000,
        },
        {
            "phone": "13800138001",
            "nickname": "小葵同学",
            "password": PASSWORD,
            "role": "shopper",
            "real_name": "周小葵",
            "id_number": resident_id("110105", "20120908", "026"),
            "balance": 5_000,
        },
        {
            "phone": "13800138002",
            "nickname": "路过的猫",
            "password": PASSWORD,
            "role": "shopper",
        },
    ]
    for n, shop in enumerate(SHOPS):
        accounts.append(
            {
                "phone": str(13900139000 + n),
                "nickname": f"{shop['name']['zh']}掌柜"[:30],
                "password": PASSWORD,
                "role": "merchant",
                "shop": shop["slug"],
            }
        )
    return accounts


PLATFORM_COUPONS: list[Json] = [
    {
        **amount_coupon(0, 500, 7, 100000, new_user=True),
        "title": text("新人专享无门槛5元券", "New customers: ¥5 off, no minimum"),
    },
    {
        **amount_coupon(9900, 1000, 7, 100000, new_user=True),
        "title": text("新人专享满99减10", "New customers: ¥10 off orders over ¥99"),
    },
    amount_coupon(19900, 2000, 15, 50000),
    amount_coupon(49900, 5000, 15, 10000),
    {
        **percent_coupon(95, 5000, 30, 20000),
        "title": text("全场9.5折券（满50可用）", "5% off everything, orders over ¥50"),
    },
]

CHECKIN_REWARDS: list[Json] = [
    {
        "days": [1, 2, 4, 5, 6],
        "coupon": {
            **amount_coupon(3000, 100, 3, 10_000_000),
            "title": text("签到券 满30减1", "Check-in: ¥1 off orders over ¥30"),
        },
    },
    {
        "days": [3],
        "coupon": {
            **amount_coupon(4900, 300, 7, 10_000_000),
            "title": text("签到券 满49减3", "Check-in: ¥3 off orders over ¥49"),
        },
    },
    {
        "days": [7],
        "coupon": {
            **amount_coupon(0, 500, 7, 10_000_000),
            "title": text("连签7天 无门槛5元", "7-day streak: ¥5 off, no minimum"),
        },
    },
]

# --------------------------------------------------------------------------- generation


@dataclass
class PicturePlan:
    """What `make_pictures.py` needs to draw: path (relative to data/) -> drawing order."""

    products: dict[str, Json] = field(default_factory=dict)
    reviews: dict[str, Json] = field(default_factory=dict)


def luminance(rgb: RGB) -> float:
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b


def round_price_up(fen: int) -> int:
    """Round up to whole yuan, as list prices usually are."""
    return int(math.ceil(fen / 100.0)) * 100


def make_skus(
    rng: random.Random, axes: tuple[Axis, ...], price: int, top: str, opts: Json, on_sale: bool
) -> list[Json]:
    apparel = any(a.kind == "size" for a in axes)
    virtual = top in VIRTUAL_TOPS
    factor = rng.choice([1.2, 1.25, 1.3, 1.4, 1.5, 1.6]) if on_sale else 0.0
    skus: list[Json] = []
    combos = list(itertools.product(*(range(len(a.values)) for a in axes)))
    absent = 0
    for combo in combos:
        sku_price = price + sum(a.values[i][2] for a, i in zip(axes, combo, strict=True))
        if opts.get("soldout"):
            stock = 0
        elif virtual:
            stock = VIRTUAL_STOCK
        elif apparel:
            roll = rng.random()
            # Some colour/size combinations are never made (at most a fifth of them).
            if roll < 0.1 and absent < len(combos) // 5:
                absent += 1
                continue
            if roll < 0.22:
                stock = 0
            elif roll < 0.34:
                stock = rng.randint(1, 3)
            else:
                stock = rng.randint(8, 420)
        else:
            roll = rng.random()
            if roll < 0.05:
                stock = 0
            elif roll < 0.13:
                stock = rng.randint(1, 9)
            else:
                stock = rng.randint(20, 500)
        sku: Json = {"values": list(combo), "price": sku_price}
        if on_sale:
            sku["original_price"] = max(round_price_up(int(sku_price * factor)), sku_price + 100)
        sku["stock"] = stock
        skus.append(sku)
    return skus


def make_promotion(rng: random.Random, kind: str, top: str) -> Json:
    if kind == "limited_time":
        days = rng.randint(2, 6)
        title = text(
            f"限时秒杀 · 特价还剩{days}天", f"Flash sale: special price for {days} more days"
        )
    elif kind == "full_reduction":
        over, off = rng.choice([(199, 20), (299, 30), (99, 10), (399, 50)])
        days = rng.randint(7, 30)
        title = text(f"店铺满{over}减{off}", f"¥{off} off shop orders over ¥{over}")
    elif kind == "gift":
        days = rng.randint(10, 60)
        zh, en = GIFTS[top]
        title = text(zh, en)
    else:
        days = rng.randint(7, 30)
        title = text("新品上市 · 尝鲜价", "New arrival: launch price")
    return {"kind": kind, "title": title, "ends_in_days": days}


def review_author(rng: random.Random) -> str:
    return f"{rng.choice(AUTHOR_HEADS)}***{rng.choice(AUTHOR_TAILS)}"


# Bigrams too common to mean two phrases are about the same thing.
COMMON_BIGRAMS = {"有点", "一点", "比较", "不太", "很好", "一般", "几次", "用了", "想象", "比想"}


def _bigrams(phrase: str) -> set[str]:
    pairs = {phrase[i : i + 2] for i in range(len(phrase) - 1)}
    return {b for b in pairs if all("\u4e00" <= ch <= "\u9fff" for ch in b)} - COMMON_BIGRAMS


def _complaint(rng: random.Random, bad: list[str], praise: list[str]) -> str:
    """A complaint that does not contradict the praise (no shared topic words)."""
    said = set().union(*(_bigrams(p) for p in praise)) if praise else set()
    fitting = [b for b in bad if not (_bigrams(b) & said)] or bad
    return rng.choice(fitting)


def review_text(
    rng: random.Random, group: str, rating: int, used: set[str], *, virtual: bool = False
) -> str:
    good, bad = REVIEW_PHRASES[group]
    delivery_good = ACCESS_GOOD if virtual else DELIVERY_GOOD
    delivery_bad = ACCESS_BAD if virtual else DELIVERY_BAD
    for _ in range(40):
        if rating >= 4:
            parts = [rng.choice(OPENERS_GOOD), *rng.sample(good, rng.choice([1, 1, 2, 2, 3]))]
            if rng.random() < 0.5:
                parts.append(rng.choice(delivery_good))
            if rating == 4 and rng.random() < 0.4:
                parts.append(rng.choice(MIXED_LINKS) + _complaint(rng, bad, parts[1:]))
            elif rng.random() < 0.5:
                parts.append(rng.choice(CLOSERS_GOOD))
        elif rating == 3:
            praise = rng.choice(good)
            parts = [
                rng.choice(["还行吧，", "中规中矩，", "一般，", ""]),
                praise,
                rng.choice(MIXED_LINKS) + _complaint(rng, bad, [praise]),
            ]
            if rng.random() < 0.4:
                parts.append(rng.choice(delivery_bad + delivery_good))
        else:
            parts = [rng.choice(OPENERS_BAD), *rng.sample(bad, rng.choice([1, 2]))]
            if rng.random() < 0.6:
                parts.append(rng.choice(delivery_bad))
            if rng.random() < 0.6:
                parts.append(rng.choice(CLOSERS_BAD))
        result = "".join(parts)
        if result not in used:
            used.add(result)
            return result
    raise RuntimeError(f"could not compose a fresh review for {group}")


def review_count(rng: random.Random, sales: int, forced: int | None) -> int:
    if forced is not None:
        return forced
    if sales == 0:
        return 0
    count = rng.choices(range(1, 11), weights=[3, 5, 8, 10, 12, 12, 10, 8, 6, 5])[0]
    return min(count, sales)


def build(rng_seed: int = RANDOM_SEED) -> tuple[Json, PicturePlan]:
    """Build the whole seed (a JSON-ready dict) and the picture plan, deterministically."""
    rng = random.Random(rng_seed)
    plan = PicturePlan()
    used_texts: set[str] = set()
    products: list[Json] = []
    palette = list(COLOURS)

    for sub, entries in CATALOGUE.items():
        top = TOP_OF[sub]
        for entry in entries:
            opts: Json = entry["opts"]
            axes: tuple[Axis, ...] = entry["axes"]
            slug: str = entry["slug"]

            if sub in FRESH_SUBS:
                policy = "fresh"
            elif top in VIRTUAL_TOPS:
                policy = "virtual"
            else:
                policy = opts.get("policy", "standard")

            listed = opts.get("listed", rng.randint(20, 400))
            sales = opts.get("sales")
            if sales is None:
                sales = min(200_000, int(rng.lognormvariate(6.3, 1.9)) + 1)
                if listed < 30:
                    sales = min(sales, listed * 40 + 5)

            promo_kinds: list[str] = list(opts.get("promo", []))
            if not promo_kinds and not opts.get("soldout") and sales and rng.random() < 0.28:
                kinds = ["limited_time", "full_reduction", "gift"]
                promo_kinds.append(rng.choices(kinds, weights=[4, 3, 3])[0])
                if rng.random() < 0.15:
                    promo_kinds.append("gift" if promo_kinds[0] != "gift" else "full_reduction")
            on_sale = "limited_time" in promo_kinds or (
                not opts.get("soldout") and rng.random() < (0.55 if top == "books" else 0.22)
            )

            skus = make_skus(rng, axes, entry["price"], top, opts, on_sale)
            pitch_zh, pitch_en = entry["pitch"]
            general_zh, general_en = rng.choice(GENERAL_SENTENCES[top])
            desc_zh = [pitch_zh, general_zh]
            desc_en = [pitch_en, general_en]
            if policy in POLICY_SENTENCES:
                desc_zh.append(POLICY_SENTENCES[policy][0])
                desc_en.append(POLICY_SENTENCES[policy][1])

            product: Json = {
                "slug": slug,
                "shop": opts.get("shop", DEFAULT_SHOP[sub]),
                "brand": entry["brand"],
                "category": sub,
                "name": entry["name"],
                "description": text("".join(desc_zh), " ".join(desc_en)),
                "picture": f"pictures/{slug}.png",
                "specs": [a.spec() for a in axes],
                "skus": skus,
                "sales": sales,
                "listed_days_ago": listed,
                "return_policy": policy,
            }
            if "limit" in opts:
                product["per_order_limit"] = opts["limit"]
            product["promotions"] = [make_promotion(rng, k, top) for k in promo_kinds]

            # Reviews: texts composed from per-category phrase pools, never repeated.
            group = opts.get("review_group", REVIEW_GROUP[sub])
            reviews: list[Json] = []
            n_reviews = review_count(rng, sales, opts.get("reviews"))
            for _ in range(n_reviews):
                rating = rng.choices([5, 4, 3, 2, 1], weights=[56, 24, 10, 5, 5])[0]
                review: Json = {
                    "author": review_author(rng),
                    "rating": rating,
                    "text": review_text(
                        rng, group, rating, used_texts, virtual=policy == "virtual"
                    ),
                }
                if axes and rng.random() < 0.75:
                    review["sku"] = list(rng.choice(skus)["values"])
                review["photos"] = []
                review["days_ago"] = rng.randint(0, min(120, listed))
                reviews.append(review)
            reviews.sort(key=lambda r: r["days_ago"])
            product["reviews"] = reviews

            colour_axis = next((a for a in axes if a.kind == "colour"), None)
            if colour_axis is not None:
                colour_key = colour_axis.colour_keys[0]
            else:
                colour_key = opts.get("tint") or palette[len(products) % len(palette)]
            plan.products[product["picture"]] = {
                "slug": slug,
                "shape": opts.get("shape", DEFAULT_SHAPE[sub]),
                "top": top,
                "rgb": COLOURS[colour_key][2],
                "pattern": opts.get("pattern")
                or ("dots" if colour_key.startswith("floral") else None),
            }
            products.append(product)

    _add_review_photos(rng, products, plan)
    _add_bracket_review(products)

    seed: Json = {
        "version": SEED_VERSION,
        "categories": [
            {
                "slug": top,
                "name": text(zh, en),
                "children": [{"slug": s, "name": text(z, e)} for s, z, e in subs],
            }
            for top, zh, en, subs in TOPS
        ],
        "brands": [{"slug": s, "name": text(zh, en)} for s, zh, en in BRANDS],
        "shops": SHOPS,
        "products": products,
        "platform_coupons": PLATFORM_COUPONS,
        "checkin_rewards": CHECKIN_REWARDS,
        "accounts": [with_hashes(account) for account in build_accounts()],
    }
    return seed, plan


def _add_review_photos(rng: random.Random, products: list[Json], plan: PicturePlan) -> None:
    """Give photos to about a quarter of the reviews, concentrated on popular physical goods.

    A product with photo reviews has one to three review pictures; its photo reviews
    each show some of them, so the picture count stays small.
    """
    candidates = [p for p in products if p["return_policy"] != "virtual" and len(p["reviews"]) >= 4]
    forced = {
        p["slug"]
        for p in products
        for e in CATALOGUE[p["category"]]
        if e["slug"] == p["slug"] and e["opts"].get("photo_reviews")
    }
    chosen = [p for p in candidates if p["slug"] in forced]
    rest = [p for p in candidates if p["slug"] not in forced]
    chosen += rng.sample(rest, min(len(rest), 56 - len(chosen)))
    for product in sorted(chosen, key=lambda p: p["slug"]):
        n_files = rng.choices([1, 2, 3], weights=[3, 4, 2])[0]
        files = [f"pictures/reviews/{product['slug']}-{k + 1}.png" for k in range(n_files)]
        reviews = product["reviews"]
        photo_reviews = [r for r in reviews if rng.random() < 0.6] or [reviews[0]]
        for review in photo_reviews:
            review["photos"] = rng.sample(files, rng.randint(1, n_files))
        referenced = sorted({f for r in reviews for f in r["photos"]})
        base = plan.products[product["picture"]]
        for k, path in enumerate(referenced):
            plan.reviews[path] = {**base, "variant": k}


def _add_bracket_review(products: list[Json]) -> None:
    product = next(p for p in products if p["slug"] == "floral-chiffon-dress")
    blue = next(sku["values"] for sku in product["skus"] if sku["values"][0] == 0)
    product["reviews"][0].update(rating=5, text=BRACKET_REVIEW, sku=list(blue))


# --------------------------------------------------------------------------- checks and output


def check(seed: Json) -> None:
    """Checks beyond the schema: the rules of the demo world."""
    for account in seed["accounts"]:
        if account.get("id_number"):
            resident_id(
                account["id_number"][:6], account["id_number"][6:14], account["id_number"][14:17]
            )
    used_brands = {p["brand"] for p in seed["products"]}
    unused = {b["slug"] for b in seed["brands"]} - used_brands
    if unused:
        raise ValueError(f"brands without products: {sorted(unused)}")
    shops_with_products = {p["shop"] for p in seed["products"]}
    if missing := {s["slug"] for s in seed["shops"]} - shops_with_products:
        raise ValueError(f"shops without products: {sorted(missing)}")
    for product in seed["products"]:
        for path in [product["picture"], *(ph for r in product["reviews"] for ph in r["photos"])]:
            if not (DATA / path).is_file():
                raise FileNotFoundError(f"{path} is missing: run tools/make_pictures.py first")


def validate(seed: Json) -> None:
    """Validate against the pydantic schema the store loads the seed with."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from kstui.store.seed_schema import Seed

    Seed.model_validate(seed)


def main() -> int:
    seed, _ = build()
    validate(seed)
    check(seed)
    SEED_PATH.write_text(json.dumps(seed, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    reviews = [r for p in seed["products"] for r in p["reviews"]]
    sys.stdout.write(
        f"wrote {SEED_PATH.relative_to(ROOT)}: {len(seed['products'])} products, "
        f"{len(reviews)} reviews ({sum(1 for r in reviews if r['photos'])} with photos), "
        f"{len(seed['shops'])} shops, {len(seed['brands'])} brands\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
