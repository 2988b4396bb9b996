"""Email engagement tracking at send time: rewrite links to signed redirects and add an open pixel.

Pure text transformations; the caller supplies the functions that build tracking URLs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def rewrite_links(body: str, click_url: Callable[[str], str]) -> str:
    """Replace every http(s) ``<a href>`` with ``click_url(original)``; mailto:, tel:, anchors are left alone.

    Run on the rendered body, so Liquid-built URLs are tracked too.
    """

    def replace(match: re.Match[str]) -> str:
        prefix, quote, target = match.group(1), match.group(2), html.unescape(match.group(3)).strip()
        if not target.lower().startswith(("http://", "https://")):
            return match.group(0)
        return f"{prefix}{quote}{html.escape(click_url(target), quote=True)}{quote}"

    return _HREF.sub(replace, body)


def add_open_pixel(body: str, pixel_url: str) -> str:
    """Append a 1×1 tracking image just before ``</body>`` (or at the end)."""
    tag = f'<img src="{html.escape(pixel_url, quote=True)}" width="1" height="1" alt="" style="display:none">'
    index = body.lower().rfind("</body>")
    return body + tag if index < 0 else body[:index] + tag + body[index:]


def add_unsubscribe_footer(body: str, unsubscribe_url: str, text: str = "Unsubscribe") -> str:
    link = f'<p style="font-size:12px;color:#666"><a href="{html.escape(unsubscribe_url, quote=True)}">'
    link += f"{html.escape(text)}</a></p>"
    index = body.lower().rfind("</body>")
    return body + link if index < 0 else body[:index] + link + body[index:]
