"""How the back office's lists draw long text, so a list fits the window.

A long title or note is cut to two lines by the stylesheet (`.cell-clip`, static/css/admin.css);
the whole text stays in the cell's `title`, shown on hover, and in the link's accessible name.
"""

from __future__ import annotations

from django.utils.html import format_html


def clipped_link(url: str, text: object, *, urgency: str) -> str:
    """Return a link to `url` showing `text` in at most two lines, the whole of it on hover."""
    return format_html(
        '<a href="{}" class="cell-clip" title="{}" data-urgency="{}">{}</a>',
        url,
        text,
        urgency,
        text,
    )


def clipped_text(text: str) -> str:
    """Return `text` in at most two lines, the whole of it on hover."""
    return format_html('<span class="cell-clip" title="{}">{}</span>', text, text)
