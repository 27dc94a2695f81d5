"""Localised text as XML: one element per locale, plus one per channel that has its own."""

from __future__ import annotations

from lxml import etree

from compiler.exstream.xmlout import Builder
from compiler.model import Item, Localised


def localised(builder: Builder, parent: etree._Element, tag: str, item: Item, meaning: str,
              locales: tuple[str, ...]) -> None:
    """``<tag locale=…>text</tag>`` per locale, then ``channel=…`` variants where they exist."""
    value = item.value(meaning)
    if not isinstance(value, Localised):
        return
    for locale in locales:
        text = value.get(locale)
        if text is not None:
            builder.sub(parent, tag, {"locale": locale}, str(text))
        for channel in value.channel_overrides(locale):
            builder.sub(parent, tag, {"locale": locale, "channel": channel},
                        str(value.get(locale, channel)))
