"""HTML pages and RSS/Atom feeds as article records (standard library only).

An HTML page gives one article: the text of its ``<article>`` element (or of ``<body>``
without navigation, scripts, forms and footers), one paragraph a line; the title from
``<h1>`` or ``<title>``; the date from ``article:published_time``/``datePublished``/
``<time datetime>``. A feed gives one article per ``<item>``/``<entry>``, its text from
``content:encoded``/``content``/``description``/``summary`` with markup removed.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from marsad.ingest.readers import Record, check_text, decode_text

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "figcaption",
        "header",
    ]
)
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "svg",
        "iframe",
        "select",
        "template",
    ]
)
_SPACES_RE = re.compile(r"[ \t\r\f\v]+")
_BLANKS_RE = re.compile(r"\n\s*\n+")
_TAG_RE = re.compile(r"<[^>]+>")
_DATE_META = ("article:published_time", "datepublished", "pubdate", "date", "dc.date")


class _PageText(HTMLParser):
    """Collects visible text by block, the title, the article element and a date."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self.skip = 0
        self.in_article = 0
        self.in_title = False
        self.in_h1 = False
        self.title = ""
        self.h1 = ""
        self.published: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag == "article":
            self.in_article += 1
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.in_h1 = True
        if tag == "meta" and not self.published:
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and a.get("content"):
                self.published = a["content"]
        if tag == "time" and not self.published and a.get("datetime"):
            self.published = a["datetime"]
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag == "article" and self.in_article:
            self.in_article -= 1
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip:
            return
        if self.in_h1:
            self.h1 += data
            return
        self._emit(data)

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        if self.in_article:
            self.article_parts.append(s)


def _tidy(text: str) -> str:
    lines = [_SPACES_RE.sub(" ", ln).strip() for ln in text.split("\n")]
    return _BLANKS_RE.sub("\n\n", "\n".join(ln for ln in lines if ln)).strip()


def html_to_record(
    raw_html: str, doc_id: str, source: str, published: str | None, max_chars: int
) -> Record:
    """One article record from an HTML page."""
    p = _PageText()
    p.feed(raw_html)
    p.close()
    body = _tidy("".join(p.article_parts) or "".join(p.parts))
    rec = Record(
        doc_id,
        None,
        title=_tidy(p.h1 or p.title),
        source=source,
        published=(p.published or published),
    )
    rec.text, rec.error = check_text(body, max_chars)
    return rec


def _strip_markup(fragment: str) -> str:
    text = _TAG_RE.sub("\n", fragment)
    return _tidy(html.unescape(text))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def feed_to_records(
    xml_text: str, source: str, published: str | None, max_chars: int
) -> Iterator[Record]:
    """Article records from an RSS 2.0 or Atom feed; a broken feed gives one error record."""
    stem = Path(source).stem
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        yield Record(stem, None, source=source, error=f"broken XML feed: {exc}")
        return
    items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    for n, item in enumerate(items, start=1):
        fields: dict[str, str] = {}
        for child in item:
            name = _local(child.tag)
            if name == "link" and child.get("href"):
                fields.setdefault("link", child.get("href", ""))
            val = "".join(child.itertext()).strip()
            if val:
                fields.setdefault(name, val)
        body = (
            fields.get("encoded")
            or fields.get("content")
            or fields.get("description")
            or fields.get("summary")
            or ""
        )
        doc_id = fields.get("guid") or fields.get("id") or f"{stem}:{n}"
        date = (
            fields.get("pubdate")
            or fields.get("published")
            or fields.get("updated")
            or fields.get("date")
        )
        rec = Record(
            doc_id,
            None,
            title=_strip_markup(fields.get("title", "")),
            url=fields.get("link", ""),
            source=source,
            line=n,
            published=_iso_date(date) or published,
        )
        rec.text, rec.error = check_text(_strip_markup(body), max_chars)
        yield rec


_RFC822_RE = re.compile(r"(\d{1,2})\s+([A-Za-z]{3})\w*\s+(\d{4})")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def _iso_date(value: str | None) -> str | None:
    """ISO date of an RSS (RFC 822) or Atom (ISO 8601) date string."""
    if not value:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    m = _RFC822_RE.search(value)
    if m and m.group(2).lower() in _MONTHS:
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    return None


def read_web_file(path: Path, published: str | None, max_chars: int) -> Iterator[Record]:
    """Records of an ``.html``/``.htm`` page or an ``.xml``/``.rss``/``.atom`` feed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Record(path.stem, None, source=str(path), error=f"cannot read file: {exc}")
        return
    text, err = decode_text(raw, max_chars=max(max_chars * 4, max_chars))
    if text is None:
        yield Record(path.stem, None, source=str(path), error=err)
        return
    if path.suffix.lower() in (".html", ".htm"):
        rec = html_to_record(text, path.stem, str(path), None, max_chars)
        if rec.published:
            rec.published = _iso_date(rec.published) or published
        else:
            rec.published = published
        yield rec
    else:
        yield from feed_to_records(text, str(path), published, max_chars)
