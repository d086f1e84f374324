"""The interface language: ``?lang=zh|en`` and a cookie, the UI strings, human names for internal ones."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from kg.web.strings import UI

LANGS = ("zh", "en")
DEFAULT = "zh"
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600


def choose(request: Request) -> tuple[str, bool]:
    """The page language and whether ``?lang=`` chose it (then the cookie is set): query, cookie, default."""
    asked = request.query_params.get("lang", "")
    if asked in LANGS:
        return asked, True
    kept = request.cookies.get(COOKIE, "")
    return (kept if kept in LANGS else DEFAULT), False


def remember(response: Response, lang: str) -> None:
    """Set the language cookie (whole site, first-party navigation only)."""
    response.set_cookie(COOKIE, lang, max_age=COOKIE_AGE, path="/", samesite="lax")


def switch_href(request: Request, lang: str) -> str:
    """The current page's address with ``lang`` set (other query parameters kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", lang))
    return request.url.path + "?" + urlencode(params)


def text_for(request: Request) -> Text:
    """The UI strings in the language of ``request``."""
    return Text(choose(request)[0])


class Text:
    """UI strings in one language, for templates: ``t("key")``, ``t.both("key")``, ``t.pick(value)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT
        self.other = "en" if self.lang == "zh" else "zh"

    def __call__(self, key: str, **fmt: Any) -> str:
        """The string ``key`` in the page language (``{name}`` fields filled from ``fmt``)."""
        zh, en = UI[key]
        text = zh if self.lang == "zh" else en
        return text.format(**fmt) if fmt else text

    def both(self, key: str, **fmt: Any) -> Markup:
        """zh: the Chinese string with the English one as a grey secondary; en: the English string alone."""
        zh, en = UI[key]
        if fmt:
            zh, en = zh.format(**fmt), en.format(**fmt)
        if self.lang == "en":
            return Markup(escape(en))
        return Markup('{} <span class="en" lang="en">{}</span>').format(zh, en)

    def group(self, prefix: str) -> dict[str, str]:
        """Every string whose key starts with ``prefix``, by the rest of its key (for scripts)."""
        return {k.removeprefix(prefix): self(k) for k in UI if k.startswith(prefix)}

    def pick(self, value: dict[str, Any] | None) -> str:
        """A ``{"zh": …, "en": …}`` content value in the page language (the other one if it is missing)."""
        if not value:
            return ""
        return str(value.get(self.lang) or value.get(self.other) or "")

    def second(self, value: dict[str, Any] | None) -> str:
        """The other language of a content value, or "" when it repeats the first or is missing."""
        if not value:
            return ""
        first = self.pick(value)
        other = str(value.get(self.other) or "")
        return "" if other == first else other

    def lang_of(self, value: dict[str, Any] | None) -> str:
        """The language :meth:`pick` actually returned (for a ``lang`` attribute)."""
        if value and not value.get(self.lang) and value.get(self.other):
            return self.other
        return self.lang


__all__ = ["COOKIE", "DEFAULT", "LANGS", "Text", "choose", "remember", "switch_href", "text_for"]
