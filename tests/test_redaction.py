"""redact(): personal data out, everything else unchanged (search_service/redaction.py)."""

import time

import pytest

from search_service.redaction import redact

# (input, expected): what a reader might type, and what may be stored of it.
CASES = [
    # BSN: nine digits that pass the elfproef, also grouped.
    (
        "mijn BSN is 123456782 en mijn mail is jan@example.nl",
        "mijn BSN is [BSN] en mijn mail is [e-mail]",
    ),
    ("Wat doet u met BSN 111.222.333?", "Wat doet u met BSN [BSN]?"),
    ("burgerservicenummer 1112.22.333", "burgerservicenummer [BSN]"),
    ("bsn 012 345 672.", "bsn [BSN]."),
    ("BSN:999999990;", "BSN:[BSN];"),
    # Nine digits that fail the elfproef, and eight digits: a long digit run all the same.
    ("mijn nummer 123456789 klopt niet", "mijn nummer [nummer] klopt niet"),
    ("personeelsnummer 12345678", "personeelsnummer [nummer]"),
    # E-mail.
    ("mail naar j.de.vries+kb@minbzk.nl.", "mail naar [e-mail]."),
    (
        "Kan ik jan1975@gmail.com als privé-adres opgeven?",
        "Kan ik [e-mail] als privé-adres opgeven?",
    ),
    # Phone numbers.
    ("bel me op 06-12345678", "bel me op [telefoon]"),
    ("bel 06 1234 5678 of mail", "bel [telefoon] of mail"),
    ("06 12 34 56 78 na vijven", "[telefoon] na vijven"),
    ("06-1234-5678", "[telefoon]"),
    ("+31 6 12345678 bellen", "[telefoon] bellen"),
    ("+31 (0)6 1234 5678", "[telefoon]"),
    ("tel.: +31612345678, liefst 's ochtends", "tel.: [telefoon], liefst 's ochtends"),
    ("0031 70 123 4567", "[telefoon]"),
    ("mijn leidinggevende: 070-1234567", "mijn leidinggevende: [telefoon]"),
    ("010 123 4567 is het nummer", "[telefoon] is het nummer"),
    ("(010) 123 4567", "[telefoon]"),
    ("0111-123456", "[telefoon]"),
    ("088 - 123 45 67 in 2024", "[telefoon] in 2024"),
    # IBAN, with a valid checksum.
    ("IBAN NL91ABNA0417164300 graag", "IBAN [IBAN] graag"),
    ("rekening NL91 ABNA 0417 1643 00 ok", "rekening [IBAN] ok"),
    ("nl20ingb0001234567", "[IBAN]"),
    ("BE68 5390 0754 7034 1234 ok", "[IBAN] 1234 ok"),
    # A typo in the checksum: not an IBAN, but its ten-digit account number is a long number.
    ("IBAN NL91ABNA0417164301", "IBAN [nummer]"),
    # Postcode with house number, either order; a postcode alone.
    ("Ik woon op 1234 AB 12 in Utrecht", "Ik woon op [adres] in Utrecht"),
    ("1234AB 12a", "[adres]"),
    ("2511 CV 4-6", "[adres]"),
    ("Dorpsstraat 12, 2011 AB Haarlem", "Dorpsstraat [adres] Haarlem"),
    ("postcode 3511 LX en huisnummer 4", "postcode [adres] en huisnummer 4"),
    # Case, dossier and zaak numbers.
    ("zaaknummer Z-2024-0012345.", "zaaknummer [nummer]."),
    ("dossier 2024/0012345 loopt nog", "dossier [nummer] loopt nog"),
    ("klantnummer 1234567", "klantnummer [nummer]"),
    ("KvK12345678", "[nummer]"),
    # Must stay: years, dates, times, percentages, amounts, articles, sources, short numbers.
    ("Wat veranderde er in 2024?", "Wat veranderde er in 2024?"),
    ("in 2019 en 2020 was het anders", "in 2019 en 2020 was het anders"),
    ("Mag ik in 2024 AI gebruiken?", "Mag ik in 2024 AI gebruiken?"),
    ("de eed van 18 februari 2023", "de eed van 18 februari 2023"),
    ("op 01-02-2023 12 vragen gesteld", "op 01-02-2023 12 vragen gesteld"),
    ("geschenk van 50 euro", "geschenk van 50 euro"),
    ("een reis van € 1.250", "een reis van € 1.250"),
    ("subsidie van 1250000 euro", "subsidie van 1250000 euro"),
    ("€ 2500000 begroot", "€ 2500000 begroot"),
    ("artikel 125a en art. 7 van de Ambtenarenwet", "artikel 125a en art. 7 van de Ambtenarenwet"),
    ("artikel 7:611 BW", "artikel 7:611 BW"),
    ("Stb. 2016, 542", "Stb. 2016, 542"),
    ("Stcrt. 2019, 71141", "Stcrt. 2019, 71141"),
    ("Kamerstukken II 2019/20, 35300", "Kamerstukken II 2019/20, 35300"),
    ("ECLI:NL:HR:2019:1234", "ECLI:NL:HR:2019:1234"),
    ("om 14:30 of 9.30 uur", "om 14:30 of 9.30 uur"),
    ("12,5% van 36 uur", "12,5% van 36 uur"),
    ("123.456.789 inwoners", "123.456.789 inwoners"),
    ("Mag ik een cadeau aannemen?", "Mag ik een cadeau aannemen?"),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [c[0] for c in CASES], ids=[c[0][:40] for c in CASES])
def test_redacting_twice_changes_nothing_more(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@pytest.mark.parametrize(
    "text", ["a" * 100_000, "1" * 100_000, "a." * 50_000, "06 " * 30_000, "1234 AB 12 " * 10_000]
)
def test_long_input_takes_linear_time(text: str) -> None:
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 1.0
