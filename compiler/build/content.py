"""The compile stage: rich text of every candidate item → EXM, HTML and text forms.

Which fields are rich text is a table by item kind. Text blocks and offers keep their
own key; a product's descriptions become blocks keyed ``<SKU>.<meaning>`` so paths stay
stable and cannot collide with a text block key (keys never contain a dot).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from compiler.build.results import ItemResult, located
from compiler.markup import BlockContext, MarkupSettings, channel_differs, convert, render_forms
from compiler.model import Item, Localised
from compiler.release import OutputFile

# item kind -> (rich-text meanings, how a block key is formed from the item key and meaning)
RICH_TEXT: dict[str, tuple[tuple[str, ...], Callable[[str, str], str]]] = {
    "text_block": (("body",), lambda key, meaning: key),
    "offer": (("body",), lambda key, meaning: key),
    "product": (("short_description", "features"),
                lambda key, meaning: f"{key}.{meaning.replace('_', '-')}"),
}
FORM_KINDS = {"exm.xml": "exm", "html": "html", "txt": "txt"}
DERIVED_CHANNELS = ("print",)  # channels whose derived forms may differ (links, markup.md)




SourceFormat = Literal["html", "markdown"]


def _body_format(item: Item) -> SourceFormat:
    return "markdown" if str(item.value("body_format") or "html").lower() == "markdown" else "html"


def _forms(path_base: str, exm: bytes, channel: str | None, locale: str,
           settings: MarkupSettings) -> list[OutputFile]:
    suffix = f".{channel}" if channel else ""
    return [
        OutputFile.of_bytes(f"{path_base}/{locale}{suffix}.{ext}", data, FORM_KINDS[ext],
                            locale=locale, channel=channel)
        for ext, data in sorted(render_forms(exm, channel, settings).items())
    ]


def compile_field(item: Item, meaning: str, block_key: str, locales: Iterable[str],
                  settings: MarkupSettings, resolve_asset: Callable[[str], str | None],
                  result: ItemResult) -> None:
    """Compile one rich-text field of an item for every locale (and channel override)."""
    value = item.value(meaning)
    if not isinstance(value, Localised):
        return
    source_format: SourceFormat = _body_format(item) if item.kind == "text_block" else "html"
    base = f"data/content/{block_key}"
    for locale in locales:
        text = value.get(locale)
        if text is not None:
            context = BlockContext(block_key, locale, None, item.id, item.version)
            conversion = convert(text, source_format, context, settings, resolve_asset)
            result.diagnostics.extend(conversion.diagnostics)
            if conversion.exm is not None:
                result.outputs.extend(_forms(base, conversion.exm, None, locale, settings))
                for channel in DERIVED_CHANNELS:
                    if (channel not in value.channel_overrides(locale)
                            and channel_differs(conversion.exm, channel)):
                        result.outputs.extend(
                            _forms(base, conversion.exm, channel, locale, settings))
        for channel in value.channel_overrides(locale):
            # A value given for a channel replaces that channel's derived forms.
            context = BlockContext(block_key, locale, channel, item.id, item.version)
            conversion = convert(value.get(locale, channel), source_format, context, settings,
                                 resolve_asset)
            result.diagnostics.extend(conversion.diagnostics)
            if conversion.exm is not None:
                result.outputs.extend(_forms(base, conversion.exm, channel, locale, settings))


def compile_item(item: Item, locales: Iterable[str], settings: MarkupSettings,
                 resolve_asset: Callable[[str], str | None]) -> ItemResult:
    """All rich text of one item in every locale of the release."""
    result = ItemResult()
    meanings, key_of = RICH_TEXT.get(item.kind, ((), lambda key, meaning: key))
    locales = tuple(locales)
    for meaning in meanings:
        compile_field(item, meaning, key_of(item.key, meaning), locales, settings,
                      resolve_asset, result)
    result.diagnostics = [located(d, item) for d in result.diagnostics]
    return result

