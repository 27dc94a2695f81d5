"""Hypothesis strategies: editor HTML and Markdown, each with the visible words it holds.

A generated document is ``(source, words)``: the words a reader sees, in order, with
variables as the ``.txt`` form writes them. Some of what is generated is bad on purpose
(deep lists, http: links, image URLs, handlers, scripts), so conversions are rejected
with coded errors often enough to exercise that path too.
"""

from __future__ import annotations

from html import escape

from hypothesis import strategies as st

Doc = tuple[str, list[str]]

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßÄÖÜ0123456789€", min_size=1, max_size=7)
VARIABLE = st.from_regex(r"[a-z_][a-z0-9_]{0,5}(\.[a-z][a-z0-9]{0,4})?", fullmatch=True)
# Good values weigh more than bad ones, so most documents convert and some are rejected.
GOOD_HREFS = [
    "https://example.com/tarife",
    "https://example.com/a?b=1&c=2",
    "mailto:service@example.com",
    "tel:+494012345",
]
BAD_HREFS = ["http://example.com", "javascript:alert(1)", "#anker"]
HREF = st.sampled_from(GOOD_HREFS * 25 + BAD_HREFS)
IMAGE = st.sampled_from(
    ["IMG-LOGO", "a1b2c3", "IMG-CHART"] * 25 + ["IMG-NONE", "https://x.de/x.png"]
)
INLINE_TAGS = ["b", "strong", "i", "em", "u", "s", "strike", "del", "sup", "sub", "font", "code"]
SPAN_CLASS = st.sampled_from(
    ["", ' class="hl"', ' class="other"', ' style="color:red"', ' style="mso-bidi:1"']
)
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<img src="IMG-LOGO" onerror="alert(1)">',
        '<iframe src="https://example.com"></iframe>',
        '<p style="width:expression(alert(1))">x</p>',
        '<svg onload="alert(1)"><circle/></svg>',
        '<a href="data:text/html,&lt;script&gt;">d</a>',
    ]
)


@st.composite
def words(draw: st.DrawFn) -> Doc:
    """Plain words separated by spaces (escaped for HTML)."""
    chosen = draw(st.lists(WORD, min_size=1, max_size=4))
    return escape(" ".join(chosen)) + " ", chosen


@st.composite
def inline_html(draw: st.DrawFn, depth: int = 0) -> Doc:
    """A run of text, formatting, links, breaks, variables and images."""
    parts: list[str] = []
    seen: list[str] = []
    kinds = ["text", "text", "br", "var", "img", "span", "a"] + (INLINE_TAGS if depth < 3 else [])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        if kind == "text":
            html, found = draw(words())
        elif kind == "br":
            html, found = "<br>", []
        elif kind == "var":
            name = draw(VARIABLE)
            html, found = "{{ " + name + " }} ", ["{{" + name + "}}"]
        elif kind == "img":
            html, found = f'<img src="{draw(IMAGE)}" alt="Bild">', []
        elif kind == "a":
            inner, found = draw(words())
            html = f'<a href="{escape(draw(HREF))}">{inner}</a> '
        else:
            inner, found = draw(inline_html(depth + 1))
            attributes = draw(SPAN_CLASS) if kind in ("span", "font") else ""
            tag = kind
            html = f"<{tag}{attributes}>{inner}</{tag}>"
        parts.append(html)
        seen.extend(found)
    return "".join(parts), seen


@st.composite
def listing(draw: st.DrawFn, depth: int = 1) -> Doc:
    """ul/ol, nested up to three levels (three is an error)."""
    tag = draw(st.sampled_from(["ul", "ol"]))
    parts: list[str] = []
    seen: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        html, found = draw(inline_html())
        if depth < 3 and draw(st.integers(0, 6 if depth == 2 else 3)) == 0:
            nested, more = draw(listing(depth + 1))
            html, found = html + nested, found + more
        parts.append(f"<li>{html}</li>")
        seen.extend(found)
    return f"<{tag}>{''.join(parts)}</{tag}>", seen


@st.composite
def table(draw: st.DrawFn) -> Doc:
    """A table with optional head, colspan and rowspan."""
    rows: list[str] = []
    seen: list[str] = []
    for row in range(draw(st.integers(1, 3))):
        cells: list[str] = []
        for _ in range(draw(st.integers(1, 3))):
            tag = "th" if row == 0 and draw(st.booleans()) else "td"
            span = draw(st.sampled_from(["", "", ' colspan="2"', ' rowspan="2"', ' align="right"']))
            html, found = draw(inline_html(2))
            cells.append(f"<{tag}{span}>{html}</{tag}>")
            seen.extend(found)
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tbody>{''.join(rows)}</tbody></table>", seen


WORD_MARKERS = ["·", "o", "§", "-", "1.", "2)", "a.", "iv.", "(3)"]


@st.composite
def word_list(draw: st.DrawFn) -> Doc:
    """Word list paragraphs: mso-list levels 1–3 (three deep is an error), each item's
    marker in a mso-list:Ignore span, with or without the supportLists comments."""
    parts: list[str] = []
    seen: list[str] = []
    level = 1
    for _ in range(draw(st.integers(1, 4))):
        level = draw(st.integers(1, min(level + 1, 3)))  # one deeper at most, as in Word
        marker = draw(st.sampled_from(WORD_MARKERS))
        ignore = (
            f'<span style="mso-list:Ignore">{escape(marker)}'
            "<span style=\"font:7.0pt 'Times New Roman'\">&nbsp;&nbsp; </span></span>"
        )
        if draw(st.booleans()):
            ignore = f"<!--[if !supportLists]--><span>{ignore}</span><!--[endif]-->"
        html, found = draw(inline_html(2))
        parts.append(
            f'<p class="MsoListParagraph" style="text-indent:-18.0pt;mso-list:l0 level{level} '
            f'lfo1">{ignore}{html}<o:p></o:p></p>'
        )
        seen.extend(found)
    return "\n".join(parts), seen


@st.composite
def editor_html(draw: st.DrawFn, hostile: bool = True) -> Doc:
    """A block of editor HTML."""
    parts: list[str] = []
    seen: list[str] = []
    kinds = ["p", "p", "h", "div", "list", "table", "quote", "word", "word list"] * 3 + (
        ["hostile"] if hostile else []
    )
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(kinds))
        found: list[str] = []
        if kind in ("p", "div"):
            html, found = draw(inline_html())
            css = draw(st.sampled_from(["", ' class="intro"', ' class="x"', ' style="margin:0"']))
            html = f"<{kind}{css}>{html}</{kind}>"
        elif kind == "h":
            level = draw(st.integers(1, 6))
            html, found = draw(inline_html(2))
            html = f"<h{level}>{html}</h{level}>"
        elif kind == "list":
            html, found = draw(listing())
        elif kind == "table":
            html, found = draw(table())
        elif kind == "quote":
            html, found = draw(inline_html())
            html = f"<blockquote>{html}</blockquote>"
        elif kind == "word list":
            html, found = draw(word_list())
        elif kind == "word":
            html, found = draw(words())
            html = f'<p class="MsoNormal"><span style="mso-x:1">{html}</span><o:p></o:p></p>'
        else:
            html = draw(HOSTILE)
        parts.append(html)
        seen.extend(found)
    return "\n".join(parts), seen


# Markdown emphasis would eat underscores at a name's edge: letters and digits only.
MD_VARIABLE = st.from_regex(r"[a-z][a-z0-9]{0,5}(\.[a-z][a-z0-9]{0,4})?", fullmatch=True)
MD_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöü0123456789", min_size=1, max_size=7)


@st.composite
def markdown_inline(draw: st.DrawFn) -> Doc:
    """A Markdown line: words, emphasis, strikethrough, links, variables."""
    parts: list[str] = []
    seen: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        chosen = draw(st.lists(MD_WORD, min_size=1, max_size=3))
        text = " ".join(chosen)
        kind = draw(st.sampled_from(["plain", "plain", "strong", "em", "del", "link", "var"]))
        if kind == "strong":
            text = f"**{text}**"
        elif kind == "em":
            text = f"*{text}*"
        elif kind == "del":
            text = f"~~{text}~~"
        elif kind == "link":
            text = f"[{text}]({draw(HREF)})"
        elif kind == "var":
            name = draw(MD_VARIABLE)
            text += " {{ " + name + " }}"
            chosen = [*chosen, "{{" + name + "}}"]
        parts.append(text)
        seen.extend(chosen)
    return " ".join(parts), seen


@st.composite
def markdown(draw: st.DrawFn) -> Doc:
    """A block of Markdown: paragraphs, headings, lists, tables."""
    parts: list[str] = []
    seen: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["p", "h", "ul", "ol", "nested", "table"]))
        line, found = draw(markdown_inline())
        if kind == "h":
            line = "#" * draw(st.integers(1, 6)) + " " + line
        elif kind in ("ul", "ol"):
            second, more = draw(markdown_inline())
            bullet = "-" if kind == "ul" else "1."
            line, found = f"{bullet} {line}\n{bullet} {second}", found + more
        elif kind == "nested":
            inner, more = draw(markdown_inline())
            line, found = f"- {line}\n  - {inner}", found + more
        elif kind == "table":
            cell, more = draw(markdown_inline())
            line, found = (
                f"| {line} | {cell} |\n| --- | ---: |\n| x | y |",
                found + more + ["x", "y"],
            )
        parts.append(line)
        seen.extend(found)
    return "\n\n".join(parts) + "\n", seen


#: Fragments of editor HTML, well-formed or not, for tag soup.
SOUP_TOKENS = [
    "<p>", "</p>", "<b>", "</b>", "<ul>", "<li>", "</li>", "</ul>", "<table>", "<tr>", "<td>",
    "</td>", "</tr>", "</table>", "<br>", " ", "x", "y", "\u00a0", "{{a}}", "{", "}",
    "<sup>1</sup>", "<sup>2</sup>", '<p class="footnote"><sup>1</sup> n</p>', "<div>", "</div>",
    "<span>", "</span>", "<span class=hl>", '<a href="https://e.de">', '<a href="https://e.de/x">',
    "</a>", "<h4>", "</h4>", "<h1>", "</h1>", "<blockquote>", "</blockquote>", "<pre>", "</pre>",
    "\n", "<ol start=2>", "</ol>", "<i>", "</i>", "<td rowspan=2>", "<th colspan=2>",
    "<caption>", "<img src=IMG-LOGO>", "<img src=a1b2c3 alt=A>", "<hr>", "<u>", "</u>",
    "<sub>", "</sub>", "<font>", "</font>", "<o:p>", "</o:p>", "<thead>", "<tbody>",
    "<col width=50%>", "<p class=intro>", "<em>", "</em>", "&amp;", "&lt;", "<del>", "</del>",
    "<section>", "</section>", "<li><ul><li>",
]  # fmt: skip
SOUP = st.lists(st.sampled_from(SOUP_TOKENS), max_size=40).map("".join)
