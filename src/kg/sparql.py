"""What a SPARQL text is allowed to be, decided on the parsed query, never on its spelling.

    text = safe_query(text)      # the text to evaluate, checked (both parsers see the same text)
    form = check_query(text)     # 'SELECT', 'ASK', 'CONSTRUCT' or 'DESCRIBE'
                                 # either raises QueryRefused (status 400, 403 or 413, one-line message)

Used by `kg serve` (before a query reaches a worker's engine) and `kg query`. The text is parsed
with rdflib's SPARQL 1.1 grammar: an update (INSERT, DELETE, LOAD, CLEAR, ...) is refused, so is
any SERVICE (federated query) anywhere in the parse tree, however it is spelled or hidden. Size and
bracket nesting are bounded first, so a hostile text cannot exhaust the parser's or the
engine's stack (Oxigraph's native stack overflows - the process dies - at a few thousand
nested groups).

The engine (Oxigraph) must see exactly the text that was checked, tokenised the same way, or a
SERVICE could hide from the check in a spot where the two parsers disagree. So the text is first
made canonical: line breaks become LF (rdflib ends a # comment only at LF, Oxigraph also at CR)
and \\u/\\U escapes are expanded as the SPARQL grammar says (rdflib expands them before parsing,
Oxigraph only inside strings), repeatedly, until none is left; that text is checked and evaluated.
"""
from __future__ import annotations

from functools import lru_cache

MAX_QUERY_CHARS = 100_000
MAX_DEPTH = 30  # nested { } ( ) [ ]; rdflib's parser itself stops near 35

READ_ONLY_MESSAGE = ("This SPARQL endpoint is read-only: SPARQL Update ({}) is refused. "
                     "To load the graph into a writable triple store use 'kg push'.")
NO_QUERY = "No query: the text holds only comments, PREFIX or BASE declarations and white space."
SERVICE_MESSAGE = ("SERVICE (federated query) is not allowed: this endpoint only answers from its own "
                   "graph and does not fetch other endpoints.")
UPDATE_OPERATIONS = {"InsertData": "INSERT", "DeleteData": "DELETE", "DeleteWhere": "DELETE", "Load": "LOAD",
                     "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
                     "Copy": "COPY", "Modify": "DELETE/INSERT"}


class QueryRefused(ValueError):
    """A query the endpoint will not run: status is the HTTP status to answer with."""
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuerySyntaxError(QueryRefused):
    status = 400


class QueryTooLarge(QueryRefused):
    status = 413


class QueryTooDeep(QueryRefused):
    status = 400


class UpdateRefused(QueryRefused):
    status = 403

    def __init__(self, operation: str = ""):
        super().__init__(READ_ONLY_MESSAGE.format(operation or "INSERT, DELETE, LOAD, CLEAR, DROP, ..."))
        self.operation = operation


class ServiceRefused(QueryRefused):
    status = 403

    def __init__(self):
        super().__init__(SERVICE_MESSAGE)


def nesting(text: str) -> int:
    """The deepest nesting of brackets in the raw text, strings and comments included (an
    over-estimate is harmless: it only has to bound what the parser will recurse into)."""
    depth = deepest = 0
    for char in text:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]" and depth:
            depth -= 1
    return deepest


def _bounded(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLarge(f"Query too long: {len(text):,} characters (limit {MAX_QUERY_CHARS:,}).")
    if nesting(text) > MAX_DEPTH:
        raise QueryTooDeep(f"Query nested too deeply: more than {MAX_DEPTH} levels of brackets.")


def _walk(node):
    """Every parse-tree node (rdflib CompValues are dicts; ParseResults and lists hold them)."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))


def _name(node) -> str:
    return getattr(node, "name", "") if isinstance(node, dict) else ""


def _parse_error(exc: Exception) -> str:
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    where = f"line {line}, column {col}: " if line is not None else ""
    detail = getattr(exc, "msg", None) or str(exc)
    found = getattr(exc, "line", "")
    return f"SPARQL syntax error at {where}{' '.join(str(detail).split())}" + (
        f" (in: {found.strip()[:80]!r})" if found and found.strip() else "")


def canonical(text: str) -> str:
    """The text both parsers read alike: LF line breaks, no \\u or \\U escapes left."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        while True:
            expanded = expandUnicodeEscapes(text).replace("\r\n", "\n").replace("\r", "\n")
            if expanded == text:
                break
            text = expanded
        text.encode("utf-8")
    except ValueError as exc:  # an invalid code point, or a lone surrogate (UnicodeEncodeError)
        raise QuerySyntaxError(f"SPARQL syntax error: bad \\u escape: {' '.join(str(exc).split())[:120]}") from None
    return text


def _decide(text: str) -> tuple[str, QueryRefused | None]:
    """(form, None) or ('', refusal); remembered for short texts (pages send the same examples)."""
    return _decide_cached(text) if len(text) <= 10_000 else _decide_now(text)


def _decide_now(text: str) -> tuple[str, QueryRefused | None]:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        _bounded(text)
        try:
            tree = parseQuery(text)
        except ParseException as query_error:
            try:
                update = parseUpdate(text)
            except (ParseException, RecursionError):
                raise QuerySyntaxError(_parse_error(query_error)) from None
            operations = [UPDATE_OPERATIONS[_name(n)] for n in _walk(update) if _name(n) in UPDATE_OPERATIONS]
            if not operations:  # comments, PREFIX and BASE only: an empty update, not a refused one
                raise QuerySyntaxError(NO_QUERY) from None
            raise UpdateRefused(operations[-1]) from None
        if any(_name(node) == "ServiceGraphPattern" for node in _walk(tree)):
            raise ServiceRefused()
        form = next((_name(n) for n in _walk(tree) if _name(n).endswith("Query")), "SelectQuery")
        return form[:-len("Query")].upper(), None
    except RecursionError:
        return "", QueryTooDeep("Query nested too deeply for the SPARQL parser.")
    except QueryRefused as refused:
        return "", refused


_decide_cached = lru_cache(maxsize=256)(_decide_now)


def safe_query(text: str) -> str:
    """The canonical text of a read-only query without SERVICE, to hand to the engine; raises
    QueryRefused otherwise (see check_query)."""
    check_query(text)
    return canonical(text)


def check_query(text: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE) of a read-only query without SERVICE,
    judged on its canonical text (evaluate safe_query(text), never text itself); otherwise
    raises QueryRefused (an update: UpdateRefused, 403; SERVICE: ServiceRefused, 403; bad
    syntax: QuerySyntaxError, 400; too long: 413; too deeply nested: 400)."""
    if not text or not text.strip():
        raise QuerySyntaxError("Missing query: send ?query=SPARQL (GET) or a form field 'query' (POST).")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLarge(f"Query too long: {len(text):,} characters (limit {MAX_QUERY_CHARS:,}).")
    form, refused = _decide(canonical(text))
    if refused is not None:
        raise refused.with_traceback(None)
    return form


def update_operation(text: str) -> str:
    """The name of the (first) update operation in an update text, for the refusal message;
    '' if the text is no update rdflib can parse."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    if len(text or "") > 5_000:  # only names the operation in a message: not worth a long parse
        return ""
    try:
        _bounded(text or "")
        update = parseUpdate(text or "")
    except (QueryRefused, ParseException, RecursionError):
        return ""
    operations = [UPDATE_OPERATIONS[_name(n)] for n in _walk(update) if _name(n) in UPDATE_OPERATIONS]
    return operations[-1] if operations else ""
