"""Kana, column titles and dates as Japanese HR files write them (kit.japanese)."""

import datetime

import pytest

from kit.japanese import kana_search_term, katakana, parse_date, plain_header


@pytest.mark.parametrize("typed", ["やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ", " ヤマダ  タロウ "])
def test_kana_of_either_script_and_width_is_full_width_katakana(typed):
    assert katakana(typed) == "ヤマダ\u3000タロウ"
    assert kana_search_term(typed) == "ヤマダタロウ"


def test_voiced_half_width_kana_join_their_marks():
    assert katakana("ｶﾞｯｺｳ ﾊﾟﾊﾟ") == "ガッコウ\u3000パパ"


@pytest.mark.parametrize("title", ["メールアドレス", "メール アドレス", "ﾒｰﾙ　ｱﾄﾞﾚｽ", "\ufeffメールアドレス"])
def test_titles_compare_without_width_and_spaces(title):
    assert plain_header(title) == "メールアドレス"


def test_titles_fold_case_and_brackets():
    assert plain_header("E-Mail") == "e-mail" and plain_header("氏名(カナ)") == plain_header("氏名（カナ）")


@pytest.mark.parametrize("text", ["2024/4/1", "2024-04-01", "2024.4.1", "2024年4月1日", "２０２４／４／１",
                                  "20240401", "令和6年4月1日", "R6.4.1", "2024-04-01 00:00:00", "令和 6年 4月 1日"])
def test_japanese_dates(text):
    assert parse_date(text) == datetime.date(2024, 4, 1)


def test_the_first_year_of_an_era_and_other_eras():
    assert parse_date("令和元年5月1日") == datetime.date(2019, 5, 1)
    assert parse_date("平成31年4月30日") == datetime.date(2019, 4, 30)
    assert parse_date("昭和64年1月7日") == datetime.date(1989, 1, 7)


@pytest.mark.parametrize("text", ["2024/13/1", "2024/2/30", "4月1日", "来週", "", "2024/4/1 9:00"])
def test_what_is_not_a_date_is_none(text):
    assert parse_date(text) is None
