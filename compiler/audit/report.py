"""audit/audit-report.html: the audit manifest for people, as one self-contained page.

Everything in the manifest may come from the export, so it is all untrusted: Jinja2
autoescaping is on for every value, and before rendering every string is neutralised:
bidirectional overrides and isolates (which could reorder what a reader sees) and other
invisible controls become visible markers such as ``[U+202E]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2

from compiler.resources import templates_dir

TEMPLATE = "audit-report.html.j2"

# Bidi embeddings, overrides, isolates and marks, C0/C1 controls except tab and newline,
# and lone surrogates (JSON can spell them; UTF-8 cannot): none may act on the report's
# text or break its encoding, so each is shown as its code point.
_INVISIBLE = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b-\u001f"
    "\u007f-\u009f\ud800-\udfff]")


def neutralise(text: str) -> str:
    """The text with every bidi control and invisible control shown as ``[U+XXXX]``."""
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def neutralised(value: Any) -> Any:
    """A JSON value with every string (keys included) neutralised."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, Mapping):
        return {neutralise(str(k)): neutralised(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [neutralised(v) for v in value]
    return value


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["or_dash"] = lambda v: "—" if v is None or v == "" else v
    return env


def _is_regulated(item: Mapping[str, Any]) -> bool:
    return bool(item["governance"].get("regulated"))


def report_context(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What the template shows: the neutralised manifest, regulated content first."""
    safe = neutralised(manifest)
    items = sorted(safe["items"], key=lambda i: (not _is_regulated(i), i["kind"], i["key"]))
    return {
        "m": safe,
        "release": safe["release"],
        "summary": safe["summary"],
        "changes": safe["changes"],
        "regulated": [i for i in items if _is_regulated(i)],
        "items": items,
        "excluded": safe["excluded"],
        "checks": safe["checks"],
        "warnings": [(i, t) for i in items for t in i["transformations"]],
        "findings": safe.get("findings", []),
    }


def render_report(manifest: Mapping[str, Any]) -> bytes:
    """The HTML report of an audit manifest, as UTF-8 bytes (same manifest, same bytes)."""
    html = _environment().get_template(TEMPLATE).render(report_context(manifest))
    return html.encode("utf-8")
