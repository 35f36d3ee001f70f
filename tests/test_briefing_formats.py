"""Every input format of the briefing layer, on fixtures these tests build themselves:
plain text in several encodings, Markdown, HTML, hand-made PDFs, standard input and http
URLs served from 127.0.0.1; and the bad inputs of each, which must all give a one-line
BriefingError."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from brief_tui.briefing import Briefing, BriefingError, load_briefing, paragraph_spans
from brief_tui.briefing import model as briefing_model

BRIEFING_DIR = Path(__file__).resolve().parent.parent / "tui" / "brief_tui" / "briefing"


def fails(source: str | Path, *words: str, timeout: float | None = None) -> str:
    with pytest.raises(BriefingError) as info:
        load_briefing(source, timeout=timeout)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message
    for word in words:
        assert word in message, message
    return message


# --------------------------------------------------------------------------- fixtures

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Seoul warns troops moving to frontline | Example News</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-10-29T08:00:00Z">
<script>window.tracking = {id: 42};</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>\
<li><a href="/subscribe">Subscribe</a></li></ul></nav>
<div class="ad">Buy one get one free at the Example Store today only.</div>
<article>
<h1>Seoul warns North Korean troops moving to frontline</h1>
<p>South Korea warned on Tuesday that North Korean troops sent to Russia to aid Moscow's war on
Ukraine may be moving to the <a href="https://example.org/front">frontline</a>, in a sign the
conflict is spreading.</p>
<h2>Intelligence briefing</h2>
<p>The National Intelligence Service is trying to confirm the movement, lawmaker Lee Seong-kweun
said after the spy agency briefed parliamentarians in a closed-door session last week.</p>
<p>President Yoon Suk Yeol said on Monday that the troops could join the battlefield earlier than
expected, without giving further details of the deployment.</p>
</article>
<footer>Copyright 2024 Example News. All rights reserved. Cookie settings.</footer>
</body></html>
"""

ARTICLE_MD = """---
title: "Troops at the front"
author: Jane Roe
date: 2024-10-29
---
# Seoul warns on troops

South Korea *warned* on **Tuesday** that North Korean troops
may be moving to the [frontline](https://example.org/front "front").

## What the NIS said

- The `NIS` is trying to confirm the movement.
- Lawmakers were briefed ![map](map.png) in a closed session.

> "We are watching closely," an official said.

| Source | Figure |
|--------|--------|
| NIS    | 3,000  |
"""

FRENCH = (
    "Le ministère des Affaires étrangères a déclaré mardi que les troupes nord-coréennes étaient "
    "arrivées à Koursk. « Nous suivons la situation de très près », a précisé le porte-parole.\n"
    "Selon l'agence, l'armée a confirmé le déploiement près de la frontière.\n"
)


def make_pdf(
    pages: list[list[str | tuple[str, int]]],
    info: dict[str, str] | None = None,
    *,
    leading: int = 14,
) -> bytes:
    """A minimal PDF written by hand: one Helvetica text object per page, one line per
    item ("" leaves an empty line, i.e. a paragraph gap; (text, size) sets a font size)."""
    objs: list[bytes] = [b""]  # index 0 unused; object numbers start at 1

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs) - 1

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = add(b"")
    kids = []
    for lines in pages:
        ops = [b"BT /F1 11 Tf %d TL 72 760 Td" % leading]
        for line in lines:
            text, size = (line, 11) if isinstance(line, str) else line
            if text:
                esc = (
                    text.replace("\\", "\\\\")
                    .replace("(", "\\(")
                    .replace(")", "\\)")
                    .encode("cp1252")
                )
                ops.append(b"/F1 %d Tf (%s) Tj" % (size, esc))
            ops.append(b"T*")
        ops.append(b"ET")
        stream = b"\n".join(ops) if any(lines) else b""
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, content)
            )
        )
    objs[pages_id] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info_id = 0
    if info:
        info_id = add(
            b"<< "
            + b" ".join(b"/%s (%s)" % (k.encode(), v.encode()) for k, v in info.items())
            + b" >>"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number in range(1, len(objs)):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objs[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % len(objs)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (len(objs), catalog)
    if info_id:
        out += b" /Info %d 0 R" % info_id
    out += b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


ARTICLE_PDF_PAGES: list[list[str | tuple[str, int]]] = [
    [
        ("Seoul warns on troops", 18),
        "",
        "South Korea warned on Tuesday that North Korean troops sent to Russia to",
        "aid Moscow may be moving to the frontline, in a sign the conflict is on the",
        "verge of spreading.",
        "",
        "The National Intelligence Service is trying to confirm the move-",
        "ment of the troops, a South Korean lawmaker said after the spy agency",
        "briefed parliamentarians in a closed-door session, according to his",
        "",
        "1",
    ],
    [
        "office, which gave no further details of the movement of the North Korean",
        "troops or of their number.",
        "",
        "The assessment follows remarks by President Yoon Suk Yeol on Monday.",
        "",
        "2",
    ],
]


def article_pdf() -> bytes:
    return make_pdf(
        ARTICLE_PDF_PAGES,
        {
            "Title": "Seoul warns on troops",
            "Author": "Jane Roe",
            "CreationDate": "D:20241029080000Z",
        },
    )


# --------------------------------------------------------------------------- plain text


def test_plain_utf8_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    raw = "Seoul warns – “troops”\nNorth Korea’s army moved.\n\nA second paragraph.\n"
    p = tmp_path / "brief.txt"
    p.write_bytes(raw.encode("utf-8"))
    b = load_briefing(p)
    assert b.text == raw
    assert (b.format, b.encoding) == ("text", "utf-8")
    assert b.title == "Seoul warns – “troops”"
    assert b.paragraphs == paragraph_spans(raw)
    assert b.origin == str(p.resolve())


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"\xef\xbb\xbfHeadline\r\nFirst line.\r\nSecond line.\r\n")
    b = load_briefing(p)
    assert b.text == "Headline\nFirst line.\nSecond line.\n"
    assert b.encoding == "utf-8"
    assert b.paragraphs == ((0, 8), (9, 20), (21, 33))


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("latin-1", FRENCH, {"cp1252", "iso8859-1"}),
        (
            "cp1252",
            FRENCH + "Il en coûte 5 € selon l’agence, qui parle d’un “signal”.\n",
            {"cp1252"},
        ),
        (
            "cp1252",
            "The minister said the troops’ arrival was “confirmed” on Tuesday.\n",
            {"cp1252"},
        ),
        (
            "cp1251",
            (
                "Южная Корея заявила во вторник, что северокорейские войска направляются на фронт. "
                "Об этом сообщило агентство Ёнхап со ссылкой на разведку.\n"  # noqa: RUF001  Russian sample text
            ),
            {"cp1251"},
        ),
    ],
)
def test_legacy_encodings_are_detected_and_recorded(
    tmp_path: Path, encoding: str, text: str, expected: set[str]
) -> None:
    p = tmp_path / "legacy.txt"
    p.write_bytes(text.encode(encoding))
    b = load_briefing(p)
    assert b.text == text
    assert b.encoding in expected


@pytest.mark.parametrize(
    "text",
    [
        "Café naïve résumé à la carte. The minister said it would happen.\n",
        "Café owner François Dupont said the naïve plan had failed.\n",
        "“Smart quotes” – an en dash — an em dash, and €5 for a coffee.\n",
        "El ministro dijo: ¿Qué pasará mañana? La reunión será en Málaga.\n",
        "Søren and Ærø; the minister said the talks would resume on Monday.\n",
    ],
)
def test_short_western_text_is_read_as_cp1252(tmp_path: Path, text: str) -> None:
    # charset-normalizer guesses cp775, cp1250 or cp864 for these bytes on their own
    p = tmp_path / "western.txt"
    p.write_bytes(text.encode("cp1252"))
    b = load_briefing(p)
    assert (b.text, b.encoding) == (text, "cp1252")


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        (
            "cp1250",
            "Zażółć gęślą jaźń. Prezydent powiedział, że rozmowy będą kontynuowane w przyszłym "
            "tygodniu.\n",
        ),
        ("cp1250", "Ministr řekl, že jednání budou pokračovat příští týden v Praze.\n"),
        (
            "cp1250",
            "Příliš žluťoučký kůň úpěl ďábelské ódy. Ministr řekl, že jednání budou pokračovat.\n",
        ),
        (
            "cp1250",
            "A miniszter szerint a tárgyalások jövő héten folytatódnak Budapesten, közölte.\n",
        ),
        ("cp1251", "Министр сказал, что переговоры возобновятся на следующей неделе.\n"),
    ],
)
def test_central_european_and_cyrillic_text_is_not_taken_for_cp1252(
    tmp_path: Path, encoding: str, text: str
) -> None:
    p = tmp_path / "other.txt"
    p.write_bytes(text.encode(encoding))
    b = load_briefing(p)
    assert (b.text, b.encoding) == (text, encoding)


def test_cp1252_is_preferred_only_over_a_worse_reading() -> None:
    from brief_tui.briefing.encoding import cp1252_instead

    naive = "naïve Café".encode("cp1252")
    assert cp1252_instead(naive, naive.decode("cp1250")) == "naïve Café"
    assert cp1252_instead(naive, naive.decode("cp775")) == "naïve Café"
    czech = "Ministr řekl, že pokračovat".encode("cp1250")
    assert cp1252_instead(czech, czech.decode("cp1250")) is None  # "økl", "pokraèovat"
    polish = "każdy już".encode("cp1250")
    assert cp1252_instead(polish, polish.decode("cp1250")) is None  # "ka¿dy ju¿"
    russian = "Министр сказал".encode("cp1251")
    assert cp1252_instead(russian, russian.decode("cp1251")) is None  # "Ìèíèñòð"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "wide.txt"
    p.write_bytes(("Headline\r\n" + FRENCH).encode(encoding))
    b = load_briefing(p)
    assert b.text == "Headline\n" + FRENCH
    assert b.encoding.startswith(encoding[:6])
    assert b.title == "Headline"


def test_empty_file_gives_an_empty_briefing(tmp_path: Path) -> None:
    for name in ("empty.txt", "empty.html", "empty.md", "blank.txt"):
        p = tmp_path / name
        p.write_bytes(b"" if name.startswith("empty") else b" \n\n\t\n")
        b = load_briefing(p)
        assert isinstance(b, Briefing) and b.is_empty


def test_missing_directory_binary_and_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fails(tmp_path / "nope.txt", "no such file")
    fails(tmp_path, "is a directory")
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    fails(png, "binary file", "PNG")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 16)
    fails(junk, "binary file")
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 400)
    monkeypatch.setattr(briefing_model, "MAX_BYTES", 1024)
    fails(big, "larger than", "1 kB limit")
    big_html = tmp_path / "big.html"
    big_html.write_bytes(ARTICLE_HTML.encode() * 2)
    fails(big_html, "larger than")


def test_the_default_limit_refuses_a_50_mb_file() -> None:
    assert briefing_model.MAX_BYTES < 50 * 1024 * 1024


def test_standard_input_is_read_and_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        def __init__(self, data: bytes) -> None:
            self.buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", Stdin(b"Plain headline\nBody text.\n"))
    b = load_briefing("-")
    assert (b.text, b.origin, b.format) == ("Plain headline\nBody text.\n", "<stdin>", "text")
    monkeypatch.setattr(sys, "stdin", Stdin(ARTICLE_HTML.encode()))
    b = load_briefing("-")
    assert b.format == "html" and "Home" not in b.text


# --------------------------------------------------------------------------- Markdown


def test_markdown_keeps_structure_and_drops_markup(tmp_path: Path) -> None:
    p = tmp_path / "brief.md"
    p.write_text(ARTICLE_MD, encoding="utf-8")
    b = load_briefing(p)
    assert b.format == "markdown"
    assert (b.title, b.author, b.date) == ("Troops at the front", "Jane Roe", dt.date(2024, 10, 29))
    assert b.text.split("\n\n") == [
        "Seoul warns on troops",
        "South Korea warned on Tuesday that North Korean troops may be moving to the frontline.",
        "What the NIS said",
        "The NIS is trying to confirm the movement.",
        "Lawmakers were briefed in a closed session.",
        "\u201cWe are watching closely,\u201d an official said.".replace("\u201c", '"').replace(
            "\u201d", '"'
        ),
        "Source | Figure",
        "NIS | 3,000",
    ]
    for mark in ("*", "[", "](", "`", "#", "!", "---", "https://"):
        assert mark not in b.text
    assert [(h.level, h.text) for h in b.headings] == [
        (1, "Seoul warns on troops"),
        (2, "What the NIS said"),
    ]
    for h in b.headings:
        assert b.text[h.start : h.end] == h.text
        assert (h.start, h.end) in b.paragraphs
    assert [b.text[s:e] for s, e in b.paragraphs] == b.text.split("\n\n")


def test_markdown_without_front_matter_takes_its_first_heading(tmp_path: Path) -> None:
    p = tmp_path / "notes.markdown"
    p.write_bytes(
        b"Intro line with _stress_.\r\n\r\nSetext title\r\n============\r\n\r\n"
        b"Text [here][1].\r\n\r\n[1]: http://x\r\n"
    )
    b = load_briefing(p)
    assert b.text == "Intro line with stress.\n\nSetext title\n\nText here."
    assert b.title == "Setext title" and b.date is None


MARKDOWN_NO_NAME = b"""# Talks to resume

Angela Merkel said the **talks** would resume, according to [Reuters](https://reuters.com).

## Reaction

- Officials welcomed the news.
"""

PLAIN_NEWS = (
    b"#1 seed knocked out in Paris\n"
    b"The top seed lost in five sets on Tuesday. #Tennis fans were stunned.\n"
    b"- Reporting by Jane Roe; editing by John Doe\n"
    b"* Corrects the score in the second paragraph\n"
    b"> Quoted from the statement: play will resume at 10am.\n"
    b"Prices rose 5 * 3 percent, said the snake_case_name_here analyst.\n"
)


def test_markdown_on_standard_input_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        def __init__(self, data: bytes) -> None:
            self.buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", Stdin(MARKDOWN_NO_NAME))
    b = load_briefing("-")
    assert b.format == "markdown"
    assert b.text.split("\n\n") == [
        "Talks to resume",
        "Angela Merkel said the talks would resume, according to Reuters.",
        "Reaction",
        "Officials welcomed the news.",
    ]
    assert b.title == "Talks to resume"
    assert [(h.level, h.text) for h in b.headings] == [(1, "Talks to resume"), (2, "Reaction")]
    monkeypatch.setattr(sys, "stdin", Stdin(PLAIN_NEWS))
    b = load_briefing("-")
    assert b.format == "text" and b.text == PLAIN_NEWS.decode()


def test_markdown_is_sniffed_only_without_a_telling_name(tmp_path: Path) -> None:
    bare = tmp_path / "NOTES"
    bare.write_bytes(MARKDOWN_NO_NAME)
    assert load_briefing(bare).format == "markdown"
    odd = tmp_path / "brief.draft"
    odd.write_bytes(MARKDOWN_NO_NAME)
    assert load_briefing(odd).format == "markdown"
    txt = tmp_path / "brief.txt"  # says plain text: kept as written
    txt.write_bytes(MARKDOWN_NO_NAME)
    assert load_briefing(txt).format == "text"
    news = tmp_path / "news"
    news.write_bytes(PLAIN_NEWS)
    assert load_briefing(news).format == "text"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"# Heading\n\nSome **bold** text.\n", True),
        (b"# Heading\n\nA [link](https://example.org) here.\n", True),
        (b"# One\n\nText.\n\n## Two\n\n- item\n", True),
        (b"Intro with **bold** and a [link](http://x.org).\n", True),
        (b"Text with `code` and\n\n```\nmore code\n```\n", True),
        (b"---\ntitle: Troops\ndate: 2024-10-29\n---\nBody text.\n", True),
        (b"# 5 things to know\nThe president said the plan was final.\n", False),
        (b"Lee said the troops had moved. #Breaking\n", False),
        (b"The *only* option, officials said.\n", False),
        (b"> On Monday, Lee wrote:\n> The talks resume.\n", False),
        (b"The file_name and snake_case_words 2 * 3 = 6.\n", False),
        (PLAIN_NEWS, False),
    ],
)
def test_markdown_sniffing_is_conservative(data: bytes, expected: bool) -> None:
    from brief_tui.briefing import detect_format

    assert (detect_format(data) == "markdown") is expected


# --------------------------------------------------------------------------- HTML


def test_html_article_text_title_author_date(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    b = load_briefing(p)
    assert b.format == "html"
    assert b.title == "Seoul warns North Korean troops moving to frontline"
    assert b.author == "Jane Roe"
    assert b.date == dt.date(2024, 10, 29)
    paras = [b.text[s:e] for s, e in b.paragraphs]
    assert paras[0] == "Seoul warns North Korean troops moving to frontline"
    assert paras[1].startswith("South Korea warned on Tuesday") and paras[1].endswith(
        "the conflict is spreading."
    )
    assert "moving to the frontline, in a sign" in paras[1]  # link text kept, no line breaks inside
    assert "Intelligence briefing" in paras
    assert [h.text for h in b.headings] == [
        "Seoul warns North Korean troops moving to frontline",
        "Intelligence briefing",
    ]
    for boiler in ("Home", "Subscribe", "Buy one", "tracking", "Copyright", "Cookie"):
        assert boiler not in b.text
    assert paras == b.text.split("\n\n")


ONE_LINE_HTML = (
    "<html><head><title>T</title></head><body><nav>Home | About</nav><h1>Heading One</h1>"
    "<p>Angela Merkel said the talks would resume.</p><p>Second para here.</p></body></html>"
)


def test_html_on_one_line_keeps_its_paragraphs_and_drops_navigation(tmp_path: Path) -> None:
    p = tmp_path / "one-line.html"
    p.write_text(ONE_LINE_HTML, encoding="utf-8")
    b = load_briefing(p)
    assert b.text.split("\n\n") == [
        "Heading One",
        "Angela Merkel said the talks would resume.",
        "Second para here.",
    ]
    assert [b.text[s:e] for s, e in b.paragraphs] == b.text.split("\n\n")
    assert [(h.level, h.text) for h in b.headings] == [(1, "Heading One")]
    assert b.title == "T"
    # the same page with line breaks between the tags reads the same
    p.write_text(ONE_LINE_HTML.replace("><", ">\n<"), encoding="utf-8")
    again = load_briefing(p)
    assert (again.text, again.title) == (b.text, "T")


def test_short_html_page_furniture_and_inline_markup(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Negotiations restart | Example News</title></head><body><!-- menu -->"
        '<header><a href="/">Example News</a></header><div role="navigation">Menu</div>'
        "<article><header><h1>Talks to resume in Geneva</h1></header>"
        '<p>Angela <b>Merkel</b> said the <a href="#">talks</a> would resume.</p>'
        "<ul><li>One point</li><li>Another</li></ul>"
        "<table><tr><th>Side</th><th>Seats</th></tr></table></article>"
        "<footer>Copyright 2024</footer><script>var x = 1;</script></body></html>"
    )
    p = tmp_path / "short.html"
    p.write_text(page, encoding="utf-8")
    b = load_briefing(p)
    assert b.text.split("\n\n") == [
        "Talks to resume in Geneva",
        "Angela Merkel said the talks would resume.",
        "One point",
        "Another",
        "Side | Seats",
    ]
    assert b.title == "Negotiations restart"  # the <title>, its site name dropped


def test_html_title_falls_back_to_the_h1_without_a_title_element(tmp_path: Path) -> None:
    p = tmp_path / "untitled.html"
    p.write_text(ONE_LINE_HTML.replace("<head><title>T</title></head>", ""), encoding="utf-8")
    b = load_briefing(p)
    assert b.title == "Heading One"
    assert "Home" not in b.text


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    page = ARTICLE_HTML.replace(
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    )
    page = page.replace("South Korea warned", "South Korea’s ministère warned")
    p = tmp_path / "legacy.htm"
    p.write_bytes(page.encode("cp1252"))
    b = load_briefing(p)
    assert "South Korea’s ministère warned" in b.text
    assert b.encoding == "cp1252"


def test_html_is_recognised_without_an_extension(tmp_path: Path) -> None:
    p = tmp_path / "saved-page"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    assert load_briefing(p).format == "html"


def test_truncated_and_malformed_html(tmp_path: Path) -> None:
    cut = ARTICLE_HTML[: ARTICLE_HTML.index("said after the spy agency")]
    p = tmp_path / "cut.html"
    p.write_text(cut, encoding="utf-8")
    b = load_briefing(p)
    assert "South Korea warned on Tuesday" in b.text
    assert b.text.rstrip().endswith("lawmaker Lee Seong-kweun")

    sloppy = tmp_path / "sloppy.html"
    sloppy.write_text(
        "<html><body><div><p>The ministry said on Monday that talks <b>would resume <i>soon</b></i>"
        "<p>Officials declined to give a date for the next round of the negotiations in Geneva."
        "<p>Observers said the delay reflected deep divisions between the delegations."
        "</table></div>",
        encoding="utf-8",
    )
    b = load_briefing(sloppy)
    assert "talks would resume soon" in b.text
    assert "next round of the negotiations in Geneva." in b.text

    empty_page = tmp_path / "scripts.html"
    empty_page.write_text(
        "<html><head><script>var a = 1;</script></head><body><div></div></body></html>"
    )
    fails(empty_page, "scripts.html", "no article text")
    broken = tmp_path / "broken.html"
    broken.write_bytes(b"<html><body>" + bytes(range(256)) * 8)
    fails(broken, "binary file")


# --------------------------------------------------------------------------- PDF


def test_pdf_paragraphs_are_rebuilt_across_pages_and_hyphens(tmp_path: Path) -> None:
    p = tmp_path / "brief.pdf"
    p.write_bytes(article_pdf())
    b = load_briefing(p)
    assert (b.format, b.encoding) == ("pdf", "pdf")
    assert (b.title, b.author, b.date) == (
        "Seoul warns on troops",
        "Jane Roe",
        dt.date(2024, 10, 29),
    )
    paras = [b.text[s:e] for s, e in b.paragraphs]
    assert paras == [
        "Seoul warns on troops",
        (
            "South Korea warned on Tuesday that North Korean troops sent to Russia to aid Moscow "
            "may be "
            "moving to the frontline, in a sign the conflict is on the verge of spreading."
        ),
        (
            "The National Intelligence Service is trying to confirm the movement of the troops, "
            "a South Korean lawmaker said after the spy agency briefed parliamentarians in a "
            "closed-door session, according to his office, which gave no further details of the "
            "movement of the North Korean "
            "troops or of their number."
        ),
        "The assessment follows remarks by President Yoon Suk Yeol on Monday.",
    ]
    assert [(h.level, h.text) for h in b.headings] == [(1, "Seoul warns on troops")]


def test_pdf_with_a_file_name_title_uses_its_first_line(tmp_path: Path) -> None:
    p = tmp_path / "word.pdf"
    body = [
        "Dateline briefing",
        "Published: 3 November 2024",
        "Troops moved east over the weekend, according to officials who spoke on",
        "condition of anonymity because they were not authorised to brief the press.",
        "They said the move had been expected since the summer began in earnest.",
    ]
    p.write_bytes(make_pdf([body], {"Title": "Microsoft Word - draft7.docx"}))
    b = load_briefing(p)
    assert b.title == "Dateline briefing"
    assert b.date == dt.date(2024, 11, 3)
    assert b.text.split("\n\n") == [body[0], body[1], " ".join(body[2:])]


def test_pdf_bad_inputs(tmp_path: Path) -> None:
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(make_pdf([[], []]))
    fails(scanned, "scanned.pdf", "no text layer")
    data = article_pdf()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    fails(truncated, "truncated")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    fails(damaged, "damaged.pdf")
    fake = tmp_path / "fake.pdf"
    fake.write_text("just some words, not a PDF at all\n")
    fails(fake, "not a PDF")


def test_pdf_sniffed_without_extension(tmp_path: Path) -> None:
    p = tmp_path / "download"
    p.write_bytes(article_pdf())
    assert load_briefing(p).format == "pdf"


# --------------------------------------------------------------------------- URLs


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not here"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _Handler.routes = {
        "/article": (200, "text/html; charset=utf-8", ARTICLE_HTML.encode()),
        "/plain": (200, "text/plain; charset=iso-8859-1", FRENCH.encode("latin-1")),
        "/notes.md": (200, "text/markdown", ARTICLE_MD.encode()),
        "/doc": (200, "application/pdf", article_pdf()),
        "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
        "/slow": (200, "text/plain", b"late"),
        "/big": (200, "text/plain", b"x" * 5000),
        "/broken": (500, "text/html", b"<h1>oops</h1>"),
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_url_html(server: str) -> None:
    url = server + "/article"
    b = load_briefing(url)
    assert (b.origin, b.url, b.format) == (url, url, "html")
    assert b.title == "Seoul warns North Korean troops moving to frontline"
    assert b.date == dt.date(2024, 10, 29)
    assert "Subscribe" not in b.text
    redirected = load_briefing(server + "/redirect")
    assert redirected.origin == server + "/redirect" and redirected.url == url
    assert redirected.id == b.id


def test_url_text_markdown_and_pdf_by_content_type(server: str) -> None:
    plain = load_briefing(server + "/plain")
    assert (plain.format, plain.text, plain.encoding) == ("text", FRENCH, "iso8859-1")
    md = load_briefing(server + "/notes.md")
    assert md.format == "markdown" and md.title == "Troops at the front"
    pdf = load_briefing(server + "/doc")
    assert pdf.format == "pdf" and pdf.title == "Seoul warns on troops"


def test_url_errors(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fails(server + "/missing", "/missing", "HTTP 404")
    fails(server + "/broken", "HTTP 500")
    fails(server + "/image", "image/png")
    started = time.monotonic()
    fails(server + "/slow", "timed out", "0.3 s", timeout=0.3)
    assert time.monotonic() - started < 1.2
    monkeypatch.setattr(briefing_model, "MAX_BYTES", 1024)
    fails(server + "/big", "larger than", "limit")
    fails("ftp://127.0.0.1/file.txt", "only http and https")


def test_url_connection_refused() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # nothing listens on the port any more
    fails(f"http://127.0.0.1:{port}/x", "cannot be fetched", timeout=2)


# --------------------------------------------------------------------------- layering


def test_plain_text_path_imports_no_format_library(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Headline\nBody.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from brief_tui.briefing import load_briefing\n"
        f"b = load_briefing({str(p)!r})\n"
        "heavy = {'trafilatura', 'pypdf', 'charset_normalizer', 'markdown_it', 'lxml', "
        "'textual', 'sqlite3'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert out.stdout.strip() == "[]"


def test_briefing_layer_imports_nothing_above_it() -> None:
    for source in BRIEFING_DIR.glob("*.py"):
        for line in source.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")):
                assert "textual" not in stripped and "sqlite3" not in stripped, (source.name, line)
                if "brief_tui" in stripped:
                    assert "brief_tui.briefing" in stripped, (source.name, line)
