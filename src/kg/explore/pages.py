"""The explorer's pages: one function per kind of resource (authority, inspection, inspector,
theme), a generic description for anything else, and the home page. Each reads the graph
through queries/explore/*.rq and returns HTML; links come from a Links (server or static)."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from ..rdf import DEFAULT_BASE, KG
from .describe import description
from .html import day, esc, facts, grade, json_script, layout, link, section, table
from .iris import HOME, Links, iris_of, key_of, page_key
from .store import exists, select
from .timeline import timeline

KG_NS = str(KG)
INCOMING_SHOWN = 100  # rows of "Pointed to by" on a generic page
LABEL_PREDICATES = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")


def detect_base(store: ox.Store) -> str:
    """The instance base IRI the graph was built with (kg build --base), from an authority IRI."""
    for quad in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                        ox.NamedNode(KG_NS + "LocalAuthority")):
        iri = quad.subject.value
        if "/authority/" in iri:
            return iri[:iri.rindex("/authority/") + 1]
    return DEFAULT_BASE


class Explorer:
    """Pages and RDF descriptions for the resources of one graph (an Oxigraph store)."""

    def __init__(self, store: ox.Store, base: str | None = None):
        self.store = store
        self.base = base or detect_base(store)
        self._index: list[dict] | None = None
        self._counts: list[dict] | None = None
        # kg:Inspection and its subclasses, read from the ontology the graph carries (the report
        # kinds are declared there once, not listed here)
        self.inspection_kinds = {row["c"].value for row in store.query(
            f"SELECT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{KG_NS}Inspection> }}")}

    # ------------------------------------------------------------ resolving

    def key(self, iri: str) -> str | None:
        return key_of(iri, self.base)

    def resolve(self, key: str) -> str | None:
        """The IRI a page key stands for, if the graph describes it."""
        return next((iri for iri in iris_of(key, self.base) if exists(self.store, iri)), None)

    def index(self) -> list[dict]:
        """Every resource with a page of its own: resource, label, kind (cached)."""
        if self._index is None:
            self._index = select(self.store, "index")
        return self._index

    def counts(self) -> list[dict]:
        if self._counts is None:
            self._counts = select(self.store, "class-counts")
        return self._counts

    def page_keys(self) -> list[str]:
        """The keys of every page a static site holds: the index, plus ontology terms and concepts."""
        keys = {self.key(row["resource"]) for row in self.index()}
        for quad in self.store.quads_for_pattern(None, None, None):
            subject = quad.subject
            if isinstance(subject, ox.NamedNode) and not subject.value.startswith(self.base):
                k = self.key(subject.value)
                if k:
                    keys.add(k)
        keys.discard(None)
        return sorted(keys)

    # ------------------------------------------------------------ pages

    def html(self, key: str, links: Links) -> str | None:
        """The HTML page of a key, or None if the graph knows nothing of it."""
        if key == HOME:
            return self.home(links)
        iri = self.resolve(key)
        if iri is None:
            return None
        types = {row["type"] for row in select(self.store, "types", resource=iri)}
        href = lambda target: self._href(target, links)
        if KG_NS + "LocalAuthority" in types:
            title, kind, body = self.authority(iri, href)
        elif types & self.inspection_kinds:
            title, kind, body = self.inspection(iri, href)
        elif KG_NS + "Inspector" in types:
            title, kind, body = self.inspector(iri, href)
        elif KG_NS + "Theme" in types:
            title, kind, body = self.theme(iri, href)
        else:
            title, kind, body = self.generic(iri, types, href)
        return layout(links=links, key=key, iri=iri, title=title, kind=kind, body=body)

    def _href(self, iri: str, links: Links) -> str | None:
        key = self.key(iri)
        return links.href(key) if key else None

    def _a(self, iri: str | None, text, href) -> str:
        if not iri:
            return esc(text)
        target = href(iri)
        return link(target, text) if target else link(iri, text)

    # authority -----------------------------------------------------

    def authority(self, iri: str, href):
        info = select(self.store, "authority", authority=iri)[0]
        gss = info.get("gssCode")
        geo = info.get("geography")
        codes = facts([
            ("Ofsted URN", esc(info.get("urn"))), ("DfE LA code", esc(info.get("laCode"))),
            ("ONS GSS code", link(geo, gss) if geo and gss else esc(gss)), ("Region", esc(info.get("region")))])
        inspections = select(self.store, "authority-inspections", authority=iri)
        judgements = select(self.store, "authority-judgements", authority=iri)
        graded = {j["inspection"] for j in judgements}
        visits = [{"inspection": r["inspection"], "label": r["label"], "date": r.get("start") or r.get("issued")}
                  for r in inspections if r["inspection"] not in graded]
        chart = timeline(judgements, visits, href)
        rows = [[day(r.get("start") or r.get("issued")), self._a(r["inspection"], r["label"], href), esc(r["kind"]),
                 grade(r.get("overall"), r.get("overallRank"))] for r in inspections]
        people = defaultdict(list)
        names = {}
        for r in select(self.store, "authority-inspectors", authority=iri):
            names[r["inspector"]] = r["name"]
            people[r["inspector"]].append(f'{esc(r["roleLabel"])} ({esc((r.get("date") or "")[:4])})')
        team = "".join(f"<li>{self._a(p, names[p], href)} <span class='muted'>— {', '.join(dict.fromkeys(roles))}</span></li>"
                       for p, roles in sorted(people.items(), key=lambda kv: names[kv[0]]))
        shared = []
        for r in select(self.store, "authority-shared", authority=iri):
            who = sorted((entry.split(" ", 1) for entry in r["names"].split("|")), key=lambda pair: pair[1])
            shared.append([self._a(r["other"], r["otherLabel"], href), esc(r["shared"]),
                           ", ".join(self._a(person, name, href) for person, name in who)])
        body = (section("Codes", codes)
                + section("Judgements over time", chart, "No graded judgements in the graph.")
                + section("Inspections and visits", table(["Date", "Report", "Kind", "Overall"], rows),
                          "No inspections in the graph.")
                + section("Inspectors who worked here", f'<ul class="cols">{team}</ul>' if team else "",
                          "No inspection team recorded.")
                + section("Authorities sharing inspectors with " + info["label"],
                          table(["Authority", "Inspectors shared", "Who"], shared),
                          "No inspector of this authority worked anywhere else in the graph."))
        return info["label"], "Local authority", body

    # inspection ----------------------------------------------------

    def inspection(self, iri: str, href):
        info = select(self.store, "inspection", inspection=iri)[0]
        periods = select(self.store, "inspection-periods", inspection=iri)
        on_site = (" and ".join(f"{day(p['start'])} – {day(p['end'])}" for p in periods) if periods else
                   f"{day(info.get('start'))} – {day(info.get('end'))}" if info.get("start") else "")
        summary = facts([
            ("Authority", self._a(info["authority"], info["authorityLabel"], href)),
            ("Kind", esc(info["kind"]) + (f" ({esc(info['inspectionType'])})" if info.get("inspectionType") else "")),
            ("On site" if not periods else "On site (split)", on_site),
            ("Visit number", esc(info.get("visitNumber"))),
            ("Services delivered by", esc(info.get("deliveredBy"))),
            ("Published", day(info.get("issued"))),
            ("Report", self._a(info.get("report"), info.get("title") or info.get("file"), href) if info.get("report") else ""),
            ("Source file", f"<code>{esc(info.get('file'))}</code>" if info.get("file") else ""),
            ("SHA-256", f"<code>{esc(info.get('sha256'))}</code>" if info.get("sha256") else ""),
            ("Pages", esc(info.get("pages")))])
        under = defaultdict(list)  # judgement -> the themes of the findings under it, most mentioned first
        for t in select(self.store, "inspection-judgement-themes", inspection=iri):
            under[t["judgement"]].append(t)
        judgements = "".join(
            f'<tr id="{esc(self._anchor(j["judgement"], iri))}"><td>{esc(j["areaLabel"])}</td>'
            f'<td>{grade(j["gradeLabel"], j["rank"])}</td><td class="nowrap">p. {esc(j.get("page"))}</td>'
            f'<td><blockquote>{esc(j.get("quote"))}</blockquote></td><td>{self._themes(under[j["judgement"]], href)}</td></tr>'
            for j in select(self.store, "inspection-judgements", inspection=iri))
        if judgements:
            judgements = ('<div class="scroll"><table class="stack"><thead><tr><th scope="col">Area</th>'
                          '<th scope="col">Grade</th><th scope="col">Page</th><th scope="col">In the report\'s words</th>'
                          '<th scope="col">Themes of its findings (times mentioned)</th>'
                          f"</tr></thead><tbody>{judgements}</tbody></table></div>")
        team = "".join(
            f'<tr id="{esc(self._anchor(r["role"], iri))}"><td>{self._a(r["inspector"], r["name"], href)}</td>'
            f'<td>{esc(r["roleLabel"])}</td><td class="nowrap">p. {esc(r.get("page"))}</td></tr>'
            for r in select(self.store, "inspection-team", inspection=iri))
        if team:
            team = ('<div class="scroll"><table class="stack"><thead><tr><th scope="col">Inspector</th>'
                    f'<th scope="col">Role</th><th scope="col">Page</th></tr></thead><tbody>{team}</tbody></table></div>')
        recs: dict[str, dict] = {}
        for r in select(self.store, "inspection-recommendations", inspection=iri):
            rec = recs.setdefault(r["recommendation"], {**r, "themes": []})
            if r.get("theme"):
                rec["themes"].append((r["theme"], r["themeLabel"]))
        groups = defaultdict(list)
        for rec in recs.values():
            groups[rec.get("addressee") or ""].append(rec)
        rec_html = ""
        for addressee, items in sorted(groups.items(), key=lambda kv: kv[0] != "LA"):
            if len(groups) > 1:
                rec_html += f"<h3>{'To the local authority' if addressee == 'LA' else 'To the ' + esc(addressee)}</h3>"
            lis = "".join(
                f'<li id="{esc(self._anchor(rec["recommendation"], iri))}">{esc(rec["text"])} '
                f'<span class="muted">(p. {esc(rec.get("page"))})</span>'
                + ('<ul class="tags" aria-label="Themes">' + "".join(f"<li>{self._a(t, l, href)}</li>" for t, l in rec["themes"]) + "</ul>"
                   if rec["themes"] else "") + "</li>"
                for rec in sorted(items, key=lambda rec: int(rec.get("order") or 0)))
            rec_html += f'<ol class="recs">{lis}</ol>'
        findings = select(self.store, "inspection-findings", inspection=iri)
        warn = table(["Code", "Severity", "Message", "Page", "Text"],
                     [[esc(f.get("code")), esc(_short(f.get("severity") or "")), esc(f.get("message")), esc(f.get("page")),
                       esc(f.get("snippet"))] for f in findings])
        themes = "".join(f"<li>{self._a(t['theme'], t['label'] + ' (' + t['mentions'] + ')', href)}</li>"
                         for t in select(self.store, "inspection-themes", inspection=iri))
        body = (section("Summary", summary)
                + section("Judgements", judgements, "No graded judgements (visits and reviews carry none).")
                + section("Inspection team", team, "No team recorded in the report.")
                + section("Recommendations", rec_html, "No recommendations recorded.")
                + section("Themes in the report (times mentioned)", f'<ul class="tags">{themes}</ul>' if themes else "")
                + (section("Extraction warnings", f'<div class="warning">{warn}</div>') if findings else ""))
        return info["label"], info["kind"], body

    def _themes(self, themes: list[dict], href, most: int = 5) -> str:
        """The most mentioned of a judgement's themes as links, and how many more there are."""
        if not themes:
            return ""
        links = "".join(f"<li>{self._a(t['theme'], t['label'] + ' (' + t['mentions'] + ')', href)}</li>"
                        for t in themes[:most])
        more = f'<li class="muted">and {len(themes) - most} more</li>' if len(themes) > most else ""
        return f'<ul class="tags">{links}{more}</ul>'

    def _anchor(self, child: str, parent: str) -> str:
        return child[len(parent) + 1:] if child.startswith(parent + "/") else child

    # inspector -----------------------------------------------------

    def inspector(self, iri: str, href):
        info = select(self.store, "inspector", inspector=iri)[0]
        rows = select(self.store, "inspector-inspections", inspector=iri)
        authorities = {}
        for r in rows:
            authorities.setdefault(r["authority"], r["authorityLabel"])
        table_rows = [[day(r.get("date")), self._a(r["inspection"], r["label"], href), esc(r["roleLabel"]),
                       self._a(r["authority"], r["authorityLabel"], href)] for r in rows]
        colleagues = select(self.store, "inspector-colleagues", inspector=iri)
        alt = [a for a in (info.get("alternates") or "").split("|") if a]
        body = (facts([("Also written", esc(", ".join(sorted(alt)))),
                       ("Inspections", esc(len({r['inspection'] for r in rows}))),
                       ("Authorities", esc(len(authorities)))])
                + section("Inspections", table(["Date", "Inspection", "Role", "Authority"], table_rows),
                          "No inspections recorded.")
                + section("Authorities", "<ul class='cols'>" + "".join(
                    f"<li>{self._a(a, l, href)}</li>" for a, l in sorted(authorities.items(), key=lambda kv: kv[1])) + "</ul>"
                          if authorities else "")
                + section("Co-inspectors", "<ul class='cols'>" + "".join(
                    f"<li>{self._a(c['other'], c['name'], href)} <span class='muted'>({esc(c['together'])} "
                    f"inspection{'s' if c['together'] != '1' else ''} together)</span></li>" for c in colleagues) + "</ul>"
                          if colleagues else "", "Worked with nobody else in the graph."))
        return info["name"], "Inspector", body

    # theme ---------------------------------------------------------

    def theme(self, iri: str, href):
        rows = select(self.store, "theme", theme=iri)
        label, definition = rows[0]["label"], rows[0].get("definition")
        names = {"http://www.w3.org/2004/02/skos/core#broader": "Broader",
                 "http://www.w3.org/2004/02/skos/core#narrower": "Narrower",
                 "http://www.w3.org/2004/02/skos/core#related": "Related"}
        related = defaultdict(list)
        for r in rows:
            if r.get("relation"):
                related[names[r["relation"]]].append(self._a(r["other"], r["otherLabel"], href))
        recs = select(self.store, "theme-recommendations", theme=iri)
        authorities = len({r["authority"] for r in recs})
        table_rows = [[day(r.get("date")), self._a(r["authority"], r["authorityLabel"], href),
                       esc(r["text"]) + f' <span class="muted">({self._a(r["recommendation"], "p. " + str(r.get("page")), href)}'
                                        f' of {self._a(r["inspection"], r["inspectionLabel"], href)})</span>']
                      for r in recs]
        years = defaultdict(int)
        for r in recs:
            years[(r.get("date") or "")[:4] or "undated"] += 1
        by_year = ", ".join(f"{y}: {n}" for y, n in sorted(years.items()))
        body = (facts([("Definition", esc(definition))] + [(k, ", ".join(v)) for k, v in sorted(related.items())]
                      + [("Recommendations by year", esc(by_year))])
                + section(f"Recommendations on this theme ({len(recs)}, {authorities} authorities)",
                          table(["Date", "Authority", "Recommendation"], table_rows),
                          "No recommendation in the graph is tagged with this theme."))
        return label, "Theme", body

    # anything else ---------------------------------------------------

    def generic(self, iri: str, types: set[str], href):
        triples = description(self.store, iri)
        labels = {}
        for t in triples:
            if t.predicate.value in LABEL_PREDICATES and isinstance(t.object, ox.Literal):
                labels.setdefault(t.subject.value, t.object.value)
        title = labels.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        kind = ", ".join(sorted(labels.get(t, t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]) for t in types)) or "Resource"

        def term(node) -> str:
            if isinstance(node, ox.NamedNode):
                return self._a(node.value, labels.get(node.value, _short(node.value)), href)
            if isinstance(node, ox.Literal):
                return esc(node.value)
            return esc(str(node))
        rows = [[term(t.predicate), term(t.object)] for t in triples if t.subject.value == iri]
        incoming, more = [], 0
        for n, q in enumerate(self.store.quads_for_pattern(None, None, ox.NamedNode(iri))):
            if n < INCOMING_SHOWN:
                incoming.append([self._a(q.subject.value, self._name(q.subject.value), href), term(q.predicate)])
            else:
                more += 1
        note = f'<p class="muted">… and {more:,} more; ask the SPARQL endpoint for all of them.</p>' if more else ""
        body = (section("Description", table(["Property", "Value"], rows))
                + section("Pointed to by", table(["Resource", "Property"], incoming) + note if incoming else ""))
        return title, kind, body

    def _label(self, iri: str) -> str | None:
        for predicate in LABEL_PREDICATES:
            for quad in self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None):
                return quad.object.value
        return None

    def _name(self, iri: str) -> str:
        """A readable name: the label, else the page it sits on and its place there
        ('Dudley SIF inspection 2016-01-11 › judgement/overall-effectiveness')."""
        label = self._label(iri)
        if label:
            return label
        key = self.key(iri)
        if key:
            page, anchor = page_key(key)
            parent = self.resolve(page) if anchor else None
            if parent:
                return f"{self._label(parent) or _short(parent)} › {anchor}"
        return _short(iri)

    # home ----------------------------------------------------------

    def home(self, links: Links) -> str:
        counts = {r["class"]: int(r["entities"]) for r in self.counts()}
        inspections = sum(n for c, n in counts.items() if c in self.inspection_kinds)
        shown = [("Local authorities", counts.get(KG_NS + "LocalAuthority", 0)), ("Inspections and visits", inspections),
                 ("Judgements", counts.get(KG_NS + "Judgement", 0)), ("Inspectors", counts.get(KG_NS + "Inspector", 0)),
                 ("Recommendations", counts.get(KG_NS + "Recommendation", 0)), ("Themes", counts.get(KG_NS + "Theme", 0)),
                 ("Reports", counts.get(KG_NS + "Report", 0) + counts.get(KG_NS + "SelfEvaluation", 0))]
        tiles = "".join(f"<li><strong>{n:,}</strong>{esc(name)}</li>" for name, n in shown)
        searchable = [[r["label"], r["kind"], links.href(self.key(r["resource"]))] for r in self.index()
                      if r["kind"] in ("authority", "inspector", "theme")]
        search = ('<form class="search" role="search" action="#"><label for="search">Find an authority, inspector or theme</label>'
                  '<input id="search" type="search" autocomplete="off" placeholder="e.g. Dudley, Peter McEntee, workforce">'
                  '<p id="search-status" class="muted" aria-live="polite"></p><ul id="search-results"></ul></form>'
                  + json_script("search-index", searchable))
        by_kind = defaultdict(list)
        for r in self.index():
            by_kind[r["kind"]].append(r)
        lists = ""
        for kind, title in (("authority", "Local authorities"), ("theme", "Themes")):
            items = "".join(f"<li>{link(links.href(self.key(r['resource'])), r['label'])}</li>" for r in by_kind[kind])
            lists += section(title, f'<ul class="cols">{items}</ul>' if items else "")
        more = ("<p>Every page is also data: add <code>.ttl</code>, <code>.jsonld</code> or <code>.nt</code> to its "
                "address, or ask for <code>text/turtle</code>. "
                + (f"Ask your own questions on the {link(links.sparql, 'SPARQL query page')} (it has the example queries). "
                   if links.sparql else "")
                + f"The dataset is described in {link(links.void(), 'VoID')}.</p>")
        examples = ""
        if links.sparql:  # the query page opens the example named in its #fragment
            from ..query import named_queries, question_of

            items = "".join(f"<li>{link(links.sparql + '#' + name, question_of(path.read_text(encoding='utf-8')) or name)}</li>"
                            for name, path in named_queries().items())
            examples = section("Example questions (SPARQL)", f"<ul>{items}</ul>" if items else "")
        body = f'<ul class="counts">{tiles}</ul>{search}{more}{lists}{examples}'
        return layout(links=links, key=HOME, iri=None, title="Ofsted children's services inspections",
                      kind="Explorer", body=body, search=True)


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
