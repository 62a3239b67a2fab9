"""Codes from Chinese names: short names spell out their pinyin, long ones their initials, always unique."""

from leitai.rankings.codes import pinyin_code, unique_code


def test_short_names_give_full_pinyin_and_long_names_initials():
    assert pinyin_code("经济发展") == "jingjifazhan"
    assert pinyin_code("县市区月度综合考核") == "xsqydzhkh"
    assert pinyin_code("GDP 增速") == "gdpzengsu"


def test_a_name_without_letters_falls_back_and_taken_codes_get_a_number():
    assert pinyin_code("——", "group") == "group"
    assert unique_code("经济发展", {"jingjifazhan", "jingjifazhan-2"}) == "jingjifazhan-3"
    assert unique_code("经济发展", set()) == "jingjifazhan"
