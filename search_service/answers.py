"""Answer policy: which text answers a question, how the answer card is composed, and when the
service says it does not know.

The card answers from the top-ranked section (retrieval.py), in one of six ways:
- ``fact``: the answer written for one of the section's facts (front matter), after the
  short answer: when the question is closest to a question written for that fact, or when it
  asks for a date, amount, period, name, article or address that the card lacks and the fact states;
  alone for a question after a detail that is clearly closest to the fact's questions;
- ``short_answer``: the section's own short answer (front matter), for a question about the
  section as a whole;
- ``detail``: the short answer followed by one of the section's statements that adds something
  (not a restatement): its best statement when that matches the question nearly as well or
  better; or, for a question after a date, an amount, a name or an article that the card would
  lack, the best statement that holds one;
- ``sentence``: the best statement alone, for a question after a detail ("wanneer", "hoeveel",
  "wie") when it matches better than the short answer, with the sentence before it when it
  points back ("Dat geldt ...");
- ``literal``: the quoted text itself (the oath formula), when the question asks for a text;
- ``list``: a list of the section with its lead-in, for "welke vijf stappen ...".
It stays silent when no section really answers (see ``withhold_reason``), and when the card
it would show cannot answer a "hoeveel ...?" question because it states no number.
"""

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

import numpy as np

from .embedding import Embedder
from .history import DUTCH_MONTHS
from .index import (
    LoadedIndex,
    NotCoveredQuestion,
    Sentence,
    questions_of,
    read_listed_lines,
    segments,
    split_sentences,
)
from .retrieval import Hit, Ranking, RankingWeights, Retriever, keyword_matching
from .sections import Section, looks_english
from .settings import Settings
from .silence import SilenceModel
from .spelling import WORD, Abbreviations

SNIPPET_CHARS = 240
# A best sentence shorter than this gets the next sentence too, so the answer reads on its own.
SHORT_SENTENCE_CHARS = 90
FRAGMENT_WORDS = 4
LEAD_SENTENCES = 2
LEAD_BONUS = 0.01
LIST_ITEM_CHARS = 160
# A detail sentence joins the short answer only when at least this share of its content words
# is new: it must add something (a date, a name, a condition), not repeat it.
MIN_NEW_WORDS = 0.2
CONTENT_WORD = re.compile(r"\w{4,}")
# A statement this similar to the short answer (cosine) says it again in other words: the
# short answers were written from the sections' opening statements.
REPEATS_SHORT_ANSWER = 0.92

MONTH = "|".join(DUTCH_MONTHS)
# "hoeveel" opening the question, after a preposition ("binnen hoeveel weken") or after a verb
# of telling ("Kunt u aangeven hoeveel ..."): elsewhere in a sentence it often describes rather
# than asks ("we tellen alleen hoeveel producten we maken", "cijfers over hoeveel aanvragen").
# Not "hoeveel tijd", which asks for a period ("meteen", "binnen een maand"), nor "hoeveel mag
# ik vertellen", which asks what may be said. And pay ("Wat verdient een vertrouwenspersoon?",
# "What is the salary of ...?"), which only an amount in euro answers.
PAY = (
    r"\bwat (verdient|verdienen)\b(?! (de |het )?(voorkeur|aanbeveling)\b)|"
    r"\b(wat is|hoe hoog is|what is|how high is) (het |the )?(salaris|loon|uurtarief|salary|pay) "
    r"(van|of)\b"
)
AMOUNT_ASKED = re.compile(
    r"(^|[.?!,:;] |\b(binnen|tot|vanaf|na|met|voor|in|op|aangeven|vertellen|toelichten) |"
    r"\b(weet|weten) (iemand|u|je|jij|jullie) |"
    r"(^|[.?!] )over )hoeveel\b(?! tijd\b)"
    r"(?! (mag|kan|moet) (ik|je|we)\b[^.?!]*\b(vertellen|zeggen|delen|kwijt)\b)|"
    r"\b(hoe hoog|hoe veel|how much|how many|welk bedrag|welk budget|welk percentage|"
    rf"what percentage|(which|what) amount)\b(?! time\b)|{PAY}|"
    # anywhere before a unit, also in keywords ("afkoelperiode hoeveel maanden"); not after a
    # verb it describes ("Moet ik bijhouden hoeveel uur ik eraan besteed?")
    r"(?<!bijhouden )(?<!bepalen )(?<!vragen )(?<!melden )(?<!weten )(?<!zeggen )(?<!tellen )"
    r"(?<!opgeven )(?<!noteren )(?<!registreren )"
    r"\bhoeveel (maanden|weken|dagen|jaar|jaren|uur|uren|euro|procent)\b",
    re.I,
)
PAY_ASKED = re.compile(PAY, re.I)
# An amount or a number. Not a number that reads as a year (1800-2099) or a day of a month:
# "over 2015" and "1 maart" say when, not how many. Not the number of a cited article, rule,
# step or publication ("artikel 7", "Aanwijzing 3", "Stb. 2016, 542"). Not "een", which is
# mostly the article.
NUMBER_WORD = (
    r"één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\w+tien|"
    r"\w*(?:twin|der|veer|vijf|zes|zeven|tach|negen)tig|\w*honderd\w*|\w*duizend\w*|"
    r"miljoen\w*|miljard\w*|helft|kwart"
)
DIGITS = (
    r"(?<!art\. )(?<!artikel )(?<!artikelen )(?<!nr\. )(?<!\d\d\d\d, )(?<!lid )(?<!stap )"
    r"(?<!aanwijzing )(?<!hoofdstuk )(?<!paragraaf )"
    # a year, unless a unit follows ("2000 euro", "1836 uur")
    rf"\b(?!(?:1[89]|20)\d\d\b(?!\s+(?:euro|procent|uur|uren|dagen|weken|maanden|jaar)\b))"
    rf"(?!\d\d? (?:{MONTH})\b)\d+(?:[.,]\d+)*"
)
AMOUNT_STATED = re.compile(rf"{DIGITS}|€|%|\b(euro|procent|{NUMBER_WORD})\b", re.I)
# A number, up to two adjectives, and the word it counts ("drie hardnekkige fouten", "170
# gespreksleiders", "50 euro").
NUMBER_TOKEN = rf"(?:{DIGITS}|\b(?:{NUMBER_WORD})\b)"
COUNTED = re.compile(
    rf"{NUMBER_TOKEN}(?:\s+{NUMBER_TOKEN})*\s+((?:(?:\w+e|extra)\s+){{0,2}})(\w+)"
    # a share counts what it is a share of ("27 procent van alle ambtenaren")
    r"(?:\s+(?:van|of)\s+(?:de |het |alle |the )?(\w+))?",
    re.I,
)
# A number before one of these answers a question about time whatever it names ("vier weken"
# for "hoeveel verlof"); "vijf jaar" does not answer "hoeveel deelnemers".
UNITS = {"dag", "dagen", "week", "weken", "maand", "maanden", "jaar", "jaren", "uur", "uren"}
TIME_ASKED = re.compile(r"\b(verlof\w*|vakantie\w*|termijn\w*|periode|uitstel|bedenktijd)\b", re.I)
# Words of a question that name nothing it counts (their first five letters).
NOT_COUNTED = {
    "hoeve", "zijn", "waren", "heeft", "hebbe", "wordt", "worde", "moet", "moete", "mogen",
    "kunne", "deze", "voor", "over", "naar", "gaat", "geldt", "welk", "welke",
}  # fmt: skip
# A question about money ("Hoeveel mag een cadeau kosten?") is answered by an amount in euro.
MONEY_ASKED = re.compile(
    r"\b(euro|geld|kost\w*|waard\w*|bedrag\w*|budget\w*|prijs|duur|hoe hoog)\b", re.I
)
# ... and a question about a share by a percentage ("Welk percentage van de ambtenaren ...").
SHARE_ASKED = re.compile(r"\b(procent|percentage|deel|aandeel)\b", re.I)
EURO_SIGN = re.compile(r"(?:€|\bEUR\b)\s?(\d+(?:[.,]\d+)*)", re.I)
EURO_AFTER = re.compile(r"(\d)\s?EUR\b", re.I)
PERCENT_SIGN = re.compile(r"(\d)\s?%")


def states_the_amount_asked(query: str, text: str) -> bool:
    """The text counts something the question names ("drie maanden" for "hoeveel maanden", "50
    meldingen" for "hoeveel meldingen"), or gives a time for a question about time, or an
    amount in euro for a question about money: a number that counts something else ("twee
    definities", "170 gespreksleiders") does not answer "hoeveel meldingen". English questions
    name what they count in English: any number answers them."""
    if looks_english(query):
        return bool(AMOUNT_STATED.search(text))
    text = _amounts_in_words(text)
    if PAY_ASKED.search(query):
        # Pay is counted in euro, not in the people it is paid to ("de twee vertrouwenspersonen")
        # nor in hours ("8 uur per week" for "wat verdient ... per uur").
        return any(counted.lower() == "euro" for _, counted, _ in COUNTED.findall(text))
    words_asked = set(WORD.findall(query.lower()))
    asked = {word[:5] for word in CONTENT_WORD.findall(query.lower())} - NOT_COUNTED
    money_asked = bool(MONEY_ASKED.search(query))
    time_asked = bool(TIME_ASKED.search(query)) and not words_asked & UNITS
    share_asked = bool(SHARE_ASKED.search(query))
    # "Hoe hoog is de boete voor een geschenk van meer dan 50 euro?": the 50 euro the question
    # itself names is not the amount it asks for.
    named_in_question = {
        _number_and_noun(found) for found in COUNTED.finditer(_amounts_in_words(query))
    }
    for found in COUNTED.finditer(text):
        if _number_and_noun(found) in named_in_question:
            continue
        adjectives, counted, whole = found.groups(default="")
        noun = counted.lower()
        words = [*adjectives.lower().split(), noun]
        if noun == "procent":
            words.append(whole.lower())
        if (
            any(word[:5] in asked for word in words)
            or (noun in UNITS and noun in words_asked)  # "uur" for "hoeveel uur"
            or (time_asked and noun in UNITS)
            or (money_asked and noun == "euro")
            or (share_asked and noun == "procent")
        ):
            return True
    return False


def _amounts_in_words(text: str) -> str:
    """Euro and percent signs as words: "€ 50" → "50 euro", "47%" → "47 procent"."""
    text = EURO_AFTER.sub(r"\1 euro", EURO_SIGN.sub(r"\1 euro", text))
    return PERCENT_SIGN.sub(r"\1 procent", text)


def _number_and_noun(found: re.Match) -> tuple[str, str]:
    """A COUNTED match as its first number and the word it counts: ("50", "euro")."""
    return found.group(0).split()[0].lower(), found.group(2).lower()


# The words after "hoeveel": the first that is not an auxiliary verb, pronoun or article is what
# the question counts ("hoeveel meldingen"; "declareren" for "hoeveel mag ik declareren").
COUNTED_THING = re.compile(r"\b(?:hoeveel|how many|how much)\s+((?:\w+\s+){0,3}\w+)", re.I)
NO_THING = {
    "mag", "mogen", "kan", "kunnen", "moet", "moeten", "is", "zijn", "was", "waren", "heeft",
    "hebben", "wordt", "worden", "er", "ik", "je", "jij", "u", "we", "wij", "zij", "ze", "hij",
    "de", "het", "een", "dan", "ongeveer", "do", "does", "can", "i", "a", "an", "the", "are",
}  # fmt: skip


def _counted_thing(question: str) -> str:
    """What a "hoeveel" question counts (its first five letters), or "" when it names none."""
    found = COUNTED_THING.search(question)
    words = found.group(1).lower().split() if found else []
    return next((word[:5] for word in words if word not in NO_THING), "")


def lacks_asked_amount(query: str, text: str) -> bool:
    """The question asks "hoeveel ...?" and the text does not state the amount."""
    return bool(AMOUNT_ASKED.search(query)) and not states_the_amount_asked(query, text)


# A question after how long something takes ("Hoe lang duurt een veiligheidsonderzoek?", "hoe
# lang moet ik wachten?"), not after a length ("Hoe lang mag een morele vraag zijn?"); and a text
# that states a duration, or that there is none to wait ("meteen").
DURATION_ASKED = re.compile(
    r"\bhoe ?lang (duurt|duren|duurde|moet ik wachten|moet je wachten|wacht|heb ik|heb je)\b|"
    r"\bhoe ?lang (mag|kan) (dat|het|die|dit) (\w+ )?duren\b|"
    r"\bhoe ?lang (is|geldt) (de|het|een|die|zo'n) \w*(periode|termijn|wachttijd|tijd|verbod)\b|"
    r"\bbinnen hoeveel tijd\b|"
    # not how long something is kept ("How long do you keep my questions?")
    r"\bhow long (does|do|will|did) (it|the|a|an|this)\b(?! \w+ keep)|"
    r"\bhow long (do|must|should) (i|we|you) (have to|wait)\b|"
    r"\bhow long (exactly )?is (the|a) [\w-]*\s?(off )?(period|term)\b|"
    # keywords that end in it: "afkoelperiode hoe lang", "cooling off period how long"
    r"^(?!.*[?.!]\s*\S)[^,]*\b(hoe ?lang|how long)\s*\??\s*$",
    re.IGNORECASE,
)
DURATION_STATED = re.compile(
    r"\b(\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|\w+tig|a|one|two|"
    r"three|four|five|six|ten|twelve)\s+(dag|dagen|week|weken|maand|maanden|jaar|jaren|uur|uren|"
    r"days?|weeks?|months?|years?|hours?)\b|\b(meteen|onmiddellijk|immediately)\b",
    re.IGNORECASE,
)


# How often an obligation recurs ("Hoe vaak moet een insider zijn transacties melden?", "How
# often must I ...?"), not how often something happens ("Hoe vaak krijgen ambtenaren te maken
# met een dilemma?", which a share answers); and a text that gives a frequency.
FREQUENCY_ASKED = re.compile(
    r"\b(hoe vaak|hoe dikwijls|how often)\s+(\w+\s+){0,3}?"
    r"(moet|moeten|hoef|hoeft|hoeven|must|should|do i have to|does \w+ have to)\b",
    re.IGNORECASE,
)
FREQUENCY_STATED = re.compile(
    r"\b(per|elke?|iedere?|every|each|once a|twice a) (dag|week|maand|kwartaal|jaar|day|"
    r"month|quarter|year)\b|\b(jaarlijks|maandelijks|wekelijks|dagelijks|annually|yearly|"
    r"monthly|weekly|daily|eenmalig|één keer|een keer|once|(twee|drie|\d+) keer|"
    r"opnieuw|telkens|regelmatig|herhaaldelijk|again|regularly|zodra|as soon as|"
    # ... or at what event it recurs ("Meld ook als je nevenwerk verandert")
    r"\w*verander\w*|\w*wijzig\w*|changes?|bij (elke|iedere) \w+)\b",
    re.IGNORECASE,
)


# A question after where or how to order or buy something ("macht en moed boek bestellen", "Hoe
# bestel ik visitekaartjes?", "Where can I order the book?"), not about something ordered
# ("Mag ik bestellen bij het bedrijf van mijn broer?"); and a text that says where or how.
ORDERING_ASKED = re.compile(
    r"\b(waar|hoe)\s+(kan|kun|moet|mag)\s+(ik|je|u|we|men)\s+(\w+\s+){0,5}?(bestellen|kopen)\b|"
    r"\b(waar|hoe)\s+bestel\s+(ik|je|u|we)\b|\bbestellen\s*[?.!]?\s*$|"
    # in keywords, without a question mark: "laptop bestellen nieuwe medewerker"
    r"^(?!.*[?.!])[^,]*\bbestellen\b|"
    r"\b(where|how)\s+(can|do|should)\s+(i|we|you)\s+(order|buy)\b",
    re.IGNORECASE,
)
ORDERING_STATED = re.compile(r"\bbestel\w*|\bverkrijgbaar\b|\bte koop\b", re.IGNORECASE)

# A question after the consequences of refusing or of missing a deadline, or after a sanction
# ("Wat gebeurt er als ik de eed niet binnen drie maanden afleg? Word ik dan ontslagen?", "Welke
# sanctie volgt er?", "What disciplinary penalty applies?"): only a card that speaks of
# dismissal, a sanction or a measure answers it.
# Not any "gevolgen" ("Kan dat gevolgen hebben voor mijn werk?" asks whether a rule applies), not
# any "niet" ("Wat gebeurt er als ik een cadeau krijg dat ik niet mag houden?"), and not whether
# one may be dismissed for reporting ("Kan ik ontslagen worden omdat ik een misstand meldde?",
# "Will I be fired if I report?"): the protection of reporters answers that.
CONSEQUENCE_ASKED = re.compile(
    r"\b(wat gebeurt er|wat zijn de (\w+ )?gevolgen)\s+(als|wanneer|indien)\b[^?]{0,80}?"
    r"\b(weiger\w*|niet (binnen|op tijd|tijdig))\b|"
    r"\b(word|wordt)\s+(ik|je|jij|hij|zij|ze|iemand)\s+dan\s+(\w+\s+)?ontslagen\b|"
    r"\b(kan|mag)\s+ik\s+(hem|haar|die\w*|zo'n\s+\w+)\s+(dan\s+)?ontslaan\b|"
    r"\bwelke\s+(sanctie|straf|disciplinaire\s+maatregel)\w*\b|\bstrafmaat\b|"
    r"\bwhat happens if\b[^?]{0,80}?\b(refuses?|refusing|misses|miss)\b|"
    r"\b(what|which)(\s+(is|are)|'s)?\s+(the\s+)?(?!eu\s)(\w+\s+)?"
    r"(penalt(y|ies)|punishments?|sanctions?)\b(?!\s+(list|regime))|"
    r"\bcan i (dismiss|fire) (him|her|them|an? \w+)\b",
    re.IGNORECASE,
)
CONSEQUENCE_STATED = re.compile(
    r"\b(ontsla\w*|ontslag\w*|sanctie\w*|straf\w*|disciplin\w*|maatregel\w*|dismiss\w*)",
    re.IGNORECASE,
)

# A question after which form to use ("Via welk formulier in P-Direkt meld ik mijn nevenwerk?",
# "Is daar een formulier voor?"): only a card that names a form answers it. Dutch only: "which
# forms of outside work" asks for kinds.
FORM_ASKED = re.compile(
    r"\b(welk|welke)\s+(\w+\s+)?\w*formulier\w*|"
    r"\b(is|zijn|bestaat)\s+(daar|er|daarvoor)\s+(\w+\s+)?(een|geen)\s+(\w+\s+)?\w*formulier|"
    r"\bformulier\w*\s+(waar|downloaden|invullen)\b",
    re.IGNORECASE,
)
FORM_NAMED = re.compile(r"\w*formulier\w*", re.IGNORECASE)


# A person's name: after a title the particle is capitalised ("minister De Jonge"): "minister
# van Financiën" names no one; after a role a first name and surname ("oud-topambtenaar Erik
# Pool"). A first name, particle and surname ("Paul van Tongeren"), not an institution or a
# sentence opening with "de" ("Volgens de Wet").
PERSON_NAMED = re.compile(
    r"\b(?i:minister|staatssecretaris|premier|hoogleraar|filosoof|motie) (De |Van )?[A-Z]\w"
    # a role and a first name and surname ("oud-topambtenaar Erik Pool")
    # (not a body or a programme: "voorzitter Tweede Kamer", "directeur Openbaar Bestuur")
    r"|\b(?i:\w*ambtenaar|\w*directeur|\w*leider|voorzitter) "
    r"(?!(Tweede|Eerste|Openbaar|Integriteit|Moreel|Dialoog|Algemene|Binnenlandse|Publieke|"
    r"Raad|Rijk\w*)\b)[A-Z]\w+ [A-Z]\w+"
    r"|\b(?!(Raad|Ministerie|Huis|Hof|College|Wet|Staat|Unie|Overheid|Kamer|In|Op|Bij|"
    r"Volgens|Ook|Waarom|Voor|Door|Sinds|Na|Met|Dan|Als|Zo|Wie|Wat|Hoe|Daarom|Toen)\b)"
    r"[A-Z]\w+ (van |de |van der )[A-Z]\w+"
)
# A question after the name of a person who holds a role: "Wat is de naam van de
# vertrouwenspersoon bij Financiën?", "Hoe heet de integriteitscoördinator van ...?", "Wie zijn
# de twee vertrouwensfunctionarissen?", "Wie is de projectleider van de gids?". Not after the
# reader's own name ("Blijft mijn naam geheim?"), a text's or an organisation's ("de officiële
# naam van de eed", "de naam van het ministerie"), and not "Wie is de vertrouwenspersoon (bij
# mijn ministerie)?", which the role's card answers with where to find them.
PERSON_ROLE = (
    r"vertrouwens\w+|\w*coördinator\w*|ministers?|staatssecretaris\w*|leidinggevende\w*|"
    r"directeur\w*|voorzitter\w*|contactperso\w+|adviseur\w*|medewerkers?|ambtena\w+|"
    r"perso(?:on|nen)|leden|lid|ombudsman|officers?|counsell?ors?|advisers?|persons?|people"
)
# Officials whom the pages could name, unlike the staff of a ministry ("twee soorten
# medewerkers") or the reader's own organisation's vertrouwenspersonen
NAMED_OFFICIALS = (
    r"vertrouwensfunctionaris\w*|ministers?|staatssecretaris\w*|bewindspersonen|directeur\w*|"
    r"voorzitter\w*|confidential (officers?|advisers?)|officials"
)
PROJECT_ROLE = (
    r"projectleiders?|programmamanagers?|programmadirecteur(en)?|kwartiermakers?|trekkers?|"
    r"redacteur(en|s)?|auteurs?|editors?|authors?|"
    r"project (leads?|leaders?|managers?)|programme (directors?|managers?)"
)
# ... in keywords with "naam" or "namen", only roles held by named officials: not the staff in
# general ("namen ambtenaren woo" asks whether their names are made public), and not the
# vertrouwenspersoon, whom readers ask to keep their own name secret ("naam melder geheim")
KEYWORD_ROLE = (
    rf"{PROJECT_ROLE}|vertrouwensfunctionaris\w*|\w*coördinator\w*|\w*coordinator\w*|"
    r"voorzitter\w*|directeur\w*|ombudsman"
)
NAMES_ASKED = re.compile(
    r"\b(wat (is|zijn)|weet (iemand|u|jij|je)|noem|geef|what (is|are)|who knows) (me |mij )?"
    rf"(de|het|the) (naam|namen|names?) (van|of) ((de|het|die|deze|the) )?(\w+ )?({PERSON_ROLE})\b|"
    rf"\bhoe (heet|heten) (de|het) (\w+ )?({PERSON_ROLE})\b|"
    rf"\b(wie (zijn|waren)|who (are|were)) (de|the) (twee|drie|vier|vijf|\d+|two|three|four|five) "
    rf"(\w+ )?({PERSON_ROLE})\b|"
    # ... named in a sentence before ("Er zijn twee vertrouwensfunctionarissen voor
    # bewindspersonen. Wie zijn dat?")
    rf"\b(twee|drie|vier|vijf|two|three|four|five) (\w+ )?({NAMED_OFFICIALS})\b[^?]{{0,150}}?"
    r"\b(wie (zijn|waren) (dat|die|het|ze|zij)|who (are|were) (they|these|those))\b|"
    # who held a role then: a person, not where to find one now
    rf"\b(wie was|who was) ((de|het|the) )?(\w+ )?({PERSON_ROLE})\b|"
    # which minister of a ministry named did something then ("Welke minister van BZK stelde in
    # 1998 het formulier vast?"): a person, as the ministry is known; not which minister did it
    # ("de minister van BZK" answers that) or is responsible now, which a role answers
    r"\b(welke|which) (ministers?|staatssecretaris(sen)?|minister-president|prime minister)\s+"
    r"(van|of|for)\s+\w+(\s+\w+){0,4}?\s+(stelde|kondigde|diende|schreef|nam|besloot|voerde|"
    r"tekende|introduceerde|announced|introduced|signed|wrote|(heeft|hebben|had|hadden)\s+"
    r"(\w+\s+){0,5}?(ingevoerd|vastgesteld|aangekondigd|ingediend|geschreven|getekend|"
    r"geïntroduceerd|besloten))\b|"
    # who leads or led a project or programme: a person, whom no card about the project names
    # ("Wie is de projectleider van de gids?"), not a question where the reader is one ("Ik ben
    # projectleider. Wie ...?")
    r"\b(wie (is|was|zijn|waren)|who (is|was|are|were)) (\w+ ){0,4}?(de|het|the) "
    rf"(\w+ )?({PROJECT_ROLE})\b|"
    # in keywords, with "naam" or "namen" ("projectleider gids naam", "namen
    # vertrouwensfunctionarissen bewindspersonen")
    rf"^(?!.*[?.!]\s*$)(?!.*\b(geheim|anoniem\w*|doorge\w*|noem\w*)\b)"
    rf"(.*\b(naam|namen|names?)\b.*\b({KEYWORD_ROLE})\b|"
    rf".*\b({KEYWORD_ROLE})\b.*\b(naam|namen|names?)\b)|"
    # who were appointed: the people; not the body that appoints ("door wie"), not whom a rule
    # is for ("voor wie al zijn aangesteld"), nor where to find the one appointed now ("Wie is
    # bij ons aangesteld als vertrouwenspersoon?")
    r"(?<!door )(?<!voor )(?<!van )(?<!aan )(?<!met )(?<!bij )(?<!over )"
    r"\b(welke personen\b|wie\s+(\w+\s+){0,4}?(zijn|werden|waren)\s+(\w+\s+){0,3}?"
    r"(benoemd|aangesteld|gekozen)\b)",
    re.IGNORECASE,
)

# A question after which organisations have a rule of their own or did something ("Welke
# ministeries hanteren een lagere grens?", "Welke gemeenten hebben de nieuwe eed overgenomen?",
# "bij welke ministeries het vaakst"): a card that says only that an organisation may have rules
# of its own names none. Not which ones a rule is for ("Welke overheden vallen onder de
# Ambtenarenwet?", "Welke organisaties hebben een integriteitsbeleid nodig?").
ORGANISATION_KINDS = (
    r"ministeries|departementen|gemeenten|gemeentes|provincies|waterschappen|organisaties|"
    r"overheden|uitvoeringsorganisaties|ministries|municipalities|organi[sz]ations|agencies"
)
ORGANISATIONS_ASKED = re.compile(
    # their own rule, set apart from the others' ("een lagere grens", "een eigen regeling")
    rf"\b(welke|which)\s+({ORGANISATION_KINDS})\s+(\w+\s+){{0,3}}?(hanteren|hebben|gebruiken|"
    r"kennen|use|have|apply)\s+(\w+\s+){0,6}?(eigen|lagere|hogere|strengere|andere|own|lower|"
    r"higher|stricter)\b|"
    # what some of them did, or which of them most
    rf"\b(welke|which)\s+({ORGANISATION_KINDS})\b[^?.!]{{0,80}}\b(overgenomen|ingevoerd|"
    r"het vaakst|het meest)\b",
    re.IGNORECASE,
)
# ... and a text that names one: a ministry, municipality, province or water board by its name,
# or a ministry or agency by its short name.
ORGANISATION_NAMED = re.compile(
    r"\b(ministerie|gemeente|provincie|waterschap)\s+(van\s+)?(?-i:[A-Z])|"
    r"\b(?-i:BZK|BZ|AZ|JenV|IenW|OCW|VWS|EZK|LNV|SZW|Defensie|Financiën|Justitie|"
    r"Belastingdienst|UWV|Rijkswaterstaat)\b",
    re.IGNORECASE,
)

# A question after the article or the publication of a rule ("Welk artikel regelt dat?", "In
# welk besluit of welke Staatscourant is de gids vastgesteld?"), and a text that cites one. (A
# question after the Staatsblad or the Staatscourant alone wants that gazette: see
# gazette_asked_and_stated.)
PUBLICATION_ASKED = (
    r"\bin welk (besluit|kamerstuk)\b|\b(of|or) (welk|welke|which) (staatsblad|staatscourant)\b"
)
REFERENCE_ASKED = re.compile(
    rf"\b(welk|welke|which) (wets)?(artikel|artikelen|article|articles)\b|{PUBLICATION_ASKED}",
    re.IGNORECASE,
)
REFERENCE_STATED = re.compile(
    r"\b(artikel|artikelen|art\.|article)\s?\d|\bStb\.|\bStaatsblad \d|\bStcrt\.|"
    r"\bStaatscourant \d|(?-i:\b[A-Z]\w*besluit\b)|\bBesluit van \d|\bKamerstuk(ken)? \d",
    re.IGNORECASE,
)
# An article of a law the question names ("In welk artikel van de Grondwet staat ...?",
# "which article of the Constitution"): only a card that names that law can give it.
ARTICLE_OF_A_LAW_ASKED = re.compile(
    r"\b(welk|welke|which) (artikel|artikelen|article|articles) (van|uit|in|of) (de|het|the) "
    r"((nederlandse|dutch) )?(?P<law>\w*wet|constitution)\b",
    re.IGNORECASE,
)
LAW_IN_ENGLISH = {"constitution": "grondwet"}
# A question after the number of a parliamentary paper, a directive or a ruling, and a text
# that gives that kind of number: a Staatsblad number does not answer "Wat is het
# Kamerstuknummer van de motie?", nor "the number of the EU directive".
PAPER_NUMBER_ASKED = re.compile(
    r"\bkamerstuknummers?\b|\b(nummer|number) (van|of) (de|het|the) ([\w-]+ ){0,3}?(\w+-)?"
    r"(kamerstuk\w*|motie|motion)\b",
    re.IGNORECASE,
)
PAPER_NUMBER_STATED = re.compile(r"\bKamerstuk(ken)? \d|\bdossiernummer \d", re.IGNORECASE)
DIRECTIVE_NUMBER_ASKED = re.compile(
    r"\brichtlijnnummers?\b|\b(nummer|number) (van|of) (de|het|the) ([\w-]+ ){0,3}?[\w-]*"
    r"(richtlijn|directive)\b|\bdirective numbers?\b",
    re.IGNORECASE,
)
DIRECTIVE_NUMBER_STATED = re.compile(r"\b(19|20)\d\d/\d{1,4}\b")
# (not a question that gives the ECLI itself: "Wat zegt ECLI:NL:RVS:2019:899?")
# A case number asked ("Welk zaaknummer heeft het advies?") is no detail the pages give either.
RULING_NUMBER_ASKED = re.compile(
    r"\b(ECLI(?!:)|ecli-?nummers?)\b|"
    r"\b(welk|wat is het|which|what is the) (zaak|case)\s?(nummer|number)\b",
    re.IGNORECASE,
)
RULING_NUMBER_STATED = re.compile(r"\bECLI:")


# ... and the Staatsblad or the Staatscourant a rule was published in: a decree's name ("het
# Uitvoeringsbesluit") does not say which one, and a Staatscourant is no Staatsblad.
# Not one gazette offered beside another kind of publication ("In welk besluit of welke
# Staatscourant ...?"): any reference answers that.
def gazette_asked_and_stated(name: str, abbreviation: str) -> tuple[re.Pattern, re.Pattern]:
    asked = re.compile(
        rf"(?<!\bof )(?<!\bor )\b(welk|welke|which) {name}(en|s)?\b|"
        rf"\b{name}[\s-]?(nummer|number|reference)s?\b|"
        rf"\b(nummer|number) (van|in|of) (de|het|the) {name}\b",
        re.IGNORECASE,
    )
    stated = re.compile(rf"\b{abbreviation}\.|\b{name} \d", re.IGNORECASE)
    return asked, stated


# The numbers of where a rule or text was published (a gazette, a parliamentary paper, a
# directive, a ruling), each as (asked, stated): a detail the card picks a sentence for
# (WANTED_DETAILS), and one without which it is withheld (ASKED_AND_STATED).
NUMBERS_ASKED_AND_STATED = (
    gazette_asked_and_stated("staatsblad", "stb"),
    gazette_asked_and_stated("staatscourant", "stcrt"),
    (PAPER_NUMBER_ASKED, PAPER_NUMBER_STATED),
    (DIRECTIVE_NUMBER_ASKED, DIRECTIVE_NUMBER_STATED),
    (RULING_NUMBER_ASKED, RULING_NUMBER_STATED),
)
# A version number asked ("Wat is het versienummer van de gids?"): a date or a year of a
# version ("versies uit 2016", "editie 2023") is not it; a card that says none was found answers.
VERSION_NUMBER_ASKED = re.compile(
    r"\b(versie|editie)nummers?\b|\b(version|edition) numbers?\b", re.IGNORECASE
)
VERSION_NUMBER_STATED = re.compile(
    r"\b(versie|editie|version|edition) (?!(19|20)\d\d\b)\d+(\.\d+)*\b"
    r"(?! (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december))|\b(versie|editie)nummers?\b",
    re.IGNORECASE,
)
# A salary scale asked ("Vanaf welke salarisschaal moet ik beleggingen melden?"): only a card
# that names a scale gives it. Not "op welke schaal" (how much, how widely).
SCALE_ASKED = re.compile(
    r"(?<!\bop )\b(welke|which|what) (salaris)?(schaal|schalen)\b|"
    r"\b(which|what) (salary |pay )?(scale|grade)s?\b",
    re.IGNORECASE,
)
SCALE_STATED = re.compile(r"\b(salaris)?(schaal|schalen)\s+\d|\bscales?\s+\d", re.IGNORECASE)
# Other numbers a card must give when asked: a version, a salary scale.
OTHER_NUMBERS_ASKED_AND_STATED = (
    (VERSION_NUMBER_ASKED, VERSION_NUMBER_STATED),
    (SCALE_ASKED, SCALE_STATED),
)


# A numbered part of a text or a method ("hoofdstuk 13 van de cao Rijk", "artikel 125", "§ 8.4",
# "de artikelen 9 en 10", "stap 2 van het stappenplan", "actiepunt 1 van het actieplan"): a
# question that names one asks what that part says, which a section that never cites it cannot
# tell.
PROVISION_NUMBER = r"\d+(?:[.:]\d+)*(?:\s?(?:bis|ter|quater)\b|[a-z]\b)?"
PROVISION = re.compile(
    r"(?:\b(\w*artikel|artikelen|art\.?|hoofdstuk|hoofdstukken|paragraaf|paragrafen|chapters?|"
    r"articles?|stap|stappen|steps?|actiepunt|actiepunten|action points?)|(§))\s*"
    rf"({PROVISION_NUMBER}(?:\s*(?:,|en|t/m|and)\s*{PROVISION_NUMBER})*)",
    re.IGNORECASE,
)
# the kind of part by a piece of its word ("begrotingsartikel", "articles", "§")
PROVISION_KINDS = {
    "art": "artikel", "hoofd": "hoofdstuk", "chapt": "hoofdstuk", "parag": "paragraaf",
    "§": "paragraaf", "stap": "stap", "step": "stap", "actie": "actiepunt",
    "action": "actiepunt",
}  # fmt: skip
# A step by its order in words ("de eerste stap", "the second step"): the same as "stap 1".
ORDINALS = {
    "eerste": "1", "tweede": "2", "derde": "3", "vierde": "4", "vijfde": "5", "zesde": "6",
    "zevende": "7", "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
}  # fmt: skip
STEP_BY_ORDINAL = re.compile(rf"\b({'|'.join(ORDINALS)})\s+(stap|step)\b", re.IGNORECASE)


# A question after what a report or study found ("Wat waren de conclusies van het
# WODC-rapport?", "Wat kwam er uit het onderzoek?", "What were the findings …?"), not after the
# way something is done ("op welke wijze de uitkomsten …"), nor after an advice or a decision,
# whose card may state its point without these words; and a text that states findings (a
# share, what it showed).
FINDINGS_ASKED = re.compile(
    r"\b(wat|welke|what)\s+(?!wijze\b|manier\b)(\w+\s+){0,3}?(?<!mogelijke )"
    r"(conclusies?|uitkomst(en)?|bevindingen|resultaten|findings|conclusions|results|outcomes?)\b|"
    r"\b(wat|what)\s+(concludeerde|concludeert|concluded)\b|\bwat bleek\b|"
    # the past: "wat komt er uit een veiligheidsonderzoek?" asks what a procedure gives
    r"\bwat\s+(kwam|kwamen)\s+(er\s*)?((nou|nu|dan|eigenlijk|precies|toen|uiteindelijk|allemaal)\s+){0,3}uit\b|"
    r"\bwat\s+(is|zijn)\s+er\s*uit\s*gekomen\b|"
    r"\bwhat\s+came\s+out\b|"
    # in keywords, without a question mark: "uitkomsten wodc rapport beleidskompas"; not the
    # outcome of a procedure ("resultaten veiligheidsonderzoek")
    r"^(?!.*\?)(?!.*\b\w*(veiligheids|integriteits)onderzoek)"
    r".*\b(conclusies|uitkomsten|bevindingen|resultaten|findings|conclusions|outcomes)\b",
    re.IGNORECASE,
)
FINDINGS_STATED = re.compile(
    r"conclu|bevinding|uitkomst|\bblijkt\b|\bbleek\b|\bprocent\b|%|\bfound\b",
    re.IGNORECASE,
)
# ... a study named, also at the end of a compound ("WODC-onderzoek", "eindrapport"), not a
# word that only begins with one ("studiedag", "evaluatiegesprek"); or a research institute named.
STUDY_NAMED = re.compile(
    r"(rapport|onderzoek|evaluatie|enquête|enquete|enquêtecommissie|enquetecommissie|"
    r"ondervraging|studie|peiling|report|study|"
    r"evaluation|survey|inquiry|review)\b|"
    # ... or the institute that did it ("Wat concludeerde het WODC?")
    r"\b(WODC|SCP|CPB|Rekenkamer|Ipsos)\b",
    re.IGNORECASE,
)


def lacks_asked_findings(query: str, text: str) -> bool:
    """The question asks what a report or study found and the text states no findings: a card
    that only says the study exists would not answer."""
    return bool(
        FINDINGS_ASKED.search(query) and STUDY_NAMED.search(query)
    ) and not FINDINGS_STATED.search(text)


def provisions(text: str) -> set[tuple[str, str]]:
    """The numbered parts of texts that a text names, also in a list or a compound
    ("artikelen 9 en 10", "begrotingsartikel 7", "§ 8.4"): {("artikel", "9"), ("artikel", "10"),
    ("artikel", "7"), ("paragraaf", "8.4")}."""
    found = set()
    for word, sign, numbers in PROVISION.findall(text):
        word = word.lower()
        kind = next(
            (name for start, name in PROVISION_KINDS.items() if start in (sign or word)), "artikel"
        )
        for number in re.findall(PROVISION_NUMBER, numbers):
            found.add((kind, number.replace(" ", "").lower()))
    found |= {("stap", ORDINALS[word.lower()]) for word, _ in STEP_BY_ORDINAL.findall(text)}
    return found


def cites_no_provision_asked(query: str, section: Section) -> bool:
    """The question names a numbered part of a text that the section never cites (in its text,
    short answer, facts or written questions). Reads the section only when the question names
    one: a scan of a large section takes about a millisecond."""
    asked = provisions(query)
    if not asked:
        return False
    cited = provisions(
        " ".join(
            [
                section.text,
                section.short_answer,
                *(fact.answer for fact in section.facts),
                *section.written_questions,
            ]
        )
    )
    return bool(asked - cited)


def lacks_asked_reference(query: str, text: str) -> bool:
    """The question asks in which article or publication a rule stands and the text cites
    none, or asks for an article of a law it names and the text never names that law: a card
    about the rule would not answer where it is laid down, and "artikel 10 Ambtenarenwet" does
    not answer "In welk artikel van de Grondwet ...?"."""
    if REFERENCE_ASKED.search(query) and not REFERENCE_STATED.search(text):
        return True
    law = ARTICLE_OF_A_LAW_ASKED.search(query)
    if not law:
        return False
    name = law.group("law").lower()
    return LAW_IN_ENGLISH.get(name, name) not in text.lower()


def lacks_asked_name(query: str, text: str) -> bool:
    """The question asks for the name of a person in a role and the text names no one, or
    which organisations do something and the text names none."""
    if NAMES_ASKED.search(query) and not PERSON_NAMED.search(text):
        return True
    return bool(ORGANISATIONS_ASKED.search(query)) and not ORGANISATION_NAMED.search(text)


# "wanneer"/"when" asks when a verb follows it ("Wanneer moet ik ...", "When did ...") or a verb
# of asking or telling or a preposition comes before it ("Kunt u aangeven wanneer de wet
# ingaat?", "per wanneer de eed ..."); followed by a subject it joins a condition ("Wat doe ik
# wanneer een leverancier ...", "When a supplier sends ..., what ...?"). "Sinds wanneer" asks
# for a date, not a period.
SUBJECT = (
    r"een|de|het|ik|je|jij|u|we|wij|ze|zij|hij|men|er|iemand|iets|mijn|jouw|onze?|zijn|haar|"
    r"hun|dat|die|deze|dit|a|an|the|i|you|they|he|she|it|my|your|our|someone|there|this|that"
)
ASKS_WHEN = (
    r"(?:(?<!sinds )(?<!vanaf )(?<!since )\b(?:wanneer|when)\b"
    rf"(?!\s+(?:{SUBJECT})\b)|"
    r"\b(?:aangeven|weten|weet|af|bekend|toelichten|mededelen|vertellen|zeggen|know|tell me|"
    r"ask|per|tot|until|by)(?: (?:u|je|jij|jullie|iemand|anyone))? (?:wanneer|when)\b)"
)
ASKS_SINCE_WHEN = r"\b(?:sinds|vanaf|since) (?:wanneer|when)\b"
# What a detail question asks for, and what a sentence that gives it contains: the dense
# score of a sentence alone often prefers one that repeats the question's words over the one
# with the date, the amount or the name that was asked for.
WANTED_DETAILS = (
    (  # a date
        re.compile(
            rf"\b(welk jaar|welke datum|what year|which year)\b|{ASKS_WHEN}|{ASKS_SINCE_WHEN}",
            re.I,
        ),
        # not the year in a law's name ("Ambtenarenwet 2017"), which says no date
        re.compile(rf"(?<!wet )(?<!besluit )\b(1[89]\d\d|20\d\d)\b|\b({MONTH})\b", re.I),
    ),
    (AMOUNT_ASKED, AMOUNT_STATED),
    (  # a period
        # "wanneer" too: "binnen drie maanden" answers "wanneer leg ik de eed af?"
        re.compile(
            rf"\b(hoe lang|hoe snel|welke termijn|how long|how soon)\b|{ASKS_WHEN}",
            re.I,
        ),
        re.compile(r"\b(dagen|weken|maanden|jaar|jaren|termijn|periode)\b", re.I),
    ),
    (  # a person: a name after a title, or a first name and a surname with a particle
        re.compile(
            r"\b(wie (was|heeft|had|maakte|bedacht|schreef|ontwikkelde|kondigde)|"
            r"van wie (komt|kwam|stamt)|"
            r"welke (minister|staatssecretaris|hoogleraar)|"
            r"who (was|came|wrote|made|developed|invented|announced|created|designed))\b",
            re.I,
        ),
        PERSON_NAMED,
    ),
    (  # an article or a law
        re.compile(r"\b(welk artikel|welke wet|which article|which law)\b", re.I),
        re.compile(r"\b(artikel|art\.) ?\d|\b(\w*wet|regeling)\b", re.I),
    ),
    (  # an e-mail address: "wie moet ik mailen?", "naar welk adres mail ik?", "mailadres"
        re.compile(
            r"\b(wie|welk adres)\s+(moet|kan|mag|kun|moeten|kunnen)\s+(ik|je|u|we|wij)\s+"
            r"(\w+\s+){0,3}?(e-?)?mailen\b|\bwaar (mail|e-mail) (ik|je|u)\b|"
            r"\b(e-?)?mailadres(sen)?\b|\be-?mail address(es)?\b|"
            r"\bwho (do|should|can) i (e-?)?mail\b",
            re.I,
        ),
        re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    ),
    # where a rule was published; the number of a paper, a directive or a ruling
    (re.compile(PUBLICATION_ASKED, re.IGNORECASE), REFERENCE_STATED),
    *NUMBERS_ASKED_AND_STATED,
    *OTHER_NUMBERS_ASKED_AND_STATED,
    (  # a regulation, by its name ("welke interne klokkenluidersregeling"): a law or an
        # article is not the regulation asked for
        re.compile(r"\bwelke (\w+ )?\w*regeling(en)?\b", re.I),
        re.compile(r"\b\w*regeling(en)?\b", re.I),
    ),
)
HAS_LETTER = re.compile(r"[^\W\d_]")
# Words, spaces, commas and dashes ending in at most one mark: one sentence, whatever pysbd
# would say; it is asked only about the rest (it takes ~0.4 ms a question, more when its
# hundreds of patterns push others out of re's cache).
ONE_PLAIN_SENTENCE = re.compile(r"[\w ,'’\-–/]+[?!.]?[ ]*")
# Why a card is withheld when the question does not come close enough to the top section
# (withhold_reason), for editors and tests.
NO_FITTING_QUESTION = "geen passende vraag"
CLOSER_TO_AN_OUTSIDE_TOPIC = "dichter bij een onderwerp buiten de kennisbank"
CLOSER_TO_AN_OUTSIDE_QUESTION = "dichter bij een vraag die de kennisbank niet beantwoordt"
# A detail next to the top section that the knowledge base does not give (not_covered).
ASKS_A_DETAIL_NOT_COVERED = "vraagt een detail dat de kennisbank niet geeft"
UNKNOWN_WORDS = "woorden die de kennisbank niet kent"
UNKNOWN_NAME = "een naam die de kennisbank niet kent"
ABOUT_OTHER_PEOPLE = "over mensen voor wie de kennisbank niet is geschreven"
ABOUT_OTHER_EMPLOYER = "over een andere werkgever dan het Rijk"
# ... a public body that is not the Rijk: never a reason to look at the sentence that asks
# alone (not in SILENT_FOR_CLOSENESS), as the body is named in the story around it
ABOUT_NON_RIJK_BODY = "over een overheidsorganisatie die niet onder het Rijk valt"
# (Not ASKS_A_DETAIL_NOT_COVERED: a lead-in sentence of a parliamentary question about a
# report's findings, "Bent u bekend met het rapport?", would bring back the card of the report's
# date.)
SILENT_FOR_CLOSENESS = {
    NO_FITTING_QUESTION,
    CLOSER_TO_AN_OUTSIDE_TOPIC,
    CLOSER_TO_AN_OUTSIDE_QUESTION,
    UNKNOWN_WORDS,
    UNKNOWN_NAME,
    ABOUT_OTHER_PEOPLE,
    ABOUT_OTHER_EMPLOYER,
}
# The words that frame a parliamentary question ("Kan de minister aangeven ...?"), not its topic.
PARLIAMENTARY_FRAME = "kunt minister staatssecretaris aangeven uiteenzetten toelichten bereid"
# Why a card is withheld for a question after the government's plans or views.
ASKS_FOR_PLANS = "vraagt naar plannen of een standpunt"
# Why a card is withheld for a question after the whole content of a document the top section
# does not summarise.
DOCUMENT_NOT_SUMMARISED = "vraagt naar de inhoud van een stuk dat de kennisbank niet samenvat"
# Why a card is withheld for a question about another government's rules.
OTHER_GOVERNMENT_ASKED = "andere overheid"
# ... and for a question after what one other government's own rules say.
OWN_RULES_NOT_COVERED = "vraagt naar de eigen regels van een andere overheid"
# ... for a question after the literal text of something the pages do not quote.
TEXT_NOT_QUOTED = "vraagt een tekst die de kennisbank niet letterlijk geeft"
# ... for a question after a whole list that the top section does not give.
LIST_NOT_GIVEN = "vraagt een volledige lijst die de kennisbank niet geeft"
# Why a card is withheld when it is composed but states no number for "hoeveel ...?".
NO_AMOUNT = "het gevraagde aantal staat er niet in"
# ... or names no one for a question after a person's name.
NO_NAME = "de gevraagde naam staat er niet in"
# ... or cites no article or publication for a question after one.
NO_REFERENCE = "het gevraagde artikel of de vindplaats staat er niet in"
# ... or gives no version number or salary scale for a question after one.
NO_NUMBER = "het gevraagde nummer staat er niet in"
# ... or states no findings for a question after what a report or study found.
NO_FINDINGS = "de gevraagde uitkomsten van het onderzoek staan er niet in"
# ... or states no duration for a question after how long something takes.
NO_DURATION = "de gevraagde duur staat er niet in"
# ... or no frequency for a question after how often a duty recurs.
NO_FREQUENCY = "hoe vaak het moet staat er niet in"
# ... or says nothing of ordering for a question after how to order something.
NO_WAY_TO_ORDER = "hoe je het bestelt staat er niet in"
# ... or names no form for a question after which form to use.
NO_FORM = "het gevraagde formulier staat er niet in"
# ... or says nothing of a sanction for a question after the consequences of refusing or of a
# missed deadline.
NO_CONSEQUENCE = "de gevraagde gevolgen of sanctie staan er niet in"
# Why a card is withheld last, when every rule let the question through but the silence model,
# weighing their numbers together, finds it likely that the pages do not answer it.
PROBABLY_OUTSIDE = "waarschijnlijk niet beantwoord, alle signalen samen gewogen"
# The shortest first part of a compound whose last part is a word of its own ("ambtenaren" +
# "wet"): shorter ones are mostly not compounds ("proto" + "col").
MIN_COMPOUND_HEAD = 5
# A question of several sentences is judged by at most this many of the sentences that ask
# (each costs an embedding): a parliamentary question rarely asks more.
MAX_ASKING_SENTENCES = 3
# How a name of the Rijk's own begins: a programme, facility or service of the Rijk.
RIJK_PREFIX = "rijks"
# ... except these, which are other employers
NOT_THE_RIJK = ("rijksmuseum", "rijksuniversiteit")
# A word with a capital that does not begin a sentence: a name (Shell, Rabobank, Zeist, ABP).
NAME = re.compile(r"(?<![.!?:]\s)(?<![.!?:])(?<!^)\b[A-Z][\w'’-]*")
# The oath that ministers, state secretaries or the King take ("de eed die een minister bij de
# Koning aflegt", "de eed van een staatssecretaris"); not the oath taken before a minister.
GOVERNMENT_MEMBERS = (
    r"minister|ministers|staatssecretaris|staatssecretarissen|bewindspersoon|bewindspersonen|"
    r"koning|minister-president|premier|king|prime minister|state secretar(y|ies)"
)
OATH_OF_THE_GOVERNMENT = re.compile(
    rf"\b(eed|belofte|oath)\s+(die|dat|which|that)\s+((een|de|het|the|a)\s+)?({GOVERNMENT_MEMBERS})"
    r"\s+(\w+\s+){0,4}?(aflegt|aflegde|afleggen|zweert|zwoer|zweren|takes?|took|swears?|swore)\b|"
    rf"\b(eed|belofte|oath)\s+(van|of)\s+((een|de|het|the|a)\s+)?({GOVERNMENT_MEMBERS})\b|"
    rf"\b({GOVERNMENT_MEMBERS})\s+(\w+\s+){{0,2}}?(leggen|legt|legde|zweren|zweert|take|takes|"
    r"swear|swears)\s+(\w+\s+){0,3}?(eed|belofte|oath)\b",
    re.IGNORECASE,
)
# A name as a title: with the capitalised words after it ("Code Goed Bestuur"), and "voor" or
# "van" with a noun that ends the clause ("Aanwijzingen voor de regelgeving?"); not a name and
# the words of the sentence after it ("de Oekaze anders dan ...", "de Wob bij een verzoek").
TITLE = re.compile(
    rf"{NAME.pattern}(?:\s+[A-Z][\w'’-]*)*"
    r"(?:\s+(?:voor|van|for|of)\s+(?:(?:de|het|een|the|a)\s+)?[^\W\d_][\w'’-]*"
    r"(?=\s*(?:[?.!,;:]|$)|\s+(?:en|of|and|or)\b))?"
)
# People the pages are not written for: politicians, police officers, soldiers, judges. A
# question about them asks for their own rules ("gedragscode voor wethouders"), unless it is
# about the reader or about civil servants ("Mag ik wethouder worden?", "Mag een ambtenaar een
# Kamerlid informeren?").
OTHER_PEOPLE_WORDS = (
    r"wethouders?|burgemeesters?|(gemeente)?raadsleden|(gemeente)?raadslid|statenleden|"
    r"statenlid|gedeputeerden?|kamerleden|kamerlid|bewindspersonen|"
    r"politie(agent(en)?|mensen|korps)?|agenten|militairen|militair|soldaten|rechters?|"
    r"officieren van justitie|officier van justitie|police( officers)?|military|soldiers|"
    # "judge" as a noun only: "How do I judge whether ..." asks about the reader
    r"judges|(?:(?<=\ba )|(?<=\bthe ))judge|mayors?|councillors?|aldermen|members of parliament|MPs"
)
OTHER_PEOPLE = re.compile(rf"\b({OTHER_PEOPLE_WORDS})\b", re.IGNORECASE)
# Similarities computed in another order may differ in their last bits.
SIMILARITY_ROUNDING = 1e-6
# Letters that name a group of them alike in singular and plural ("kamerlid", "kamerleden").
PEOPLE_KEY_LETTERS = 5
READER_WORDS = r"ik|mij|me|mijn|je|jij|jouw|jou|we|wij|ons|onze|i|my|our|us"
READER = re.compile(rf"\b({READER_WORDS})\b", re.IGNORECASE)
CIVIL_SERVANT_WORDS = r"\w*ambtena\w*|civil servants?"
# A klokkenluider or melder is a civil servant in the role the pages are written for ("Kan een
# klokkenluider naar de rechter stappen?" is about them, not about judges).
ABOUT_THE_READER_OR_CIVIL_SERVANTS = re.compile(
    rf"\b({READER_WORDS}|{CIVIL_SERVANT_WORDS}|medewerkers?|klokkenluiders?|melders?|"
    r"whistleblowers?)\b",
    re.IGNORECASE,
)
# Civil servants as the other side of a comparison ("... dan gewone rijksambtenaren", "...
# hetzelfde als die van een rijksambtenaar").
COMPARED_WITH_CIVIL_SERVANTS = re.compile(
    r"\b(dan|net als|zoals|evenals|than|like|(hetzelfde|dezelfde|gelijk|same)\s+(als|aan|as))\s+"
    rf"(\w+\s+){{0,3}}({CIVIL_SERVANT_WORDS})\b",
    re.IGNORECASE,
)
# The reader in such a role ("Mag ik als wethouder ..."), who asks for the role's own rules ...
READER_IN_ROLE = re.compile(
    rf"\b((?<!net )(?<!zoals )als|ik ben|ben ik|as an?|i am)\s+(een\s+|an?\s+)?"
    rf"({OTHER_PEOPLE_WORDS})\b",
    re.IGNORECASE,
)
# Keywords that put such a role beside a job at the Rijk ("gemeenteraadslid naast baan
# ministerie", "wethouder worden rijksbaan houden"): a civil servant's question. Keywords only
# (no question mark, a few words): in a sentence, "naast" and "worden" are as often about the
# role itself ("Mogen rechters naast hun werk lesgeven bij een ministerie?").
ROLE_BESIDE_A_RIJK_JOB = re.compile(
    r"^(?=[^?]*\b(naast|worden|word)\b)(?=[^?]*\b(ministerie\w*|rijksbaan|rijksdienst)\b)"
    r"\W*(\w+\W+){1,5}\w+\W*$",
    re.IGNORECASE,
)
# ... unless the question is about becoming one or combining it with the job at the Rijk.
BECOMING = re.compile(
    r"\b(worden|word|verkiesbaar|kandidaat|gekozen|verlof|naast|become)\b", re.IGNORECASE
)
# Another country's government or civil servants, named together: an adjective before them
# ("Belgische federale ambtenaren", "German civil servants", "de Britse Civil Service Code"),
# or the country after them ("ambtenaren in België", "civil servants in Belgium"), or beside
# them in keywords ("ambtseed belgie tekst"), or the EU's institutions. A country elsewhere in
# the question ("een Duitse leverancier", "Duits spreken", "een dienstreis naar Duitsland",
# "met ambtenaren naar Frankrijk") is no sign.
COUNTRY_ADJECTIVE = (
    r"belgische?|vlaamse?|duitse|franse|britse|engelse|amerikaanse|zweedse|deense|noorse|"
    r"spaanse|italiaanse|canadese|australische|zwitserse|oostenrijkse|europese|"
    r"belgian|german|french|british|american|swedish|danish|norwegian|spanish|italian|"
    r"canadian|australian|swiss|austrian|(?-i:UK|US|EU)"
)
COUNTRY_NAME = (
    r"belgi[ëe]|vlaanderen|duitsland|frankrijk|engeland|(het )?verenigd koninkrijk|"
    r"(de )?verenigde staten|amerika|zweden|denemarken|noorwegen|spanje|itali[ëe]|canada|"
    r"australi[ëe]|zwitserland|oostenrijk|belgium|germany|france|england|(the )?united kingdom|"
    r"(the )?united states|sweden|denmark|norway|spain|italy|australia|switzerland|austria|"
    r"(?-i:UK|US|VK)"
)
GOVERNMENT_PEOPLE = (
    rf"{CIVIL_SERVANT_WORDS}|overheid\w*|regering|ministeries|ministerie|beamte\w*|"
    r"(ambts)?eed(tekst)?|integriteitsregels|"
    r"gedragscode|civil service( code)?|government|officials?|oath|code of conduct|"
    r"treasury|ministry|ministries|cabinet"
)
# ... with at most one word between them that is no preposition ("ambtenaar vanuit België",
# "Frankrijk met ambtenaren" say where, not whose)
KEYWORD_GAP = (
    r"(?!(naar|to|met|with|vanuit|bij|aan|voor|als|in|uit|van|from|of|op|on|at|over)\b)\w+\s+"
)
OTHER_COUNTRY = re.compile(
    rf"\b({COUNTRY_ADJECTIVE})\s+(\w+\s+)?({GOVERNMENT_PEOPLE})\b|"
    rf"\b({GOVERNMENT_PEOPLE})\s+(\w+\s+){{0,2}}(in|van|uit|of|from)\s+({COUNTRY_NAME})\b|"
    # keywords, side by side: "ambtseed belgie tekst", "integriteitsregels ambtenaren frankrijk"
    rf"\b({GOVERNMENT_PEOPLE})\s+({KEYWORD_GAP})?({COUNTRY_NAME})\b|"
    rf"\b({COUNTRY_NAME})\s+({KEYWORD_GAP})?({GOVERNMENT_PEOPLE})\b|"
    r"\b(?-i:EU)-(ambtena\w*|instelling\w*|medewerkers)\b|\beuropese (commissie|unie)\b|"
    r"\beuropean (commission|union)\b",
    re.IGNORECASE,
)
# A company by its kind, with up to one adjective ("een grote bank", "een accountantskantoor").
COMPANY = (
    r"(een|de|het|a|an|the)?\s*(\w+e\s+)?(\w+(kantoor|bedrijf|bureau|firma)|bedrijf|banken|bank|"
    r"onderneming|winkel|supermarkt|fabriek|ziekenhuis|zorginstelling|verzekeraar|bv|company|"
    r"firm|private (company|sector)|(het )?bedrijfsleven)\b"
)
# The reader works for a company: the Rijk's rules are not the reader's ("Ik werk bij een
# accountantskantoor", "Ik ben accountant bij een bank", "I work for a bank") ...
WORKS_FOR_A_COMPANY = re.compile(
    r"\b(ik werk|ik ben werkzaam|ik ben \w+|i work)\s+(als \w+\s+(\w+\s+)?|as an? \w+\s+)?"
    rf"(bij|voor|in|at|for)\s+{COMPANY}",
    re.IGNORECASE,
)
# ... or the question is about a company's staff ("Mogen medewerkers van een bank ...") ...
COMPANY_STAFF = re.compile(
    rf"\b(medewerkers|werknemers|personeel|employees|staff)\s+(van|bij|of|at)\s+{COMPANY}",
    re.IGNORECASE,
)
# ... unless the company is a side job, or the question is about a civil servant ("Ik werk bij
# een adviesbureau. Mag ik een ambtenaar een kerstpakket sturen?" asks the Rijk's rule).
SIDE_JOB = r"bijbaan\w*|vrijwillig\w*|in het weekend|daarnaast|naast (mijn|m'n) (baan|werk)"
ABOUT_THE_RIJK_AFTER_ALL = re.compile(rf"\b({SIDE_JOB}|{CIVIL_SERVANT_WORDS})\b", re.IGNORECASE)
# A public body that is not the Rijk (rijk-names.txt lists the Rijk's own): an independent
# administrative body (zbo) such as UWV, SVB or the CBR, the courts, a university or school. A
# question from its staff ("Ik werk bij het UWV. Geldt de Gedragscode Integriteit Rijk voor
# ons?", "Valt de Rechtspraak onder de gedragscode?") asks whether the Rijk's rules bind that
# body, which the pages do not say. Not the police: the Rijk's internal whistleblowing
# regulation names it.
NON_RIJK_BODY = (
    r"(UWV|SVB|CBR|RDW|CBS|DNB|AFM|ACM|NZa|Kadaster|KvK|Kamer van Koophandel|zbo'?s?|"
    r"zelfstandige? bestuursorganen|zelfstandige? bestuursorgaan|rechtspraak|rechtbank(en)?|"
    r"gerechtshof|\w*universiteit(en)?|universit(y|ies)|hogescho(ol|len)|\w*school|\w*scholen)"
    r"(?!-)"  # not a compound's first part ("de CBS-definitie", "GGD-richtlijn")
)
# ... the reader works there ("Ik werk al jaren bij het UWV", "Als medewerker van de SVB ...",
# "Bij ons op de rechtbank ...", "voor ons als medewerkers van het UWV", "Mijn werkgever is het
# CBR"), or the body is what a rule binds ("Valt de Rechtspraak onder ...?", "Geldt de code ook
# voor het UWV?"); not another role there ("Ik ben gastdocent bij een hogeschool", "Ik zit als
# getuige bij de rechtbank"), a side job ("Ik werk ook op een school"), or working with its
# people ("Ik werk met mensen van het UWV")
NON_RIJK_BODY_EMPLOYS = re.compile(
    r"\b(ik|wij|we|i)\s+(werk|werken|work|ben werkzaam|zijn werkzaam|ben in dienst|zijn in dienst|"
    r"am employed)\s+((al|nu|nog|inmiddels|momenteel|sinds kort|already|now|currently)\s+)?"
    r"(\w+\s+jaar\s+|jaren\s+|years\s+)?(bij|voor|in|op|at|for)\s+((een|de|het|a|an|the)\s+)?"
    rf"{NON_RIJK_BODY}|"
    rf"\bbij\s+ons\s+(op|in|bij)\s+((de|het)\s+)?{NON_RIJK_BODY}|"
    r"\b(voor|for)\s+(ons|us)\s+((als|as)\s+)?(\w+\s+)?(medewerkers|werknemers|employees|staff)\s+"
    rf"(van|bij|of|at)\s+((de|het|the)\s+)?{NON_RIJK_BODY}|"
    r"\b(als\s+(\w+\s+)?(medewerker|werknemer|ambtenaar|personeelslid)s?\s+(van|bij|op)|"
    r"(mijn|onze|my|our)\s+(werkgever|employer)\s+is)\s+((een|de|het|a|an|the)\s+)?"
    rf"{NON_RIJK_BODY}|"
    rf"\b(valt|vallen)\s+(de|het)\s+{NON_RIJK_BODY}\s+(ook\s+)?onder\b|"
    r"\b(geldt|gelden|van toepassing|apply|applies)\b[^.?!]{0,60}?\b(voor|op|to)\s+"
    rf"((de|het|een|the|a)\s+)?{NON_RIJK_BODY}|"
    r"\b(UWV|SVB|CBR|RDW|CBS|Kadaster|KvK|rechtbank|universiteits?|hogeschool|school)"
    r"-?medewerkers?\b",
    re.IGNORECASE,
)
# ... or the question is about its staff, without the reader in it ("Mogen medewerkers van het
# UWV ...?"); not people one deals with ("Mag ik een lunch van medewerkers van het UWV
# aannemen?", "Mogen rijksambtenaren iets aannemen van medewerkers van de SVB?")
NON_RIJK_BODY_STAFF = re.compile(
    r"(?<!\bvan )(?<!\bmet )(?<!\baan )(?<!\bfrom )(?<!\bwith )"
    r"\b(medewerkers?|werknemers?|personeel|employees|staff)\s+(van|bij|at|of)\s+"
    rf"((een|de|het|a|an|the)\s+)?{NON_RIJK_BODY}",
    re.IGNORECASE,
)
# ... unless the reader works at the Rijk after all: hired, seconded, or in a side job.
AT_THE_RIJK_AFTER_ALL = re.compile(
    rf"\b(ingehuurd|gedetacheerd\w*|detachering|{SIDE_JOB})\b", re.IGNORECASE
)
# A parliamentary question after the government's plans or willingness ("Bent u bereid ...?",
# "Is de minister voornemens ...?"): the knowledge base states rules and facts, no plans. Not
# "Deelt u de opvatting ...?", which the pages may answer on their own themes. And a question
# after the views of unions or political parties, which the pages never report (they do report
# the views of BZK, the Raad van State and the ROB).
ASKS_INTENT = re.compile(
    r"\bbent u\s+(\w+\s+){0,2}(bereid|voornemens)\b|"
    r"\b(is|zijn) (de minister|de staatssecretaris|het kabinet|de regering|de bewindspersonen)"
    r"(\s+van\s+[\w ,&-]{2,60}?)?\s+(\w+\s+){0,2}(bereid|voornemens|van plan)\b|"
    r"\b(en|of) (is|zijn) (hij|zij|ze) (\w+\s+){0,2}(bereid|voornemens|van plan)\b|"
    r"\bkunt u toezeggen\b|"
    # the measures the cabinet takes now or will take ("Welke concrete maatregelen neemt het
    # kabinet naar aanleiding van het advies?"); not the minister's as employer ("Welke
    # maatregelen neemt de minister bij een schending?")
    r"\bwelke\s+(\w+\s+){0,2}?maatregelen\s+(neemt|nemen|treft|treffen|gaat|gaan)\s+"
    r"(het kabinet|de regering)\b|"
    r"\bwhat\s+(\w+\s+)?measures\s+(will|does|is)\s+(the )?(government|cabinet)\b|"
    # ... or which things it is going to abolish or bring in ("Welke organisatievormen gaat BZK
    # afschaffen?")
    r"\bwelke\s+(\w+\s+){0,2}?(gaat|gaan|wil|willen)\s+(het kabinet|de regering|BZK|"
    r"de minister)\s+(\w+\s+){0,3}?(afschaffen|schrappen|opheffen|invoeren)\b|"
    r"\b(wat (vindt|vinden|vond|vonden)|hoe (kijkt|kijken|keek|keken|denkt|denken|dacht|"
    r"dachten)( \w+)?) (de |het )?"
    r"(vakbond\w*|bonden|FNV|CNV|oppositie\w*|coalitie\w*|politieke partij\w*|fracties?)\b|"
    r"\bwhat do(es)? (the )?(unions|trade unions|FNV|CNV|political parties|opposition) think\b|"
    r"\bhow do (the )?(unions|trade unions|political parties) (view|see)\b|"
    # the knowledge base's own view, asked at the end: it has none ("..., wat vind jij?"); not
    # "Wat vind jij, moet ik dit melden?", which asks advice, nor the generic "jouw mening"
    r"(^|[,;:]\s*)wat (vind jij|vinden jullie)\s*[?!.]*$",
    re.IGNORECASE,
)
# Nor what is still to come for everyone: a change, evaluation or compulsory course that is
# coming ("Komen er wijzigingen in de Woo aan?", "Wordt de eed weer aangepast?", "Wanneer
# gaat de aangekondigde training van start?", "Will the act be evaluated?"). Only without the
# reader in the sentence (asks_for_plans): "Komt er een wijziging in mijn rechtspositie als ik
# meld?" and "Wanneer gaat mijn baan van start?" ask about their own case. Not "wanneer wordt
# ... aangepast" without "nog", "weer" or "opnieuw": the new oath has come, and "Wanneer wordt
# de ambtseed aangepast?" is answered by when it came; nor "van start" of what was not announced
# ("Wanneer gaat de nieuwe ambtseed van start?"). Not "Komt er een onderzoek?". And when the
# next one is ("Wanneer is de volgende Dag van het Beleid?"): the pages give only past dates;
# not the next step of a method, nor "volgende" as "the following" ("Wanneer geldt de volgende
# uitzondering?").
ASKS_WHAT_IS_COMING = re.compile(
    r"\b(komt|komen) er\b(\s+[\w-]+){0,4}?\s+(verplichte?|wijziging(en)?|aanpassing(en)?|"
    r"herziening(en)?|evaluaties?)\b|"
    # a new version still to come ("Komt er binnenkort een nieuwe versie van de gedragscode?")
    r"\b(komt|komen) er\s+(\w+\s+){0,2}?(binnenkort|straks|ooit)\s+(\w+\s+){0,2}?nieuwe\b|"
    r"\b(wordt|worden)\s+(\w+\s+){0,5}?(nog|weer|opnieuw)\s+(\w+\s+){0,2}?(geëvalueerd|herzien|"
    r"aangepast|gewijzigd|afgeschaft)\b|"
    # the evaluation of a law, code or regulation still to come, even without "nog" ("Wanneer
    # wordt de Wet bescherming klokkenluiders geëvalueerd?"); not of an instrument the pages
    # date ("Wanneer wordt het Beleidskompas geëvalueerd?")
    r"\b(wanneer|when)\s+(wordt|worden)\s+(de|het)\s+\w*(wet|code|regeling)\w*(\s+\w+){0,4}?\s+"
    r"ge[eë]valueerd\b|"
    r"\b(aangekondigde?|geplande?|voorgenomen)\b(\s+[\w-]+){0,12}?\s+van start\b|"
    r"\bwill\s+(\S+\s+){0,5}?be\s+(\w+\s+)?(evaluated|revised|amended|abolished)\b|"
    r"\bare there plans to\b|"
    r"\b(wanneer|when)\s+(is|zijn|wordt|worden|vindt|komt|komen|begint|start|verschijnt|"
    r"verschijnen|are|will)\s+"
    r"((\w+\s+)?(de|het|een|the)\s+)?(volgende|eerstvolgende|komende|next|upcoming)\b"
    r"(?!\s+(stap|stappen|fase|step|phase)\b)",
    re.IGNORECASE,
)
# ... and its follow-ups ("Zo nee, waarom niet?").
FOLLOW_UP = re.compile(
    r"^\s*((en )?(zo|indien) (ja|neen?|niet)\s*[,:]?\s*"
    r"(waarom( niet)?|wanneer|op welke (termijn|wijze)|hoe)?"
    r"|waarom( niet)?)\s*\?\s*$",
    re.IGNORECASE,
)
# A question after the whole content of a document ("Wat staat er precies in de Britse Civil
# Service Code?"): the pages answer it only where they summarise that document, and they name
# many they do not (the British code, an advice, a model code). Not a part of it ("Wat staat
# er in de BZK-begroting over luisteren?"), which the section on that theme may answer. (The
# document ends in a letter before the closing marks: a lazy group before "\s*$" took time
# cubic in the length of a question of spaces.)
ASKS_CONTENT_OF = re.compile(
    r"^\W*(en\s+)?wat (staat|stond|staan|stonden) er\s+"
    r"((precies|inhoudelijk|eigenlijk|allemaal|nou|nu|zoal)\s+){0,3}in\s+"
    r"(?P<document>(?:(?!\b(over|rond|omtrent|inzake|aangaande|betreffende)\b)[^?.!])*[^?.!\s])"
    r"\s*[?.!]*$",
    re.IGNORECASE,
)
# A document's words: letters only (a year says nothing about which document), short ones count
# ("eed", "Woo"); not articles, prepositions and words that fit any document ("code", "wet",
# "nieuwe"). A word of 6 letters or more matches a section word that starts with its first 6
# ("gedragscodes", "gedragscode"); any word matches a section word that ends with it ("eed" in
# "ambtseed", not "tweede"; "woo" not in "verantwoordelijk"), and a compound matches a section
# word it starts with ("eedformule", "eed") or one of 4 letters or more that it ends with
# ("eedtekst", "tekst").
DOCUMENT_WORD = re.compile(r"[^\W\d_]{3,}")
DOCUMENT_STOPWORDS = {
    *("het", "een", "van", "der", "den", "voor", "met", "bij", "uit", "tot", "the", "and", "die"),
    *("dat", "deze", "dit", "mijn", "onze", "nieuwe", "oude", "huidige", "code", "codes", "wet"),
    *("regeling", "besluit", "rapport", "advies", "brief", "stuk", "tekst", "nota", "versie"),
}
DOCUMENT_WORD_PREFIX = 6
MIN_COMPOUND_TAIL = 4
# Asking about a person without a verb the person pattern knows ("wie beslist?").
# "who" asks at the start of a sentence or after a preposition ("to whom"); after a noun it
# describes ("a member of parliament who calls me").
ASKS_WHO = re.compile(
    r"\bwie\b|(^|[.?!;:]\s*|\b(to|with|from|by|for|of|about|know|ask)\s+)(who|whom)\b",
    re.IGNORECASE,
)
# "Bij wie", "naar wie", "aan wie", "met wie", "to whom", "who do I report to": where to go
# with something, not who someone is.
ASKS_WHERE_TO_GO = re.compile(
    r"\b(bij|naar|aan|tot|met) wie\b|\bto whom\b|"
    r"\bwho (do|should|can|must) (i|we|you) (report|turn|go|talk|speak)\w*\b",
    re.IGNORECASE,
)
# A fact's answer that replies to a yes/no question ("Nee, ..."): after the short answer the
# reply word would seem to contradict it, so it is left out there.
REPLY = re.compile(r"^(ja|nee|yes|no),\s*", re.IGNORECASE)
# Words of a question that say nothing about which list it wants.
LIST_STOPWORDS = {"welke", "zijn", "noem", "heeft", "hebben", "deze", "voor", "which", "what"}
# Asking for a text word for word.
LITERAL_QUESTION = re.compile(
    r"\b(tekst|teksten|formule|formulier|letterlijk\w*|woordelijk|woorden|luidt|zegt|"
    r"wording|words|text|verbatim|says?)\b|\b(staat|stond|stonden) (er )?in\b",
    re.IGNORECASE,
)
# ... or for what a text says in other words ("Wat zeg je in de eed over ...?", "Hoe luidde de
# oude eed?", "What do civil servants promise?", "Noemt de eed de Koning?", "Komt God erin
# voor?", "Does it mention ...?", "de eerste zin", "eedtekst"): a section that
# is mostly a literal text (the oath) competes only for these. It holds the words, not what the
# oath is for or when it is taken, yet comes close to any question that names the oath.
ABOUT_THE_WORDING = re.compile(
    rf"{LITERAL_QUESTION.pattern}|\b(luiden|luidde|luidden|zinnen|beloof|belooft|beloven|"
    r"beloofd|zweer|zweert|zweren|gezworen|verklaar|verklaart|verklaren|verklaard|bevat|"
    r"bevatten|noemt|noemen|genoemd|vermeldt|vermeld|begint|eindigt|line|sentence|promise\w*|"
    r"swear\w*|mention\w*|contain\w*|refer\w*|include\w*|cover|covers)\b|\w+tekst\b|"
    r"\bwat zeg (je|ik)\b|\b(eerste|laatste|welke) zin\b|[\"“”‘]|(?<!\w)'(?!s\b)|"
    r"\b(komt|komen)\b[^?.!]{0,40}\bvoor(\s+in\b|\s*[?.!]?$)|"
    r"\b(zit|zitten)\b[^?.!]{0,40}\bin\s*[?.!]?$",
    re.IGNORECASE,
)
# ... unless the question asks where to find it: then where it is published answers.
# ("Waar staat in de eed dat ...?" asks for the text itself.)
ASKS_WHERE_TO_FIND = re.compile(
    r"\bwaar (vind|vinden|lees|lezen|kan|kun)\b|\bwaar (staat|staan|is) (de|het)\b|"
    r"\bwhere (can|do|is|are)\b",
    re.IGNORECASE,
)
# Asking for the literal text of something ("de letterlijke tekst van artikel 7", "wat staat er
# letterlijk in paragraaf 8.5", "the exact wording of the act"): the pages quote only the oath,
# in the sections that hold its text; elsewhere they say in their own words what a text says.
# Not "letterlijk" as an adverb ("Moet ik de gids letterlijk volgen?", "Staat er dat ik het
# letterlijk moet volgen?", "als hij letterlijk zegt dat ...").
LITERAL_TEXT_ASKED = re.compile(
    r"\bletterlijke (tekst|bewoording|formulering|wettekst)\b|"
    r"\b(wat|hoe)\s+(staat|staan|luidt|luiden|zegt|stond)\b[^?.!]{0,40}\bletterlijk\b|"
    r"\bwettekst (van|over)\b|"
    r"\bwoordelijk\w*|\bverbatim\b|\bexact (wording|text)\b|"
    r"\b(exacte|precieze|officiële) (tekst|bewoording|formulering)\b|"
    r"\b(full|complete|volledige) (text|tekst)\b",
    re.IGNORECASE,
)
# The closing words said after the oath's text ("Welke slotwoorden zeg je?", "what closing
# words ..."): the text of the oath does not hold them, so only a card that quotes them answers.
CLOSING_WORDS_ASKED = re.compile(
    r"\bslot(woorden|formule|zin)\b|\b(closing|final) (words|formula)\b", re.IGNORECASE
)
CLOSING_WORDS_QUOTED = re.compile(
    r"\bzo waarlijk\b|\bdat (verklaar|beloof)\b|\bso help me\b", re.IGNORECASE
)
OATH_NAMED = re.compile(
    r"\b((ambts)?eed\w*|eden|(ambts)?belofte\w*|oaths?|affirmations?)\b", re.IGNORECASE
)
# Asking for a whole list ("de volledige lijst", "het hele lijstje", "welke hoofdstukken",
# "de inhoudsopgave", "welke functies staan er allemaal in", "in welke categorieën"): a card
# that is not one of the section's lists names only some of the items. Not "Welke regels zijn
# er allemaal?", which asks what there is to know.
COMPLETE_LIST_ASKED = re.compile(
    r"\b(volledige|complete|hele|gehele|full|entire) (lijst|lijstje|overzicht|opsomming|list|"
    r"overview)\b|\binhoudsopgave\b|\bwelke hoofdstukken\b|\bstaan er allemaal (in|op)\b|"
    r"\bwelke categorie[eë]n\b|\bwhich categories\b",
    re.IGNORECASE,
)
LIST_CUE_WORDS = r"wat zijn|noem|opsomming|lijst|lijstje|what are|list"
LIST_CUE = re.compile(rf"\b(welke|which|{LIST_CUE_WORDS})\b", re.IGNORECASE)
# The cues for a list other than "welke" and "which", which as often ask for one thing.
OTHER_LIST_CUE = re.compile(rf"\b({LIST_CUE_WORDS})\b", re.IGNORECASE)
# Words in the singular that ask for a whole list ("welke volgorde", "which order").
LIST_NOUNS = {
    "volgorde", "procedure", "aanpak", "opbouw", "indeling", "werkwijze", "order", "sequence",
}  # fmt: skip
# "welke" or "which" and the two words after it, one of which is what is asked about
ONE_OF_A_KIND = re.compile(
    r"\b(?:welke|which)\s+([^\W\d_][\w'’-]*)(?:\s+([^\W\d_][\w'’-]*))?", re.IGNORECASE
)
PLURAL_ENDING = re.compile(r"(en|s|['’]s)$")
PLURAL_VERBS = {"zijn", "waren", "are", "were"}
COUNT_WORDS = {
    "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
COUNT = re.compile(r"\b(" + "|".join(COUNT_WORDS) + r"|\d{1,2})\b", re.IGNORECASE)


def _count_value(word: str) -> int:
    """A count as COUNT or STEP_RANGE found it: "vijf" or "5" → 5."""
    return COUNT_WORDS.get(word.lower()) or int(word)


# The count of a set: two or more, in words or digits.
SET_COUNT = (
    r"(?P<count>"
    + "|".join(word for word, count in COUNT_WORDS.items() if count > 1)
    + r"|[2-9]|[1-9]\d)"
)
# A question after the members of a counted set: "Welke vijf O's ...?", "wat zijn 'de vier
# rollen'?", "which three values".
COUNTED_SET_ASKED = re.compile(
    # ("zijn" after a question word: "Welke groepen zijn de vijf O's?"; not "Zijn twee
    # getuigen nodig?" or "voor zijn drie kinderen")
    r"\b(welke|(?:welke|wat|wtf)\s+(?:\w+\s+){0,2}?(?:zijn|waren)|noem|which(?: are)?|what are)\s+"
    r"['‘’\"]?(de\s+|the\s+)?['‘’\"]?((andere|overige|other|remaining)\s+)?"
    rf"{SET_COUNT}\s+(?P<noun>[^\W\d_][\w'’-]*)",
    re.IGNORECASE,
)
# ... or with the count first and the question after it, as in keywords: "vijf o's morele
# vragen welke zijn dat".
COUNTED_SET_THEN_ASKED = re.compile(
    rf"\b{SET_COUNT}\s+(?P<noun>[^\W\d_][\w'’-]*)\b[^.?!]{{0,40}}?\s"
    r"(welke|wat) (zijn|waren) (dat|het|die)\s*[?!.]*$",
    re.IGNORECASE,
)
# What stands between the members of a set spelled out in a sentence: beside LIST_SEPARATOR's
# commas, "en" and "of", also semicolons and bullets.
SET_SEPARATOR = re.compile(r",|;|•|\s(?:en|of)\s")
# Words that count without naming what is counted ("welke drie dingen moet je regelen?")
ANY_THINGS = {
    "dingen", "zaken", "punten", "onderdelen", "elementen", "aspecten", "vragen", "manieren",
    "redenen", "soorten", "vormen", "voorbeelden", "tips", "things", "points", "ways", "reasons",
    "kinds", "types", "examples", "aspects", "elements",
}  # fmt: skip
# A range of steps ("stap 2 tot en met 7", "steps 2 to 4"): a list of at least that many items.
STEP_RANGE = re.compile(
    r"\b(stap|stappen|step|steps)\s+(\d{1,2}|een|één|" + "|".join(COUNT_WORDS) + r")\s*"
    r"(\b(tot en met|tot|to|through)\b|t/m|-|–)\s*"
    r"(?P<last>\d{1,2}|" + "|".join(COUNT_WORDS) + r")\b",
    re.IGNORECASE,
)
# A sentence that starts like this leans on the one before it ("En je belooft ..." goes on from
# the sentence before).
POINTS_BACK = re.compile(
    r"^(dat|dit|die|deze|daarom|daarvoor|daarbij|daarna|ook|zo|hij|zij|ze|het gaat|"
    r"en|maar)\b",
    re.IGNORECASE,
)
# A question about another government: Rijk rules must not be presented as theirs. Not
# Provinciale Staten, the province's council, where a rijksambtenaar may sit; and not when the
# question names the Rijk or a ministry as the reader's employer ("naast mijn rijksbaan"; not
# any word with "rijks": a rijksmonument says nothing about who employs the reader).
OTHER_GOVERNMENT = re.compile(
    r"\b(gemeentes?|gemeenten|gemeentelijke?|provincies?|provinciale(?! staten)|provinciaal|"
    r"waterschap(pen)?|(gemeente|provincie|waterschaps?)ambtena\w*|"
    r"municipality|municipalities|provinces?|"
    r"water\s?boards|water\s?authorit(y|ies)|"
    # a seat or an election is a role beside the job, as "gemeenteraadslid" is ("a municipal or
    # provincial council", "the water board elections", "Provincial States")
    r"(municipal|provincial|water\s?board)"
    r"(?!(\s+(or|and)\s+\w+)?\s+(councils?|councillors?|elections?|states|executive)))\b",
    re.IGNORECASE,
)
# Whether a rule applies to the reader or their organisation too.
ASKS_IF_IT_APPLIES_TO_THEM = re.compile(
    r"\book (voor|bij) (mij|ons|onze?|me|jou|jullie|hen|hun)\b|\bvoor (mij|ons) ook\b|"
    r"\b(apply|applies) to (me|us|them|our)\b",
    re.IGNORECASE,
)
MENTIONS_RIJK = re.compile(
    r"\b(rijk|rijksambtena\w*|rijksbaan|rijksdienst\w*|ministerie\w*)\b", re.IGNORECASE
)
# The reader working at another government, or leaving the Rijk for one ("Ik stap over van een
# ministerie naar een gemeente", "Ik ga bij een provincie werken"): the question is about the
# rules there, though it names the Rijk. A job, not a visit ("Ik ga naar een gemeente voor
# overleg").
# Dutch only: MENTIONS_RIJK holds no English words, so an English question is not held back.
OTHER_GOVERNMENT_NOUN = r"((een|de|het)\s+)?(gemeente|provincie|waterschap)\b"
EMPLOYED_BY_OTHER_GOVERNMENT = re.compile(
    rf"\b(overstap\w*|stap\w*\s+over|ga\w*\s+over|overga\w*|verruil\w*)\b(\s+[\w-]+){{0,6}}?"
    rf"\s+naar\s+{OTHER_GOVERNMENT_NOUN}|"
    rf"\b(ga|gaan|ging)\s+(\w+\s+){{0,3}}?bij\s+{OTHER_GOVERNMENT_NOUN}(\s+\w+){{0,2}}?\s+werken\b|"
    # ... or working there now ("Ik ben ambtenaar bij de gemeente Utrecht. Geldt de regel van het
    # Rijk ook voor mij?", "Ik werk al jaren bij een provincie"); not a visit or another role
    # there ("Ik ben vaak bij de gemeente voor overleg", "Ik ben raadslid bij de gemeente").
    rf"\b(ik|wij|we)\s+(werk|werken)\s+((al|nu|zelf|inmiddels)\s+(\w+\s+)?)?"
    rf"bij\s+{OTHER_GOVERNMENT_NOUN}|"
    rf"\b(ik|wij|we)\s+(ben|zijn)\s+(ambtena(ar|ren)|medewerkers?|werkzaam|in\s+dienst)\s+"
    rf"bij\s+{OTHER_GOVERNMENT_NOUN}",
    re.IGNORECASE,
)

# A sentence that asks what something is, means or where it comes from ...
THING_ASKED = re.compile(
    r"^(en\s+)?(wat\s+(is|zijn|betekent|betekenen|houdt)|waar\s+(komt|komen|staat|staan)|"
    r"sinds wanneer (bestaat|bestaan)|wie (heeft|hebben|maakte|schreef)|what (is|are|does))\b",
    re.IGNORECASE,
)
# ... not what a rule says, for whom it holds, or what the reader must or may do.
RULE_ASKED = re.compile(
    r"\b(mag|mogen|moet|moeten|hoef|hoeft|hoeven|geldt|gelden|\w*regels?|\w*regeling\w*|"
    r"\w*grens|maxim\w*|hoogste|\w*tekst|verplicht\w*|toegestaan|must|may|rules?)\b",
    re.IGNORECASE,
)
# Asking what one particular other government's own rules say: an amount, a limit, its rules or
# its text ("Hoe hoog is de grens bij de gemeente Amsterdam?", "Wat is de maximale waarde van
# een geschenk in de regeling van de gemeente Beek?", "Welke regels heeft mijn gemeente voor
# nevenwerk?", "Wat staat er in de gedragscode voor raadsleden en wethouders?"). The section
# about other governments says that they have rules of their own; it gives none of them.
ASKS_OWN_RULE = re.compile(
    r"\b(hoe hoog|tot welk bedrag|welk (maximum\w*|bedrag)|hoe luidt|wat zijn (de|hun) regels|"
    r"wat is de (\w+\s+)?tekst|"
    r"wat (staat|stond|staan|stonden) er\s+(\w+\s+)?in|welke \w+ (staat|staan) (er )?in|"
    r"hoe (de|het|hun|die|onze?) (\w+\s+){0,4}?(luidt|luiden)|"
    r"wat is\b[^?.!]{0,40}\b(\w*grens|maxim\w*|hoogste)|"
    r"welke (\w*regels?|\w*regeling|\w*grens|gedragscode\w*|\w*tekst)\s+"
    r"(heeft|hebben|hanteert|hanteren|gebruikt|gebruiken|(geldt|gelden)\s+(daar|bij|in)))\b",
    re.IGNORECASE,
)
# One government named ("de gemeente Amsterdam", "ons waterschap") or the staff of one
# ("medewerkers van een waterschap", "gemeenteambtenaren"; not a gift "van een gemeente"), the
# municipalities' model code (VNG), or the code for their elected members, which binds no
# civil servant.
PARTICULAR_OTHER_GOVERNMENT = re.compile(
    r"\b(gemeente|provincie|waterschap)\s+(?-i:[A-Z])|"
    r"\b(mijn|onze|ons|hun|haar|jullie|die|deze)\s+(gemeente|provincie|waterschap)\b|"
    r"\b(ambtenaren|medewerkers|personeel|werknemers)\s+(van|bij)\s+(een|elke?|iedere?)\s+"
    r"(gemeente|provincie|waterschap)\b|\b(gemeente|provincie|waterschaps?)ambtena(ar|ren)\b|"
    r"\bVNG\b|\b(raadsleden|wethouders?|burgemeesters?|statenleden|gedeputeerden?)\b",
    re.IGNORECASE,
)
# The Rijk's rule named beside it: then the question is whether that rule is theirs too, which
# the section answers ("Geldt die grens van 50 euro ook bij ons op de gemeente?"). Not the
# reader being a rijksambtenaar, who may still ask a municipality's own rule.
NAMES_THE_RIJKS_RULE = re.compile(
    r"\b50\s?(euro|eur)\b|€\s?50\b|\b(het|van het) rijk\b|\brijksregel\w*|\bp-direkt\b",
    re.IGNORECASE,
)


# A question that compares two things: if one of them is another government's or country's,
# the pages know one side only.
COMPARES = re.compile(
    r"\bverschil (tussen|met)\b|\bverschilt\b|\bverschillen\s+(\w+\s+){0,4}?(van|met)\b|"
    r"\bvergeleken met\b|\bvergelijk\w* (met|tussen)\b|\banders dan\b|\bdiffers? from\b|"
    r"\bdifference between\b|\bcompared? (to|with)\b|\bversus\b",
    re.IGNORECASE,
)


# Another government as a partner ("samenwerken met gemeenten", "een project met een paar
# gemeenten") makes a question about working together, not about that government's rules.
# Not "Hoe zit het met gemeenteambtenaren?" or "het verschil met gemeenten": those ask about
# them. "betrek ... gemeenten" names them as partners too; "die gemeente" after a partner is
# the same partner.
AS_PARTNER = re.compile(
    r"(\b(samenwerk\w*|samen met|(?<!het )(?<!verschil )met)|\bbetrek\w*(\s+\w+){0,3}|"
    # ... in English too ("work with municipalities", "involve the provinces early")
    r"\b(?<!difference )(?<!compared )with|\binvolv\w*(\s+\w+){0,3})\s+"
    r"((de|het|een|andere|enkele|veel|alle|sommige|\w+e|the|other|some|several|many|all|\d+)\s+)?$",
    re.IGNORECASE,
)
SAME_PARTNER = re.compile(r"\b(die|deze|dat|that|those|these)\s+$", re.IGNORECASE)
LIST_SEPARATOR = re.compile(r",\s*|\s+(en|of|and|or)\s+|,\s+(en|of|and|or)\s+", re.IGNORECASE)


def compares_with(query: str, other: re.Pattern) -> bool:
    """The question, not about the reader's own case, compares something with what the other
    pattern finds (one named municipality, another country): the pages know one side only."""
    return bool(COMPARES.search(query) and other.search(query) and not READER.search(query))


def about_other_government(query: str) -> bool:
    """The question is about a municipality, province or water board, not about the Rijk or
    about working together with them. Compared with the Rijk, one named municipality's own
    rules are asked too ("het verschil tussen de regeling van de gemeente Amsterdam en die van
    het Rijk")."""
    if (
        MENTIONS_RIJK.search(query)
        and not EMPLOYED_BY_OTHER_GOVERNMENT.search(query)
        and not compares_with(query, PARTICULAR_OTHER_GOVERNMENT)
    ):
        return False
    return names_other_government(query)


def names_other_government(query: str) -> bool:
    """The question names a municipality, province or water board other than as a partner of
    the Rijk ("samenwerken met gemeenten"), whether or not it names the Rijk too."""
    partner_ends = -1  # where the last government named as a partner ends
    for found in OTHER_GOVERNMENT.finditer(query):
        before = query[: found.start()]
        # listed with the partner before it, or referring back to it ("die gemeente")
        after_a_partner = partner_ends >= 0 and bool(
            LIST_SEPARATOR.fullmatch(query[partner_ends : found.start()])
            or SAME_PARTNER.search(before)
        )
        partner = "ambtena" not in found.group().lower() and (
            after_a_partner or AS_PARTNER.search(before)
        )
        if not partner:
            return True
        partner_ends = found.end()
    return False


def asks_what_a_thing_is(query: str) -> bool:
    """The sentence that asks wants to know what something is, what it means or where it comes
    from, names no other government and asks after no rule ("Ik werk bij de provincie en hoor
    steeds 'Beleidskompas'. Wat is dat?"): what the Rijk's instrument is does not depend on
    the reader's employer. Not "Wat is de grens?" or "Wat moet ik doen?"."""
    asking = last_asking_sentence(query)
    return bool(
        THING_ASKED.search(asking.strip())
        and not OTHER_GOVERNMENT.search(asking)
        and not RULE_ASKED.search(asking)
        and not ASKS_OWN_RULE.search(asking)
    )


def asks_if_the_rijks_rule_is_theirs(query: str, section: Section) -> bool:
    """Asked of the section about other governments, whether a rule of the Rijk holds for them
    too ("Ik werk bij de gemeente Deventer. Geldt de 50 euro van het Rijk ook voor mij?"): that
    section answers it, whatever municipality or province the reader names."""
    return section.for_other_governments and bool(ASKS_IF_IT_APPLIES_TO_THEM.search(query))


def asks_own_rules_of_other_government(query: str) -> bool:
    """The question asks what one particular municipality, province or water board has laid
    down itself, not whether a rule of the Rijk is theirs too."""
    return bool(
        ASKS_OWN_RULE.search(query)
        and PARTICULAR_OTHER_GOVERNMENT.search(query)
        and not ASKS_IF_IT_APPLIES_TO_THEM.search(query)
        and not NAMES_THE_RIJKS_RULE.search(query)
    )


def about_other_people(query: str) -> bool:
    """The question is about people the pages are not written for (wethouders, judges, ...),
    not about the reader ("ik", "je") or civil servants dealing with them, and not about a role
    the reader has outside the Rijk ("Mag ik als wethouder ...", unless becoming one or
    combining it with the job at the Rijk, also in keywords: "raadslid naast baan ministerie").
    Civil servants compared with the others ("Moeten rechters een andere eed afleggen dan
    rijksambtenaren?") do not make it about them. The oath of a minister or the King is theirs
    too: the pages are about the oath of civil servants."""
    if OATH_OF_THE_GOVERNMENT.search(query):
        return True
    others = OTHER_PEOPLE.search(query)
    if not others:
        return False
    about = ABOUT_THE_READER_OR_CIVIL_SERVANTS.search(query)
    if not about and ROLE_BESIDE_A_RIJK_JOB.search(query):
        return False
    if not about or (
        others.start() < about.start()
        and COMPARED_WITH_CIVIL_SERVANTS.search(query)
        and not READER.search(query)
    ):
        return True
    in_role = READER_IN_ROLE.search(query)
    return bool(in_role) and not (MENTIONS_RIJK.search(query) or BECOMING.search(query))


def about_non_rijk_body(query: str) -> bool:
    """The reader works at a public body that is not the Rijk, asks about its staff, or asks
    whether a rule binds it, even when the question names the Rijk's rule ("Geldt de
    Gedragscode Integriteit Rijk voor ons als medewerkers van het UWV?"): however close it comes
    to a written question on whom a rule binds, the pages do not say whether it binds that
    body."""
    about = NON_RIJK_BODY_EMPLOYS.search(query) or (
        NON_RIJK_BODY_STAFF.search(query) and not READER.search(query)
    )
    # what a thing of the Rijk is does not depend on the reader's employer (asks_what_a_thing_is)
    return (
        bool(about) and not AT_THE_RIJK_AFTER_ALL.search(query) and not asks_what_a_thing_is(query)
    )


def about_other_employer(query: str, names_the_rijk: bool = False) -> bool:
    """The question is about the government or civil servants of another country, or the
    reader works for a company, or it asks about a company's staff without the reader in it
    ("Mogen medewerkers van een bank ..."); not when it names a ministry or another Rijk
    organisation (names_the_rijk), a side job, or a civil servant, unless it compares the Rijk
    with another country ("Hoe verschilt de Britse Civil Service Code van de gedragscode van
    het Rijk?"): the pages know one side only."""
    if (names_the_rijk or MENTIONS_RIJK.search(query)) and not compares_with(query, OTHER_COUNTRY):
        return False
    company = WORKS_FOR_A_COMPANY.search(query) and not ABOUT_THE_RIJK_AFTER_ALL.search(query)
    staff = (
        COMPANY_STAFF.search(query)
        and not READER.search(query)
        and not ABOUT_THE_RIJK_AFTER_ALL.search(query)
    )
    return bool(OTHER_COUNTRY.search(query) or company or staff)


def sections_asked_about(sections: list[Section], pattern: re.Pattern) -> set[int]:
    """The sections with a written question that matches the pattern: written for questions
    about another country, they answer for them."""
    return {
        number
        for number, section in enumerate(sections)
        if any(pattern.search(question) for question in section.written_questions)
    }


def people_named(text: str) -> set[str]:
    """The groups of other people a text names, each by the start of its word, the same for
    singular and plural ("kamerlid", "kamerleden": "kamer")."""
    return {
        found.group(1).lower().removeprefix("gemeente")[:PEOPLE_KEY_LETTERS]
        for found in OTHER_PEOPLE.finditer(text)
    }


def people_questions_of(sections: list[Section]) -> dict[int, list[tuple[int, set[str]]]]:
    """Per section, its written questions that name other people: their numbers in
    questions_of(sections) (the order of the index's questions) and the groups they name."""
    naming: dict[int, list[tuple[int, set[str]]]] = {}
    for number, question in enumerate(questions_of(sections)):
        if groups := people_named(question.text):
            naming.setdefault(question.section, []).append((number, groups))
    return naming


class OtherAudiences:
    """The rules for questions about people the pages are not written for and about another
    employer than the Rijk, with the sections that were written for them; shared by the
    semantic and the keyword search."""

    def __init__(self, sections: list[Section], rijk_names: list[str]) -> None:
        # Sections written for questions about politicians, the police and so on, or about
        # another country, answer for them: these rules do not silence them. A section answers
        # for the groups of other people its written questions name ("Wat zag de Raad van State
        # over bewindspersonen?"), and only for them: a question that names judges ("Hoe
        # beoordeelt de rechter een politieke uitspraak?") does not make it answer for soldiers.
        self.people_questions = people_questions_of(sections)
        self.people_in_sections = {
            number: set().union(*(groups for _, groups in naming))
            for number, naming in self.people_questions.items()
        }
        self.sections_about_other_countries = sections_asked_about(sections, OTHER_COUNTRY)
        self.rijk_names = rijk_names_pattern(rijk_names)

    def reason(
        self,
        query: str,
        top: int,
        section: Section,
        people: bool = True,
        employer: bool = True,
        people_answered: frozenset[str] | None = None,
    ) -> str | None:
        """Why the top section does not answer a question about others, or None; people and
        employer say which of the two rules apply (the semantic search lets a question that
        comes very close to a written question through). people_answered: the groups the
        section answers for this question (the semantic search knows which of its written
        questions come close); without it, every group its written questions name. Only
        sections with written questions are judged."""
        if not section.written_questions:
            return None
        if people_answered is None:
            people_answered = frozenset(self.people_in_sections.get(top, set()))
        if people and about_other_people(query) and not people_named(query) & people_answered:
            return ABOUT_OTHER_PEOPLE
        if (
            employer
            and about_other_employer(query, bool(self.rijk_names.search(query)))
            # the Raad van State pointing at the British code
            and top not in self.sections_about_other_countries
        ):
            return ABOUT_OTHER_EMPLOYER
        return None


def rijk_names_pattern(lines: list[str]) -> re.Pattern:
    """The Rijk's organisations of rijk-names.txt as one pattern: each name (a ministry also
    without "Ministerie van"), and the abbreviations in its brackets in capitals
    ("Rijksvastgoedbedrijf", "RVB")."""
    names, abbreviations = [], []
    for line in lines:
        name, _, bracket = line.partition(" (")
        # "Belastingdienst, Toeslagen, Douane": several names on a line
        for part in name.split(","):
            names.append(re.escape(part.strip()))
            # "Ministerie van Defensie" is also "Defensie"
            if part.strip().startswith("Ministerie van "):
                names.append(re.escape(part.strip().removeprefix("Ministerie van ")))
        abbreviations += [re.escape(a.strip()) for a in bracket.rstrip(")").split(",") if a.strip()]
    alternatives = "|".join(names + [f"(?-i:{a})" for a in abbreviations]) or "(?!)"
    return re.compile(rf"\b({alternatives})\b", re.IGNORECASE)


@dataclass(frozen=True)
class AnswerPolicy:
    """When to answer and with what; plain numbers, unpacked from the settings."""

    # The top section's closest written question must be at least this similar to the query.
    min_question_similarity: float
    # ... and closer to the query than any topic in outside-topics.txt by this much,
    min_outside_margin: float
    # ... and than any question in outside-questions.txt by this much.
    min_outside_question_margin: float
    # The outside-topic margin is waived when the section's own text comes at least this much
    # closer than the closest outside topic and the closest written question at least
    # text_outside_question_margin closer than the closest outside question.
    text_topic_lead: float
    text_outside_question_margin: float
    # A question after a detail the knowledge base does not give comes closer to one of the
    # questions written for it (not_covered) than to the top section's closest by more than this.
    not_covered_lead: float
    # ... or, when it uses words that only the detail's note and questions use, comes at most
    # this much less close to them.
    gap_words_margin: float
    # A sentence that asks is judged on its own only when the whole question is at most this
    # much closer to a question of outside-questions.txt than to the top section.
    max_story_outside_lead: float
    # A question that passes every rule gets no card when the silence model puts the chance
    # that the pages do not answer it above this.
    max_outside_probability: float
    # A question with a smaller share of content words the corpus knows ...
    min_word_coverage: float
    # ... needs its closest written question to be at least this similar.
    min_similarity_unknown_words: float
    # A Dutch question naming something the pages never name needs at least this.
    min_similarity_unknown_name: float
    # A question about people the pages are not written for needs at least this ...
    min_similarity_other_people: float
    # ... unless a written question of the top section that names them comes at most this
    # much less close than its closest.
    people_question_reach: float
    # A question about another employer's rules (another country, a company) needs this.
    min_similarity_other_employer: float
    # A fact answers when the question is at least this similar to a question written for it.
    min_fact_similarity: float
    # ... and at most this much less similar than the section's own closest question.
    fact_reach: float
    # ... and alone, for a question after a detail, when that question is this much closer
    # than the section's own questions.
    fact_lead: float
    # A fact stating the date, amount or name asked for follows the short answer when one of
    # its questions is at most this much less similar than the section's closest question.
    asked_fact_reach: float
    # A sentence follows the short answer when it matches the question this much better.
    sentence_margin: float
    # The best sentence follows the short answer when it matches at most this much worse.
    detail_margin: float
    # A sentence with the date, amount or name asked for follows the short answer when it
    # matches at most this much worse than the best sentence.
    asked_detail_reach: float


@dataclass(frozen=True)
class Answer:
    id: str
    url: str  # section URL with a text fragment that highlights the supporting sentence
    text: str
    score: float
    kind: str  # fact, short_answer, detail, sentence, literal or list
    # the list items ("list"), the lines of the text ("literal"), or the short answer and the
    # detail or fact that follows it ("detail", "fact")
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    section: Section
    score: float
    snippet: str


@dataclass(frozen=True)
class Closeness:
    """How close the question comes to what the top section answers and to what lies outside
    the knowledge base: the silence rules weigh these."""

    section: float  # its closest written question (its best piece when it has none)
    text: float  # its best piece of text (a paragraph, its short answer or the whole)
    outside_topic: float  # the closest line of outside-topics.txt
    outside_question: float  # the closest line of outside-questions.txt
    # The groups of other people (people_named) that the top section answers for here: those
    # named by its written questions that come within people_question_reach of its closest.
    people_answered: frozenset[str]
    # the closest question after a detail a section does not give (not_covered), and how close
    # (-1 and None when the pages list none)
    not_covered: float
    not_covered_question: NotCoveredQuestion | None
    # whether one of the top section's written questions that names another government than
    # the Rijk comes within people_question_reach of its closest
    other_government_answered: bool = False


@dataclass(frozen=True)
class NotCoveredNote:
    """What the knowledge base says it does not give, shown where the answer card would be:
    the note of a section's not_covered entry, and the section it is next to."""

    id: str
    url: str
    note: str


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[Result]
    answer: Answer | None
    withheld: str | None = None  # why there is no answer card, for editors and tests
    # for a question after a detail a section does not give: the note that says so
    not_covered: NotCoveredNote | None = None


# The frame of a letter or e-mail around a question typed into the box: a greeting before it
# ("Goedemiddag,", "Beste P-Direkt,") and a closing after it ("Met vriendelijke groet, Joris").
# Names in them are nothing the question asks about, and the greeting's words are no content.
# "Beste" and "Geachte" only before a comma: "Beste aanpak: ...?" is no greeting.
GREETING = re.compile(
    r"^\s*(?:(?:goede(?:morgen|middag|navond)|hallo|hoi|hey|hi|hello|dag)"
    r"(?:\s+allemaal|\s+allen|\s+all)?\s*[,!:]"
    r"|(?:beste|geachte|dear)(?:\s+[\w'’./-]+){0,3}\s*,)\s+",
    re.IGNORECASE,
)
# A closing after the last sentence, followed by nothing but a name ("Groet, Mirjam"), so that
# "Alvast bedankt, ik wil graag weten hoe hoog de grens is" keeps its question.
CLOSING = re.compile(
    r"(?:(?<=[.?!])|\n)\s*(?:(?:met\s+)?(?:vriendelijke\s+)?groet(?:en)?|mvg|gr\.?|"
    r"(?:kind\s+|best\s+)?regards|(?:alvast\s+)?(?:bedankt|dank(?:\s+je(?:\s+wel)?)?)|bvd|"
    r"thanks(?:\s+in\s+advance)?)\b[,!.\s]*(?:[^\W\d_][\w'’.-]*(?:\s+[\w'’.-]+){0,3})?[.!\s]*$",
    re.IGNORECASE,
)


def without_letter_frame(query: str) -> str:
    """The question without a letter's greeting and closing; the question itself when nothing
    else would be left."""
    inner = CLOSING.sub("", GREETING.sub("", query, count=1)).strip()
    return inner or query


def searched_text(query: str, abbreviations: Abbreviations) -> str:
    """The question as both searchers search and judge it: its abbreviations written out ("GIR"),
    without a letter's frame and extra spaces, so that the same question typed again finds the
    outcome saved for it (and calibrate-silence counts its words as the search does)."""
    return " ".join(without_letter_frame(abbreviations.expand(query)).split())


def asking_sentences(query: str) -> list[str]:
    """In a question of several sentences, the ones that ask, last first: those that end with a
    question mark, else the last sentence. Empty for a question of one sentence."""
    if ONE_PLAIN_SENTENCE.fullmatch(query):
        return []
    # A piece without a letter ("(2)", "1.") is no sentence of its own; a question typed in
    # lower case still has its sentences (no joining as for the pages).
    sentences = [s for s in segments(query) if HAS_LETTER.search(s)]
    if len(sentences) < 2:
        return []
    asking = [sentence for sentence in sentences if sentence.rstrip().endswith("?")]
    return asking[::-1] or sentences[-1:]


# a comma, semicolon or colon before the words that open a question: not one inside a list
# ("cadeaus, nevenwerk en reizen") or around an aside ("Mag ik, als ambtenaar, ...")
CLAUSE_BREAK = re.compile(
    r"[,;:]\s+(?=(moet|mag|mogen|kan|kun|kunnen|wat|hoe|wie|waar|wanneer|welke?|geldt|is|zijn|"
    r"heb|hebben|ben|bij wie|what|how|who|where|when|which|can|may|must|do|does|are)\b)",
    re.IGNORECASE,
)


def last_asking_sentence(query: str) -> str:
    """The last sentence that asks (`asking_sentences`), or the question of one sentence."""
    sentences = asking_sentences(query)
    return sentences[0] if sentences else query


def asking_clause(query: str) -> str:
    """The part of the question that asks: its last sentence that asks, from the last comma,
    semicolon or colon before a question word ("Ik word penningmeester van mijn hockeyclub,
    moet ik dat melden?" → "moet ik dat melden?")."""
    return CLAUSE_BREAK.split(last_asking_sentence(query).strip())[-1]


def asks_for_plans(query: str) -> bool:
    """Every sentence of the question that asks is after the government's plans or
    willingness, or after what is still to come, or follows up on one."""
    if not (ASKS_INTENT.search(query) or ASKS_WHAT_IS_COMING.search(query)):
        return False  # most questions: no need to split them into sentences
    asking = asking_sentences(query) or [query]
    return any(_after_plans(sentence) for sentence in asking) and all(
        _after_plans(sentence) or FOLLOW_UP.search(sentence) for sentence in asking
    )


def _after_plans(sentence: str) -> bool:
    return bool(
        ASKS_INTENT.search(sentence)
        or (ASKS_WHAT_IS_COMING.search(sentence) and not READER.search(sentence))
    )


def question_rule_reason(query: str, section: Section) -> str | None:
    """The rules that read only the question and the top section, shared by both searchers: no
    answer to a question after plans or after a document the section does not summarise, no
    Rijk rule presented as another government's or as that of a public body that is not the
    Rijk, and no card for a literal text that the section does not quote."""
    if asks_for_plans(query):
        return ASKS_FOR_PLANS
    if document_not_summarised(query, section):
        return DOCUMENT_NOT_SUMMARISED
    if (
        about_other_government(query)
        and not section.for_other_governments
        and not asks_what_a_thing_is(query)
    ):
        return OTHER_GOVERNMENT_ASKED
    if section.for_other_governments and asks_own_rules_of_other_government(query):
        return OWN_RULES_NOT_COVERED
    if about_non_rijk_body(query):
        return ABOUT_NON_RIJK_BODY
    if asks_a_text_not_quoted(query, section):
        return TEXT_NOT_QUOTED
    return None


def asks_a_text_not_quoted(query: str, section: Section) -> bool:
    """The question asks for the literal text of something the section does not quote: only
    the sections with the oath's text quote, and not where a text is published."""
    return bool(
        LITERAL_TEXT_ASKED.search(query)
        and not (section.quote_paragraphs or section.about_site)
        and not (OATH_NAMED.search(query) or ASKS_WHERE_TO_FIND.search(query))
    )


# What a question asks for that only a card with a certain text answers, and why the card is
# withheld without it: a duration, how often a duty recurs, the closing words of the oath, a way
# to order something, a form, a consequence or sanction, the gazette a rule was published in, the
# number of a parliamentary paper, directive or ruling, a version number or a salary scale.
ASKED_AND_STATED = (
    (DURATION_ASKED, DURATION_STATED, NO_DURATION),
    (FREQUENCY_ASKED, FREQUENCY_STATED, NO_FREQUENCY),
    (CLOSING_WORDS_ASKED, CLOSING_WORDS_QUOTED, TEXT_NOT_QUOTED),
    (ORDERING_ASKED, ORDERING_STATED, NO_WAY_TO_ORDER),
    (FORM_ASKED, FORM_NAMED, NO_FORM),
    (CONSEQUENCE_ASKED, CONSEQUENCE_STATED, NO_CONSEQUENCE),
    *((asked, stated, NO_REFERENCE) for asked, stated in NUMBERS_ASKED_AND_STATED),
    *((asked, stated, NO_NUMBER) for asked, stated in OTHER_NUMBERS_ASKED_AND_STATED),
)


def card_lacks_what_is_asked(query: str, section: Section, answer: Answer) -> str | None:
    """Why a composed card would not answer, for both searchers: it names no one for a question
    after a person's name (the pages name no vertrouwenspersoon or official) and no
    organisation for one after which organisations, it is not the whole list asked for, it cites
    no article or publication for a question after one, or no article of the law the question
    names (nor does its section cite the numbered part or step the question names), no number
    of the kind asked (a Staatsblad, a Kamerstuk, a directive, a ruling, a version, a salary
    scale), it states no findings for a question after what a report found, no
    duration for "hoe lang duurt ...?", no frequency for "hoe vaak moet ...?", no closing words
    of the oath, no way to order what is to be ordered, no form for "welk formulier" or no
    sanction for "wat gebeurt er als ik weiger?"."""
    if lacks_asked_name(query, answer.text):
        return NO_NAME
    if lacks_asked_list(query, section, answer):
        return LIST_NOT_GIVEN
    if lacks_asked_reference(query, answer.text) or cites_no_provision_asked(query, section):
        return NO_REFERENCE
    if lacks_asked_findings(query, answer.text):
        return NO_FINDINGS
    return next(
        (
            reason
            for asked, stated, reason in ASKED_AND_STATED
            if asked.search(query) and not stated.search(answer.text)
        ),
        None,
    )


def lacks_asked_list(query: str, section: Section, answer: Answer) -> bool:
    """The question asks for a whole list, or for a range of steps, or for a counted set the
    card does not name ("Welke vijf O's ...?" answered without a word on O's), and the card is
    not one of the section's lists."""
    return bool(
        (
            COMPLETE_LIST_ASKED.search(query)
            or STEP_RANGE.search(query)
            or _names_no_counted_set(query, answer.text)
        )
        and answer.kind != "list"
        and not section.about_site  # the site's own overview of all sections
        and not ASKS_WHERE_TO_FIND.search(query)
    )


def asks_one_thing_the_list_does_not_name(query: str, lead: str, items: Sequence[str]) -> bool:
    """The only cue for a list is "welke" or "which" before a word in the singular that the
    list never names ("Welke motie was de aanleiding?" and the list of the revision's steps):
    the question is after one thing, not after the list. A plural ("welke stappen"), "zijn"
    or a word the list uses keeps the list."""
    if OTHER_LIST_CUE.search(query):
        return False
    asked = ONE_OF_A_KIND.search(query)
    if not asked:
        return False
    words = [word.lower() for word in asked.groups() if word]
    listed = " ".join((lead, *items)).lower()
    return not any(
        word in PLURAL_VERBS
        or word in LIST_NOUNS
        or (len(word) >= 4 and PLURAL_ENDING.search(word))  # not "was", "is"
        or (len(word) >= 4 and re.search(rf"\b{re.escape(word)}|{re.escape(word)}\b", listed))
        for word in words
    )


def _names_no_counted_set(query: str, text: str) -> bool:
    """The question asks which things of a counted set there are ("welke vijf O's", "wat zijn
    de vier rollen") and the text never names that thing, in the singular or the plural."""
    asked = COUNTED_SET_ASKED.search(query) or COUNTED_SET_THEN_ASKED.search(query)
    noun = asked.group("noun").lower() if asked else ""
    if not asked or noun in ANY_THINGS:
        return False
    wanted = _count_value(asked.group("count")) - 1
    # The cards are Dutch: an English noun is never in them, so any sentence that spells out
    # as many members will do.
    if looks_english(query):
        return all(len(SET_SEPARATOR.findall(s)) < wanted for s in split_sentences(text))
    singular = re.sub(r"(['’]?s|en)$", "", noun)
    if len(singular) > 2 and singular[-1] == singular[-2]:  # "rollen" → "roll" → "rol"
        singular = singular[:-1]
    # a short singular ("O" of "O's") only as a word of its own
    names = rf"\b{re.escape(singular)}\b" if len(singular) < 3 else rf"\b{re.escape(singular)}"
    # the plural also as the end of a compound right after the count, where Dutch puts the head
    # noun ("welke drie waarden" named by "drie integriteitswaarden: ..."); with a first part
    # long enough to be a word of its own (not "voorwaarden")
    count = re.escape(asked.group("count").lower())
    compound = rf"\b{count}\s+\w{{{MIN_COMPOUND_HEAD},}}{re.escape(noun)}\b"
    naming = re.compile(rf"\b{re.escape(noun)}|{compound}|{names}")
    sentence = next((s for s in split_sentences(text) if naming.search(s.lower())), None)
    # Named, the set must also be spelled out in the sentence that names it: a separator
    # between each two of its members ("Ze noemt vijf waarden: a, b, c, d en e."), not only
    # "De vragen werden ingedeeld in 'de vijf O's'."
    return sentence is None or len(SET_SEPARATOR.findall(sentence)) < wanted


def document_not_summarised(query: str, section: Section) -> bool:
    """The question asks what a document says as a whole, and the section names none of the
    document's words in its title, its page's title or its short answer: it may mention the
    document, but it is not about it. A document without a word of its own ("de wet") is not
    judged."""
    asked = ASKS_CONTENT_OF.search(query.strip())
    if not asked:
        return False
    words = set(DOCUMENT_WORD.findall(asked.group("document").lower())) - DOCUMENT_STOPWORDS
    about = f"{section.page_title} {section.title} {section.short_answer}".lower()
    section_words = set(DOCUMENT_WORD.findall(about)) - DOCUMENT_STOPWORDS
    return bool(words) and not any(_names_the_word(word, section_words) for word in words)


def _names_the_word(word: str, section_words: set[str]) -> bool:
    return any(
        found.endswith(word)
        or (len(word) >= DOCUMENT_WORD_PREFIX and found.startswith(word[:DOCUMENT_WORD_PREFIX]))
        or (len(found) >= MIN_COMPOUND_TAIL and word.endswith(found))
        or word.startswith(found)
        for found in section_words
    )


def asks_for_detail(query: str) -> bool:
    """The question asks for a date, an amount, a period, a person, an article, an e-mail
    address, a publication, the number of a paper, directive or ruling, or a regulation (the
    kinds of WANTED_DETAILS). "Bij wie meld ik het?" asks where to go, not for a person: the
    short answer gives the ways with their conditions ("of als dat niet kan ..."), where one
    statement gives only one of them."""
    asks_who = ASKS_WHO.search(ASKS_WHERE_TO_GO.sub(" ", query))
    return bool(asks_who) or any(asks.search(query) for asks, _ in WANTED_DETAILS)


# A question that opens with a question word asks for more than yes or no.
OPEN_QUESTION = re.compile(
    r"^\W*(wie|wat|wanneer|waar\w*|hoe\w*|welke?|sinds|vanaf|tot|binnen|bij wie|aan wie|met wie|"
    r"who|what|when|where|why|how|which|since|until)\b",
    re.IGNORECASE,
)


def asks_openly(query: str) -> bool:
    """Every sentence of the question that asks opens with a question word."""
    return all(OPEN_QUESTION.search(sentence) for sentence in asking_sentences(query) or [query])


def _without_reply(answer: str) -> str:
    """A fact's answer without a leading "Ja,"/"Nee,", to follow a short answer."""
    rest = REPLY.sub("", answer, count=1)
    return rest[:1].upper() + rest[1:] if rest != answer else answer


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A statement supports a fact when it has at least this share of the fact's content words.
MIN_SHARED_WORDS = 0.3


def _restated_in(fact: str, statements: list[str]) -> str:
    """The statement that restates the fact: most of its numbers shared, then most of its
    content words; empty when even the best shares less than MIN_SHARED_WORDS of the words."""
    words = set(CONTENT_WORD.findall(fact.lower()))
    numbers = set(NUMBER.findall(fact))

    def overlap(statement: str) -> tuple[int, int]:
        shared_numbers = numbers & set(NUMBER.findall(statement))
        shared_words = words & set(CONTENT_WORD.findall(statement.lower()))
        return len(shared_numbers), len(shared_words)

    if not words or not statements:
        return ""
    best = max(statements, key=overlap)
    return best if overlap(best)[1] >= MIN_SHARED_WORDS * len(words) else ""


# Whether a text gives a detail the question asks for.
DetailTest = Callable[[str], object]


def wanted_details(query: str) -> list[DetailTest]:
    """The details the question asks for (WANTED_DETAILS), each as a test of a text that gives
    it: for "hoeveel", the amount of what the question names, not just any number."""
    return [
        partial(states_the_amount_asked, query) if asks is AMOUNT_ASKED else looks.search
        for asks, looks in WANTED_DETAILS
        if asks.search(query)
    ]


def _holds(text: str, wanted: list[DetailTest]) -> bool:
    """The text has a detail of one of the wanted kinds."""
    return any(gives(text) for gives in wanted)


def text_fragment(sentence: str) -> str:
    """A URL text fragment (``:~:text=start,end``) that selects the sentence in the browser."""
    words = sentence.split()

    def encode(part: list[str]) -> str:
        return quote(" ".join(part), safe="-")

    if len(words) <= 2 * FRAGMENT_WORDS:
        return ":~:text=" + encode(words)
    return f":~:text={encode(words[:FRAGMENT_WORDS])},{encode(words[-FRAGMENT_WORDS:])}"


def is_a_literal_text(section: Section) -> bool:
    """Most of the section's paragraphs quote a text (the oath): it holds the words, and says
    little else."""
    return 2 * len(section.quote_paragraphs) > len(section.paragraphs)


def _first_where(hits: list[Hit], wanted: Callable[[Section], bool]) -> list[Hit]:
    """The hits with the best one whose section is wanted moved to the front (unchanged when
    none is)."""
    for position, hit in enumerate(hits):
        if wanted(hit.section):
            return [hit, *hits[:position], *hits[position + 1 :]]
    return hits


def _section_closeness(hits: list[Hit]) -> float:
    """How close the top section's written questions come to the question (its facts'
    included), or its best piece when it has none; -1 without sections."""
    if not hits:
        return -1.0
    top = hits[0]
    return top.question_similarity if top.section.written_questions else top.similarity


def _text_closeness(hits: list[Hit]) -> float:
    """How close the top section's best piece of text comes to the question; -1 without hits."""
    return hits[0].similarity if hits else -1.0


def _closest(vectors: np.ndarray, query_vector: np.ndarray) -> float:
    """The highest similarity of the query to any of the vectors; -1 when there are none."""
    return float((vectors @ query_vector).max()) if len(vectors) else -1.0


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


class SectionTexts:
    """The sentences of each section, in order, and which of them may answer."""

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        self.by_section: dict[int, list[int]] = {}
        for number, sentence in enumerate(index.sentences):
            self.by_section.setdefault(sentence.section, []).append(number)

    def sentences(self, section: int) -> list[int]:
        return self.by_section.get(section, [])

    def best(
        self, section: int, scores: np.ndarray, answers_only: bool
    ) -> tuple[int, float] | None:
        """The best sentence of a section for these scores, and its score.

        For an answer, only statements outside examples count, and the opening sentences get a
        small lead: the content guide asks writers to answer the section's question first.
        """
        candidates = self.sentences(section)
        if not candidates:
            return None
        sentences: list[Sentence] = [self.index.sentences[i] for i in candidates]
        values = scores[candidates].astype(np.float64)
        if answers_only:
            values += [LEAD_BONUS if s.position < LEAD_SENTENCES else 0.0 for s in sentences]
            values[[not s.answerable for s in sentences]] = -np.inf
        if not np.isfinite(values.max()):
            return None
        best = int(np.argmax(values))
        return candidates[best], float(scores[candidates[best]])

    def readable(self, sentence: int, answers_only: bool) -> list[str]:
        """The sentence with the one before it when it points back, and the next one when it
        is too short to read on its own."""
        chosen = [self.index.sentences[sentence]]
        neighbours = self.sentences(chosen[0].section)
        before, after = sentence - 1, sentence + 1
        if (
            POINTS_BACK.match(chosen[0].text)
            and before in neighbours
            and (self.index.sentences[before].answerable or not answers_only)
        ):
            chosen.insert(0, self.index.sentences[before])
        elif (
            len(chosen[0].text) < SHORT_SENTENCE_CHARS
            and after in neighbours
            and (self.index.sentences[after].answerable or not answers_only)
        ):
            chosen.append(self.index.sentences[after])
        return [s.text for s in chosen]


class Searcher:
    """Ranks the sections for a question and composes the answer card; thread-safe."""

    mode = "hybrid"

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.retriever = Retriever(
            index,
            embedder,
            RankingWeights(
                lexical=settings.lexical_weight,
                questions=settings.question_weight,
                site_penalty=settings.site_penalty,
                fact_discount=settings.fact_question_discount,
            ),
            read_listed_lines(settings.everyday_names),
        )
        self.abbreviations = Abbreviations(read_listed_lines(settings.abbreviations))
        self.policy = AnswerPolicy(
            min_question_similarity=settings.answer_min_question_similarity,
            min_outside_margin=settings.answer_min_margin,
            min_outside_question_margin=settings.answer_min_outside_question_margin,
            text_topic_lead=settings.answer_text_topic_lead,
            text_outside_question_margin=settings.answer_text_outside_question_margin,
            not_covered_lead=settings.answer_not_covered_lead,
            gap_words_margin=settings.answer_gap_words_margin,
            max_story_outside_lead=settings.answer_max_story_outside_lead,
            max_outside_probability=settings.answer_max_outside_probability,
            min_word_coverage=settings.answer_min_word_coverage,
            min_similarity_unknown_words=settings.answer_min_similarity_unknown_words,
            min_similarity_unknown_name=settings.answer_min_similarity_unknown_name,
            min_similarity_other_people=settings.answer_min_similarity_other_people,
            people_question_reach=settings.answer_people_question_reach,
            min_similarity_other_employer=settings.answer_min_similarity_other_employer,
            min_fact_similarity=settings.answer_min_fact_similarity,
            fact_reach=settings.answer_fact_reach,
            fact_lead=settings.fact_question_discount,
            asked_fact_reach=settings.answer_asked_fact_reach,
            sentence_margin=settings.answer_sentence_margin,
            detail_margin=settings.answer_detail_margin,
            asked_detail_reach=settings.answer_asked_detail_reach,
        )
        rijk_names = read_listed_lines(settings.rijk_names)
        self.others = OtherAudiences(index.sections, rijk_names)
        # Words a name may have without pointing outside: the pages' own and the Rijk's names.
        self.known_name_words = self.retriever.speller.vocabulary | {
            word for line in rijk_names for word in WORD.findall(line.lower())
        }
        # The pages' text in lower case, for the titles a comparison names (unknown_names).
        self.page_text = " ".join(
            " ".join(
                (
                    section.title,
                    section.short_answer,
                    section.text,
                    *(f.answer for f in section.facts),
                )
            )
            for section in index.sections
        ).lower()
        # The questions after details about other governments that the pages do not give.
        self.other_government_questions = [
            number
            for number, question in enumerate(index.not_covered)
            if index.sections[question.section].for_other_governments
        ]
        # Per section, its written questions that name another government (the numbers of
        # index.questions).
        self.questions_naming_other_governments: dict[int, list[int]] = {}
        for number, question in enumerate(index.questions):
            if names_other_government(question.text):
                self.questions_naming_other_governments.setdefault(question.section, []).append(
                    number
                )
        # The words of each detail not covered, and of the sections that have such details.
        self.frame_words = set(self.retriever.lexical.tokens(PARLIAMENTARY_FRAME))
        self.gap_words = {
            (number, entry): self._content_words(" ".join((gap.note, *gap.questions)))
            for number, section in enumerate(index.sections)
            for entry, gap in enumerate(section.not_covered)
        }
        # The words each section uses: its text and answers, and the questions written for it
        # and its facts.
        self.section_words = {
            number: self._content_words(
                " ".join(
                    (
                        section.title,
                        section.short_answer,
                        section.text,
                        *(fact.answer for fact in section.facts),
                        *section.written_questions,
                    )
                )
            )
            for number, section in enumerate(index.sections)
        }
        self.silence = SilenceModel.for_settings(settings)
        self.texts = SectionTexts(index)
        self.short_answer_vectors = self._short_answer_vectors()
        self.support = self._supporting_sentences()
        self.fact_support = self._fact_sentences()
        # Identical questions (a popular one, or a user retyping) skip the embedding entirely.
        self._cache: OrderedDict[tuple, SearchOutcome] = OrderedDict()
        self._cache_size = settings.result_cache_size
        self._cache_lock = threading.Lock()

    def _short_answer_vectors(self) -> np.ndarray:
        """Per section, the vector of its short answer (zeros where it has none)."""
        vectors = np.zeros((len(self.index.sections), self.index.sentence_vectors.shape[1]))
        for number, piece in enumerate(self.index.pieces):
            if piece.short_answer:
                vectors[piece.section] = self.index.piece_vectors.reconstruct(number)
        return vectors.astype(np.float32)

    def _supporting_sentences(self) -> dict[int, int]:
        """Per section with a short answer: the statement in its text that says the same, which
        the answer link highlights."""
        support = {}
        for section, vector in enumerate(self.short_answer_vectors):
            if vector.any():
                scores = self.index.sentence_vectors @ vector
                found = self.texts.best(section, scores, answers_only=True)
                if found:
                    support[section] = found[0]
        return support

    def _fact_sentences(self) -> dict[tuple[int, int], str]:
        """Per (section, fact): the statement of the section's text that the fact restates,
        which the answer link highlights: the one sharing most of the fact's numbers, then of
        its words. By words, not vectors: the fact answers are not embedded. No entry for a
        fact whose words are mostly not in any one statement."""
        support = {}
        for section, candidates in self.texts.by_section.items():
            statements = [
                self.index.sentences[i].text
                for i in candidates
                if self.index.sentences[i].answerable
            ]
            for number, fact in enumerate(self.index.sections[section].facts):
                found = _restated_in(fact.answer, statements)
                if found:
                    support[section, number] = found
        return support

    def search(self, query: str, k: int, mode: str = "hybrid") -> SearchOutcome:
        """The k best sections and the answer card; mode 'dense' or 'lexical' is for eval."""
        key = self._key(query, k, mode)
        outcome = self._saved(key)
        if outcome is None:
            outcome = self._search(*key)
            with self._cache_lock:
                self._cache[key] = outcome
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return outcome

    def cached(self, query: str, k: int, mode: str = "hybrid") -> SearchOutcome | None:
        """The outcome of an identical earlier search, without embedding anything: the API
        answers these before it takes a search slot."""
        return self._saved(self._key(query, k, mode))

    def _key(self, query: str, k: int, mode: str) -> tuple[str, int, str]:
        """What a search is about: the question as searched, and how."""
        return (searched_text(query, self.abbreviations), k, mode)

    def _saved(self, key: tuple[str, int, str]) -> SearchOutcome | None:
        """The outcome saved under a key of _key, now marked as the most recently used."""
        with self._cache_lock:
            outcome = self._cache.get(key)
            if outcome is not None:
                self._cache.move_to_end(key)
            return outcome

    def _assess(self, query: str, k: int, mode: str) -> tuple[Ranking, list[Hit], Closeness]:
        """The ranking, the hits in the order the card is chosen by, and the closeness."""
        ranking = self.retriever.rank(query, k, mode)
        hits = self._hits_for(query, ranking.hits)
        closeness = self._closeness(
            hits, _section_closeness(hits), _text_closeness(hits), ranking.query_vector
        )
        return ranking, hits, closeness

    def silence_features(self, query: str, k: int) -> dict[str, float] | None:
        """What the silence model weighs for a question (None without sections): for
        calibrate-silence, which fits the model on the tuning sets."""
        query = searched_text(query, self.abbreviations)
        _, hits, closeness = self._assess(query, k, "hybrid")
        return self._silence_features(query, hits, closeness) if hits else None

    def _silence_features(
        self, query: str, hits: list[Hit], closeness: Closeness
    ) -> dict[str, float]:
        """The numbers of silence.SILENCE_FEATURES for a question with at least one hit."""
        top = hits[0]
        english = looks_english(query)
        # English words are never the section's: the corpus is Dutch ("english" weighs that).
        # A typo is no word the section lacks: the words are counted after spelling correction.
        unmatched = (
            set()
            if english
            else self._content_words(self.retriever.speller.correct(asking_clause(query)))
            - self.section_words[top.section_number]
        )
        return {
            "question": closeness.section,
            "outside_topic": closeness.outside_topic,
            "outside_question": closeness.outside_question,
            "not_covered": closeness.not_covered,
            "score": top.score,
            "unmatched_words": float(len(unmatched)),
            "english": float(english),
            "length": math.log1p(len(query.split())),
        }

    def _search(self, query: str, k: int, mode: str) -> SearchOutcome:
        ranking, hits, closeness = self._assess(query, k, mode)
        sentence_scores = self.index.sentence_vectors @ ranking.query_vector
        results = [
            Result(hit.section, hit.score, self._snippet(hit.section_number, sentence_scores))
            for hit in hits
        ]
        reason = self.withhold_reason(query, hits, closeness, ranking.word_coverage)
        if reason in SILENT_FOR_CLOSENESS and self._story_asks_a_detail_not_covered(
            query, closeness
        ):
            reason = ASKS_A_DETAIL_NOT_COVERED
        if (
            reason in SILENT_FOR_CLOSENESS
            and closeness.outside_question - closeness.section <= self.policy.max_story_outside_lead
            and self._a_sentence_that_asks_finds(query, hits)
        ):
            reason = None
        if reason:
            return SearchOutcome(
                results, None, reason, self._note(reason, closeness, ranking.query_vector)
            )
        answer = self.compose(query, hits[0], ranking.query_vector, sentence_scores)
        if answer and self._states_no_asked_amount(query, hits[0], answer):
            # No card answers "hoeveel ...?" without a number: the figure asked for (a count of
            # reports, a budget) is not in the knowledge base.
            return SearchOutcome(results, None, NO_AMOUNT)
        lacking = answer and card_lacks_what_is_asked(query, hits[0].section, answer)
        if lacking:
            return SearchOutcome(results, None, lacking)
        if answer and self._probably_outside(query, hits, closeness, mode):
            return SearchOutcome(results, None, PROBABLY_OUTSIDE)
        return SearchOutcome(results, answer, None if answer else "geen tekst")

    def _probably_outside(
        self, query: str, hits: list[Hit], closeness: Closeness, mode: str
    ) -> bool:
        """Last, for a question every rule lets through: whether the silence model, weighing
        their numbers together, finds it likely that the pages do not answer it."""
        return bool(
            self.silence
            and mode == "hybrid"  # fitted on the fused score, not dense or BM25 alone (eval)
            and self.silence.judges(query)
            and self.silence.probability(self._silence_features(query, hits, closeness))
            > self.policy.max_outside_probability
        )

    def _story_asks_a_detail_not_covered(self, query: str, closeness: Closeness) -> bool:
        """A question of several sentences whose whole text comes closer to a detail the pages
        do not give than to the top section and to anything outside: its sentence that asks,
        without the story that names the detail ("Ik heb de eed bij een provincie afgelegd.
        ... Telt mijn oude eed mee?"), must not make it answered. Dutch only: English
        questions come close to a detail's English questions by their language alone."""
        return (
            self._detail_not_covered_leads(closeness)
            and closeness.not_covered >= self.policy.min_question_similarity
            and closeness.not_covered > max(closeness.outside_question, closeness.outside_topic)
            and not looks_english(query)
            and bool(asking_sentences(query))  # last: it splits the question into sentences
        )

    def _detail_not_covered_leads(self, closeness: Closeness) -> bool:
        """The question comes closer to a question written for a detail the pages do not give
        than to the top section's own, by more than not_covered_lead."""
        return closeness.not_covered - closeness.section > self.policy.not_covered_lead

    @staticmethod
    def _states_no_asked_amount(query: str, hit: Hit, answer: Answer) -> bool:
        """The question asks for an amount and the card does not state it. A list answers
        with its items. The answer of a fact written for the same "hoeveel" question answers
        too: it may say why there is no number ("de uren spreek je af") or count in other words
        ("750 teksten" for "hoeveel eedformulieren"); not one written for another amount (a
        budget for "hoeveel deelnemers")."""
        if answer.kind == "list" or not lacks_asked_amount(query, answer.text):
            return False
        # The fact the card shows: the closest fact, or another that states the detail asked.
        shown = [
            fact
            for fact in hit.section.facts
            if answer.kind == "fact"
            and (fact.answer in answer.text or _without_reply(fact.answer) in answer.text)
        ]
        counted = _counted_thing(query)
        return not any(
            AMOUNT_ASKED.search(question)
            and (
                # a question that names nothing it counts ("hoeveel dan ongeveer?") takes the
                # fact written for any "hoeveel"
                _counted_thing(question) == counted
                or not counted
                or not AMOUNT_STATED.search(fact.answer)
            )
            for fact in shown
            for question in fact.questions
        )

    def _hits_for(self, query: str, hits: list[Hit]) -> list[Hit]:
        """The hits in the order the card is chosen by, and the results are shown in: a section
        that is mostly a literal text (the oath) after the best one that is not, unless the
        question asks about wording (ABOUT_THE_WORDING); for a question about another
        government, the section about other governments first, so that no Rijk rule is
        presented as theirs."""
        if hits and is_a_literal_text(hits[0].section) and not ABOUT_THE_WORDING.search(query):
            hits = _first_where(hits, lambda section: not is_a_literal_text(section))
        if hits and about_other_government(query):
            hits = _first_where(hits, lambda section: section.for_other_governments)
        return hits

    def _closeness(
        self, hits: list[Hit], section: float, text: float, vector: np.ndarray
    ) -> Closeness:
        not_covered = self.index.not_covered_vectors @ vector
        closest = int(not_covered.argmax()) if len(not_covered) else None
        return Closeness(
            section,
            text,
            _closest(self.index.outside_vectors, vector),
            _closest(self.index.outside_question_vectors, vector),
            self._people_answered(hits, section, vector),
            float(not_covered[closest]) if closest is not None else -1.0,
            self.index.not_covered[closest] if closest is not None else None,
            self._other_government_answered(hits, section, vector),
        )

    def _note(self, reason: str, closeness: Closeness, vector: np.ndarray) -> NotCoveredNote | None:
        """The note of the detail not covered that the question came closest to, when that is
        why it gets no card, or when no written question of the top section fits while that
        detail's question does and leads ("Moet ik mijn werkgever vertellen dat ik op een
        kieslijst sta?"); for another government's own rules, the closest note about other
        governments."""
        if reason == OWN_RULES_NOT_COVERED:
            question = self._closest_not_covered(vector, self.other_government_questions)
        elif reason == ASKS_A_DETAIL_NOT_COVERED or (
            reason == NO_FITTING_QUESTION
            and self._detail_not_covered_leads(closeness)
            and closeness.not_covered >= self.policy.min_question_similarity
        ):
            question = closeness.not_covered_question
        else:
            return None
        if question is None:
            return None
        section = self.index.sections[question.section]
        return NotCoveredNote(section.id, section.url, section.not_covered[question.entry].note)

    def _closest_not_covered(
        self, vector: np.ndarray, among: list[int]
    ) -> NotCoveredQuestion | None:
        """Of the questions after details not covered numbered in among, the closest."""
        if not among:
            return None
        similarities = self.index.not_covered_vectors[among] @ vector
        return self.index.not_covered[among[int(similarities.argmax())]]

    def _people_answered(
        self, hits: list[Hit], section: float, vector: np.ndarray
    ) -> frozenset[str]:
        """The groups of other people named by the top section's written questions that come
        within people_question_reach of its closest: "Hoe beoordeelt de rechter een politieke
        uitspraak van een ambtenaar?" makes its section answer about judges only for questions
        close to it, not for "Mag een rechter lid zijn van een politieke partij?"."""
        naming = self.others.people_questions.get(hits[0].section_number, []) if hits else []
        if not naming:
            return frozenset()
        similarities = self.index.question_vectors[[number for number, _ in naming]] @ vector
        reach = self._reach(section)
        return frozenset().union(
            *(groups for (_, groups), s in zip(naming, similarities, strict=True) if s >= reach)
        )

    def _reach(self, section: float) -> float:
        """How close a written question of the top section must come for the section to
        answer for what it names: within people_question_reach of its closest (less a rounding
        margin: the closest question itself is always within reach)."""
        return section - self.policy.people_question_reach - SIMILARITY_ROUNDING

    def _other_government_answered(
        self, hits: list[Hit], section: float, vector: np.ndarray
    ) -> bool:
        """Whether a written question of the top section that names another government comes
        within people_question_reach of its closest: then the section answers about it."""
        naming = (
            self.questions_naming_other_governments.get(hits[0].section_number, []) if hits else []
        )
        if not naming:
            return False
        return bool((self.index.question_vectors[naming] @ vector >= self._reach(section)).any())

    def _a_sentence_that_asks_finds(self, query: str, hits: list[Hit]) -> bool:
        """For a question of several sentences: whether one of the sentences that ask, judged
        on its own, comes close enough to the top section's written questions and not to what
        lies outside. The story around a question draws it away from every short written
        question, and in a parliamentary question the first question is often only a lead-in
        ("Bent u bekend met het bericht ...?"). Each sentence costs an embedding, so this runs
        only for a question that would otherwise get no card."""
        if not hits or not hits[0].section.written_questions:
            return False
        for asking in asking_sentences(query)[:MAX_ASKING_SENTENCES]:
            # The story around it may use words the pages never do ("opblaast"); the sentence
            # that asks is held to its own share of known words.
            vector, coverage = self.retriever.vector_and_coverage(asking)
            match = self.retriever.question_scores(vector)
            _, best_piece = self.retriever.dense_scores(vector)
            top = hits[0].section_number
            closeness = self._closeness(hits, match.closest(top), float(best_piece[top]), vector)
            # The rules that read only the question passed before this runs.
            if not self._closeness_reason(query, hits[0], closeness, coverage):
                return True
        return False

    def withhold_reason(
        self, query: str, hits: list[Hit], closeness: Closeness, word_coverage: float
    ) -> str | None:
        """Why no section really answers, or None when one does; word_coverage is the share of
        the question's content words that the corpus knows."""
        if not hits:
            return "geen secties"
        return question_rule_reason(query, hits[0].section) or self._closeness_reason(
            query, hits[0], closeness, word_coverage
        )

    def _text_outweighs_topics(self, closeness: Closeness) -> bool:
        """Whether the top section's own text comes closer to the question than any outside
        topic, while its written questions clearly beat the outside questions. The topics are
        short lists of keywords that lie near many questions phrased as a situation ("Mijn
        teamleider gunt opdrachten aan zijn zwager. Waar kan ik terecht?" comes near the topic of
        a company's whistleblowing channel); the section's text is the better judge then."""
        return (
            closeness.text - closeness.outside_topic >= self.policy.text_topic_lead
            and closeness.section - closeness.outside_question
            >= self.policy.text_outside_question_margin
        )

    def _closeness_reason(
        self, query: str, top: Hit, closeness: Closeness, word_coverage: float
    ) -> str | None:
        """The rules that weigh how close the question comes to the top section, to what lies
        outside and to the pages' words."""
        has_questions = bool(top.section.written_questions)
        if has_questions and closeness.section < self.policy.min_question_similarity:
            return NO_FITTING_QUESTION
        # A question close to a detail the pages do not give is still about their subject, not
        # about a topic outside it.
        in_subject = max(closeness.section, closeness.not_covered)
        if in_subject - closeness.outside_topic < self.policy.min_outside_margin and not (
            self._text_outweighs_topics(closeness)
        ):
            return CLOSER_TO_AN_OUTSIDE_TOPIC
        if closeness.section - closeness.outside_question < self.policy.min_outside_question_margin:
            return CLOSER_TO_AN_OUTSIDE_QUESTION
        if self._detail_not_covered_leads(closeness):
            return ASKS_A_DETAIL_NOT_COVERED
        if (
            closeness.not_covered > closeness.section - self.policy.gap_words_margin
            and self._uses_the_words_of_the_gap(query, top, closeness.not_covered_question)
            # the name of the reader's employer is not the detail asked (one province's own
            # limit)
            and not asks_if_the_rijks_rule_is_theirs(query, top.section)
        ):
            return ASKS_A_DETAIL_NOT_COVERED
        if self._other_government_in_the_gap(query, top, closeness):
            return ASKS_A_DETAIL_NOT_COVERED
        if (
            has_questions  # the threshold is for question-to-question similarity
            and word_coverage < self.policy.min_word_coverage
            and closeness.section < self.policy.min_similarity_unknown_words
            and not looks_english(query)  # the corpus is Dutch: English words are unknown
            # ... and so does the clause that asks: the words of the situation before it are not
            # what is asked ("Ik word penningmeester van mijn hockeyclub, moet ik dat melden?").
            # Last: it splits the question into sentences and tokenizes again.
            and self.retriever.lexical.coverage(asking_clause(query))
            < self.policy.min_word_coverage
        ):
            return UNKNOWN_WORDS
        if (
            has_questions
            and closeness.section < self.policy.min_similarity_unknown_name
            and not looks_english(query)  # English names its terms with capitals
            and self.unknown_names(query)
            and not asks_if_the_rijks_rule_is_theirs(query, top.section)
        ):
            return UNKNOWN_NAME
        return self.others.reason(
            query,
            top.section_number,
            top.section,
            people=closeness.section < self.policy.min_similarity_other_people,
            people_answered=closeness.people_answered,
            employer=closeness.section < self.policy.min_similarity_other_employer,
        )

    def _uses_the_words_of_the_gap(
        self, query: str, top: Hit, closest: NotCoveredQuestion | None
    ) -> bool:
        """When a question comes as close to a detail next to the top section that the pages
        do not give as to the section's own questions, the words decide: one that only the
        detail's note and questions use ("naast" in "Welke kwaliteitseisen zijn er naast
        doenvermogen?", "opleiding", "bevindingen") shows that the question asks the gap.
        Dutch only: the section's text holds no English words."""
        if closest is None or closest.section != top.section_number or looks_english(query):
            return False
        gap = self.gap_words[(closest.section, closest.entry)]
        section = self.section_words[closest.section]
        return any(
            # a word the section has as the end of a compound ("wet" of "Ambtenarenwet") is
            # the section's too
            not any(
                known.endswith(word) and len(known) - len(word) >= MIN_COMPOUND_HEAD
                for known in section
            )
            for word in (self._content_words(query) & gap) - section
        )

    def _other_government_in_the_gap(self, query: str, top: Hit, closeness: Closeness) -> bool:
        """A question that names another government comes close to a detail the pages do not
        give that names one too ("Telt mijn eed bij de provincie mee als ik naar het Rijk
        ga?"), and the top section, not about other governments, answers no question close to
        it that names one: the government named is what the pages lack ("Ik heb bij mijn vorige
        werkgever, een provincie, al de eed afgelegd. Telt die ook nu ik bij een ministerie
        begin?")."""
        closest = closeness.not_covered_question
        return (
            closest is not None
            and closeness.not_covered >= self.policy.min_question_similarity
            and not closeness.other_government_answered
            and not top.section.for_other_governments
            # (a note of the section about other governments speaks for itself: the rules for
            # questions about other governments show it)
            and not self.index.sections[closest.section].for_other_governments
            and names_other_government(closest.text)
            and names_other_government(query)
        )

    def _content_words(self, text: str) -> set[str]:
        """The stemmed content words, less the words of a parliamentary question's frame."""
        return set(self.retriever.lexical.tokens(text)) - self.frame_words

    def unknown_names(self, query: str) -> list[str]:
        """The names in the question that the pages never use: an organisation, place or
        document they say nothing about (a bank's rules, one municipality's). In a comparison
        also a title of known words that the pages never write ("het verschil tussen het
        Beleidskompas en de Aanwijzingen voor de regelgeving"): the pages know one side only."""
        unknown = [
            name
            for name in NAME.findall(query.strip())
            if not all(
                # a compound of "Rijks" names the Rijk's own (Rijkstraineeship, Rijksportaal)
                word in self.known_name_words
                or (word.startswith(RIJK_PREFIX) and not word.startswith(NOT_THE_RIJK))
                for word in WORD.findall(name.lower())
            )
        ]
        if COMPARES.search(query):
            unknown += [
                title
                for title in TITLE.findall(query.strip())
                if " " in title and title.lower() not in self.page_text
            ]
        return unknown

    def _snippet(self, section: int, sentence_scores: np.ndarray) -> str:
        """A result's snippet: its best-matching sentences, cut at a word near SNIPPET_CHARS."""
        found = self.texts.best(section, sentence_scores, answers_only=False)
        if found:
            text = " ".join(self.texts.readable(found[0], answers_only=False))
        else:
            text = self.index.sections[section].text
        return _shorten(text, SNIPPET_CHARS)

    def compose(
        self, query: str, hit: Hit, query_vector: np.ndarray, sentence_scores: np.ndarray
    ) -> Answer | None:
        section = hit.section
        score = round(max(hit.question_similarity, hit.similarity), 4)
        if (
            LITERAL_QUESTION.search(query)
            and not wanted_details(query)
            and not ASKS_WHERE_TO_FIND.search(query)
            and section.quote_paragraphs
        ):
            quoted = [section.paragraphs[i] for i in section.quote_paragraphs]
            return self._answer(section, " ".join(quoted), quoted[0], score, "literal", quoted)
        answer = (
            self._list_answer(query, hit, sentence_scores, score)
            or self._fact_answer(query, hit, score)
            or self._answer_from_text(query, hit, query_vector, sentence_scores, score)
        )
        return self._with_wanted_detail(query, hit, answer, query_vector, sentence_scores)

    def _with_wanted_detail(
        self,
        query: str,
        hit: Hit,
        answer: Answer | None,
        query_vector: np.ndarray,
        sentence_scores: np.ndarray,
    ) -> Answer | None:
        """The answer, or, when it lacks the date, amount, period, name, article or address the
        question asks for, the short answer followed by the fact or statement that has it."""
        wanted = wanted_details(query)
        if not answer or answer.kind == "list" or not wanted or _holds(answer.text, wanted):
            return answer
        section, number, score = hit.section, hit.section_number, answer.score
        if _holds(section.short_answer, wanted):
            # A statement or fact alone that lacks the detail the short answer has: both, short
            # first; the link still highlights the statement.
            parts = (section.short_answer, _without_reply(answer.text))
            kind = "fact" if answer.kind == "fact" else "detail"
            return Answer(answer.id, answer.url, " ".join(parts), score, kind, parts)
        fact = self._asked_fact(hit, query_vector, wanted)
        if fact is not None:
            return self._fact_after_short_answer(hit, fact, score)
        asked = self._asked_detail(number, sentence_scores, wanted)
        if asked is None:
            return answer
        sentences = self.texts.readable(asked, answers_only=True)
        parts = (section.short_answer, " ".join(sentences))
        anchor = self.index.sentences[asked].text  # the sentence with the detail
        return self._answer(section, " ".join(parts), anchor, score, "detail", parts)

    def _fact_answer(self, query: str, hit: Hit, score: float) -> Answer | None:
        """The answer of the fact with the section's closest fact question, when that question
        is close enough and at most fact_reach less close than the section's own: after the
        short answer, which states the section's rule (a question close to a fact's can still
        be after the section as a whole); alone for a question after a detail when its question
        is clearly closer than the section's own, or in a section without a short answer when
        it is the closest at all."""
        if hit.fact < 0 or hit.fact_similarity < self.policy.min_fact_similarity:
            return None
        if hit.section.short_answer:
            if hit.fact_similarity < hit.own_question_similarity - self.policy.fact_reach:
                return None
            clearly = hit.fact_similarity >= hit.own_question_similarity + self.policy.fact_lead
            if not (clearly and asks_for_detail(query)):
                return self._fact_after_short_answer(hit, hit.fact, score)
        elif hit.fact_similarity < hit.own_question_similarity:
            return None
        fact = hit.section.facts[hit.fact].answer
        if asks_openly(query):
            # "Sinds wanneer mag ik extern melden?" is no yes/no question: a "Nee," written for
            # one of the fact's yes/no questions would read as a reply to it.
            fact = _without_reply(fact)
        anchor = self.fact_support.get((hit.section_number, hit.fact), "")
        return self._answer(hit.section, fact, anchor, score, "fact")

    def _fact_after_short_answer(self, hit: Hit, fact: int, score: float) -> Answer:
        parts = (hit.section.short_answer, _without_reply(hit.section.facts[fact].answer))
        anchor = self.fact_support.get((hit.section_number, fact), "")
        return self._answer(hit.section, " ".join(parts), anchor, score, "fact", parts)

    def _asked_fact(
        self, hit: Hit, query_vector: np.ndarray, wanted: list[DetailTest]
    ) -> int | None:
        """When the card lacks the date, amount, period, name, article or address the question asks
        for: the section's fact whose answer states one and whose written question is the
        closest, when that question is within reach of the closest of the section. A fact
        that replies yes or no answers another question. None when none."""
        if not hit.section.short_answer:
            return None
        facts = hit.section.facts
        stating = [not REPLY.match(f.answer) and _holds(f.answer, wanted) for f in facts]
        written_for = self.retriever.question_facts  # per question in index.questions
        in_section = np.flatnonzero(self.retriever.question_sections == hit.section_number)
        holding = [q for q in in_section if written_for[q] >= 0 and stating[written_for[q]]]
        if not holding:
            return None
        similarities = self.index.question_vectors[holding] @ query_vector
        best = int(np.argmax(similarities))
        reach = hit.question_similarity - self.policy.asked_fact_reach
        return int(written_for[holding[best]]) if similarities[best] >= reach else None

    def _answer_from_text(
        self,
        query: str,
        hit: Hit,
        query_vector: np.ndarray,
        sentence_scores: np.ndarray,
        score: float,
    ) -> Answer | None:
        """The short answer, the best statement, or the short answer followed by it."""
        section, number = hit.section, hit.section_number
        found = self.texts.best(number, sentence_scores, answers_only=True)
        if not section.short_answer:
            return self._sentence_answer(section, found, score)
        short_similarity = float(self.short_answer_vectors[number] @ query_vector)
        if self._sentence_wins(query, found, short_similarity):
            # A question after a detail gets the statement alone; any other question gets it
            # after the short answer, which states the rule the statement may only hint at.
            if asks_for_detail(query):
                return self._sentence_answer(section, found, score)
            detail = self._adds_to(section.short_answer, found)
        elif found and found[1] >= short_similarity - self.policy.detail_margin:
            detail = self._adds_to(section.short_answer, found)
        else:
            detail = []
        if detail:
            parts = (section.short_answer, " ".join(detail))
            return self._answer(section, " ".join(parts), detail[-1], score, "detail", parts)
        support = self.support.get(number)
        anchor = self.index.sentences[support].text if support is not None else ""
        return self._answer(section, section.short_answer, anchor, score, "short_answer")

    def _sentence_answer(
        self, section: Section, found: tuple[int, float] | None, score: float
    ) -> Answer | None:
        if not found:
            return None
        sentences = self.texts.readable(found[0], answers_only=True)
        return self._answer(section, " ".join(sentences), sentences[-1], score, "sentence")

    def _asked_detail(
        self, section: int, sentence_scores: np.ndarray, wanted: list[DetailTest]
    ) -> int | None:
        """When the card lacks the date, amount, period, name, article or address the question asks
        for and the short answer has none either: the section's best statement that holds one,
        within reach of its best statement, to follow the short answer. None when none."""
        if not self.index.sections[section].short_answer:
            return None
        best = self.texts.best(section, sentence_scores, answers_only=True)
        holding = sentence_scores.copy()
        for number in self.texts.sentences(section):
            if not _holds(self.index.sentences[number].text, wanted):
                holding[number] = -np.inf
        found = self.texts.best(section, holding, answers_only=True)
        if not found or not best or found[1] < best[1] - self.policy.asked_detail_reach:
            return None
        return found[0]

    def _sentence_wins(
        self, query: str, found: tuple[int, float] | None, short_similarity: float
    ) -> bool:
        """The best sentence matches the question better than the short answer: at all, for a
        question after a detail (it then answers alone), by a margin otherwise (it then follows
        the short answer)."""
        if not found:
            return False
        margin = 0.0 if asks_for_detail(query) else self.policy.sentence_margin
        return found[1] > short_similarity + margin

    def _adds_to(self, short_answer: str, found: tuple[int, float] | None) -> list[str]:
        """The statement (made readable), when it says something the short answer does not:
        its meaning is not the short answer's, and at least MIN_NEW_WORDS of its content words
        are new. Empty otherwise."""
        if not found:
            return []
        section = self.index.sentences[found[0]].section
        sameness = float(self.index.sentence_vectors[found[0]] @ self.short_answer_vectors[section])
        if sameness >= REPEATS_SHORT_ANSWER:
            return []
        sentences = self.texts.readable(found[0], answers_only=True)
        known = set(CONTENT_WORD.findall(short_answer.lower()))
        words = CONTENT_WORD.findall(" ".join(sentences).lower())
        new = [w for w in words if w not in known]
        return sentences if words and len(new) / len(words) >= MIN_NEW_WORDS else []

    def _list_answer(
        self, query: str, hit: Hit, sentence_scores: np.ndarray, score: float
    ) -> Answer | None:
        """For "welke vijf stappen ...": the section's list that fits, with its lead-in.

        Only a list whose introducing paragraph has a word of the question other than the
        page's subject ("welke stappen" and "Het Beleidskompas heeft vijf stappen.") or that
        holds the section's best-matching sentence: "welke" opens a question about one thing
        ("welke wet ...") as often, and a count may be another list's. An English question
        with a count is exempt (its words are never the lead-in's). Without a count, a question
        after a detail (a date, a publication) gets no list that lacks it.
        """
        section = hit.section
        steps = STEP_RANGE.search(query)
        if not (LIST_CUE.search(query) or steps) or not section.lists:
            return None
        count = COUNT.search(query)
        wanted, at_least = None, 0
        if steps:  # "stap 2 tot en met 4": a list that reaches the last step asked
            at_least = _count_value(steps.group("last"))
        elif count:
            wanted = _count_value(count.group(1))
        lists = [
            items
            for items in section.lists
            if wanted in (None, len(items)) and len(items) >= at_least
        ]
        if not lists or (wanted is None and len(section.lists) > 1):
            return None
        lead = self._lead_in(section, lists[0][0])
        items = tuple(_shorten(section.paragraphs[i], LIST_ITEM_CHARS) for i in lists[0])
        if not (steps or count) and asks_one_thing_the_list_does_not_name(query, lead, items):
            return None
        # A count of another list ("welke drie fouten" and a list of three events) is no answer
        # either; in English no word of the question is the lead-in's, so there the count
        # decides.
        if (wanted is None or not looks_english(query)) and not (
            self._introduced_with_a_word_of(query, section, lists[0][0])
            or self._holds_best_sentence(hit, lists[0], lead, sentence_scores)
        ):
            return None
        details = wanted_details(query)
        if not (steps or count) and details and not _holds(" ".join((lead, *items)), details):
            return None  # "welke Staatscourant", "welke datum": one thing, which the list lacks
        text = " ".join([lead, *(f"• {item}" for item in items)] if lead else items)
        return self._answer(section, text, lead or items[0], score, "list", items)

    @staticmethod
    def _introduced_with_a_word_of(query: str, section: Section, first_item: int) -> bool:
        """The paragraph before the list has a content word of the query that is not a
        question word or a word of the page's title."""
        if first_item == 0:
            return False
        ignored = LIST_STOPWORDS | set(CONTENT_WORD.findall(section.page_title.lower()))
        asked = set(CONTENT_WORD.findall(query.lower())) - ignored
        before = section.paragraphs[first_item - 1].lower()
        return bool(asked & set(CONTENT_WORD.findall(before)))

    def _holds_best_sentence(
        self, hit: Hit, items: tuple[int, ...], lead: str, sentence_scores: np.ndarray
    ) -> bool:
        """The section's sentence that matches the question best is the list's lead-in or
        part of one of its items."""
        found = self.texts.best(hit.section_number, sentence_scores, answers_only=False)
        if not found:
            return False
        best = self.index.sentences[found[0]].text
        return best == lead or any(best in hit.section.paragraphs[i] for i in items)

    @staticmethod
    def _lead_in(section: Section, first_item: int) -> str:
        """The sentence just before a list when it introduces it ("... vijf stappen:")."""
        if first_item == 0:
            return ""
        before = split_sentences(section.paragraphs[first_item - 1])
        return before[-1] if before and before[-1].rstrip().endswith(":") else ""

    @staticmethod
    def _answer(
        section: Section, text: str, anchor: str, score: float, kind: str, items=()
    ) -> Answer:
        fragment = text_fragment(anchor) if anchor else ""
        return Answer(section.id, f"{section.url}{fragment}", text, score, kind, tuple(items))


# Keyword search gives an answer card only when all the question's words are known and the
# best section scores at least this many times the second best.
KEYWORD_SURE_RATIO = 2.0


class KeywordSearcher:
    """BM25 alone, for the time before the semantic index of a fresh checkout is built: the
    site searches at once, and the index is swapped in live when it is published.

    Honest about its lower confidence: the API reports mode "lexical", and there is an answer
    card only when one section clearly wins a question whose words the corpus all knows.
    """

    mode = "lexical"

    def __init__(
        self,
        sections: list[Section],
        rijk_names: list[str],
        everyday_names: Sequence[str] = (),
        abbreviations: Sequence[str] = (),
    ) -> None:
        self.sections = sections
        self.others = OtherAudiences(sections, rijk_names)
        self.lexical, self.speller = keyword_matching(sections, everyday_names)
        self.abbreviations = Abbreviations(abbreviations)

    def cached(self, query: str, k: int, mode: str = "hybrid") -> SearchOutcome | None:
        return None  # nothing to save: BM25 takes about a millisecond

    def search(self, query: str, k: int, mode: str = "lexical") -> SearchOutcome:
        query = searched_text(query, self.abbreviations)
        match = self.lexical.match(self.speller.correct(query))
        order = [int(i) for i in np.argsort(-match.scores, kind="stable")[:k] if match.scores[i]]
        results = [
            Result(self.sections[i], float(match.scores[i]), self._snippet(self.sections[i]))
            for i in order
        ]
        ranked = sorted(match.scores, reverse=True)
        sure = (
            len(order) > 0
            and match.coverage >= 1.0
            and (len(ranked) < 2 or ranked[0] >= KEYWORD_SURE_RATIO * ranked[1])
        )
        top = self.sections[order[0]] if order else None
        if not (sure and top and top.short_answer):
            return SearchOutcome(results, None, "trefwoorden alleen: niet zeker genoeg")
        reason = self._withhold_reason(query, order[0])
        if reason:
            return SearchOutcome(results, None, reason)
        answer = Answer(top.id, top.url, top.short_answer, 0.0, "short_answer")
        lacking = card_lacks_what_is_asked(query, top, answer)
        if lacking:
            return SearchOutcome(results, None, lacking)
        return SearchOutcome(results, answer)

    def _withhold_reason(self, query: str, top: int) -> str | None:
        """The semantic search's rules that need no vectors, in its order: those that read only
        the question (`question_rule_reason`), no rule presented as the rules of other people or
        of another employer, and no card without the amount a "hoeveel ...?" asks for (the
        checks of the card itself follow, `card_lacks_what_is_asked`). The semantic search lets
        a question about other people or another employer through when it comes very close to
        a written question; keyword search has no such measure and never does."""
        section = self.sections[top]
        reason = question_rule_reason(query, section)
        if reason:
            return reason
        others = self.others.reason(query, top, section)
        if others:
            return others
        if lacks_asked_amount(query, section.short_answer):
            return NO_AMOUNT
        return None

    @staticmethod
    def _snippet(section: Section) -> str:
        return _shorten(section.paragraphs[0] if section.paragraphs else "", SNIPPET_CHARS)
