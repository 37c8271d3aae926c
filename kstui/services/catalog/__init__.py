"""The catalogue: categories, brands, products and their SKUs, search (keywords, pinyin,
filters, sorts), product pages with promotions, coupons and reviews, shipping templates
and the freight they give. It depends on no other area; every other area reads it."""
