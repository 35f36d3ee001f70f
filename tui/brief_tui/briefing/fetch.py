"""Fetching a briefing from an http(s) URL: one deadline, a size limit, one clear error.

Standard library only (urllib, with an opener that knows http and https and nothing else).
The deadline holds whatever the server does: http.client reads the status line and the
headers line by line and the body in blocks, and a socket timeout bounds each read only, so
a server sending a byte every second would never time out. The fetch runs in a thread of
its own; at the deadline the caller gets its error, and the connection's socket is shut
down so that the thread ends too.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

from brief_tui.briefing.model import BriefingError, is_url  # noqa: F401 - where callers find it
from brief_tui.briefing.untrusted import clean_line

DEFAULT_TIMEOUT = 20.0
_USER_AGENT = "brief-tui (a terminal reader for news briefings)"
_CHUNK = 64 * 1024
_SCHEMES = ("http", "https")
#: how long the caller waits for the fetching thread to end after shutting its socket
_GRACE = 0.5


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    #: the media type without parameters, lower case ("text/html"), "" when not given
    content_type: str
    #: the charset the server declared, or None
    charset: str | None
    #: the address the bytes came from, after redirects
    url: str


class _Watch:
    """The sockets of one fetch, so that the deadline can cut them. (The socket objects
    themselves: urllib drops the connection's reference once the headers are read, while
    the response goes on reading the body from it.)"""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            self._cut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._cut(sock)

    @staticmethod
    def _cut(sock: socket.socket) -> None:
        # wakes a blocked read, in any thread (an error: the socket is closed already)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _handlers(watch: _Watch, url: str) -> list[urllib.request.BaseHandler]:
    # (a TLS handshake is not covered: the caller still gets its answer at the deadline)
    class Connection(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            watch.add(self.sock)

    class SecureConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            watch.add(self.sock)

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(SecureConnection, req)

    class Redirect(urllib.request.HTTPRedirectHandler):
        max_redirections = 10

        def http_error_302(
            self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
        ) -> Any:
            # checked before urllib's own check, which lets ftp:// through
            location = headers.get("Location") or headers.get("URI")
            if location:
                shown = clean_line(location, 100)
                try:
                    target = urllib.parse.urljoin(req.full_url, location)
                    scheme = urllib.parse.urlsplit(target).scheme.lower()
                except ValueError:
                    raise BriefingError(
                        f"{url}: the server redirected to an address that is not valid ({shown})"
                    ) from None
                if scheme not in _SCHEMES:
                    raise BriefingError(
                        f"{url}: the server redirected to {shown}; only http and https"
                        " addresses can be opened"
                    )
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    return [
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        HTTP(),
        HTTPS(),
        urllib.request.HTTPDefaultErrorHandler(),
        Redirect(),
        urllib.request.HTTPErrorProcessor(),
    ]


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as e:
        raise BriefingError(f"{url}: not a valid address ({e})") from None
    if scheme not in _SCHEMES:
        raise BriefingError(f"{url}: only http and https addresses can be opened")
    if not host:
        raise BriefingError(f"{url}: not a valid address (no host)")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise BriefingError(f"{url}: not a valid address (it holds spaces or control characters)")


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int) -> Fetched:
    """The bytes at ``url``, within ``timeout`` seconds in all (connecting, redirects,
    headers and body) and at most ``max_bytes``; a BriefingError otherwise."""
    _check_url(url)
    watch = _Watch()
    result: list[Fetched | BaseException] = []

    def run() -> None:
        try:
            result.append(_fetch(url, watch, timeout=timeout, max_bytes=max_bytes))
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            result.append(e)

    worker = threading.Thread(target=run, name="brief-tui fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or watch.expired:
        watch.expire()
        worker.join(_GRACE)  # a name lookup cannot be cut: the thread is left to end alone
        raise BriefingError(f"{url}: no answer within {timeout:g} s (timed out)")
    outcome = result[0]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _fetch(url: str, watch: _Watch, *, timeout: float, max_bytes: int) -> Fetched:
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
    opener = urllib.request.OpenerDirector()
    for handler in _handlers(watch, url):
        opener.add_handler(handler)
    try:
        with opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
            raw_length = (headers.get("Content-Length") or "").strip()
            length = int(raw_length) if raw_length.isdigit() else None
            if length is not None and length > max_bytes:
                raise BriefingError(
                    f"{url}: {_mb(length)} is larger than the {_mb(max_bytes)} limit; not opened"
                )
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = response.read(_CHUNK)
                if watch.expired:
                    raise TimeoutError
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise BriefingError(
                        f"{url}: larger than the {_mb(max_bytes)} limit; not opened"
                    )
                chunks.append(chunk)
            if length is not None and size < length:
                raise BriefingError(
                    f"{url}: the server sent {_mb(size)} of the {_mb(length)} it announced"
                    " (the connection closed early); not opened"
                )
            final = response.geturl()
            content_type = headers.get_content_type() if headers.get("Content-Type") else ""
            charset = headers.get_content_charset()
    except BriefingError:
        raise
    except urllib.error.HTTPError as e:
        phrase = clean_line(str(e.reason or ""), 100)
        raise BriefingError(f"{url}: the server answered HTTP {e.code} {phrase}".rstrip()) from None
    except urllib.error.URLError as e:
        if watch.expired or isinstance(e.reason, (TimeoutError, socket.timeout)):
            raise BriefingError(f"{url}: no answer within {timeout:g} s (timed out)") from None
        raise BriefingError(f"{url}: cannot be fetched ({_reason(e.reason)})") from None
    except TimeoutError:
        raise BriefingError(f"{url}: no answer within {timeout:g} s (timed out)") from None
    except http.client.IncompleteRead:
        if watch.expired:
            raise BriefingError(f"{url}: no answer within {timeout:g} s (timed out)") from None
        raise BriefingError(
            f"{url}: the connection closed before the whole page was sent; not opened"
        ) from None
    except (
        OSError,
        ValueError,
        http.client.HTTPException,
    ) as e:  # reset, bad status line, bad URL …
        if watch.expired:
            raise BriefingError(f"{url}: no answer within {timeout:g} s (timed out)") from None
        raise BriefingError(f"{url}: cannot be fetched ({_reason(e)})") from None
    return Fetched(b"".join(chunks), content_type, charset, final)


def _reason(e: object) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return clean_line(str(e), 120) or type(e).__name__


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n / 1024:.0f} kB" if n >= 1024 else f"{n} bytes"
