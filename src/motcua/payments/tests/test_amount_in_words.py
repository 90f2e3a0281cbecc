"""The amount in words printed on a receipt, read the way Vietnamese receipts spell amounts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments.words import amount_in_words, format_vnd, number_in_words

CASES = [
    # (amount, words) — each row one reading rule
    (0, "Không đồng"),
    (1_000, "Một nghìn đồng chẵn"),
    (15_000, "Mười lăm nghìn đồng chẵn"),  # "lăm" after "mười"
    (21_000, "Hai mươi mốt nghìn đồng chẵn"),  # "mốt" after "mươi"
    (105_000, "Một trăm linh năm nghìn đồng chẵn"),  # zero tens read "linh"; 5 stays "năm" after "linh"
    (100_000, "Một trăm nghìn đồng chẵn"),
    (1_000_000, "Một triệu đồng chẵn"),
    (1_234_567_000, "Một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn đồng chẵn"),  # "tư"
    (10_000, "Mười nghìn đồng chẵn"),  # "mười", not "một mươi"
    (11_000, "Mười một nghìn đồng chẵn"),  # "một" (not "mốt") after "mười"
    (14_000, "Mười bốn nghìn đồng chẵn"),  # "bốn" (not "tư") after "mười"
    (25_000, "Hai mươi lăm nghìn đồng chẵn"),  # "lăm" after "mươi"
    (30_000, "Ba mươi nghìn đồng chẵn"),
    (44_000, "Bốn mươi tư nghìn đồng chẵn"),
    (50_500, "Năm mươi nghìn năm trăm đồng chẵn"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng chẵn"),  # inner group read in full
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng chẵn"),
    (1_000_001, "Một triệu không trăm linh một đồng chẵn"),  # zero groups skipped
    (2_000_000_000, "Hai tỷ đồng chẵn"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng chẵn"),
    (1_000_000_000_000, "Một nghìn tỷ đồng chẵn"),
    (7, "Bảy đồng chẵn"),
    (101, "Một trăm linh một đồng chẵn"),  # "một" (not "mốt") after "linh"
    (104, "Một trăm linh bốn đồng chẵn"),
    (999_999, "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng chẵn"),
]


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_amount_reads_as_on_a_receipt(amount, words):
    assert amount_in_words(amount) == words


def test_southern_usage_reads_zero_tens_as_le():
    assert amount_in_words(105_000, zero_tens="lẻ") == "Một trăm lẻ năm nghìn đồng chẵn"
    assert number_in_words(1_000_001, zero_tens="lẻ") == "một triệu không trăm lẻ một"


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True])
def test_bad_amounts_are_rejected(bad):
    with pytest.raises((TypeError, ValueError)):
        number_in_words(bad)


def test_unknown_zero_tens_word_is_rejected():
    with pytest.raises(ValueError):
        number_in_words(105, zero_tens="không")


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0 đ"), (500, "500 đ"), (1_000, "1.000 đ"), (1_000_000, "1.000.000 đ"), (-25_000, "-25.000 đ")],
)
def test_amount_in_figures_uses_dots_between_thousands(amount, text):
    assert format_vnd(amount) == text


# --- properties ---------------------------------------------------------------------------------------------

VALUES = {
    w: i for i, w in enumerate(["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"])
}
VALUES.update({"mốt": 1, "tư": 4, "lăm": 5})
SCALES = {"nghìn": 10**3, "triệu": 10**6}


def read_back(words: str) -> int:
    """Inverse of number_in_words for amounts below 10**18, written independently of the code under test."""
    total = below = small = pending = 0
    for word in words.split():
        if word in VALUES:
            pending = VALUES[word]
        elif word == "trăm":
            small, pending = small + pending * 100, 0
        elif word == "mươi":
            small, pending = small + pending * 10, 0
        elif word == "mười":
            small, pending = small + 10, 0
        elif word in ("linh", "lẻ"):
            continue
        elif word in SCALES:
            below, small, pending = below + (small + pending) * SCALES[word], 0, 0
        elif word == "tỷ":
            total, below, small, pending = (below + small + pending) * 10**9, 0, 0, 0
        else:
            raise AssertionError(f"unexpected word {word!r}")
    return total + below + small + pending


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_words_read_back_to_the_same_number(n):
    assert read_back(number_in_words(n)) == n


@given(st.integers(min_value=1, max_value=10**15))
def test_amount_starts_with_a_capital_and_ends_with_dong_chan(n):
    text = amount_in_words(n)
    assert text[0].isupper()
    assert text.endswith(" đồng chẵn")
    assert "  " not in text


@given(st.integers(min_value=20, max_value=10**12))
def test_irregular_readings_appear_only_where_the_rules_allow(n):
    words = number_in_words(n).split()
    for previous, word in zip(words, words[1:], strict=False):
        if word in ("mốt", "tư"):
            assert previous == "mươi"
        if word == "lăm":
            assert previous in ("mười", "mươi")
        if word == "mươi":
            assert previous not in ("một", "không")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_figures_read_back_to_the_same_number(n):
    text = format_vnd(n)
    assert text.endswith(" đ")
    assert int(text[:-2].replace(".", "")) == n
