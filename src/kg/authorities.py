"""Resolving the many ways reports name an authority to one reference record.

Reference data: ontology/data/la_lookup.csv (every English authority: Ofsted URN, DfE code,
ONS GSS code, region) plus ontology/data/authority_aliases.csv (trusts and spellings).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from .paths import DATA_DIR
from .records import Authority

_NOISE = re.compile(r"[^a-z0-9 ]+")


def normalise_name(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("'", "").replace("st.", "st ")
    return " ".join(_NOISE.sub(" ", text).split())


class AuthorityIndex:
    def __init__(self, lookup_csv: Path, aliases_csv: Path):
        self.by_urn: dict[str, Authority] = {}
        aliases: dict[str, str] = {}
        with lookup_csv.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                name = row["local_authority_ons_name"].strip()
                if name.endswith(", City of"):
                    name = name[: -len(", City of")]
                authority = Authority(row["urn"].strip(), name, row["la_code"].strip(),
                                      row["la_code_new"].strip(), row["region_name"].strip())
                self.by_urn[authority.urn] = authority
                names = {row["local_authority_ons_name"], name, row["ltla23nm"], row["utla23nm"]}
                names.update(a.strip() for a in row["also_known_as"].strip("[] ").split(",") if a.strip())
                for alias in names:
                    if alias and alias.strip():
                        aliases.setdefault(normalise_name(alias), authority.urn)
        with aliases_csv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                aliases[normalise_name(row["alias"])] = row["urn"].strip()
        # Trusts and companies that deliver authorities' services. One that serves a single
        # authority also identifies it.
        self.bodies: dict[str, tuple[str, ...]] = {}
        bodies_csv = aliases_csv.parent / "delivery_bodies.csv"
        if bodies_csv.exists():
            with bodies_csv.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    urns = tuple(row["urns"].split())
                    self.bodies[row["name"]] = urns
                    if len(urns) == 1:
                        aliases.setdefault(normalise_name(row["name"]), urns[0])
        self.aliases = aliases
        ordered = sorted(aliases, key=lambda a: (-len(a), a))
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in ordered) + r")\b")

    def find(self, text: str) -> Authority | None:
        """The authority named in text: the earliest mention, the longest alias at that point."""
        m = self._pattern.search(normalise_name(text))
        return self.by_urn[self.aliases[m.group(1)]] if m else None

    def delivery_body(self, text: str, authority: Authority) -> str | None:
        """The trust or company named in text that delivers this authority's services."""
        normalised = normalise_name(text)
        for name, urns in sorted(self.bodies.items()):
            if authority.urn in urns and re.search(rf"\b{re.escape(normalise_name(name))}\b", normalised):
                return name
        return None

    def from_folder(self, path: str) -> Authority | None:
        """Authority from a corpus folder named '<urn>_<name>', if the path has one."""
        for part in reversed(Path(path).parts[:-1]):
            m = re.match(r"(\d{5,8})_", part)
            if m and m.group(1) in self.by_urn:
                return self.by_urn[m.group(1)]
        return None


@lru_cache(maxsize=1)
def default_index() -> AuthorityIndex:
    return AuthorityIndex(DATA_DIR / "la_lookup.csv", DATA_DIR / "authority_aliases.csv")
