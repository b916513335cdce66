"""Mutation test: perturb real dev-corpus reports the ways unseen reports differ, and check that
each perturbation is either extracted correctly or produces a warning — never silence.

Perturbations: accent the lead's name, drop the lead label's colon, add a co-lead, wrap the
lead line, glue a page number to it, repeat the title as a running header, rename the authority
to its trust, remove a judgement's grade. The count of perturbations and of silent ones is
printed (run with -s); silent ones must be 0.
"""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from kg.extract import extract
from kg.readers import Document, read
from kg.tagging import tag

from conftest import corpus_or_skip

pytestmark = pytest.mark.slow

# A spread of kinds and eras: early/late ILACS, 2026 ILACS, SIF, LSCB review, 2013 legacy.
SAMPLE = [
    "80485_liverpool/children's services inspection - 02 july 2018.pdf",
    "80527_north lincolnshire/children's services inspection - 25 november 2022.pdf",
    "80441_bristol/children's services inspection - 10 march 2023.pdf",
    "80480_lancashire/children's services inspection - 20 august 2026.pdf",
    "80464_dudley/children's services inspection - 05 april 2016.pdf",
    "80567_surrey/children's services inspection - 03 august 2015.pdf",
    "80522_medway/children's services inspection,  pdf - 23 august 2013.pdf",
    "80569_tameside/children's services inspection - 13 february 2024.pdf",
    "80549_sandwell/children's services inspection - 05 june 2015.pdf",
    "80458_darlington/children's services inspection - 21 may 2018.pdf",
    "80484_lincolnshire/children's services inspection - 06 january 2015.pdf",
    "80468_essex/children's services inspection - 21 march 2014.pdf",
    "80519_westminster/children's services inspection - 15 october 2019.pdf",
    "80458_darlington/children's services inspection - 24 march 2026.pdf",
]


def facts(r) -> dict:
    return {"kind": r.kind, "authority": r.authority.urn, "periods": [(p.start, p.end) for p in r.periods],
            "judgements": sorted((j.area, j.grade) for j in r.judgements),
            "roles": sorted((x.name, x.role) for x in r.roles),
            "recommendations": [(x.addressee, x.text) for x in r.recommendations]}


def run(doc: Document):
    return tag(extract(doc))


def edit(doc: Document, change) -> Document:
    return replace(doc, pages=[change(n, p) for n, p in enumerate(doc.pages, 1)], _lines=None)


def lead_line(doc: Document) -> tuple[int, str] | None:
    for n, page in enumerate(doc.pages, 1):
        for line in page.split("\n"):
            if re.match(r"^(?:Lead|Reporting) inspector\s*:", line):
                return n, line
    return None


ACCENTS = str.maketrans("aeiouAEIO", "áéíóúÁÉÍÓ")


def perturbations(doc: Document, base):
    """(name, perturbed document, expected facts or None when only a warning is acceptable)."""
    expected = facts(base)
    leads = [x for x in base.roles if x.role in ("LeadInspector", "ReportingInspector")]
    found = lead_line(doc)
    if found and leads:
        page, line = found
        lead = leads[0]
        first, rest = lead.name.split(" ", 1)
        accented = first[0] + first[1:].translate(ACCENTS) + " " + rest
        if accented != lead.name:
            roles = sorted((accented if n == lead.name else n, r) for n, r in expected["roles"])
            yield "accent a name", edit(doc, lambda n, p: p.replace(lead.name, accented)), {**expected, "roles": roles}
        label = line.split(":", 1)[0]
        yield "drop a colon", edit(doc, lambda n, p: p.replace(line, line.replace(":", "", 1)) if n == page else p), expected
        co = sorted(expected["roles"] + [("Jane Example", lead.role)])
        yield ("co-leads", edit(doc, lambda n, p: p.replace(line, re.sub(r"^(\w+ inspector)\s*:", r"\1s:", line)
                                                             + " and Jane Example") if n == page else p),
               {**expected, "roles": co})
        yield "wrap a line", edit(doc, lambda n, p: p.replace(line, label + ":\n" + line.split(":", 1)[1].strip()) if n == page else p), expected
        yield "glue a page number", edit(doc, lambda n, p: p.replace(line, line + str(page + 10)) if n == page else p), expected
    title = next(line for line in doc.pages[0].split("\n") if line.lower().startswith(("inspection of", "review of", "re-inspection")))
    yield "repeat the title in the header", edit(doc, lambda n, p: title + "\n" + p if n > 1 else p), expected
    name = base.authority.name
    if base.kind == "ILACSInspection":
        trust = edit(doc, lambda n, p: re.sub(r"^Inspection of .*?(?:local authority )?children's services$",
                                              f"Inspection of {name} Children's Trust", p, count=1, flags=re.M) if n == 1 else p)
        yield "rename the authority to its trust", trust, expected
    for n, page in enumerate(doc.pages, 1):
        team_line = next((line for line in page.split("\n") if re.match(r"^(?:Team|Deputy lead) inspectors?\s*:", line)), None)
        if team_line:
            with_note = team_line.replace(":", " (all HMI unless otherwise stated):", 1)
            yield ("a header with a parenthesis",
                   edit(doc, lambda k, p, n=n, a=team_line, b=with_note: p.replace(a, b) if k == n else p), expected)
            break
    newer = edit(doc, lambda n, p: re.sub(r"impact\s+of\s+leaders\s+on\s+social\s+work\s+practice\s+with\s+children\s+and\s+families",
                                          "impact of leaders on practice with children and families", p))
    if newer.pages != doc.pages:
        yield "newer ILACS wording", newer, expected
    overall = next((j for j in base.judgements if j.area == "OverallEffectiveness" and j.evidence.lower().startswith("overall")), None)
    if overall:
        grade = {"Good": "good", "Outstanding": "outstanding", "Inadequate": "inadequate",
                 "RequiresImprovement": "require improvement to be good"}.get(overall.grade)
        if grade:
            sentence = edit(doc, lambda n, p: re.sub(r"^Overall effectiveness .*$", f"Children's services in {name} are {grade}",
                                                     p, count=1, flags=re.M) if n == overall.page else p)
            yield "overall effectiveness as a sentence", sentence, expected
    for j in base.judgements[:2]:
        yield (f"remove a judgement line ({j.area})",
               edit(doc, lambda n, p, j=j: p.replace(j.evidence.split()[-1], "", 1) if n == j.page else p), None)


@pytest.fixture(scope="module")
def docs():
    root = corpus_or_skip()
    return [read(root / path, path) for path in SAMPLE if (root / path).exists()]


def test_every_perturbation_is_extracted_correctly_or_warned(docs):
    assert len(docs) >= 12
    outcomes = {"correct": 0, "warned": 0, "silent": []}
    for doc in docs:
        base = run(doc)
        before = {(f.code, f.message) for f in base.warnings}
        for name, changed, expected in perturbations(doc, base):
            result = run(changed)
            new_warnings = {(f.code, f.message) for f in result.warnings} - before
            if expected is not None and facts(result) == expected and not new_warnings:
                outcomes["correct"] += 1
            elif new_warnings:
                outcomes["warned"] += 1
            elif expected is None and facts(result) == facts(base):
                outcomes["correct"] += 1  # the perturbation did not change what is extracted
            else:
                outcomes["silent"].append(f"{doc.path}: {name}")
    total = outcomes["correct"] + outcomes["warned"] + len(outcomes["silent"])
    print(f"\nmutations: {total} perturbations, {outcomes['correct']} extracted correctly, "
          f"{outcomes['warned']} warned, {len(outcomes['silent'])} silent")
    assert total >= 100
    assert outcomes["silent"] == [], "\n".join(outcomes["silent"])
