"""Fetching a briefing from an http(s) URL: a timeout, a size limit, one clear error.

Standard library only (urllib). The whole fetch, not only each socket read, is bounded by
the timeout, so a server that trickles bytes cannot hold the reader forever.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

from brief_tui.briefing.model import BriefingError, is_url  # noqa: F401 - where callers find it

DEFAULT_TIMEOUT = 20.0
_USER_AGENT = "brief-tui (a terminal reader for news briefings)"
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    #: the media type without parameters, lower case ("text/html"), "" when not given
    content_type: str
    #: the charset the server declared, or None
    charset: str | None
    #: the address the bytes came from, after redirects
    url: str


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int) -> Fetched:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise BriefingError(f"{url}: only http and https addresses can be opened")
    if not parts.hostname:
        raise BriefingError(f"{url}: not a valid address (no host)")
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": _USER_AGENT,
            "Accept": (
                "text/html,application/xhtml+xml,text/plain,text/markdown,"
                "application/pdf;q=0.9,*/*;q=0.5"
            ),
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers: Message = response.headers
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise BriefingError(
                    f"{url}: {_mb(int(length))} is larger than the {_mb(max_bytes)} limit;"
                    " not opened"
                )
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise BriefingError(
                        f"{url}: larger than the {_mb(max_bytes)} limit; not opened"
                    )
                chunks.append(chunk)
            final = response.geturl()
            content_type = headers.get_content_type() if headers.get("Content-Type") else ""
            charset = headers.get_content_charset()
    except BriefingError:
        raise
    except urllib.error.HTTPError as e:
        raise BriefingError(
            f"{url}: the server answered HTTP {e.code} {e.reason}".rstrip()
        ) from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise BriefingError(f"{url}: no answer within {timeout:g} s (timed out)") from None
        raise BriefingError(f"{url}: cannot be fetched ({_reason(reason)})") from None
    except TimeoutError:
        raise BriefingError(f"{url}: no answer within {timeout:g} s (timed out)") from None
    except (
        OSError,
        ValueError,
        http.client.HTTPException,
    ) as e:  # reset, bad status line, bad URL …
        raise BriefingError(f"{url}: cannot be fetched ({_reason(e)})") from None
    return Fetched(b"".join(chunks), content_type, charset, final)


def _reason(e: object) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n / 1024:.0f} kB" if n >= 1024 else f"{n} bytes"
