"""PDFs from Django templates with WeasyPrint, offline.

Fonts are chosen by family name through fontconfig (see docs/documents.md for the packages);
images are embedded as `data:` URIs. The URL fetcher accepts `data:` only, so a template,
or a value typed into a form, can never make the server fetch an http(s), ftp or file URL.

WeasyPrint is imported on first use: importing it parses its own stylesheets, which every web
process would otherwise pay for at start-up.
"""

from __future__ import annotations

import functools
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

ALLOWED_PROTOCOLS = frozenset({"data"})


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        """Refuses every URL that is not a `data:` URI, before anything is opened."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False, timeout=1)

        def fetch(self, url: str, headers: Any = None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme not in ALLOWED_PROTOCOLS:
                raise ValueError(f"documents are rendered offline; refused {url[:80]!r}")
            return super().fetch(url, headers)

    return OfflineFetcher


def offline_fetcher():
    """A WeasyPrint URL fetcher that opens `data:` URIs only."""
    return _fetcher_class()()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render `template_name` (HTML with its print CSS) in the active language to PDF bytes."""
    from weasyprint import HTML

    context = {
        **context,
        "LANGUAGE_CODE": translation.get_language() or "en",
        "LANGUAGE_BIDI": translation.get_language_bidi(),
    }
    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=offline_fetcher(), media_type="print").write_pdf()
