"""Places and actors named in a sentence, by gazetteer-free heuristics.

Capitalised spans, "Oblast"-style suffixes, quoted organisation names and acronyms are
enough for review and grouping; nothing here needs a network or a model.
"""

from __future__ import annotations

import re

from .lexicon import words

_QUOTED = r"[“\"](?:[A-Z][^”\"]{0,60})[”\"](?:\s+[A-Z][\w’'-]*)*"
_CAP_WORD = r"[A-Z][\w’'ʼ]*(?:-[A-Z][\w’'ʼ]*)*\.?"
# A date never continues a name: "near Tokmak on November 1" names Tokmak, "As of June 1" no one.
_NO_DATE = (
    r"(?!(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday|Christmas|Easter|New\s+Year)\b)"
)
_SPAN = re.compile(
    rf"{_QUOTED}|{_CAP_WORD}(?:(?:\s+(?:of(?:\s+the)?|for(?:\s+the)?|and|on|de|al))?"
    rf"\s+{_NO_DATE}{_CAP_WORD})*"
)
PLACE_SUFFIXES = frozenset(
    words(
        "Oblast Oblasts Krai Raion Region Republic District City Hromada Peninsula Island Islands "
        "Sea River Reservoir Mountains Village Okrug Municipality Province County "
    )
)
ACTOR_SUFFIXES = frozenset(
    words(
        "Foundation Agency Ministry Service Staff Guard Forces Army Division Brigade Regiment "
        "Corps "
        "Council Committee Administration Government Office Party Movement Group Company Court "
        "Commission Union Organization Organisation Institute University Center Centre Bureau "
        "Department Parliament Duma Kremlin Navy Fleet Police Directorate Prosecutor Authority "
        "Assembly Fund Network Battalion Detachment Legion Rosgvardia Command Coalition "
        # organisations and outlets that "from the ..." or "to the ..." would make places
        "Bank Nations Headquarters Mission Programme Program Update Wire News Press Media "
        "Post Times Channel Bulletin Operator "
    )
)
# Platforms a text is posted or translated from ("Translated from Telegram", "wrote on X"):
# neither a place nor an actor of the fact.
PLATFORMS = frozenset(
    words("Telegram Facebook Twitter X Viber WhatsApp YouTube Instagram TikTok VKontakte Signal")
)
# Words after which a capitalised name is a place: "in Moscow", "near Kreminna", "west of
# Kurakhove", "occupied Rubizhne", "seized Novoselivka". A bare "of" is not enough
# ("Ministry of Defense").
_LOCATIVE = re.compile(
    r"\b(?:(?:in|near|from|to|into|around|toward|towards|outside|across|through|at|via|within"
    r"|between|occupied|liberated|seized|captured|entered|struck|shelled|attacked|direction)"
    r"|(?:north|south|east|west|northeast|northwest|southeast|southwest|outskirts|vicinity"
    r"|suburbs|center|centre)\s+of(?:\s+occupied)?)\s+(?:the\s+)?$"
)
_POSSESSIVE = re.compile(r"[’']s$")
_LOCATIVE_WORDS = frozenset(
    words(
        "in near from to into around toward towards outside across through at via within "
        "between occupied liberated seized captured entered struck shelled attacked direction"
    )
)
_SIDE_WORDS = frozenset(
    words(
        "north south east west northeast northwest southeast southwest outskirts vicinity "
        "suburbs center centre"
    )
)
# "the ports of Chornomorsk and Pivdennyi", "the towns of Oleshky and Hola Prystan": a place.
_PLACE_NOUNS = frozenset(
    words(
        "port ports town towns city cities village villages settlement settlements region "
        "regions community communities district districts"
    )
)
_PLACE_ADJECTIVES = frozenset(
    words(
        "neighbouring neighboring nearby frontline front-line central eastern western northern "
        "southern border embattled besieged"
    )
)
_TRAILING_WORD = re.compile(r"[A-Za-z]+$")


def _is_locative(before: str) -> bool:
    """Whether ``before`` ends with a locative: "in ", "near the ", "west of occupied ".
    The same test as _LOCATIVE, on the last words instead of a regex search."""
    if not before[-1:].isspace():
        return False
    tokens = before.split()
    if tokens and tokens[-1] in _PLACE_ADJECTIVES:
        tokens.pop()  # "in neighbouring Volyn", "near frontline Huliaipole"
    if tokens and tokens[-1] == "the":
        tokens.pop()
    if not tokens:
        return False
    last = _TRAILING_WORD.search(tokens[-1])
    if last is None:
        return False
    word = last.group()
    if len(tokens) == 1 and word in _LOCATIVE_OPENERS:
        word = word.lower()  # "In neighbouring Volyn, ..."
    if word in _LOCATIVE_WORDS and last.group() == tokens[-1][-len(word) :]:
        return True
    if word == "occupied" and len(tokens) >= 3 and tokens[-2] == "of":
        side = _TRAILING_WORD.search(tokens[-3])
        return side is not None and side.group() in _SIDE_WORDS
    if word == "of" and len(tokens) >= 2:
        side = _TRAILING_WORD.search(tokens[-2])
        return side is not None and (side.group() in _SIDE_WORDS or side.group() in _PLACE_NOUNS)
    return False


_LOWER_REGION = re.compile(r"\s+(region|oblast|district|raion)\b")
_LOCATIVE_OPENERS = frozenset(words("In Near Outside Around Across Inside Towards Toward"))
_LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_NOT_NAMES = frozenset(
    words(
        "The A An In On At As By For From To Of If It Its This That These Those There Their They "
        "He She We I But And Or So Yet Instead However Meanwhile Also Some Several Many Such "
        "Russian Ukrainian Soviet Western Belarusian American European Iranian Chinese Key "
        "January February "
        "March April May June July August September October November December Monday Tuesday "
        "Wednesday Thursday Friday Saturday Sunday "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
        "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Dozens Hundreds Thousands "
        "Takeaways Geolocated Another Kremlin-affiliated Our My His Her Your Christmas Easter "
        "Russian-controlled "
    )
)
_TITLES = re.compile(
    r"^(?:President|Governor|Minister|Head|Commander|Spokesperson|Spokesman|General|Colonel|"
    r"Deputy|Chairman|Chair|Mayor|Senator|Prime|Defense|Foreign|Secretary|Ombudsman|Advisor)\b"
)


def _clean(span: str) -> str:
    words = span.split()
    # "Friday's Russian strike": a possessive date or article opens no name either.
    while words and _POSSESSIVE.sub("", words[0]) in _NOT_NAMES and len(words) > 1:
        words.pop(0)
    name = " ".join(words).rstrip(".,")
    # "Ukraine’s" names Ukraine; _POSSESSIVE.sub with the test first (a name holds no line
    # break, before which "$" would also match)
    return _POSSESSIVE.sub("", name) if name.endswith(("’s", "'s")) else name


def _is_demonym(word: str) -> bool:
    return word.endswith(("ian", "ean", "ese", "ish", "ic")) and word[:1].isupper()


def entities(sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (places, actors) named in ``sentence``, each in order and without repeats."""
    places: list[str] = []
    actors: list[str] = []
    previous_place_end = -1
    for match in _SPAN.finditer(sentence):
        for start, end in _pieces(match, sentence):
            previous_place_end = _file_name(
                sentence, start, end, places, actors, previous_place_end
            )
    return tuple(places), tuple(actors)


def _pieces(match: re.Match[str], sentence: str) -> list[tuple[int, int]]:
    """The names a span holds: "Chornomorsk and Pivdennyi" is two towns, not one actor; "Ministry
    of Defence and Veterans Affairs" stays one name (an organisation's word joins it)."""
    raw = match.group()
    if " and " not in raw or raw.startswith(("“", '"')):
        return [(match.start(), match.end())]
    pieces, at = [], match.start()
    for part in raw.split(" and "):
        pieces.append((at, at + len(part)))
        at += len(part) + len(" and ")
    if any(set(sentence[a:b].split()) & ACTOR_SUFFIXES for a, b in pieces):
        return [(match.start(), match.end())]
    return pieces


def _file_name(
    sentence: str, start: int, end: int, places: list[str], actors: list[str],
    previous_place_end: int,
) -> int:  # fmt: skip
    """File the name at ``sentence[start:end]`` as a place or an actor; returns where the last
    place ended (a list of places after a locative: "from Rubizhne, Kreminna, and Svatove")."""
    raw = sentence[start:end]
    opener = raw.split(maxsplit=1)
    # "In Sloviansk, ...", "Near Pokrovsk, ...": a capitalised locative opens a place.
    opens_locative = len(opener) == 2 and opener[0] in _LOCATIVE_OPENERS
    name = _clean(opener[1] if opens_locative else raw)
    words = name.split()
    if not words or (len(words) == 1 and (name in _NOT_NAMES or _is_demonym(name))):
        return previous_place_end
    if name in PLATFORMS:
        return previous_place_end  # a platform tells where a text was posted, not of what
    if start == 0 and len(raw.split()) == 1 and not name.isupper():
        return previous_place_end  # a capitalised first word is usually just the sentence start
    last = words[-1].strip('”"')
    before = sentence[max(0, start - 30) : start]
    in_list = bool(
        previous_place_end >= 0 and _LIST_GAP.fullmatch(sentence, previous_place_end, start)
    )  # "from Rubizhne, Kreminna, and Svatove"
    region = _LOWER_REGION.match(sentence, end)
    if region and not raw.startswith(("“", '"')) and not name.isupper():
        # "Kirovohrad region", "Izium district": the region, not the city.
        name, last = f"{name} {region.group(1)}", region.group(1).title()
    is_place = last in PLACE_SUFFIXES or (
        len(words) <= 2
        and not name.isupper()
        and last not in ACTOR_SUFFIXES
        and not _TITLES.match(name)
        and (in_list or opens_locative or _is_locative(before))
        and not raw.startswith(("“", '"'))
    )
    if is_place:
        previous_place_end = end
        if name not in places:
            places.append(name)
    elif name not in actors:
        actors.append(name)
    return previous_place_end
