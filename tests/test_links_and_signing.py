"""Send-time link rewriting and signed tokens."""

from __future__ import annotations

from app.access.signing import sign, verify
from journeys.links import add_open_pixel, add_unsubscribe_footer, rewrite_links


def test_http_links_are_rewritten_and_others_kept() -> None:
    body = (
        "<a href=\"https://shop.example/cart?x=1&amp;y=2\">cart</a> <a href='mailto:a@b.c'>mail</a>"
        ' <a class="b" href="http://x.example">x</a> <a href="#top">top</a>'
    )
    seen: list[str] = []

    def click(url: str) -> str:
        seen.append(url)
        return f"https://t.example/c/{len(seen)}?a=1&b=2"

    out = rewrite_links(body, click)
    assert seen == ["https://shop.example/cart?x=1&y=2", "http://x.example"]
    assert 'href="https://t.example/c/1?a=1&amp;b=2"' in out
    assert "mailto:a@b.c" in out and 'href="#top"' in out


def test_pixel_goes_before_body_end() -> None:
    out = add_open_pixel("<html><body><p>hi</p></body></html>", "https://t.example/o/1.gif")
    assert out.endswith('style="display:none"></body></html>')
    assert add_open_pixel("plain", "u").startswith("plain<img")


def test_unsubscribe_footer_escapes_text() -> None:
    out = add_unsubscribe_footer("<p>x</p>", "https://t.example/u?a=1&b=2", "Se désabonner <now>")
    assert "a=1&amp;b=2" in out and "&lt;now&gt;" in out


def test_token_round_trip_and_forgery() -> None:
    token = sign("s3cret", "click", {"m": 42, "u": "https://x.example"})
    assert verify("s3cret", "click", token) == {"m": 42, "u": "https://x.example"}
    assert verify("other", "click", token) is None
    assert verify("s3cret", "open", token) is None
    body, mac = token.split(".")
    forged = sign("s3cret", "click", {"m": 43, "u": "https://x.example"}).split(".")[0] + "." + mac
    assert verify("s3cret", "click", forged) is None
    for garbage in ["", ".", "abc", "a.b", "!!!.???", "x" * 5000]:
        assert verify("s3cret", "click", garbage) is None
