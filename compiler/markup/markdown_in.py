"""Markdown → editor HTML, which then takes the one HTML → EXM table.

markdown-it-py parses CommonMark with GFM tables and strikethrough, and footnotes via
mdit-py-plugins. Its renderer is itself a table from token to output; we override the
footnote rules to write the editor's convention (``<sup>n</sup>`` markers and
``<p class="footnote">`` definitions), so Markdown and HTML share every mapping,
every warning and every rejection (raw HTML in Markdown meets the same checks).
Links are not filtered here: a ``javascript:`` link must be rejected with an error,
not quietly rendered as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from compiler.markup import findings as codes
from compiler.markup.findings import Findings, snippet

_UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_IN_FOOTNOTE = "cpc_in_footnote"


def _number(tokens: Sequence[Token], idx: int) -> str:
    return str(int(tokens[idx].meta["id"]) + 1)


def _footnote_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f"<sup>{_number(tokens, idx)}</sup>"


def _footnote_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    env[_IN_FOOTNOTE] = 0  # paragraphs seen in this footnote
    return f'<p class="footnote"><sup>{_number(tokens, idx)}</sup> '


def _footnote_close(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    env.pop(_IN_FOOTNOTE, None)
    return "</p>\n"


def _nothing(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""


def _paragraph_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # Inside a footnote the definition paragraph is the p; later paragraphs become lines.
    if _IN_FOOTNOTE in env:
        env[_IN_FOOTNOTE] += 1
        return "<br>" if env[_IN_FOOTNOTE] > 1 else ""
    return str(self.renderToken(tokens, idx, options, env))


def _paragraph_close(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if _IN_FOOTNOTE in env:
        return ""
    return str(self.renderToken(tokens, idx, options, env))


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # rejected later, coded
    overrides = {
        "footnote_ref": _footnote_ref,
        "footnote_block_open": _nothing,
        "footnote_block_close": _nothing,
        "footnote_open": _footnote_open,
        "footnote_close": _footnote_close,
        "footnote_anchor": _nothing,
        "paragraph_open": _paragraph_open,
        "paragraph_close": _paragraph_close,
    }
    for name, rule in overrides.items():
        md.add_render_rule(name, rule)
    return md


def markdown_to_html(source: str, found: Findings) -> str:
    """Render Markdown as editor HTML; warn about footnotes without definition or reference."""
    env: dict[str, Any] = {}
    md = _parser()
    tokens = md.parse(source, env)
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                for label in _UNDEFINED_FOOTNOTE.findall(child.content):
                    found.warn(
                        codes.FOOTNOTE_MISSING, f"[^{label}]",
                        f"footnote marker [^{snippet(label)}] has no definition; kept as text",
                    )  # fmt: skip
    refs = env.get("footnotes", {}).get("refs", {})
    for label, number in refs.items():
        if number < 0:
            found.warn(
                codes.FOOTNOTE_UNUSED, f"[^{label[1:]}]",
                f"footnote [^{snippet(label[1:])}] is defined but never referenced; dropped",
            )  # fmt: skip
    return str(md.renderer.render(tokens, md.options, env))
