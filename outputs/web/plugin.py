"""The khaosan Datasette plugin: Thai search, fact cards, article pages, year/month facets, chart, CSV for Excel.

Registered through the ``datasette`` entry point (the package ``khaosan.outputs.web``
re-exports these hooks, so Datasette finds ``templates/`` and ``static/`` next to them).

Pages (``<fact_id>`` and ``<doc_id>`` URL-quoted; ``.json`` gives the same as JSON):

- ``/-/khaosan``                      start page: search box, questions, map, chart
- ``/-/khaosan/search?q=``            one search over articles and every fact table
- ``/-/khaosan/fact/<fact_id>``       fact card: the fact inside its sentence(s), highlighted
- ``/-/khaosan/article/<doc_id>``     whole article, every fact highlighted by family (``?fact=`` emphasises one)
- ``/-/khaosan/chart``                mentions per month by family, and baht named per month
- ``/<db>/<table>.excel``             Datasette's CSV with a UTF-8 byte-order mark, as a download
  (also ``.csv?_bom=1``); every table and query page links it as "excel".
"""
from __future__ import annotations

import contextvars
import csv
import io
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode

from datasette import hookimpl
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args, tilde_decode, tilde_encode
from datasette.utils.asgi import BadRequest, NotFound, Response
from markupsafe import Markup, escape

from khaosan.outputs import search_index
from khaosan.outputs.schema import FAMILY_TABLES
from khaosan.outputs.web import chart, facts
from khaosan.outputs.web.highlight import highlight_terms, snippets

log = logging.getLogger("khaosan.serve")

PREFIX = "/-/khaosan"
BOM = "\ufeff".encode()
READ_METHODS = ("GET", "HEAD", "OPTIONS")

# The query-string arguments of the request being served, for render_cell (which
# Datasette 0.65 calls without the request): set by the ASGI wrapper, read while
# the same request renders its cells.
_ARGS: contextvars.ContextVar[dict[str, list[str]]] = contextvars.ContextVar("khaosan_args", default={})

# Query parameters of our canned queries whose value is worth highlighting in the results.
HIGHLIGHT_PARAMS = ("q", "about", "name")
HIGHLIGHT_COLUMNS = ("sentence", "mention", "amount_as_written")
FACT_ID_COLUMNS = ("fact_id", "person_fact_id", "figure_fact_id", "latest_fact_id")


# -- which database is the dataset -------------------------------------------------------------

def dataset_name(datasette: Any) -> str | None:
    """The database holding the khaosan tables: the plugin's ``database`` setting, else the first one with articles."""
    config = datasette.plugin_config("khaosan") or {}
    if config.get("database") in datasette.databases:
        return config["database"]
    cached = getattr(datasette, "_khaosan_db", None)
    if cached in datasette.databases:
        return cached
    return None


async def find_dataset(datasette: Any) -> str | None:
    name = dataset_name(datasette)
    if name:
        return name
    for db_name, db in datasette.databases.items():
        if db_name.startswith("_"):
            continue
        if await db.table_exists("articles") and await db.table_exists("mentions"):
            datasette._khaosan_db = db_name
            return db_name
    return None


async def _db(datasette: Any) -> tuple[str, Any]:
    name = await find_dataset(datasette)
    if name is None:
        raise NotFound("no khaosan dataset (a database with articles and mentions tables) is being served")
    return name, datasette.get_database(name)


# Ids go into paths tilde-encoded, Datasette's own convention (it answers a
# percent-encoded path it cannot find with a redirect to the tilde form).
def card_url(datasette: Any, fact_id: str) -> str:
    return datasette.urls.path(f"{PREFIX}/fact/{tilde_encode(str(fact_id))}")


def article_url(datasette: Any, doc_id: str, fact_id: str | None = None) -> str:
    url = datasette.urls.path(f"{PREFIX}/article/{tilde_encode(str(doc_id))}")
    return url + (f"?fact={quote(fact_id, safe='')}" if fact_id else "")


def path_id(value: str) -> str:
    """An id from a URL path: percent-encoded as a browser sends it, or tilde-encoded as we link it."""
    return unquote(value) if "%" in value else tilde_decode(value)


def table_url(datasette: Any, db_name: str, table: str, **args: str) -> str:
    url = datasette.urls.table(db_name, table)
    return url + ("?" + urlencode(args) if args else "")


# -- search -------------------------------------------------------------------------------------

def search_args(args: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    """``_search`` and the ``_search_<column>`` arguments of a request."""
    plain = (args.get("_search") or [""])[-1].strip()
    by_column = {k[len("_search_"):]: v[-1].strip() for k, v in args.items()
                 if k.startswith("_search_") and v and v[-1].strip()}
    return plain, by_column


def current_terms() -> list[str]:
    """Search terms of the request being rendered (table search, or our canned queries' text parameters)."""
    args = _ARGS.get()
    plain, by_column = search_args(args)
    terms = search_index.split_terms(plain)
    for v in by_column.values():
        terms += search_index.split_terms(v)
    for p in HIGHLIGHT_PARAMS:
        for v in args.get(p, []):
            if v.strip():
                terms.append(v.strip())
    return terms


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """``?_search=`` (and ``?_search_<column>=``) on the dataset's tables, through the trigram index.

    Datasette's own search does not see our indexes (they are not external-content
    tables), so this hook is the only search: terms of three characters or more
    use the index, shorter ones LIKE.
    """
    if not search_index.searchable(table):
        return None

    async def inner() -> FilterArguments | None:
        if database != await find_dataset(datasette):
            return None
        db = datasette.get_database(database)
        index = "articles_fts" if table in search_index.SLICES else f"{table}_fts"
        indexed = await db.table_exists(index)
        args = {k: request.args.getlist(k) for k in request.args}
        plain, by_column = search_args(args)
        extra: dict[str, Any] = {"supports_search": True}
        where: list[str] = []
        params: dict[str, Any] = {}
        human: list[str] = []
        wanted = [(None, plain)] if plain else []
        wanted += [(col, v) for col, v in by_column.items()]
        for i, (col, value) in enumerate(wanted):
            terms = search_index.split_terms(value)
            if not terms:
                continue
            try:
                clause, p = search_index.terms_clause(table, terms, [col] if col else None, indexed=indexed)
            except ValueError as e:
                raise BadRequest(str(e)) from None
            # every search gets its own parameter names
            for k, v in p.items():
                clause = clause.replace(f":{k}", f":{k}_{i}")
                params[f"{k}_{i}"] = v
            where.append(clause)
            human.append(f'search{" in " + col if col else ""} matches "{value}"')
            extra["search"] = value
        return FilterArguments(where, params, human, extra)

    return inner


# -- cells --------------------------------------------------------------------------------------

def _get(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError, TypeError):
        return None


def _link(href: str, text: Any, css: str = "") -> Markup:
    cls = f' class="{css}"' if css else ""
    return Markup(f'<a href="{escape(href)}"{cls}>') + escape(str(text)) + Markup("</a>")


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Links from facts to their cards and from articles to their pages; search terms in ``<mark>``."""
    if database != dataset_name(datasette):
        return None
    label = None
    if isinstance(value, dict):  # a foreign key Datasette expanded to its label
        label, value = value.get("label"), value.get("value")
    if value is None or not isinstance(value, str):
        return None
    if column in FACT_ID_COLUMNS:
        return _link(card_url(datasette, value), value, "fact-link")
    if column == "doc_id":
        return _link(article_url(datasette, value), label or value, "article-link")
    terms = current_terms()
    if table == "articles" and column == "text":
        return snippets(value, terms, width=60, most=2) + Markup(" ") + _link(article_url(datasette, _get(row, "doc_id")),
                                                            "full text", "more")
    searched = column in search_index.searchable(table or "") or (table is None and column in HIGHLIGHT_COLUMNS)
    shown = highlight_terms(value, terms) if terms and searched else escape(value)
    if table == "articles" and column == "title" and _get(row, "doc_id"):
        return Markup(f'<a href="{escape(article_url(datasette, _get(row, "doc_id")))}">') + shown + Markup("</a>")
    if table is None and column == "title" and isinstance(_get(row, "doc_id"), str):
        return Markup(f'<a href="{escape(article_url(datasette, _get(row, "doc_id")))}">') + shown + Markup("</a>")
    if table in FAMILY_TABLES and column in ("name", "text") and _get(row, "fact_id"):
        return Markup(f'<a href="{escape(card_url(datasette, _get(row, "fact_id")))}">') + shown + Markup("</a>")
    if terms and searched:
        return shown
    return None


# -- facets by year and month of an ISO date column ---------------------------------------------

class _PrefixFacet(Facet):
    """Counts by the first ``width`` characters of an ISO date (year or year-month); selects with ``__startswith``."""

    type = ""
    width = 0

    async def suggest(self) -> list[dict[str, Any]]:
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        from datasette.database import QueryInterrupted

        results, timed_out = [], []
        facet_size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            key = f"{column}__startswith"
            selected_values = set(self.request.args.getlist(key))
            sql = (f"select substr({escape_sqlite(column)}, 1, {self.width}) as value, count(*) as count "
                   f"from ({self.sql}) where length({escape_sqlite(column)}) >= {self.width} "
                   f"group by value order by value desc limit {facet_size + 1}")
            try:
                rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for r in rows.rows[:facet_size]:
                v = r["value"]
                selected = v in selected_values
                path = (path_with_removed_args(self.request, {key: v}) if selected
                        else path_with_added_args(self.request, {key: v}))
                values.append({"value": v, "label": v, "count": r["count"], "selected": selected,
                               "toggle_url": self.ds.absolute_url(self.request, path)})
            results.append({"name": column, "type": self.type, "results": values, "hideable": source != "metadata",
                            "toggle_url": path_with_removed_args(self.request, {f"_facet_{self.type}": column}),
                            "truncated": len(rows.rows) > facet_size})
        return results, timed_out


class YearFacet(_PrefixFacet):
    type = "year"
    width = 4


class MonthFacet(_PrefixFacet):
    type = "month"
    width = 7


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [YearFacet, MonthFacet]


# -- CSV for spreadsheet programs ---------------------------------------------------------------

def _bom_send(send: Callable[[dict[str, Any]], Awaitable[None]]) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """A ``send`` that puts the UTF-8 byte-order mark before the body of a successful response."""
    state = {"ok": False, "done": False}

    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            state["ok"] = message.get("status") == 200
            if state["ok"]:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                message = {**message, "headers": headers}
        elif message["type"] == "http.response.body" and state["ok"] and not state["done"]:
            message = {**message, "body": BOM + message.get("body", b"")}
            state["done"] = True
        await send(message)

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """Remembers the request's arguments for render_cell; serves ``.excel`` (and ``.csv?_bom=1``) as CSV with a BOM."""

    def wrap(app: Any) -> Any:
        async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                return await app(scope, receive, send)
            if scope["method"] not in READ_METHODS and (datasette.plugin_config("khaosan") or {}).get("read_only"):
                return await Response.text(
                    "This khaosan server is read-only: it answers GET requests only.\n", status=405,
                    headers={"Allow": ", ".join(READ_METHODS)}).asgi_send(send)
            query = scope.get("query_string", b"").decode("utf-8", "replace")
            args = parse_qs(query, keep_blank_values=True)
            bom = False
            if scope["path"].endswith(".excel"):
                bom = True
                raw = scope.get("raw_path") or scope["path"].encode()
                if "_dl" not in args:
                    query = query + ("&" if query else "") + "_dl=on"
                scope = {**scope, "path": scope["path"][:-len(".excel")] + ".csv",
                         "raw_path": raw[:-len(b".excel")] + b".csv", "query_string": query.encode()}
            elif scope["path"].endswith(".csv") and args.get("_bom", [""])[-1] not in ("", "0", "off"):
                bom = True
            token = _ARGS.set(args)
            try:
                await app(scope, receive, _bom_send(send) if bom else send)
            finally:
                _ARGS.reset(token)

        return wrapped

    return wrap


def _render_excel(rows: list[Any], columns: list[str]) -> Response:
    # Only reached when the ASGI wrapper is not installed: this page's rows, with the BOM.
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    writer.writerows([[r[c] for c in columns] for r in rows])
    return Response(body=BOM + buf.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    # Registered so every table and query page links "excel"; the ASGI wrapper serves it.
    return {"extension": "excel", "render": _render_excel, "can_render": lambda: True}


# -- pages --------------------------------------------------------------------------------------

async def _page(datasette: Any, request: Any, template: str, context: dict[str, Any]) -> Response:
    name = await find_dataset(datasette)
    context = {"khaosan_db": name, "prefix": datasette.urls.path(PREFIX), "legend": facts.FAMILY_LABELS,
               **context}
    return Response.html(await datasette.render_template(template, context, request=request))


def _json(data: Any) -> Response:
    return Response.json(data, default=str)


async def start_page(datasette: Any, request: Any) -> Response:
    name, db = await _db(datasette)
    counts = {}
    for table in ("articles", *FAMILY_TABLES, "mentions"):
        if await db.table_exists(table):
            counts[table] = (await db.execute(f'SELECT count(*) FROM "{table}"')).rows[0][0]
    queries = datasette.metadata("queries", database=name) or {}
    return await _page(datasette, request, "khaosan_start.html", {
        "counts": counts, "queries": queries, "database_url": datasette.urls.database(name),
        "tables": {t: datasette.urls.table(name, t) for t in counts}})


async def search_page(datasette: Any, request: Any) -> Response:
    """One search box for everything: how many rows of each table match, and the matching articles with snippets."""
    name, db = await _db(datasette)
    q = (request.args.get("q") or "").strip()
    terms = search_index.split_terms(q)
    hits: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    if terms:
        for table in ("articles", *FAMILY_TABLES, "sentences", "mentions", "roles"):
            if not search_index.searchable(table) or not await db.table_exists(table):
                continue
            index = "articles_fts" if table in search_index.SLICES else f"{table}_fts"
            clause, params = search_index.terms_clause(table, terms, indexed=await db.table_exists(index))
            n = (await db.execute(f'SELECT count(*) FROM "{table}" WHERE {clause}', params)).rows[0][0]
            hits.append({"table": table, "count": n, "url": table_url(datasette, name, table, _search=q)})
        clause, params = search_index.terms_clause("articles", terms,
                                                   indexed=await db.table_exists("articles_fts"))
        for r in (await db.execute(f"SELECT doc_id, title, published, text FROM articles WHERE {clause} "
                                   "ORDER BY published DESC LIMIT 50", params)).rows:
            articles.append({"doc_id": r["doc_id"], "published": r["published"],
                             "title": highlight_terms(r["title"] or r["doc_id"], terms),
                             "snippet": snippets(r["text"] or "", terms),
                             "url": article_url(datasette, r["doc_id"])})
    if request.args.get("_format") == "json":
        return _json({"q": q, "tables": hits, "articles": [{**a, "title": str(a["title"]),
                                                             "snippet": str(a["snippet"])} for a in articles]})
    return await _page(datasette, request, "khaosan_search.html", {"q": q, "hits": hits, "articles": articles})


async def fact_page(datasette: Any, request: Any) -> Response:
    _, db = await _db(datasette)
    fact_id = path_id(request.url_vars["fact_id"])
    card = await facts.fact_card(db, fact_id, lambda f: card_url(datasette, f))
    if card is None:
        raise NotFound(f"no fact with id {fact_id!r}")
    if request.url_vars.get("format") == "json":
        return _json(facts.card_json(card))
    name = await find_dataset(datasette)
    fact = card["fact"]
    links = {
        "article": article_url(datasette, fact["doc_id"], fact_id),
        "row": datasette.urls.row(name, card["family"], tilde_encode(fact_id)),
        "json": card_url(datasette, fact_id) + ".json",
    }
    if card["family"] in ("persons", "orgs"):
        links["all_mentions"] = datasette.urls.path(
            f"{datasette.urls.database(name)}/mentions_of?" + urlencode({"name": card["label"]}))
    return await _page(datasette, request, "khaosan_fact.html", {**card, "links": links})


async def article_page(datasette: Any, request: Any) -> Response:
    _, db = await _db(datasette)
    doc_id = path_id(request.url_vars["doc_id"])
    page = await facts.article_page(db, doc_id, lambda f: card_url(datasette, f), request.args.get("fact"))
    if page is None:
        raise NotFound(f"no article with id {doc_id!r}")
    if request.url_vars.get("format") == "json":
        return _json(facts.article_json(page))
    name = await find_dataset(datasette)
    return await _page(datasette, request, "khaosan_article.html", {
        **page, "row_url": datasette.urls.row(name, "articles", tilde_encode(doc_id)),
        "json_url": article_url(datasette, doc_id) + ".json"})


# Chart data per database, computed once: the served file is immutable.
_CHART_CACHE: dict[tuple[str, str], tuple[float, Any]] = {}
CHART_TIME_LIMIT_MS = 30_000


async def chart_page(datasette: Any, request: Any) -> Response:
    name, db = await _db(datasette)
    queries = datasette.metadata("queries", database=name) or {}

    async def rows(query: str) -> list[Any]:
        key = (name, query)
        if key not in _CHART_CACHE:
            sql = queries[query]["sql"] if isinstance(queries.get(query), dict) else chart_sql(query)
            result = await db.execute(sql, custom_time_limit=CHART_TIME_LIMIT_MS)
            _CHART_CACHE[key] = (time.time(), [tuple(r) for r in result.rows])
        return _CHART_CACHE[key][1]

    mention_rows = await rows("mentions_by_month")
    periods, series = chart.by_period(mention_rows)
    series = {f: series[f] for f in FAMILY_TABLES if f in series}
    baht_rows = await rows("baht_by_month")
    b_periods, b_series = chart.by_period([(m, "THB", v) for m, v, _ in baht_rows])
    data = {"mentions": {"periods": periods, "series": series},
            "baht": {"periods": b_periods, "series": b_series}}
    if request.args.get("_format") == "json":
        return _json(data)
    mentions_svg = chart.stacked_bars(periods, series, chart.FAMILY_COLOURS,
                                      "Mentions of facts per month of publication", "mentions")
    baht_svg = chart.stacked_bars(b_periods, b_series, {"THB": "#2166ac"},
                                  "Baht named in articles per month of publication", "baht")
    table = [{"period": p, **{f: int(series[f][i]) for f in series},
              "baht": (b_series.get("THB") or [0] * len(b_periods))[b_periods.index(p)] if p in b_periods else 0}
             for i, p in enumerate(periods)]
    return await _page(datasette, request, "khaosan_chart.html", {
        "mentions_svg": mentions_svg, "baht_svg": baht_svg, "families": list(series), "table": table,
        "colours": chart.FAMILY_COLOURS, "short_number": chart.short_number,
        "data_urls": {q: datasette.urls.path(f"{datasette.urls.database(name)}/{q}")
                      for q in ("mentions_by_month", "baht_by_month") if q in queries}})


def chart_sql(query: str) -> str:
    """The chart's SQL when the metadata has no canned query of that name (Datasette run without our metadata)."""
    from khaosan.outputs.web.metadata import canned_queries

    return canned_queries()[query]["sql"]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (rf"^{PREFIX}$", start_page),
        (rf"^{PREFIX}/search$", search_page),
        (rf"^{PREFIX}/fact/(?P<fact_id>[^/]+?)(\.(?P<format>json))?$", fact_page),
        (rf"^{PREFIX}/article/(?P<doc_id>.+?)(\.(?P<format>json))?$", article_page),
        (rf"^{PREFIX}/chart$", chart_page),
    ]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.static_plugins("khaosan", "khaosan.css")]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    name = dataset_name(datasette)
    links = [{"href": datasette.urls.path(PREFIX), "label": "khaosan: start here"},
             {"href": datasette.urls.path(f"{PREFIX}/chart"), "label": "Chart: mentions and baht over time"}]
    if name:
        links.append({"href": datasette.urls.path(f"{datasette.urls.database(name)}/province_map"),
                      "label": "Map of provinces"})
    return links


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: Exception) -> None:
    """Server errors go to the log with their traceback; visitors' mistakes (4xx) do not."""
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError

    status = getattr(exception, "status", 500)
    if isinstance(exception, (Base400, DatasetteError)) and status < 500:
        return None
    log.error("error serving %s: %s", request.path if request else "?", exception, exc_info=exception)
    return None  # Datasette renders the error page


@hookimpl
def startup(datasette: Any) -> Callable[[], Awaitable[None]]:
    async def inner() -> None:
        await find_dataset(datasette)  # so render_cell, which cannot await, knows the dataset

    return inner
