"""`kstui.services.catalog.search_query` and `kstui.store.search_index`: from typed text to
terms over the search documents, and (`kstui.store.search.sqlite`) the terms as FTS5."""

from __future__ import annotations

import sqlite3
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kstui.services.catalog import search_query
from kstui.services.catalog.errors import QueryTooLong
from kstui.services.catalog.search_query import (
    MAX_PINYIN_READINGS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    TermMatch,
    parse_query,
    pinyin_readings,
)
from kstui.store.pinyin_syllables import SYLLABLES
from kstui.store.search import Scope
from kstui.store.search.sqlite import fts_expressions
from kstui.store.search_index import (
    PINYIN_CODE_BASE,
    SYLLABLE_CODES,
    Facets,
    SearchDoc,
    build_doc,
    index_products,
    is_han,
    normalize,
    pinyin_runs,
)
from kstui.store.sqlite import SqliteTransaction


def code(*syllables: str) -> str:
    return "".join(SYLLABLE_CODES[s] for s in syllables)


def decode(codes: str) -> list[str]:
    return [SYLLABLES[ord(c) - PINYIN_CODE_BASE] for c in codes]


def quoted(text: str) -> str:
    return f'"{text}"'


def fts(text: str) -> list[tuple[str | None, str | None]]:
    """The FTS5 MATCH expressions (trigram table, gram table) of each term of a text."""
    return [fts_expressions(match) for match in parse_query(text)]


# -- the syllable code table -----------------------------------------------------------------


def test_syllable_codes_are_one_character_each_and_distinct() -> None:
    assert len(SYLLABLES) == len(set(SYLLABLES)) > 400
    assert len(SYLLABLE_CODES) == len(SYLLABLES)
    assert all(len(c) == 1 for c in SYLLABLE_CODES.values())
    assert len(set(SYLLABLE_CODES.values())) == len(SYLLABLES)
    assert SYLLABLE_CODES[SYLLABLES[0]] == chr(PINYIN_CODE_BASE)
    # the codes are letters to FTS5's tokenizers, but not characters the index reads as Chinese
    assert all(c.isalpha() and not is_han(c) for c in SYLLABLE_CODES.values())


def test_syllables_include_the_v_spellings_and_not_the_ue_ones() -> None:
    assert {"lve", "nve", "lv", "nv", "xian", "xi", "an", "qun", "lian", "yi"} <= set(SYLLABLES)
    assert "lue" not in SYLLABLES
    assert "nue" not in SYLLABLES


# -- normalize / is_han ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Hello   WORLD ", "hello world"),
        ("Ｌｕｍｉ　ＡＵＲＯＲＡ", "lumi aurora"),  # full-width letters and space
        ("ＭＯＫＯ\tX5\n5G", "moko x5 5g"),
        ("连衣裙", "连衣裙"),
        ("", ""),
    ],
)
def test_normalize(text: str, folded: str) -> None:
    assert normalize(text) == folded


@pytest.mark.parametrize(("char", "han"), [("裙", True), ("龟", True), ("a", False), ("、", False)])
def test_is_han(char: str, han: bool) -> None:
    assert is_han(char) is han


# -- term routing ----------------------------------------------------------------------------


def test_empty_text_has_no_terms() -> None:
    assert parse_query("") == []
    assert parse_query("   \t ") == []


def test_one_chinese_character_goes_to_the_gram_table() -> None:
    assert parse_query("裙") == [TermMatch(term="裙", gram=True)]
    assert fts("裙") == [(None, '"裙"')]


def test_two_chinese_characters_go_to_the_gram_table() -> None:
    assert parse_query("耳机") == [TermMatch(term="耳机", gram=True)]
    assert fts("耳机") == [(None, '"耳机"')]


def test_three_chinese_characters_go_to_the_trigram_text_column() -> None:
    assert parse_query("连衣裙") == [TermMatch(term="连衣裙", substring=Scope.CHINESE)]
    assert fts("连衣裙") == [('text : "连衣裙"', None)]


def test_a_long_chinese_term_is_one_trigram_phrase() -> None:
    [match] = parse_query("法式碎花雪纺")
    assert match == TermMatch(term="法式碎花雪纺", substring=Scope.CHINESE)
    assert fts_expressions(match) == ('text : "法式碎花雪纺"', None)


def test_latin_terms_are_folded() -> None:
    assert parse_query("AURORA") == parse_query("aurora") == parse_query("Ａｕｒｏｒａ")
    assert parse_query("AURORA")[0].term == "aurora"


def test_latin_single_letter_is_a_gram_without_pinyin() -> None:
    assert parse_query("x") == [TermMatch(term="x", gram=True)]
    assert fts("x") == [(None, '"x"')]


def test_latin_two_letters_are_a_gram_plus_pinyin_readings() -> None:
    [match] = parse_query("yi")
    assert match.substring is None
    assert match.gram
    assert code("yi") in match.pinyin_grams
    tri, gram = fts_expressions(match)
    assert tri is None
    assert gram is not None
    assert gram.split(" OR ")[0] == '"yi"'
    assert quoted(code("yi")) in gram.split(" OR ")


def test_digits_and_letters_two_characters() -> None:
    assert parse_query("x5") == [TermMatch(term="x5", gram=True)]
    assert parse_query("5G") == [TermMatch(term="5g", gram=True)]
    assert fts("x5 5G") == [(None, '"x5"'), (None, '"5g"')]


def test_latin_three_letters_search_text_en_and_initials() -> None:
    [match] = parse_query("lyq")
    assert match == TermMatch(term="lyq", substring=Scope.NAMES)
    assert fts_expressions(match) == ('{text en ini} : "lyq"', None)


def test_non_pinyin_latin_gives_no_py_branch() -> None:
    [match] = parse_query("aurora")
    assert match == TermMatch(term="aurora", substring=Scope.NAMES)
    assert fts_expressions(match) == ('{text en ini} : "aurora"', None)
    assert pinyin_readings("aurora") == []


def test_full_pinyin_reads_whole_syllables() -> None:
    [match] = parse_query("lianyiqun")
    assert not match.gram
    assert match.pinyin_grams == ()
    assert match.substring is Scope.NAMES
    assert match.pinyin[0] == code("lian", "yi", "qun")  # fewest syllables first
    tri, gram = fts_expressions(match)
    assert gram is None
    assert tri is not None
    branches = tri.split(" OR ")
    assert branches[0] == '{text en ini} : "lianyiqun"'
    assert branches[1] == f'py : "{code("lian", "yi", "qun")}"'
    assert branches[1:] == [f"py : {quoted(reading)}" for reading in match.pinyin]
    readings = [decode(r) for r in pinyin_readings("lianyiqun")]
    assert readings[0] == ["lian", "yi", "qun"]
    assert ["li", "an", "yi", "qun"] in readings
    assert all("".join(r) == "lianyiqun" for r in readings)
    assert [len(r) for r in readings] == sorted(len(r) for r in readings)


def test_xian_has_two_readings() -> None:
    readings = [decode(r) for r in pinyin_readings("xian")]
    assert readings[0] == ["xian"]  # 先
    assert ["xi", "an"] in readings  # 西安
    [match] = parse_query("xian")
    assert match.pinyin_grams == (code("xian"), code("xi", "an"))
    assert match.pinyin == ()
    tri, gram = fts_expressions(match)
    assert gram is not None
    grams = gram.split(" OR ")
    assert quoted(code("xian")) in grams
    assert quoted(code("xi", "an")) in grams
    assert readings == [["xian"], ["xi", "an"]]  # not xia·n: 嗯 (n) is never a product word
    assert tri == '{text en ini} : "xian"'


def test_unfinished_last_syllable() -> None:
    readings = [decode(r) for r in pinyin_readings("lianyiq")]
    assert ["lian", "yi", "qun"] in readings
    assert ["lian", "yi", "qi"] in readings
    assert all(r[-1].startswith("q") and "".join(r[:-1]) == "lianyi" for r in readings)
    assert ["lian", "yi", "q"] not in readings  # q alone is no syllable
    [match] = parse_query("lianyiq")
    assert code("lian", "yi", "qun") in match.pinyin
    tri, _ = fts_expressions(match)
    assert tri is not None
    assert f'py : "{code("lian", "yi", "qun")}"' in tri.split(" OR ")


def test_unfinished_syllable_is_only_tried_without_a_whole_reading() -> None:
    # "li" is a whole syllable, so it is not also read as the start of "lian"
    assert [decode(r) for r in pinyin_readings("li")] == [["li"]]


@pytest.mark.parametrize(("typed", "stored"), [("lue", "lve"), ("nue", "nve")])
def test_ue_aliases(typed: str, stored: str) -> None:
    readings = [decode(r) for r in pinyin_readings(typed)]
    assert readings[0] == [stored]
    [match] = parse_query(typed)
    assert code(stored) in match.pinyin_grams
    _, gram = fts_expressions(match)
    assert gram is not None
    assert quoted(code(stored)) in gram.split(" OR ")


def test_readings_are_capped() -> None:
    assert len(pinyin_readings("xian")) == 2  # xian, xi·an
    assert len(pinyin_readings("xian" * 3)) == 8  # 2 × 2 × 2
    assert 0 < len(pinyin_readings("xian" * 8)) <= MAX_PINYIN_READINGS


@pytest.mark.parametrize(
    "syllables",
    [
        ("mian", "ma", "lian", "yi", "qun"),  # 棉麻连衣裙
        ("dian", "nao", "xian", "shi", "qi"),  # 电脑显示器
        ("qian", "nian", "mian", "guan"),  # 千年面馆
        ("xian", "xian", "xian"),
    ],
)
def test_the_natural_reading_survives_the_cap(syllables: tuple[str, ...]) -> None:
    readings = pinyin_readings("".join(syllables))
    assert code(*syllables) in readings
    assert readings[0] == code(*syllables)  # fewest syllables first


def test_no_reading_at_all() -> None:
    assert pinyin_readings("vvv") == []
    assert pinyin_readings("q") == [code(s) for s in SYLLABLES if s.startswith("q")]


class _CountingSyllables(dict[str, str]):
    """`SYLLABLE_CODES` that gives up after a budget of lookups (a bound on the work)."""

    budget = 200_000

    def __contains__(self, key: object) -> bool:
        self.budget -= 1
        if self.budget < 0:
            raise RuntimeError("pinyin segmentation exceeded its work budget")
        return super().__contains__(key)


def test_pinyin_segmentation_work_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_query, "SYLLABLE_CODES", _CountingSyllables(SYLLABLE_CODES))
    text = "xian" * 12 + "vv"
    assert len(text) == MAX_QUERY_CHARS
    [match] = parse_query(text)
    assert match == TermMatch(term=text, substring=Scope.NAMES)
    assert fts_expressions(match) == (f'{{text en ini}} : "{text}"', None)


def test_the_work_budget_allows_ordinary_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _CountingSyllables(SYLLABLE_CODES)
    monkeypatch.setattr(search_query, "SYLLABLE_CODES", counting)
    for text in ("lianyiqun", "xianxianxian", "lianyiq", "a" * 50, "xian" * 6 + "vv"):
        pinyin_readings(text)
    assert counting.budget > 0


# -- quoting and odd input -------------------------------------------------------------------


def test_double_quotes_are_doubled_inside_fts_strings() -> None:
    assert parse_query('a"b') == [TermMatch(term='a"b', substring=Scope.NAMES)]
    assert fts('a"b') == [('{text en ini} : "a""b"', None)]
    assert fts('"连衣裙"') == [('text : """连衣裙"""', None)]


def test_a_lone_quote_or_punctuation_pair_is_no_term() -> None:
    assert parse_query('"') == []
    assert parse_query('a"') == []
    assert parse_query("[/") == []


@pytest.mark.parametrize("text", ["[b]", "[/]", "[@click=app.quit]", "[red]x[/red]"])
def test_markup_is_searched_as_plain_text(text: str) -> None:
    [match] = parse_query(text)
    assert match == TermMatch(term=text, substring=Scope.NAMES)
    assert fts_expressions(match) == (f'{{text en ini}} : "{text}"', None)


@given(
    st.text(
        st.characters(codec="utf-8", exclude_characters="\x00"),
        max_size=MAX_QUERY_CHARS,
    )
)
@settings(max_examples=300, deadline=None)
def test_every_expression_is_valid_fts5(text: str) -> None:
    """Whatever is typed, the MATCH expressions parse (FTS5 raises on a syntax error).

    NUL is left out here: see `test_catalog.test_a_nul_character_in_a_query_does_not_raise`;
    lone surrogates cannot be encoded for SQLite at all.
    """
    conn = _fts_conn()
    for match in parse_query(text):
        assert match.substring or match.gram or match.pinyin or match.pinyin_grams
        tri, gram = fts_expressions(match)
        assert tri is not None or gram is not None
        if tri is not None:
            conn.execute("SELECT count(*) FROM search_tri WHERE search_tri MATCH ?", (tri,))
        if gram is not None:
            conn.execute("SELECT count(*) FROM search_gram WHERE search_gram MATCH ?", (gram,))


def _new_fts_conn() -> sqlite3.Connection:
    """An in-memory pair of search tables shaped like the store's."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE search_tri USING fts5("
        "text, en, py, ini, tags, tokenize='trigram', detail=full)"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE search_gram USING fts5(g, tokenize='unicode61', detail=none)"
    )
    return conn


@cache
def _fts_conn() -> sqlite3.Connection:
    return _new_fts_conn()


# -- length and term limits ------------------------------------------------------------------


def test_fifty_characters_are_accepted() -> None:
    assert parse_query("裙" * 50)[0].term == "裙" * 50
    # the limit counts the folded text: surrounding and repeated spaces do not count
    assert len(parse_query("   " + "连衣裙  " * 12 + "ab   ")) == 2


def test_fifty_one_characters_are_too_long() -> None:
    with pytest.raises(QueryTooLong) as caught:
        parse_query("裙" * 51)
    assert caught.value.params == {"limit": MAX_QUERY_CHARS, "length": 51}
    assert caught.value.key == "catalog.error.query_too_long"


def test_ten_thousand_characters_are_too_long() -> None:
    with pytest.raises(QueryTooLong) as caught:
        parse_query("连衣裙" * 3333 + "x")
    assert caught.value.params == {"limit": 50, "length": 10_000}


def test_at_most_max_terms_are_used() -> None:
    matches = parse_query("a b c d e f g h i j k")
    assert MAX_TERMS == 8
    assert [m.term for m in matches] == list("abcdefgh")


def test_repeated_terms_count_once() -> None:
    assert [m.term for m in parse_query("裙 裙 耳机 裙")] == ["裙", "耳机"]


def test_unusable_terms_do_not_use_up_the_term_limit() -> None:
    matches = parse_query('" , ; ! a b c d e f g h')
    assert [m.term for m in matches] == list("abcdefgh")


def test_terms_are_split_on_any_whitespace_including_ideographic_space() -> None:
    assert [m.term for m in parse_query("蓝牙\u3000耳机\tlumi")] == ["蓝牙", "耳机", "lumi"]


# -- documents -------------------------------------------------------------------------------

FACETS = Facets(top_category_id=1, category_id=2, brand_id=3, price=12900)


def _dress_doc() -> SearchDoc:
    return build_doc(
        facets=FACETS,
        name_zh="法式碎花雪纺连衣裙女夏季中长款",
        name_en="French Floral Chiffon Midi Dress",
        brand_zh="极光",
        brand_en="Aurora",
    )


def test_doc_text_en_columns() -> None:
    doc = _dress_doc()
    assert doc.text == "法式碎花雪纺连衣裙女夏季中长款 极光"
    assert doc.en == "french floral chiffon midi dress aurora"


def test_doc_initials() -> None:
    assert _dress_doc().ini == "fsshxflyqnxjzck jg"
    assert build_doc(facets=FACETS, name_zh="连衣裙", name_en="Dress").ini == "lyq"


def test_doc_py_uses_syllable_codes_per_chinese_run() -> None:
    doc = build_doc(
        facets=FACETS, name_zh="连衣裙", name_en="Dress", brand_zh="极光", brand_en="Aurora"
    )
    assert doc.py == f"{code('lian', 'yi', 'qun')} {code('ji', 'guang')}"
    phone = build_doc(facets=FACETS, name_zh="MOKO X5 5G手机 大电池", name_en="MOKO X5 5G Phone")
    assert phone.py == f"{code('shou', 'ji')} {code('da', 'dian', 'chi')}"
    assert phone.ini == "sj ddc"


def test_doc_grams() -> None:
    grams = set(_dress_doc().grams.split(" "))
    # every Chinese character and neighbouring pair
    assert {"连", "衣", "裙", "连衣", "衣裙", "极", "光", "极光", "法式", "长款"} <= grams
    assert "连衣裙" not in grams
    assert "款极" not in grams  # pairs do not cross the space between name and brand
    # the first one and two letters of each Latin word
    assert {"f", "fr", "fl", "c", "ch", "m", "mi", "d", "dr", "a", "au"} <= grams
    assert "fre" not in grams
    assert "french" not in grams
    # single and paired syllable codes, paired initials
    assert {code("lian"), code("lian", "yi"), code("yi", "qun")} <= grams
    assert {"ly", "yq", "jg"} <= grams
    assert "lyq" not in grams
    assert _dress_doc().grams.split(" ") == sorted(grams)


def test_doc_grams_of_latin_words_with_digits() -> None:
    grams = set(
        build_doc(facets=FACETS, name_zh="MOKO X5 5G手机", name_en="MOKO X5 5G Phone").grams.split()
    )
    assert {"m", "mo", "x", "x5", "5", "5g", "p", "ph", "手", "手机", "机"} <= grams


def test_doc_folds_full_width_and_case() -> None:
    doc = build_doc(facets=FACETS, name_zh="ＭＯＫＯ手机", name_en="ＢＩＧ Phone", brand_en="Lumi")
    assert doc.text == "moko手机"
    assert doc.en == "big phone lumi"


def test_doc_with_known_runs_uses_them() -> None:
    assert build_doc(facets=FACETS, name_zh="长款", name_en="Long").py == code("chang", "kuan")
    doc = build_doc(facets=FACETS, name_zh="长款", name_en="Long", runs=[("zhang", "kuan")])
    assert doc.py == code("zhang", "kuan")
    assert doc.ini == "zk"
    assert doc.text == "长款"


def test_pinyin_runs() -> None:
    assert pinyin_runs("连衣裙 Lumi 耳机") == [("lian", "yi", "qun"), ("er", "ji")]
    assert pinyin_runs("Lumi") == []


def test_index_products_rewrites_rows() -> None:
    conn = _new_fts_conn()
    tx = SqliteTransaction(conn, ":memory:")
    index_products(tx, [(7, build_doc(facets=FACETS, name_zh="连衣裙", name_en="Dress"))])
    index_products(tx, [(7, build_doc(facets=FACETS, name_zh="蓝牙耳机", name_en="Earbuds"))])
    assert conn.execute("SELECT rowid, text, en, ini FROM search_tri").fetchall() == [
        (7, "蓝牙耳机", "earbuds", "lyej")
    ]
    hits = conn.execute("SELECT rowid FROM search_gram WHERE search_gram MATCH '\"耳机\"'")
    assert hits.fetchall() == [(7,)]
    none = conn.execute("SELECT rowid FROM search_gram WHERE search_gram MATCH '\"衣裙\"'")
    assert none.fetchall() == []


def test_queries_find_their_document() -> None:
    """The two halves agree: what `parse_query` makes matches what `build_doc` stores."""
    conn = _new_fts_conn()
    index_products(
        SqliteTransaction(conn, ":memory:"),
        [(1, _dress_doc()), (2, build_doc(facets=FACETS, name_zh="西安特产", name_en="Xi'an"))],
    )

    def found(text: str) -> set[int]:
        ids: set[int] | None = None
        for match in parse_query(text):
            rows: set[int] = set()
            tri, gram = fts_expressions(match)
            if tri:
                sql = "SELECT rowid FROM search_tri WHERE search_tri MATCH ?"
                rows |= {r[0] for r in conn.execute(sql, (tri,))}
            if gram:
                sql = "SELECT rowid FROM search_gram WHERE search_gram MATCH ?"
                rows |= {r[0] for r in conn.execute(sql, (gram,))}
            ids = rows if ids is None else ids & rows
        return ids or set()

    assert found("连衣裙") == {1}
    assert found("裙") == {1}
    assert found("lianyiqun") == {1}
    assert found("lianyiq") == {1}
    assert found("lyq") == {1}
    assert found("LYQ") == {1}
    assert found("aurora") == {1}
    assert found("AUR") == {1}
    assert found("chiffon") == {1}
    assert found("xian") == {2}  # 西安 read as xi an
    assert found("xa") == {2}  # initials pair
    assert found("连衣裙 极光") == {1}
    assert found("连衣裙 西安") == set()
    assert found("zzzz") == set()
