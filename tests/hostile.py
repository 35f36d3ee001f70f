"""Hostile documents for the limit tests and the hostile-input benchmark: PDF bombs (one
compressed stream that inflates far past its size, shared by many pages), HTML bombs (one
element with a great many attributes, very deep nesting) and the Markdown sniffer's worst
inputs. Standard library only; deterministic."""

from __future__ import annotations

import zlib


def pdf_bomb(inflated: int, pages: int = 1, *, line: int = 2000) -> bytes:
    """A valid PDF whose one content stream draws ``inflated`` bytes of text operators
    (lines of ``line`` letters), compressed with Flate; every one of ``pages`` pages draws
    that same stream."""
    word = b"lorem ipsum dolor sit amet "
    text = (word * (line // len(word) + 1))[:line]
    op = b"(" + text + b") Tj 0 -10 Td\n"
    stream = b"BT /F1 8 Tf 20 700 Td\n" + op * max(1, inflated // len(op)) + b"ET\n"
    packed = zlib.compress(stream, 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    return _pdf(objects)


def pdf_pages(pages: int, words: int = 300) -> bytes:
    """An ordinary PDF of ``pages`` pages, each with its own small stream of text: the
    reference for the bombs."""
    word = b"lorem ipsum dolor sit amet "
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for p in range(pages):
        lines = []
        for i in range(words // 10):
            lines.append(b"BT /F1 10 Tf 40 %d Td (%s) Tj ET\n" % (760 - 12 * (i % 60), word * 2))
        stream = b"".join(lines)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * p)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return _pdf(objects)


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


ARTICLE = (
    "<p>South Korea warned on Tuesday that North Korean troops sent to Russia may be moving "
    "to the frontline, in a sign the conflict is spreading, officials said.</p>\n"
)


def html_attributes(n: int) -> str:
    """One element with ``n`` attributes, inside an otherwise ordinary page."""
    attrs = " ".join(f"a{i}=x" for i in range(n))
    return f"<!doctype html><html><head><title>Attrs</title></head><body><div {attrs}>" + (
        ARTICLE * 3 + "</div></body></html>"
    )


def html_nested(depth: int) -> str:
    """``depth`` nested elements around an ordinary article."""
    return (
        "<!doctype html><html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + ARTICLE * 3
        + "</div>" * depth
        + "</body></html>"
    )


def html_plain(size: int) -> str:
    """An ordinary page of about ``size`` characters: the reference for the HTML bombs."""
    body = "".join(ARTICLE.replace("<p>", f"<p>{i}. ") for i in range(max(1, size // len(ARTICLE))))
    head = "<!doctype html><html><head><title>Plain</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def markdown_worst(size: int) -> list[tuple[str, bytes]]:
    """Inputs that made the Markdown sniffer's regular expressions backtrack."""
    return [
        ("'**a ' repeated", (b"**a " * (size // 4 + 1))[:size]),
        ("'[' repeated", b"[" * size),
        ("'*a' repeated", (b"*a" * (size // 2 + 1))[:size]),
        ("'_a ' repeated", (b"_a " * (size // 3 + 1))[:size]),
        ("'![' repeated", (b"![" * (size // 2 + 1))[:size]),
        ("'`a' repeated", (b"`a" * (size // 2 + 1))[:size]),
        ("'| ---' repeated", (b"| ---" * (size // 5 + 1))[:size]),
        ("'```\\n' repeated", (b"```\n" * (size // 4 + 1))[:size]),
        ("'[a](a' repeated", (b"[a](a" * (size // 5 + 1))[:size]),
    ]
