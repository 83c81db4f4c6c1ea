"""The canonical name key: one spelling for the many ways a Pakistani name is written in Latin.

Pure Python (nothing from Django), so it is tested and benchmarked alone. Urdu has no agreed
Latin spelling: short vowels are not written in Urdu script, so a relative, a travel agent and
the passport office each choose their own (Mehdi/Mahdi, Akbar/Akber, Zainab/Zaynab/Zenab);
Arabic letters have several Latin renderings (q/k, w/v, dh/z: Murtadha/Murtaza); consonants
are doubled or not (Abbas/Abas); titles come and go (Syed, Bibi, Begum); the nearly universal
leading "Muhammad" is dropped in speech; compounds are split, hyphenated or run together
(Zain ul Abidin, Zain-ul-Abedin, Zainulabideen).

`name_key(...)` folds each name part so that such variants collide or come close, and drops
the parts that carry no information; `similarity` then ranks candidates exactly as
PostgreSQL's pg_trgm `similarity()` does, so SQLite and PostgreSQL agree on every score.

The folding of one part (`fold`), in order:
1. NFKD, accents dropped, lower case, apostrophes removed (Ja'far → jafar).
2. A short table of exceptions that no general rule reaches (the typo Hussian, Rida/Ridha for
   Raza, Fatma for Fatima, Razavi for Rizvi, Mehndi for Mehdi).
3. Consonants: -que → k, ph → f, gh → g, kh → x, dh/zh → z, th/bh/jh → t/b/j, q/ck/c → k,
   w → v, a final h after a vowel dropped (Fatimah, Sakinah); doubled letters single.
4. y: between consonants it is the vowel ai (Hyder), at the end after a consonant i (Kazmy),
   after a vowel it closes a diphthong (Zaynab); "iy" before a vowel is i (Riyaz).
5. Vowels: a word-initial e is i (Ebrahim, Esmail, Ejaz); every other vowel run becomes one of
   a (a, aa, e, ai, ei, ae: the Urdu zabar and the diphthong), i (i, ee, ie) or u (u, o, oo,
   ou, au, ao), keeping two-vowel runs such as ia.
6. Nisba surnames: the optional vowel before the last consonant of a word ending in -i goes
   (Naqavi → Naqvi, Kazimi → Kazmi, Jafari/Jafery/Jaffery → Jafri, Hashimi → Hashmi).

Whole parts: titles (Syed, Syeda, Bibi, Begum, Haji, …) and Muhammad with its abbreviations
(Mohd, Md, M.) are dropped unless nothing else is left; Gh./G. is Ghulam; particles (ul, ud,
ur, al, e, bin, …) are dropped, and run-together compounds with a known head are split
(Zainulabideen → zain + abidin, Abdulhussain → abd + husain); a part that is not a known
name but splits into two known ones is split (Aliraza → ali + raza).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Raw spellings (lower case, letters only) that no general rule folds where they belong.
EXCEPTIONS = {
    "hussian": "hussain",
    "husian": "hussain",
    "hussien": "hussain",
    "husien": "hussain",
    "fatma": "fatima",
    "fatema": "fatima",
    "fatemah": "fatima",
    "rida": "raza",
    "ridha": "raza",
    "redha": "raza",
    "riza": "raza",
    "razavi": "rizvi",
    "rezvi": "rizvi",
    "rezavi": "rizvi",
    "mehndi": "mehdi",
    "abbass": "abbas",
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Titles and honorifics: said or left out at will, so they never decide a match. Each is
# written one way, for a name that is nothing but titles.
_SYED = _words("syed sayed sayyed sayyid saiyid saiyed seyed sayid syyed syd")
_SYEDA = _words("syeda sayeda sayyeda sayyida saiyida seyeda sayida")
_HONORIFICS = _words(
    "mst mussammat musammat mosammat mohtarma hafiz haji hajji hajjan alhaj alhajj "
    "maulana molana moulana allama mr mrs ms miss dr prof"
)
TITLES = (
    dict.fromkeys(_SYED, "sayid")
    | dict.fromkeys(_SYEDA, "sayida")
    | dict.fromkeys(("bibi", "bi"), "bibi")
    | dict.fromkeys(("begum", "begam"), "begam")
    | {word: word for word in _HONORIFICS}
)
# Muhammad and how it is shortened; "m" alone (M.) is nearly always Muhammad too.
MUHAMMAD = re.compile(r"m[ou]h?[ae]?m+[ae]?d|muhamad|mohd|muhd|mhd|md|m")
# Initials that stand for a known name.
INITIALS = {"gh": "ghulam", "g": "ghulam", "s": "syed"}
# Arabic particles inside compound names (Zain ul Abidin, Kamal ud Din, Umm e Farwa).
PARTICLES = frozenset(_words("ul al el ud ur us un uz ush ut e bin ibn bint binte"))
# Heads of idafa compounds, for splitting a run-together spelling (Zainulabideen).
_HEADS = _words(
    "abd zain noor nur fazal fazl zia ziya shams siraj taj najm badr badar qamar ikram "
    "inam ehsan ihsan aziz habib khair saif moin muin mohi muhyi hafeez zahoor zahur "
    "ghias ghiyas rafi sami jamal kamal imad izz nasir nasr fakhr fakhar shuja zaheer "
    "zahir umm ruh"
)
_COMPOUND = re.compile(
    r"(?P<head>" + "|".join(sorted(_HEADS, key=len, reverse=True)) + r")"
    r"(?:ul|ud|ur|us|un|uz|ush|al|el)(?P<rest>[a-z]{2,})?"
)
_ABD = frozenset(_words("abd abdul abdur abdus abdun abduz abdal abdel"))
_ABD_COMPOUND = re.compile(r"abd(?:ul|ur|us|un|uz|al|el)(?P<rest>[a-z]{2,})")
# Whole parts for "Umm" (mother of) as it is written.
_UMM = frozenset(_words("um umm umme ume ummay ummey ummi ummul umul"))

# Common given names and surnames (as usually written), to split run-together parts.
_COMMON = _words(
    "ali raza rida hasan hassan hussain husain abbas haider haidar mehdi taqi naqi kazim "
    "jafar sadiq baqir askari mujtaba murtaza mustafa akbar asghar qasim jawad hadi "
    "zainab fatima zahra sakina kulsoom masooma batool ghulam noor zain abidin sajjad "
    "shabbir shabbar aun mohsin ammar abid imran ahmad mahmood zafar nasir tahir zaheer "
    "iqbal kamal jamal shah hasnain husnain sibtain qamar jaffar yasir hamza musa "
    "isa yahya ibrahim ismail naqvi rizvi zaidi kazmi jafri abidi bukhari hamdani taqvi "
    "gardezi shirazi"
)

_SPACES = re.compile(r"[^a-z]+")
_APOSTROPHES = str.maketrans("", "", "'’ʼʻ`ʿʾ")
_VOWEL_RUN = re.compile(r"[aeiou]+")
_VOWEL_CLASS = {"a": "a", "e": "a", "i": "i", "o": "u", "u": "u"}
_RUNS = {
    "aa": "a",
    "ai": "a",
    "ae": "a",
    "ei": "a",
    "ea": "a",
    "aai": "a",
    "ee": "i",
    "ie": "i",
    "ii": "i",
    "oo": "u",
    "ou": "u",
    "au": "u",
    "ao": "u",
    "uu": "u",
    "oa": "u",
}
_CONSONANTS = (
    (re.compile(r"que$"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"kh"), "x"),
    (re.compile(r"[dz]h"), "z"),
    (re.compile(r"th"), "t"),
    (re.compile(r"bh"), "b"),
    (re.compile(r"jh"), "j"),
    (re.compile(r"ck|q|c(?!h)"), "k"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(?<=[aeiou])h$"), ""),
    (re.compile(r"([^aeiou])\1+"), r"\1"),
    (re.compile(r"aiy(?=[aeiou])"), "ay"),
    (re.compile(r"iy(?=[aeiou])"), "i"),
    (re.compile(r"(?<=[^aeiouy])y(?=[^aeiouy])"), "ai"),
    (re.compile(r"(?<=[^aeiou])y$"), "i"),
    (re.compile(r"(?<=[aeiou])y(?=[^aeiou]|$)"), "i"),
    (re.compile(r"^e"), "i"),
)
_NISBA = re.compile(r"^(.*[aiu][^aiu]+)[aiu]([^aiu]+i)$")


def plain(text: str) -> str:
    """Lower-case ASCII letters and single spaces: accents dropped, apostrophes removed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.translate(_APOSTROPHES).lower()
    return " ".join(_SPACES.sub(" ", ascii_text).split())


def _fold_vowels(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return _VOWEL_CLASS[run]
    if run in _RUNS:
        return _RUNS[run]
    folded = "".join(_VOWEL_CLASS[ch] for ch in run)
    return re.sub(r"(.)\1+", r"\1", folded)


@lru_cache(maxsize=65536)
def fold(part: str) -> str:
    """One name part (lower-case ASCII letters) in its canonical spelling."""
    word = EXCEPTIONS.get(part, part)
    for pattern, replacement in _CONSONANTS:
        word = pattern.sub(replacement, word)
    word = _VOWEL_RUN.sub(_fold_vowels, word)
    word = re.sub(r"(.)\1+", r"\1", word)
    return _NISBA.sub(r"\1\2", word)


_KNOWN = frozenset(fold(name) for name in (*_COMMON, "muhammad"))
_MUHAMMAD_FOLDED = fold("muhammad")


def _split_compound(word: str) -> list[str]:
    """A run-together compound as its parts: zainulabideen → zain, abideen."""
    if word in _UMM:
        return ["umm"]
    if word in _ABD:
        return ["abd"]
    match = _ABD_COMPOUND.fullmatch(word) or _COMPOUND.fullmatch(word)
    if match is None:
        return [word]
    head = "abd" if word.startswith("abd") else match.group("head")
    return [head, match.group("rest")] if match.group("rest") else [head]


def _split_known(word: str) -> list[str]:
    """A part that is no known name but two run together, folded (aliraza → ali, raza)."""
    folded = fold(word)
    if folded in _KNOWN or len(word) < 6:
        return [folded]
    for cut in range(3, len(word) - 2):
        head, tail = fold(word[:cut]), fold(word[cut:])
        if head in _KNOWN and tail in _KNOWN:
            return [head, tail]
    return [folded]


def name_tokens(*parts: str) -> list[str]:
    """The canonical tokens of a name given in any number of parts, in order.

    Titles and Muhammad are left out unless nothing else is left, so that "Syed Muhammad
    Hussain Jafri" and "Husain Jafri" give the same tokens.
    """
    words: list[str] = []
    for part in parts:
        words.extend(plain(part).split())
    kept: list[str] = []
    dropped: list[str] = []
    for position, word in enumerate(words):
        if word in INITIALS and position < len(words) - 1:
            word = INITIALS[word]
        if word in PARTICLES:
            continue
        if MUHAMMAD.fullmatch(word):
            dropped.append("muhamad")
            continue
        if word in TITLES:
            dropped.append(TITLES[word])
            continue
        if len(word) == 1:
            continue
        for piece in _split_compound(word):
            for token in _split_known(piece):
                (dropped if token == _MUHAMMAD_FOLDED else kept).append(token)
    return kept or dropped


def name_key(*parts: str) -> str:
    """The canonical key of a name: its tokens in alphabetical order, joined by single spaces
    (surname first or last, the same key)."""
    return " ".join(sorted(name_tokens(*parts)))


# --- Home cities -----------------------------------------------------------------------------

# Short and old names of cities as people say them (joined, letters only).
CITY_ALIASES = {
    "pindi": "rawalpindi",
    "rwp": "rawalpindi",
    "lyallpur": "faisalabad",
    "lyalpur": "faisalabad",
    "fsd": "faisalabad",
    "dikhan": "deraismailkhan",
    "dik": "deraismailkhan",
    "dgkhan": "deraghazikhan",
    "dgk": "deraghazikhan",
    "rykhan": "rahimyarkhan",
    "ryk": "rahimyarkhan",
    "khi": "karachi",
    "lhr": "lahore",
    "isb": "islamabad",
    "isl": "islamabad",
    "mbdin": "mandibahauddin",
    "tts": "tobateksingh",
}
_CITY_NOISE = frozenset(
    _words(
        "city cantt cantonment sadar saddar district distt tehsil town pakistan punjab sindh "
        "kpk khyber pakhtunkhwa balochistan ajk"
    )
)


def city_key(text: str) -> str:
    """A home city as one folded word: "D.I. Khan", "Dera Ismail Khan" → the same key."""
    words = [w for w in plain(text).split() if w not in _CITY_NOISE] or plain(text).split()
    joined = "".join(words)
    return fold(CITY_ALIASES.get(joined, joined)) if joined else ""


# --- pg_trgm's similarity, exactly ---------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def trigrams(text: str) -> frozenset[str]:
    """The trigrams pg_trgm extracts: per word, padded with two spaces before, one after."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: shared trigrams over all trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)
