"""Number-like things that are not claims: dates, times of day, references, phones, addresses.

Each pattern marks a span; a numeral inside one of these spans is never a claim. Checks that
need the numeral's own surroundings (model names, ordinals, bare years) live in quantities.py.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from .lexicon import words

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
    # written in lower case too ("june 3"), except "may" and "march", which are also verbs
    r"|january|february|april|june|july|august|september|october|november|december)"
)
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d)"

_DATE_PATTERNS = [
    # March 30 / March 1-2, 2025 / March 30 - April 2
    rf"\b{MONTH}\s+{DAY}(?!\d)(?:\s*[-–—]\s*(?:{MONTH}\s+)?{DAY}(?!\d))?(?:,?\s+{YEAR}\b)?",
    # 30 March 2025 / 1-2 March / between 5 and 8 August / from 5 to 8 August
    rf"\b(?:(?<=[Bb]etween\s)|(?<=[Ff]rom\s)){DAY}\s+(?:and|to|until|through)\s+{DAY}"
    rf"\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR}\b)?",
    rf"\b{DAY}(?:\s*[-–—]\s*{DAY})?\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR}\b)?",
    rf"\b{MONTH},?\s+{YEAR}\b",
    r"\b\d{4}-\d{1,2}-\d{1,2}\b",
    r"\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b",
]
DATE = re.compile("|".join(_DATE_PATTERNS))

_LAW_WORDS_ANY_CASE = (
    r"articles?|art\.|laws?|decrees?|resolutions?|sections?|paragraphs?|clauses?|chapters?|"
    r"protocols?|directives?|amendments?|pages?|pp?\.|vol\.|nos?\.|#|№|military\s+unit|"
    r"case\s+no\.?|bldg\.|apt\.|flat|house\s+no\.?|"
    # designations after a common noun: "reactors 1 and 6", "type 2", "power units 3 and 4"
    r"reactors?|(?:power\s+)?units|types?|categor(?:y|ies)|tiers?"
)
_LAW_WORDS_CAPITALISED = (
    r"Part|Unit|Highway|Route|Flight|Building|House|Apartment|Room|School|Gymnasium|Lyceum|"
    r"Colony|Camp|Hospital|Stage|Phase|Round|Order|Case|Table|Figure|Bill|Point|Issue|Volume|"
    r"Item|Annex|Appendix|Block|Platform|Gate|Pavilion|Sector|Zone|Hall|Hill|Height|Brigade|"
    r"Battalion|Regiment|Division|Squadron|Version|Step|Exercise|Problem|Question|Lesson|Task|"
    r"Level|Grade|Terminal|Exit|Floor|Ward|Lot|Batch|Episode|Season|Track|Channel|Line"
)
# A further member of a list of designations ("Articles 5 and 6 of", "reactors 1 and 6 were")
# is no figure with a noun of its own: "Hill 223 and 30 prisoners" counts prisoners.
_LIST_GOES_ON = (
    r"(?![\d.,]*\s+(?!(?:were|was|are|is|have|has|had|will|would|could|can|may|remain|remained"
    r"|of|at|in|on|to|and|or|the|for|from|with|by|as|near|which|that|who|where|when)\b)[a-z])"
)
_REF_TAIL = (
    r"\s*(?:No\.?\s*|#\s*|№\s*)?\d[\d.,:/]*(?:-[A-Za-zА-Яа-я]+)?"
    rf"(?:\s*(?:,|and|or|-|–)\s*\d[\d.,]*{_LIST_GOES_ON})*"
)

_OTHER_PATTERNS = [
    # enumerators "(1) seizing ... and (2) destroying"
    r"\(\s*\d{1,2}\s*\)(?=\s+[a-z])",
    # footnote markers "[26]" "[3, 4]"
    r"\[\s*\d+[a-z]?(?:\s*[,–-]\s*\d+[a-z]?)*\s*\]",
    # times of day
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?!\d)",
    r"(?<![\d.,])\b\d{1,2}(?:\.\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b|o[’']clock)",
    r"\b\d{4}\s*(?:hours|hrs|local\s+time|GMT|UTC|Kyiv\s+time|Moscow\s+time)\b",
    # web addresses and e-mail
    r"(?:https?://|www\.)\S+",
    r"[\w.+-]+@[\w-]+\.[\w.]+",
    # phone numbers: a leading +, an area code in brackets, or three or more dashed groups
    r"\+\d[\d\s().-]{6,}\d",
    r"\(\d{2,5}\)\s?\d[\d\s-]{4,}\d",
    r"\b\d{1,4}(?:-\d{2,4}){3,}\b",
    # national phone formats: a trunk 0 and two or more groups ("0800 500 335", "044 234 5678"),
    # and the North American 3-3-4 ("555 867 5309")
    r"(?<![\d,.])\(?0\d{1,4}\)?(?:[\s.-]\d{2,4}){2,}(?![\d,])",
    r"(?<![\d,.])\d{3}[\s.-]\d{3}[\s.-]\d{4}(?![\d,])",
    # IP addresses, version strings with two or more dots, IPv6
    r"\b\d{1,3}(?:\.\d{1,3}){3}\b",
    r"\bv?\d+(?:\.\d+){2,}\b",
    # "a 4.1 release", "the 0.21.x branch", "version 0.4": software versions
    r"\b\d+(?:\.\d+)+(?:\.x)?\s+(?:release|version|update|build|patch|branch|beta|series)s?\b",
    r"(?i:\b(?:version|release|build|firmware|kernel|api\s+level)\s+v?\d+(?:\.\d+)*)",
    r"(?i:\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){3,7}\b)",
    # sports results: a result verb, then "3-1", "2–2", "0:0"
    r"(?i:\b(?:won|wins?|beat|beats|lost|loses?|drew|draws?|defeated|defeats?|edged|thrashed"
    r"|scored?|victory|match|final|game|led|leads|trailed|tied|ended|finished)\b)"
    r"(?:\s+[\w.’']+){0,3}?\s+\d{1,3}\s*[-–:]\s*\d{1,3}(?!\d|\s*%|\s*per)",
    # street addresses
    r"\b\d+[A-Za-z]?\s+(?:[A-Z][\w’'-]+\s+){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|"
    r"Boulevard|Blvd\.?|Lane|Prospekt|Prospect|Drive|Embankment|Alley|Square|Way|Place)\b",
    r"\b(?:Street|St\.|Avenue|Ave\.|Prospekt|Prospect|Boulevard|Lane|Road|vulytsia|vul\.|"
    r"ulitsa|ul\.)\s*,?\s*\d+[A-Za-z]?(?:/\d+)?\b",
    # "vul. Shevchenka 25", "14 rue de la Paix": street words that are written in lower case
    r"\b(?:vulytsia|vul\.|ulitsa|ul\.|prosp\.)\s*(?:[A-Z][\w’'-]+\s+){1,2}\d+[A-Za-z]?\b",
    r"\b\d+[A-Za-z]?,?\s+(?:rue|via|calle|avenida|strasse|straße|ulica|vulytsia|vul\.)\s",
    # calibres are part of equipment names ("152mm artillery", "7.62x39mm"); a figure in mm
    # before anything else is a length ("26,461 mm of rain", "less than 1 mm")
    r"\b\d+(?:[.,]\d+)?(?:\s*[x×]\s*\d+\s*-?\s*mm\b|\s*-?\s*mm\b(?=[\s-]+(?:[\w-]+\s+){0,2}"
    r"(?:shells?|rounds?|artillery|guns?|howitzers?|mortars?|cannons?|ammunition|munitions"
    r"|rifles?|pistols?|calibre|caliber|cartridges?|projectiles?|ammo|bullets?|grenades?"
    r"|launchers?|weapons?|systems?|barrels?)\b))",
    # coordinates
    r"\b\d+(?:\.\d+)?\s*°\s*(?:\d+(?:\.\d+)?\s*[′']\s*)?(?:\d+(?:\.\d+)?\s*[″\"]\s*)?[NSEW]\b",
    # statutes, public laws and bills: "22 U.S.C. §2763", "5 U.S.C. § 419(b)(1)", "§5590",
    # "P.L. 117-128", "Pub. L. No. 117-328", "H.R. 815", "H.Res. 956, S.Res. 546"
    r"\b\d+\s+U\.\s?S\.\s?C\.(?:\s*§+)?\s*\d+[\w.]*(?:\(\w{1,4}\))*",
    r"§+\s*\d+[\w.]*(?:\(\w{1,4}\))*",
    r"\b(?:P\.\s?L\.|Pub\.\s?L\.(?:\s*No\.)?)\s*\d+[-–]\d+",
    r"\b(?:H\.\s?R\.|H\.\s?(?:J\.\s?|Con\.\s?)?Res\.|S\.\s?(?:J\.\s?|Con\.\s?)?Res\.)\s*\d+\b",
    # a year cut to two digits: "since February ‘22", "in '23" (not "he said '40 people'")
    rf"\b(?:{MONTH}|(?i:since|in|of|from|until|to|by)|FY)\s+[’'‘]\d{{2}}\b(?!\s*(?:%|percent))",
]

NON_CLAIM = re.compile(
    "|".join(
        [
            DATE.pattern,
            *_OTHER_PATTERNS,
            rf"(?i:\b(?:{_LAW_WORDS_ANY_CASE})){_REF_TAIL}",
            rf"\b(?:{_LAW_WORDS_CAPITALISED}){_REF_TAIL}",
        ]
    )
)


_FOOTNOTE_TAIL = re.compile(r"\d*[a-z]?(?:\s*[,–-]\s*\d+[a-z]?)*\s*\]")
_WINDOW = 40
_REF_ANY = rf"(?i:\b(?:{_LAW_WORDS_ANY_CASE})){_REF_TAIL}"
_REF_CAPITALISED = rf"\b(?:{_LAW_WORDS_CAPITALISED}){_REF_TAIL}"
# The patterns each kind of cue can need: a word next to the numeral tells which few of the
# NON_CLAIM patterns may match, so only those run (the full alternation is several times
# slower). Glued punctuation can belong to almost any of them and runs them all.
_GROUPS = {
    "date": [DATE.pattern],
    "time": _OTHER_PATTERNS[2:5],
    "address": _OTHER_PATTERNS[18:22],
    "calibre": [_OTHER_PATTERNS[22]],
    "software": _OTHER_PATTERNS[14:16],
    "ref": [_REF_ANY, _REF_CAPITALISED],
    "legal": _OTHER_PATTERNS[24:29],
}
_GROUP_WORDS = {
    "date": "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec",
    "ref": "article articles art law laws decree decrees resolution resolutions section sections "
    "paragraph paragraphs clause clauses chapter chapters protocol protocols directive "
    "directives amendment amendments page pages p pp vol no nos unit case bldg apt flat house "
    "part highway route flight building apartment room school gymnasium lyceum colony camp "
    "hospital stage phase round order table figure bill point issue volume item annex appendix "
    "block platform gate pavilion sector zone hall hill height brigade battalion regiment "
    "division squadron version step exercise problem question lesson task level grade "
    "terminal exit floor ward lot batch episode season track channel line reactor reactors "
    "units type types category categories tier tiers",
    "address": "street st avenue ave road rd boulevard blvd lane prospekt prospect drive "
    "embankment alley square way place vulytsia vul ulitsa ul rue via calle avenida strasse "
    "straße ulica prosp",
    "time": "a.m p.m am pm hours hrs local gmt utc o’clock o'clock",
    "calibre": "mm",
    "software": "release releases version versions update build patch branch beta series "
    "firmware kernel",
    "legal": "u.s.c p.l pub h.r h.res s.res h.j.res s.j.res h.con.res s.con.res",
}
_WORD_CUES: dict[str, frozenset[str]] = {}
for _group, _words in _GROUP_WORDS.items():
    for _word in words(_words):
        _WORD_CUES[_word] = _WORD_CUES.get(_word, frozenset()) | {_group}
_ALL = frozenset(("all",))
# Cue words that are one run of ASCII letters, and what betrays the others in the text.
_PLAIN_CUES = frozenset(w for w in _WORD_CUES if w.isascii() and w.isalpha())
# "a.m", "p.m", "o’clock", "straße": the others
_OTHER_CUE_MARKS = (".m", "clock", "straße", "u.s.c", "p.l", "h.r", ".res")
assert all(any(m in w for m in _OTHER_CUE_MARKS) for w in _WORD_CUES if w not in _PLAIN_CUES)


def _words_cued(text: str, lowered: set[str]) -> bool:
    if not _PLAIN_CUES.isdisjoint(lowered):
        return True
    low = text.lower()
    return any(mark in low for mark in _OTHER_CUE_MARKS)


_MONTH_NAMES = frozenset(
    words(
        "January February March April May June July August September October November December "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec january february april june july "
        "august september october november december"
    )
)
_GLUED_BEFORE = frozenset("+(/@#№:-–.§’'‘")
_GLUED_AFTER = frozenset(":/-–°x×]")
_STRIP = '.,;()[]“”"'
_LINE_OPENING = re.compile(r'[ \t"“(•*-]*')  # fails at the first other character: O(1)


@cache
def _group_pattern(groups: frozenset[str]) -> re.Pattern[str]:
    if "all" in groups:
        return NON_CLAIM
    return re.compile("|".join(p for g in sorted(groups) for p in _GROUPS[g]))


def _cue(text: str, start: int, end: int, words_cued: bool = True) -> frozenset[str] | None:
    """Which NON_CLAIM patterns the surroundings of a numeral call for, or None.
    ``words_cued`` is False when the sentence holds none of the cue words."""
    before = text[max(0, start - 24) : start]
    near = before[-6:]  # "(202) 555", "+380 44", "[3, 4]": the sign is a few characters back
    if before[-1:] in _GLUED_BEFORE or "+" in near or "(" in near or "[" in near:
        return _ALL
    after = text[end : end + 40]
    if after[:1] in _GLUED_AFTER or (after[:1] in ". " and after[1:2].isdigit()):
        return _ALL  # also "0800 500 335": another group of digits right after
    if before.rstrip()[-1:].isdigit() or text[start : start + 1] == "0":
        return _ALL  # the second group of a phone number, or a trunk 0
    if after[:2].lower() == "mm":
        return _WORD_CUES["mm"]
    if not words_cued:
        return None
    found: frozenset[str] | None = None
    # Four words back: "reactors 1 and 6", "Articles 5, 6": the cue of a list is before its
    # first member (a cue only chooses patterns; a pattern must still cover the numeral).
    for word in before.split()[-4:] + after.split()[:4]:
        groups = _WORD_CUES.get(word.strip(_STRIP).lower())
        if groups is not None:
            found = groups if found is None else found | groups
    return found


def _has_cue(text: str, start: int, end: int) -> bool:
    return _cue(text, start, end) is not None


class Masker:
    """Answers "is the numeral at [start, end) inside a non-claim?" for one sentence.

    It looks only at a window around each numeral asked about, so its cost follows the
    number of numerals, not the length of the text. ``extra`` spans (such as "in the last 24
    hours") are masked too.
    """

    __slots__ = ("extra", "text", "words_cued")

    def __init__(
        self,
        text: str,
        extra: list[tuple[int, int]] | None = None,
        lowered: set[str] | None = None,
    ) -> None:
        self.text = text
        self.extra = extra or []
        # Whether any cue word can be next to a numeral, from the sentence's set of lower-case
        # letter runs (``lowered``, when the caller has it): most sentences have none, and
        # then no numeral needs its neighbouring words looked up.
        self.words_cued = lowered is None or _words_cued(text, lowered)

    def __call__(self, start: int, end: int) -> bool:
        text = self.text
        if start and text[start - 1] == "[" and _FOOTNOTE_TAIL.match(text, start):
            return True  # footnote marker, by far the most common case
        if self.extra:
            at = bisect.bisect_left(self.extra, (end,)) - 1  # sorted, not overlapping
            if at >= 0 and self.extra[at][1] > start:
                return True
        if (
            text[end : end + 1] in (".", ")")
            and text[end + 1 : end + 2] in ("", " ", "\t")
            and _LINE_OPENING.fullmatch(text, 0, start)
        ):
            return True  # "1. Russian forces attacked": a list enumerator opening the line
        previous = text[max(0, start - 12) : start].rsplit(None, 1)
        if previous and previous[-1].rstrip(".") in _MONTH_NAMES:
            return True  # "March 30": the most common non-claim after footnotes
        groups = _cue(text, start, end, self.words_cued)
        if groups is None:
            return False  # nothing next to the numeral that any non-claim pattern needs
        lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
        for match in _group_pattern(groups).finditer(text, lo, hi):
            if match.start() >= end:
                break  # matches come in order: none later can cover the numeral
            if start < match.end():
                return True
        return False


def non_claim_spans(sentence: str) -> list[tuple[int, int]]:
    """Return the spans of ``sentence`` where a numeral is not a claim."""
    if not any(ch.isdigit() for ch in sentence):
        return []
    return [m.span() for m in NON_CLAIM.finditer(sentence)]
