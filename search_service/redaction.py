"""Personal data out of readers' text before anything is stored (security review F3).

``redact(text)`` replaces, in this order:

1. e-mail addresses → ``[e-mail]``;
2. IBANs with a valid checksum (``NL91ABNA0417164300``, also in groups of four) → ``[IBAN]``;
3. numbers of exactly nine digits, also written ``123.456.782``, ``123 456 782`` or
   ``1234.56.782``, that pass the elfproef → ``[BSN]``;
4. Dutch phone numbers (``06-12345678``, ``+31 6 1234 5678``, ``0031 70 123 4567``,
   ``(010) 123 4567``: nine digits after the 0 or the 31) → ``[telefoon]``;
5. a postcode, with the house number next to it in either order (``1234 AB 12a``,
   ``Dorpsstraat 12, 1234 AB``) → ``[adres]``;
6. any word with a run of seven or more digits (case, dossier and zaak numbers such as
   ``Z-2024-0012345``, customer numbers, a nine-digit number that fails the elfproef, an
   eight-digit BSN written without its leading zero) → ``[nummer]``.

Decisions (the tests in ``tests/test_redaction.py`` pin each of them):

- ``[BSN]`` needs nine digits as written; an eight-digit number is never labelled BSN, but it
  is a long digit run, so it becomes ``[nummer]`` all the same. Whatever the label, a number of
  seven digits or more is never stored.
- What stays: years, dates (``18 februari 2023``, ``01-02-2023``), times, percentages, article
  numbers (``artikel 125a``), ``Stb. 2016, 542``, ``Stcrt. 2019, 71141``, and amounts: ``€``
  before or ``euro`` after a number keeps it, even with seven digits or more. Numbers grouped
  with dots or spaces that are not a valid BSN (``123.456.789 inwoners``) stay too: that is how
  large numbers are written in Dutch.
- A postcode alone (``3511 LX``) is redacted too, unless its digits could be a year
  (1900–2099): ``in 2024 AI gebruiken`` looks just like a postcode, so those need a house
  number next to them. Postcodes with a space need capitals for the same reason (``2019 en
  2020`` is no address). The price: ``1024 MB`` becomes ``[adres]``.
- An IBAN or phone number with a typo in it is not recognised; its digits are redacted only
  when seven or more of them stand together.

Every pattern starts only at the start of a word, so the work is linear in the text's length.
The number checks (elfproef, IBAN checksum, postcode letters) are python-stdnum's.
"""

import re
from collections.abc import Callable

from stdnum import iban
from stdnum.nl import bsn, postcode

# E-mail first: an address can hold digits ("jan1975@…") that later patterns would half-redact.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# IBAN before the numbers: its account number is ten digits that would otherwise become
# "[nummer]" and leave the bank code behind. Country code, check digits, then groups of up to
# four letters or digits, with or without spaces; the checksum decides (see _iban).
_IBAN = re.compile(
    r"(?<!\w)[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?(?!\w)", re.IGNORECASE
)

# BSN: nine digits, together or grouped 3-3-3 (one separator, used twice) or 4.2.3 (the official
# notation). Not inside a longer number ("1.123.456.782", "123456782-1"); the elfproef decides.
_BSN = re.compile(
    r"(?<![\w.,-])(?:\d{9}|\d{3}([ .])\d{3}\1\d{3}|\d{4}\.\d{2}\.\d{3})(?![\w-]|[.,]\d)"
)

# Phone: +31, 0031 or +31 (0), or the leading 0 (with an area code in brackets: "(010)"); the
# area code or the 6 of a mobile number; one separator; the rest in groups of two to four digits.
# The digit count decides (see _phone).
_PHONE = re.compile(
    r"""(?<![\w+])
    (?:(?:\+|00)31\s?(?:\(0\)\s?)?|\(?0)
    \d{1,3}\)?
    (?:\s?-\s?|\s)?
    \d{2,4}(?:[\s-]?\d{2,4}){0,3}
    (?!\d)""",
    re.VERBOSE,
)
# "01-02-2023 12" has nine digits after the 0 as well: a date at the start is never a phone.
_DATE_START = re.compile(r"\d{1,2}-\d{1,2}-\d{4}")

# A house number: "12", "12a", "12 A", "12-3".
_HOUSE_NUMBER = r"\d{1,5}(?:\s?[A-Za-z](?![\w])|-\d{1,4})?"
# Postcode, with a house number after it ("1234 AB 12") or before it ("Dorpsstraat 12, 1234 AB")
# if there is one. With a space the letters must be capitals: "in 2019 en 2020" is no address.
_ADDRESS = re.compile(
    rf"""(?<![\w-])
    (?P<before>{_HOUSE_NUMBER},?\s)?
    (?P<postcode>[1-9]\d{{3}}(?:\s?[A-Z]{{2}}|[a-z]{{2}}))(?!\w)
    (?P<after>,?\s{_HOUSE_NUMBER}(?![\w-]))?""",
    re.VERBOSE,
)

# Last, the catch-all: a whole word ("Z-2024-0012345", "2024/0012345", "KvK12345678") that holds
# seven or more digits in a row. Amounts are kept (see _long_number); shorter numbers (years,
# article numbers, "Stcrt. 2019, 71141") never reach seven digits.
_LONG_NUMBER = re.compile(r"(?<![\w/-])[\w/-]*\d{7,}[\w/-]*")
_AMOUNT_AFTER = re.compile(r"\s?(?:euro|eur)\b", re.IGNORECASE)


def _longest_valid_prefix(text: str, is_valid: Callable[[str], bool], placeholder: str) -> str:
    """The placeholder for the longest prefix of text, cut at whitespace, that is_valid; text
    itself when none is (a pattern may have taken a following word or year along)."""
    cuts = [len(text)] + [m.start() for m in reversed(list(re.finditer(r"\s", text)))]
    for cut in cuts:
        if is_valid(text[:cut]):
            return placeholder + text[cut:]
    return text


def _iban(match: re.Match[str]) -> str:
    # Checksum and the country's format; not the country's own bank-code lists, which change.
    return _longest_valid_prefix(
        match.group(), lambda t: iban.is_valid(t.upper(), check_country=False), "[IBAN]"
    )


def _bsn(match: re.Match[str]) -> str:
    return "[BSN]" if bsn.is_valid(match.group()) else match.group()


def _is_phone(text: str) -> bool:
    if _DATE_START.match(text):
        return False
    national = re.sub(r"\D", "", re.sub(r"^(?:\+|00)31", "", text))
    national = national.removeprefix("0")  # the trunk 0, or "(0)" after +31
    return len(national) == 9 and national[0] != "0"


def _phone(match: re.Match[str]) -> str:
    return _longest_valid_prefix(match.group(), _is_phone, "[telefoon]")


def _address(match: re.Match[str]) -> str:
    code = match.group("postcode")
    if not postcode.is_valid(code):  # "SA", "SD" and "SS" are never used
        return match.group()
    has_house_number = match.group("before") or match.group("after")
    # "in 2024 AI gebruiken": digits that could be a year count only with a house number.
    looks_like_year = 1900 <= int(code[:4]) <= 2099
    return "[adres]" if has_house_number or not looks_like_year else match.group()


def _long_number(match: re.Match[str]) -> str:
    before = match.string[: match.start()].rstrip()
    if before.endswith("€") or _AMOUNT_AFTER.match(match.string, match.end()):
        return match.group()
    return "[nummer]"


# In this order: see the module docstring.
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (_EMAIL, lambda _match: "[e-mail]"),
    (_IBAN, _iban),
    (_BSN, _bsn),
    (_PHONE, _phone),
    (_ADDRESS, _address),
    (_LONG_NUMBER, _long_number),
]


def redact(text: str) -> str:
    """text with e-mail addresses, IBANs, BSNs, phone numbers, addresses and long numbers
    replaced by placeholders; everything else unchanged."""
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text
