"""HTTP hardening for every route: streamed body caps, security headers, bounded JSON.

One ASGI middleware, so no route can forget it:

- a body is counted as it streams in, chunked or not: past the route's limit
  (``WebConfig.body_limit``) the request gets 413 and nothing more is read;
  a declared ``Content-Length`` over the limit is refused before any read;
- every response says ``X-Content-Type-Options: nosniff``; HTML pages carry
  a Content-Security-Policy that allows only this origin, and views (made to
  be embedded in other sites) one that allows any frame ancestor but no
  request at all.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.web.config import WebConfig

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)
# Views are self-contained files: inline script and style, no request of any kind, embeddable anywhere.
VIEW_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
    "font-src data:; frame-ancestors *; base-uri 'none'; form-action 'none'"
)


BODY_DEADLINE = 6  # a body must be all in after this many times the body time-out


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a body passes its route's limit."""


class BodyTimeout(Exception):
    """Raised from ``receive`` when a client stops sending its body."""


class BadJson(ValueError):
    """A JSON body that is malformed or nested too deep."""


def json_depth(data: bytes | str) -> int:
    """The deepest nesting of arrays and objects in a JSON text, strings skipped (no recursion)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def load_json(body: bytes, max_depth: int) -> Any:
    """Parse a JSON body, refusing nesting deeper than ``max_depth`` before the parser recurses."""
    if json_depth(body) > max_depth:
        raise BadJson(f"JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(body or b"{}")
    except (ValueError, RecursionError) as exc:
        raise BadJson(f"malformed JSON: {exc}") from None


async def _plain(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"x-content-type-options", b"nosniff"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


class Protect:
    """The middleware; ``config`` gives each route's body limit."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.config.body_limit(path)
        too_large = f"request body too large: at most {limit:,} bytes here\n"
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _plain(send, 413 if declared.isdigit() else 400, too_large)
            return
        received = 0
        started = False
        # A byte every few seconds would never stall: the whole body has a deadline too.
        deadline = asyncio.get_running_loop().time() + BODY_DEADLINE * self.config.body_timeout

        async def capped_receive() -> Message:
            nonlocal received
            left = deadline - asyncio.get_running_loop().time()
            try:
                # A client that stops mid-body would otherwise hold its buffer and its connection forever.
                message = await asyncio.wait_for(receive(), max(0.0, min(self.config.body_timeout, left)))
            except TimeoutError:
                if left <= self.config.body_timeout:
                    whole = BODY_DEADLINE * self.config.body_timeout
                    raise BodyTimeout(f"request body not all in after {whole:g} s\n") from None
                raise BodyTimeout(f"request body stalled for {self.config.body_timeout:g} s\n") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(too_large)
            return message

        async def headed_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))
                ctype = dict(headers).get(b"content-type", b"")
                if b"content-security-policy" in names:
                    pass
                elif path.startswith("/views/") and ctype.startswith((b"text/html", b"image/svg+xml")):
                    # An SVG opened on its own is a document too (it may hold script): the same wall.
                    headers.append((b"content-security-policy", VIEW_CSP.encode()))
                elif ctype.startswith(b"text/html"):
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                    headers.append((b"x-frame-options", b"SAMEORIGIN"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, capped_receive, headed_send)
        except BodyTooLarge as exc:
            if not started:
                await _plain(send, 413, str(exc))
        except BodyTimeout as exc:
            if not started:
                await _plain(send, 408, str(exc))
        except ClientDisconnect:
            return  # the client left mid-body: nothing to answer, nothing to log
