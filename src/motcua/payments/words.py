"""Money in Vietnamese: the amount in words printed on a receipt, and the amount in figures.

Reading rules (the way receipts and accounting documents spell amounts):
- digits are read in groups of three (nghìn, triệu, tỷ); above a thousand billion the billions are read as a
  number of their own ("một nghìn tỷ", "một triệu tỷ");
- a group that follows a non-zero higher group is read in full: 1.005.000 is "một triệu không trăm linh năm
  nghìn"; groups that are all zero are skipped;
- a zero tens digit before a units digit reads "linh" (northern usage, the default) or "lẻ" (southern usage);
- 10–19 read "mười …"; from 20 on, the tens read "… mươi";
- after "mươi" a 1 reads "mốt" and a 4 reads "tư"; after "mười" or "mươi" a 5 reads "lăm";
- whole đồng only: the amount ends with "đồng chẵn" ("Không đồng" for zero).
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUP_NAMES = ("", "nghìn", "triệu")
BILLION = 10**9


def _read_group(value: int, full: bool, zero_tens: str) -> list[str]:
    """Words of a 0–999 group; `full` reads the hundreds even when they are zero ("không trăm")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(zero_tens)
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _read_below_billion(value: int, leading: bool, zero_tens: str) -> list[str]:
    groups = []
    for _ in GROUP_NAMES:
        value, group = divmod(value, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _read_group(group, full=not leading or bool(words), zero_tens=zero_tens)
        if GROUP_NAMES[index]:
            words.append(GROUP_NAMES[index])
    return words


def number_in_words(n: int, zero_tens: str = "linh") -> str:
    """A non-negative integer in Vietnamese words, lower case: 1234 → "một nghìn hai trăm ba mươi tư"."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("number_in_words expects an int")
    if n < 0:
        raise ValueError("number_in_words expects a non-negative number")
    if zero_tens not in ("linh", "lẻ"):
        raise ValueError('zero_tens is "linh" or "lẻ"')
    if n == 0:
        return DIGITS[0]
    billions, rest = divmod(n, BILLION)
    words: list[str] = []
    if billions:
        words += number_in_words(billions, zero_tens).split() + ["tỷ"]
    words += _read_below_billion(rest, leading=not billions, zero_tens=zero_tens)
    return " ".join(words)


def amount_in_words(n: int, zero_tens: str = "linh") -> str:
    """A whole amount of đồng in words as printed on a receipt: 100000 → "Một trăm nghìn đồng chẵn"."""
    if n == 0:
        return "Không đồng"
    text = number_in_words(n, zero_tens) + " đồng chẵn"
    return text[0].upper() + text[1:]


def format_vnd(n: int) -> str:
    """An amount in figures with dots between thousands: 1000000 → "1.000.000 đ"."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("format_vnd expects an int (whole đồng)")
    sign = "-" if n < 0 else ""
    return f"{sign}{abs(n):,} đ".replace(",", ".")
