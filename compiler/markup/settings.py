"""Typed settings of the markup stage and the identity of the block being converted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compiler.errors import ConfigError

#: A style name as EXM writes it in ``p/@style`` and ``span/@style`` (the XSD's pattern).
STYLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
#: An HTML class token (no whitespace; the editor writes them space-separated).
CLASS_NAME = re.compile(r"[^\s]+")
DEFAULT_VARIABLE_SYNTAX = "{{%s}}"


@dataclass(frozen=True)
class MarkupSettings:
    """How rich text is compiled: variable syntax and the HTML class → style maps.

    ``variable_syntax`` is a printf-style pattern with one ``%s`` (the variable name),
    used by the ``.html`` and ``.txt`` forms. The style maps take an HTML class to a
    named paragraph style (``p``/``div``) or character style (``span``).
    """

    variable_syntax: str = DEFAULT_VARIABLE_SYNTAX
    paragraph_styles: Mapping[str, str] = field(default_factory=dict)
    character_styles: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> MarkupSettings:
        """Read the ``[markup]`` table; raise ConfigError naming every bad ``markup.<key>``."""
        problems: list[str] = []
        syntax = section.get("variable_syntax", DEFAULT_VARIABLE_SYNTAX)
        if not isinstance(syntax, str) or not _one_name_slot(syntax):
            problems.append(
                "markup.variable_syntax: expected a printf-style pattern with exactly one %s "
                f"(e.g. {DEFAULT_VARIABLE_SYNTAX!r}), got {syntax!r}"
            )
        styles = {}
        for key in ("paragraph_styles", "character_styles"):
            styles[key] = _style_map(key, section.get(key, {}), problems)
        unknown = sorted(set(section) - {"variable_syntax", "paragraph_styles", "character_styles"})
        problems.extend(f"markup.{name}: unknown option" for name in unknown)
        if problems:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))
        return cls(str(syntax), styles["paragraph_styles"], styles["character_styles"])

    def class_for_paragraph_style(self, style: str) -> str:
        """The HTML class the ``.html`` form writes for a paragraph style (smallest mapped)."""
        return _class_for(self.paragraph_styles, style)

    def class_for_character_style(self, style: str) -> str:
        """The HTML class the ``.html`` form writes for a character style (smallest mapped)."""
        return _class_for(self.character_styles, style)

    def variable(self, name: str) -> str:
        """A variable reference written in the configured Exstream syntax."""
        return self.variable_syntax.replace("%%", "\0").replace("%s", name).replace("\0", "%")


@dataclass(frozen=True)
class BlockContext:
    """Which block is being converted; every diagnostic names it.

    All five are required: ``exm:block`` carries the source object's id and version
    (the XSD refuses an empty id), so there is no meaningful default for them.
    """

    key: str
    locale: str
    channel: str | None
    source_id: str
    source_version: int

    def where(self) -> dict[str, Any]:
        """Keyword arguments for compiler.diagnostics.error/warning."""
        return {"key": self.key, "locale": self.locale, "channel": self.channel or ""}


def _one_name_slot(pattern: str) -> bool:
    # %% is a literal percent; any other directive than one %s would break the pattern.
    stripped = pattern.replace("%%", "")
    return stripped.count("%s") == 1 and stripped.count("%") == 1


def _style_map(key: str, value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        problems.append(f"markup.{key}: expected a table of HTML class = style name, got {value!r}")
        return {}
    result: dict[str, str] = {}
    for html_class, style in sorted(value.items()):
        if not isinstance(html_class, str) or not CLASS_NAME.fullmatch(html_class):
            problems.append(f"markup.{key}: expected an HTML class name, got {html_class!r}")
        elif not isinstance(style, str) or not STYLE_NAME.fullmatch(style):
            problems.append(
                f"markup.{key}.{html_class}: expected a style name matching "
                f"{STYLE_NAME.pattern}, got {style!r}"
            )
        else:
            result[html_class] = style
    return result


def _class_for(styles: Mapping[str, str], style: str) -> str:
    classes = sorted(c for c, s in styles.items() if s == style)
    return classes[0] if classes else style
