"""The diagnostics of one block's conversion, with the stable codes of the markup stage.

Word pastes repeat the same leftover hundreds of times, so repeated findings with the
same code and construct are folded into one diagnostic with a count and the first
snippet; errors are reported once per construct and code as well, with the count. So
the first message stands for all of them: whatever a message states besides its snippet
(the element, the class, what was done: "removed (empty)" or "unwrapped") must be part
of the construct, or the folded message would misstate the other occurrences. Where
the folded occurrences differ in their snippet, the count says "the first shown".

``CODES`` (at the end) is the documentation table of the codes (code -> (meaning, what
to do)) behind docs/diagnostics.md. Markup diagnostics come from converting one block's
rich text (one locale, or one channel override) during `cpc build` and `cpc validate`;
an error keeps the block out (excluded as ``invalid``), and the release rule decides
what that means for what needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostic, Severity
from compiler.markup.settings import BlockContext

# Errors: the block is not released.
ACTIVE_ELEMENT = (
    "E-EXM-ACTIVE-ELEMENT"  # script, iframe, object, embed, form, svg, style with content
)
EVENT_HANDLER = "E-EXM-EVENT-HANDLER"  # on* attributes
ACTIVE_URL = "E-EXM-ACTIVE-URL"  # javascript:, vbscript:, data: in any URL-bearing attribute
ACTIVE_CSS = "E-EXM-ACTIVE-CSS"  # expression(), url(), behavior, -moz-binding, @import in CSS
LINK_SCHEME = "E-EXM-LINK-SCHEME"  # a href other than https:, mailto:, tel:
IMAGE_URL = "E-EXM-IMAGE-URL"  # img src is a URL, not an asset of the release
IMAGE_UNRESOLVED = "E-EXM-IMAGE-UNRESOLVED"  # img src names no asset of the release
LIST_DEPTH = "E-EXM-LIST-DEPTH"  # lists nested deeper than 2
TABLE_NESTED = "E-EXM-TABLE-NESTED"  # a table inside a table, list or text
VAR_NAME = "E-EXM-VAR-NAME"  # {{ … }} whose name is not [A-Za-z_][A-Za-z0-9_.]*
VAR_STRAY = "E-EXM-VAR-STRAY"  # a {{ left as text: split by formatting, or in a link
TOO_DEEP = "E-EXM-TOO-DEEP"  # nesting beyond the depth cap
TOO_LARGE = "E-EXM-TOO-LARGE"  # source or element count beyond the size caps
FOOTNOTE_DUPLICATE = "E-EXM-FOOTNOTE-DUPLICATE"  # two definitions of one footnote number
INVALID_OUTPUT = "E-EXM-INVALID"  # safety net: the EXM did not validate against exm.xsd

# Warnings: recorded against the block in the audit manifest.
HEADING_LEVEL = "W-EXM-HEADING-LEVEL"  # h4–h6 (Markdown ####–######) became level 3
UNWRAPPED = "W-EXM-UNWRAPPED"  # element dropped, its text kept
DROPPED = "W-EXM-DROPPED"  # element without visible text dropped (hr, empty style, title…)
WORD_LEFTOVER = "W-EXM-WORD-LEFTOVER"  # mso- styles, Mso classes, o:p, Word list paragraphs…
STYLE_DROPPED = "W-EXM-STYLE-DROPPED"  # inline CSS, colours, font faces
CLASS_DROPPED = "W-EXM-CLASS-DROPPED"  # a class not in the configured style map
ATTRIBUTE_DROPPED = "W-EXM-ATTRIBUTE-DROPPED"  # other attributes; spans not taken as written
ROWSPAN = "W-EXM-ROWSPAN"  # rowspan expanded into empty cells
STRUCTURE = "W-EXM-STRUCTURE-REPAIRED"  # block inside text, list item outside a list…
FOOTNOTE_MISSING = "W-EXM-FOOTNOTE-MISSING"  # a marker without definition, a lookalike
FOOTNOTE_UNUSED = "W-EXM-FOOTNOTE-UNUSED"  # a definition without marker
CONTROL_CHAR = "W-EXM-CONTROL-CHAR"  # characters XML cannot carry, removed
SNIPPET_LENGTH = 60


def snippet(text: str) -> str:
    """A short, one-line excerpt of the offending construct for a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_LENGTH else flat[: SNIPPET_LENGTH - 1] + "…"


@dataclass
class _Entry:
    severity: Severity
    code: str
    construct: str
    message: str
    count: int = 1
    varied: bool = False  # a folded occurrence said something else (another snippet)


@dataclass
class Findings:
    """Collects the findings of one block and turns them into Diagnostics."""

    context: BlockContext
    _entries: dict[tuple[str, str], _Entry] = field(default_factory=dict)

    def error(self, code: str, construct: str, message: str) -> None:
        """Record an error about ``construct`` (e.g. ``<script>``)."""
        self._add(Severity.ERROR, code, construct, message)

    def warn(self, code: str, construct: str, message: str) -> None:
        """Record a warning about ``construct``."""
        self._add(Severity.WARNING, code, construct, message)

    @property
    def has_errors(self) -> bool:
        """True when an error keeps the block out of the release."""
        return any(e.severity is Severity.ERROR for e in self._entries.values())

    def diagnostics(self) -> list[Diagnostic]:
        """The findings in the order first seen, each naming block, locale and channel."""
        where = self.context.where()
        result = []
        for entry in self._entries.values():
            times = "" if entry.count == 1 else (
                f" ({entry.count} times, the first shown)" if entry.varied
                else f" ({entry.count} times)")
            result.append(Diagnostic(entry.severity, entry.code, entry.message + times, **where))
        return result

    def _add(self, severity: Severity, code: str, construct: str, message: str) -> None:
        key = (code, construct)
        if key in self._entries:
            entry = self._entries[key]
            entry.count += 1
            entry.varied = entry.varied or message != entry.message
        else:
            self._entries[key] = _Entry(severity, code, construct, message)


def text_of(element: Any) -> str:
    """The text content of a source element (all descendants' text)."""
    return "".join(element.itertext())


CODES: dict[str, tuple[str, str]] = {
    # --- errors: active content, unsupported structure, limits ----------------------
    ACTIVE_ELEMENT: (
        "the rich text holds an element that runs, embeds or submits something (script, "
        "iframe, object, embed, applet, form, input, button, svg, math, audio, video, "
        "canvas, link, base, template, noscript, …), a `<style>` with content or a "
        "`<meta http-equiv>`; often pasted from a web page",
        "remove it in the 4ALLPORTAL editor (source view); put images in as assets, "
        "styles come from the Exstream template"),
    EVENT_HANDLER: (
        "an element has an event-handler attribute (onclick, onload, any on…)",
        "remove the attribute in the editor's source view"),
    ACTIVE_URL: (
        "an attribute that holds a URL (href, src, background, srcset, …) is a "
        "javascript:, vbscript:, livescript:, mocha: or data: URL, also when disguised by "
        "blanks or control characters inside the scheme",
        "replace it by an https:, mailto: or tel: link, or by an asset of the export"),
    ACTIVE_CSS: (
        "a style attribute loads or runs code (expression(), url(), behavior:, "
        "-moz-binding, @import, javascript:), also when hidden by CSS escapes or comments",
        "remove the inline style; the template's styles apply"),
    LINK_SCHEME: (
        "a link's target is not https:, mailto: or tel: (http:, ftp:, file:, a relative "
        "path or an empty target)",
        "link to an https: address (or mailto:/tel:), or remove the link"),
    IMAGE_URL: (
        "an image's src is a URL or a path; images in rich text must name a file object "
        "of the export by its id or key",
        "insert the image from 4ALLPORTAL's assets so that src is the asset's id or key"),
    IMAGE_UNRESOLVED: (
        "an image's src (an id or key) names no file object of the export, or is empty",
        "export the asset with the block, correct the reference, or remove the image"),
    LIST_DEPTH: (
        "a list nested more than 2 levels deep (EXM lists have at most two levels)",
        "flatten the list to at most two levels"),
    TABLE_NESTED: (
        "a table inside another table, inside a list item or inside running text; "
        "Exstream tables are block-level only",
        "move the table out to block level (its own paragraph)"),
    VAR_STRAY: (
        "a `{{` that did not become a variable: the variable is split by formatting "
        "(`{{<span>customer.name</span>}}`, a spell-check span), unclosed, or in a link "
        "target (EXM links are fixed URLs); EXM would keep it as text while Exstream "
        "substitutes it in the .html form",
        "write the variable without formatting inside the braces; for a personalised "
        "link, build the link in the Exstream template"),
    VAR_NAME: (
        "a `{{ … }}` variable whose name does not match `[A-Za-z_][A-Za-z0-9_.]*` "
        "(e.g. a blank, a hyphen or a non-ASCII letter in the name)",
        "spell the variable as Exstream defines it, e.g. `{{customer.first_name}}`"),
    TOO_DEEP: (
        "markup nested deeper than 64 levels (editor HTML nests about 20 deep); refused "
        "as a broken paste or an attack",
        "paste the text again as plain text and format it in the editor"),
    TOO_LARGE: (
        "the rich text is over 2,000,000 characters or 50,000 elements",
        "split the block into smaller ones, or move embedded content into assets"),
    FOOTNOTE_DUPLICATE: (
        "two footnote definitions (`<p class=\"footnote\"><sup>n</sup> …</p>`) with the "
        "same number in one block",
        "renumber or remove one of them"),
    INVALID_OUTPUT: (
        "safety net: the converted EXM does not validate against schemas/exm.xsd; the "
        "converter has a bug for this input",
        "report it to the cpc developers with the block's source; meanwhile simplify "
        "the formatting of the block"),
    # --- warnings: kept in the release, recorded in the audit manifest ----------------
    HEADING_LEVEL: (
        "a heading of level 4–6 (h4–h6, Markdown ####–######) became level 3; EXM has "
        "levels 1–3",
        "use heading levels 1–3 in the editor"),
    UNWRAPPED: (
        "an element EXM has no counterpart for (font, code, blockquote, section, a table "
        "caption, an unknown tag, …) was removed; its text was kept",
        "nothing, if the text reads well without it; otherwise use the editor's own "
        "formatting"),
    DROPPED: (
        "an element without visible text was dropped (hr, title, a head `<style>`, a "
        "table without cells)",
        "nothing; remove it in the editor to silence the warning"),
    WORD_LEFTOVER: (
        "Microsoft Word leftovers were removed: mso- styles, Mso… classes, o:p and other "
        "prefixed tags, conditional comments, empty spans; Word list paragraphs (mso-list) "
        "became a list, their bullet or number markers removed where recognised",
        "nothing; to avoid them, paste from Word as plain text and format in the editor"),
    STYLE_DROPPED: (
        "presentation was dropped: inline style, color, bgcolor, face, size, background "
        "or align; the template's styles apply",
        "nothing; use the configured paragraph and character styles for formatting"),
    CLASS_DROPPED: (
        "a class that is not in markup.paragraph_styles or markup.character_styles was "
        "dropped",
        "use a mapped style, or ask the release manager to map the class in cpc.toml"),
    ATTRIBUTE_DROPPED: (
        "another attribute EXM does not carry was dropped, or a column width was ignored, "
        "or a table span was not taken as written: a span that is not a number, or a "
        "colspan or col span of 0, became 1; a rowspan reaching beyond the last row of its "
        "row group was clipped to it; a colspan reaching beyond the table's columns (or over "
        "columns in which no cell begins) was narrowed to the columns it really covers",
        "nothing, unless the attribute mattered; then use the editor's formatting (for a "
        "span: check the merged cells of the table named in the message)"),
    ROWSPAN: (
        "a table cell's rowspan was expanded into empty cells below it; Exstream tables "
        "have no rowspan",
        "check the table reads as intended, or restructure it without merged rows"),
    STRUCTURE: (
        "broken structure was repaired: a block inside running text, a list item "
        "outside a list, text or a list directly inside a list, a row or cell outside a "
        "table, a link inside a link, …",
        "check the repaired block reads as intended; fix the structure in the editor"),
    FOOTNOTE_MISSING: (
        "a footnote marker (`<sup>n</sup>`, or `[^label]` in Markdown) has no definition; kept "
        "as plain superscript or text. Also: in a block with footnotes, a superscript with "
        "digits that is no marker (`<sup>1,2</sup>`), kept as superscript while the notes are "
        "numbered anew, so it may point at another note",
        "add the definition (`<p class=\"footnote\"><sup>n</sup> …</p>` or `[^label]: …`) "
        "or remove the marker; write one marker per note (`<sup>1</sup><sup>2</sup>`)"),
    FOOTNOTE_UNUSED: (
        "a footnote is defined but never referenced (HTML: kept at the end of the "
        "footnotes; Markdown: dropped)",
        "add a marker where it belongs, or remove the definition"),
    CONTROL_CHAR: (
        "characters XML cannot carry (control characters, lone surrogates) were replaced "
        "by spaces",
        "retype the text around them; they usually come from a paste"),
}
