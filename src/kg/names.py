"""Inspector names: splitting team lists, removing titles, repairing PDF breaks."""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache

from .paths import DATA_DIR

# Titles and qualifications that follow or precede a name; each acts as a separator.
_TITLES = [
    r"Senior\s+Her\s+Majesty'?s\s+Inspectors?", r"Senior\s+His\s+Majesty'?s\s+Inspectors?",
    r"Her\s+Majesty'?s\s+Inspectors?", r"His\s+Majesty'?s\s+Inspectors?",
    r"Senior\s+HMI", r"SHMI", r"HMI", r"Ofsted\s+Inspectors?", r"Additional\s+Inspectors?",
    r"Contracted\s+Inspectors?", r"Seconded\s+Inspectors?", r"Social\s+Care\s+Regulatory\s+Inspectors?",
    r"Regulatory\s+Inspectors?", r"Associate\s+Inspectors?", r"Senior\s+Inspectors?",
    r"designate", r"\bOI\b", r"\bAI\b", r"\bRI\b", r"\(\s*\)", r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b",
]
_TITLE_RE = re.compile(r"\b(?:" + "|".join(_TITLES) + r")\b\.?", re.I)
_GLUED_NUMBER = re.compile(r"(?<=[^\W\d_)])\d{1,3}(?=[\s,;]|$)")
_PAREN = re.compile(r"\(([^)]*)\)")
_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
_PARTICLES = {"de", "van", "von", "der", "le", "la", "du", "da", "di", "al", "bin"}
# A capitalised word of letters in any script, with inner apostrophes and hyphens: "Máire",
# "O'Brien", "D’Souza", "Thomson-Jones", "McEntee"; or a lower-case elided prefix: "d'Inverno".
_WORD = re.compile(r"^(?:[^\W\d_]{1,2}['\u2019])?[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*$")


def _is_capitalised(word: str) -> bool:
    if not _WORD.match(word):
        return False
    head = re.sub(r"^[^\W\d_]{1,2}['\u2019](?=.)", "", word) if word[:1].islower() else word
    return head[:1].isupper()


def _is_name_word(word: str) -> bool:
    return word in _PARTICLES or _is_capitalised(word) or bool(re.fullmatch(r"[^\W\d_]\.?", word) and word[0].isupper())


def _is_list_word(word: str) -> bool:
    return word in _PARTICLES or word == "and" or _is_capitalised(word)


_NON_NAMES = {"ofsted", "inspector", "inspectors", "team", "lead", "deputy", "the", "children",
              "services", "council", "his", "her", "majesty's", "senior", "with", "from", "judgement", "grade"}


def clean_name(raw: str) -> str | None:
    """A person's name from a fragment of a team list, or None if it is not a name."""
    text = raw.replace("\u00a0", " ")
    text = re.sub(r"\s*-\s+|\s+-\s*", "-", text)  # "Thomson- Jones", "Thomson -Jones"
    text = re.sub(r"\d+$", "", text.strip()).strip(" .:")  # page number glued on: "Lynn Radley40"
    words = text.split()
    if not 2 <= len(words) <= 5:
        return None
    words = [_fix_case(w) for w in words]
    if any(w.lower() in _NON_NAMES for w in words):
        return None
    if not all(_is_name_word(w) for w in words):
        return None
    return " ".join(words)


def _fix_case(word: str) -> str:
    """'jenny-ellen' / 'Jenny-ellen' -> 'Jenny-Ellen'; keeps 'McEntee', "O'Brien"."""
    if re.match(r"^[^\W\d_]{1,2}['\u2019]", word) and word[:1].islower():  # d'Inverno
        return word
    if word.isupper() and len(word) > 2:
        word = word.capitalize()
    parts = word.split("-")
    return "-".join(p[:1].upper() + p[1:] if p else p for p in parts)


def split_names(text: str) -> list[str]:
    """Names in a list such as 'Pauline Higham (HMI), Karen Wareing (HMI) Fiona Millns (OI)'."""
    text = _GLUED_NUMBER.sub("", text)  # a page number glued on: "Lynn Radley HMI40"
    text = _PAREN.sub(lambda m: ", " if _TITLE_RE.search(m.group(0)) or len(m.group(1)) < 30 else " ", text)
    text = _TITLE_RE.sub(", ", text)
    names = []
    for part in _SEPARATORS.split(text):
        name = clean_name(part)
        if name and name not in names:
            names.append(name)
    return names


def is_name_list(line: str) -> bool:
    """Whether a line is (the continuation of) a list of names with titles."""
    text = _TITLE_RE.sub(" ", _PAREN.sub(" ", line))
    words = [w for w in re.split(r"[\s,;.&]+", text) if w]
    return bool(words) and len(line) < 120 and ":" not in line and all(_is_list_word(w) for w in words)


@lru_cache(maxsize=1)
def _forenames() -> dict[str, str]:
    with (DATA_DIR / "forename_variants.csv").open(encoding="utf-8", newline="") as fh:
        return {row["variant"]: row["canonical"] for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Curated spelling variants of one inspector (ontology/data/inspector_aliases.csv, each
    with its evidence): never merged by fuzzy matching, only through this file."""
    with (DATA_DIR / "inspector_aliases.csv").open(encoding="utf-8", newline="") as fh:
        return {_key(row["variant"]): _key(row["canonical"]) for row in csv.DictReader(fh)}


def _key(name: str) -> str:
    words = slug(name).split("-")
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    words[0] = _forenames().get(words[0], words[0])
    return "-".join(words)


def person_key(name: str) -> str:
    """One key per person across spellings: case, accents, middle initials and short forenames
    ('Pete McEntee', 'Peter McEntee'; 'Fiona J Millns', 'Fiona Millns'), and the curated
    variants of inspector_aliases.csv ('Nick Stacy' -> 'Nick Stacey') do not matter."""
    key = _key(name)
    return _aliases().get(key, key)


def possible_same_person(records) -> list:
    """Info Findings naming inspectors whose keys differ by a letter or two ('Stacy'/'Stacey'):
    candidates for ontology/data/inspector_aliases.csv, never merged automatically."""
    import difflib

    from .records import Finding

    seen: dict[str, tuple[str, str]] = {}  # key -> (a spelling, a file)
    for record in records:
        for role in record.roles:
            seen.setdefault(person_key(role.name), (role.name, record.source_file))
    keys = sorted(seen)
    findings = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if a.rsplit("-", 1)[-1][:3] != b.rsplit("-", 1)[-1][:3] or a[:1] != b[:1]:
                continue
            if difflib.SequenceMatcher(None, a, b).ratio() >= 0.85:
                (name_a, file_a), (name_b, file_b) = seen[a], seen[b]
                findings.append(Finding("possible-same-person", f"'{name_a}' ({file_a}) and '{name_b}' ({file_b}) "
                                        "may be one inspector: if so, add them to ontology/data/inspector_aliases.csv",
                                        file_b, None, f"{name_a} / {name_b}", "info"))
    return findings


def slug(name: str) -> str:
    """Stable IRI-safe key: 'Peter McEntee' -> 'peter-mcentee'."""
    name = name.replace("'", "").replace("\u2019", "")  # O'Brien -> obrien
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def ascii_folded(name: str) -> str:
    """'Máire O’Brien' -> "Maire O'Brien": the name as typed on an English keyboard."""
    folded = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))
