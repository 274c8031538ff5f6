"""Web pages: one ``.html``/``.htm`` file is one article.

The main text comes from trafilatura (navigation, ads, comment sections and share
buttons dropped); when it finds nothing (very short or odd pages) a
BeautifulSoup pass that removes page furniture by tag and class takes over.
Title, publication date and URL come from the page's metadata.  The page is
parsed once with lxml; trafilatura works on a copy of that tree.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khaosan.corpus.article import Article, ReadError, join_text
from khaosan.corpus.boilerplate import clean
from khaosan.corpus.files import ReadFailure, read_text_file, stem
from khaosan.corpus.published import normalize_published
from khaosan.corpus.text import normalize_newlines
from khaosan.pipeline.settings import Settings

log = logging.getLogger("khaosan")

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")

# Meta tags naming the page's title, publication date and address, best first.
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title")
_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
              "publish-date", "publish_date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created",
              "dcterms.date", "sailthru.date", "parsely-pub-date", "article.published", "created")
_URL_KEYS = ("og:url", "twitter:url")

# BeautifulSoup fallback: tags that are never article text, and class/id words that mark page furniture.
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
              "button", "select", "template", "figure")
# Before trafilatura (which keeps all of a short page's text), only what is never article text goes.
_PRUNE_TAGS = ("nav", "aside", "footer", "form", "button", "select", "noscript", "iframe", "template")
_FURNITURE = frozenset({"share", "sharing", "social", "comment", "comments", "related", "advert", "ad", "ads",
                        "advertisement", "banner", "menu", "nav", "navbar", "navigation", "breadcrumb",
                        "breadcrumbs", "sidebar", "complementary", "contentinfo", "widget", "cookie", "footer",
                        "header", "popup", "subscribe", "newsletter", "tags", "print"})
_WORDS = re.compile(r"[^a-z0-9]+")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a meta tag or XML declaration (first 4 KiB)."""
    head = data[:4096]
    m = _CHARSET.search(head) or _XML_ENCODING.search(head)
    return m[1].decode("ascii") if m else None


def _meta_tags(tree: Any) -> dict[str, str]:
    """meta property/name/itemprop (lower case) -> content; the first of each name wins."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = (el.get("content") or el.get("datetime") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in out:
                out[key] = content
    return out


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """The JSON-LD objects of the page, flattened (lists and @graph); broken JSON is ignored."""
    found: list[dict[str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 4:
            return
        if isinstance(node, list):
            for x in node:
                walk(x, depth + 1)
        elif isinstance(node, dict):
            found.append(node)
            if "@graph" in node:
                walk(node["@graph"], depth + 1)

    for el in tree.iter("script"):
        if "ld+json" in (el.get("type") or "").lower() and el.text:
            try:
                walk(json.loads(el.text), 0)
            except ValueError:
                continue
    return found


def _first(values: Any) -> str | None:
    for v in values:
        if isinstance(v, str) and v.strip():
            return _SPACES.sub(" ", v.strip())
    return None


def page_metadata(tree: Any) -> dict[str, str | None]:
    """Title, published (ISO date), url from meta tags, JSON-LD, <title>, <time> and the canonical link."""
    metas = _meta_tags(tree)
    ld = _json_ld(tree)
    title_el = next(tree.iter("title"), None)
    title = _first([*(metas.get(k) for k in _TITLE_KEYS), *(o.get("headline") for o in ld),
                    title_el.text_content() if title_el is not None else None])
    published = None
    for candidate in [*(metas.get(k) for k in _DATE_KEYS), *(o.get("datePublished") for o in ld),
                      *(el.get("datetime") for el in tree.iter("time"))]:
        published = normalize_published(candidate) if isinstance(candidate, str) else None
        if published:
            break
    canonical = next((el.get("href") for el in tree.iter("link")
                      if "canonical" in (el.get("rel") or "").lower().split()), None)
    url = _first([*(metas.get(k) for k in _URL_KEYS), canonical])
    return {"title": title, "published": published, "url": url}


def _furniture_words(words: str) -> bool:
    return bool(words) and not _FURNITURE.isdisjoint(_WORDS.split(words.lower()))


def _is_furniture(el: Any) -> bool:
    """BeautifulSoup element whose class/id/role names page furniture."""
    attrs = getattr(el, "attrs", None) or {}
    return _furniture_words(" ".join([*(attrs.get("class") or []), attrs.get("id") or "", attrs.get("role") or ""]))


def prune(tree: Any) -> None:
    """Drop navigation, forms, asides and share/comment/ad blocks from an lxml tree, in place.

    An element holding half the page's paragraph text (or, on a page without
    paragraphs, half its text) is kept whatever its class says: that
    ``<div class="content has-sidebar">`` wraps the article itself.
    """
    for el in list(tree.iter(*_PRUNE_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()

    def weight(node: Any) -> int:
        paragraphs = [len(p.text_content()) for p in node.iter("p")]
        return sum(paragraphs) if has_paragraphs else len(node.text_content())

    has_paragraphs = next(tree.iter("p"), None) is not None
    total = weight(tree)
    for el in tree.xpath("//*[@class or @id or @role]"):
        if el.getparent() is None or el.tag in ("html", "body"):
            continue
        words = " ".join((el.get("class") or "", el.get("id") or "", el.get("role") or ""))
        if _furniture_words(words) and 2 * weight(el) < total:
            el.drop_tree()


def soup_text(html: str) -> str:
    """Main text by BeautifulSoup: furniture removed by tag and class, one line per block."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for el in soup(_DROP_TAGS):
        el.decompose()
    root = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body or soup
    has_paragraphs = root.find("p") is not None

    def weight(node: Any) -> int:  # as in prune(): paragraph text, or all text on a page without <p>
        return sum(len(p.get_text()) for p in node.find_all("p")) if has_paragraphs else len(node.get_text())

    total = weight(root)
    for el in root.find_all(_is_furniture):
        # A wrapper holding most of the page (class="content has-sidebar") is not furniture.
        if not el.decomposed and 2 * weight(el) < total:
            el.decompose()
    lines = (_SPACES.sub(" ", line).strip() for line in root.get_text("\n").split("\n"))
    return "\n".join(line for line in lines if line)


def main_text(tree: Any, html: str) -> str:
    """trafilatura's main text, or the BeautifulSoup fallback when it finds none."""
    text = ""
    if tree is not None:
        import trafilatura

        try:
            prune(tree)
            # favor_recall: news pages lose paragraphs otherwise (text in <div>/<b> without <p>);
            # the furniture it might let in is pruned above and by the boilerplate lines.
            text = trafilatura.extract(tree, include_comments=False, include_tables=True, include_images=False,
                                       include_links=False, favor_recall=True) or ""
        except Exception as e:  # trafilatura must not lose a page the fallback can read
            log.debug("trafilatura failed: %s", e)
    return text.strip() or soup_text(html)


def parse_tree(html: str) -> Any:
    """The page as an lxml tree (repairs broken markup), or None when there is no HTML to parse."""
    from trafilatura.utils import load_html

    try:
        return load_html(html)
    except Exception:
        return None


def read_html(path: Path, settings: Settings) -> Iterator[Article | ReadError]:
    try:
        html, codec = read_text_file(path, settings, declared_charset)
    except ReadFailure as e:
        yield ReadError(str(path), str(e))
        return
    tree = parse_tree(html)
    meta = page_metadata(tree) if tree is not None else {"title": None, "published": None, "url": None}
    body = clean(normalize_newlines(main_text(tree, html)))
    if not body:
        yield ReadError(str(path), "no article text found in the page")
        return
    title = meta["title"]
    text = join_text(title, body)
    extra = {"format": "html", "encoding": codec}
    if len(text) > settings.max_article_chars:
        text = text[: settings.max_article_chars]
        extra["truncated"] = "max_article_chars"
    yield Article(doc_id=stem(path), text=text, title=title, url=meta["url"], published=meta["published"],
                  source=str(path), meta=extra)
