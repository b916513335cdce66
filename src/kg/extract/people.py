"""The inspection team: people and their roles, read from labelled lists such as
'Lead inspector: A', 'Team inspectors (all HMI unless otherwise stated): B, C' or
'Deputy lead inspector D'. Role wordings are the labels of ontology/vocab/roles.ttl."""
from __future__ import annotations

import re

from ..names import is_name_list, split_names
from ..records import Role
from ..text import squash
from . import wordings

Line = tuple[int, str]  # (page, text)

_ROLES = wordings.labels("roles.ttl")
# "Lead inspector: A", "Team inspectors (all HMI unless otherwise stated): A, B" ...
_LABELLED = re.compile(r"^(?P<label>[^\W\d_][\w'\u2019\- ]{0,60}?)\s*(?:\((?P<note>[^)]{0,80})\))?\s*:\s*(?P<rest>.*)$")
# ... and a known label without its colon: "Deputy lead inspector Jane Example".
_UNLABELLED = re.compile(r"^(?P<label>(?:" + wordings.alternation(_ROLES) + r")s?)(?:\s*[-\u2013\u2014]\s*|\s+)(?P<rest>[^\W\d_].*)$", re.I)
# A sentence introducing a list of inspectors on the following lines.
INTRO_RE = re.compile(r"inspectors\s+who\s+(?:carried\s+out|undertook)\s+(?:this|the)\s+(?:second\s+|follow-up\s+)?visit\s+were:(?P<rest>.*)$", re.I)
_TEAM_WINDOW = 4  # an unknown label counts as a role when this close to a known one


def role_of(label: str) -> str | None:
    """The role a printed label names: exactly, or the nearest role for a compound label
    ('Shadow senior data analyst' -> DataAnalyst, 'Senior HMI' -> TeamInspector)."""
    words = wordings.normalise(label).split()
    if not words:
        return None
    for candidate in (words, words[:-1] + [words[-1][:-1]] if words[-1].endswith("s") else None):
        if not candidate:
            continue
        for start in range(len(candidate)):  # longest suffix first
            role = _ROLES.get(" ".join(candidate[start:]))
            if role:
                return role
    return None


def _role_line(line: str):
    """(label, role or None, names text) when a line has the shape of a team-list entry."""
    m = _LABELLED.match(line) if ":" in line[:150] else None
    if m and len(m.group("label").split()) <= 5:
        return squash(m.group("label")), role_of(m.group("label")), m.group("rest")
    m = _UNLABELLED.match(line)
    if m and is_name_list(m.group("rest")) and split_names(m.group("rest")):
        return squash(m.group("label")), role_of(m.group("label")), m.group("rest")
    m = INTRO_RE.search(line) if "who" in line else None
    if m:
        return "", "TeamInspector", m.group("rest")
    return None


_TITLE_END = re.compile(r"\b(?:HMI|SHMI|OI|Inspectors?|designate)\.?$", re.I)


def _unfinished(names: str) -> bool:
    """Whether a list of names goes on on the next line: nothing yet, a trailing separator or
    title ('Karen Wareing (HMI)', 'Nigel Parkes, HMI'), or a forename whose surname wrapped
    ('..., Stephanie' / 'Murray HMI'); not after a complete bare name ('A Lead and Jane Example')."""
    text = names.strip()
    if not text or re.search(r"(?:,|;|&|\band|\))$", text) or _TITLE_END.search(text):
        return True
    last = re.split(r",|;|&|\band\b|\)", text)[-1].split()
    return len(last) == 1 and not last[0].isupper()


def team(lines: list[Line], record=None) -> list[Role]:
    """Roles from 'Lead inspector: ...', 'Team inspectors: a, b,' (+ wrapped lines) etc.

    With a record, a labelled line whose names cannot be read gives an 'unparsed-team-line'
    warning, and a person listed under a label no role in roles.ttl names is recorded as
    OtherRole with an 'unknown-role-label' warning."""
    roles: list[Role] = []
    seen: set[tuple[str, str]] = set()
    known_at: list[int] = []
    unknown: list[tuple[int, int, str, str, str]] = []  # (index, page, label, text, quote)
    i = 0
    while i < len(lines):
        page, line = lines[i]
        found = _role_line(line)
        if not found:
            i += 1
            continue
        label, role, rest = found
        chunk = [rest]
        j = i + 1
        while j < len(lines) and lines[j][0] - page <= 1 and not _role_line(lines[j][1]) \
                and is_name_list(lines[j][1]) and (_unfinished(" ".join(chunk)) or split_names(lines[j][1])):
            chunk.append(lines[j][1])
            j += 1
        text = " ".join(chunk)
        quote = squash(line if j == i + 1 else " ".join([line] + chunk[1:]))
        names = split_names(text)
        if role is None:
            if names and is_name_list(rest or chunk[-1]):
                unknown.append((i, page, label, text, quote))
            i = i + 1 if not names else j
            continue
        known_at.append(i)
        if not names and record is not None:
            record.warn("unparsed-team-line", f"no name could be read after the role label '{label or 'inspectors'}'",
                        page, quote)
        for name in names:
            if (name, role) not in seen:
                seen.add((name, role))
                roles.append(Role(name, role, page, quote, label))
        i = j
    for i, page, label, text, quote in unknown:
        if any(abs(i - k) <= _TEAM_WINDOW for k in known_at):
            for name in split_names(text):
                roles.append(Role(name, "OtherRole", page, quote, label))
            if record is not None:
                record.warn("unknown-role-label", f"role label '{label}' is not in roles.ttl: "
                            "recorded as OtherRole", page, quote)
    return roles
