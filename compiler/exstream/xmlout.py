"""Shared XML writing for offers.xml, catalog.xml and kits.xml: one serialiser, one file form.

Every writer builds an lxml tree in its own namespace and serialises it here, so the
three files share the same determinism rules: pretty-printed UTF-8 with a declaration,
attributes only when they have a value, children in a sorted order chosen by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from compiler.release import OutputFile, Release

Attrs = Mapping[str, str | int | None]


class Builder:
    """Makes elements in one namespace; attributes whose value is None are left out."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def root(self, tag: str, attrs: Attrs) -> etree._Element:
        """The document element, declaring the namespace as the default one."""
        element = etree.Element(f"{{{self.namespace}}}{tag}", nsmap={None: self.namespace})
        _set(element, attrs)
        return element

    def sub(self, parent: etree._Element, tag: str, attrs: Attrs | None = None,
            text: str | None = None) -> etree._Element:
        """A child element with attributes and optional text."""
        element = etree.SubElement(parent, f"{{{self.namespace}}}{tag}")
        _set(element, attrs or {})
        if text is not None:
            element.text = text
        return element

    def files(self, parent: etree._Element, tag: str, outputs: Iterable[OutputFile]) -> None:
        """One element per output file: path, sha256, size and its dimensions, sorted by path."""
        for output in sorted(outputs, key=lambda o: o.path):
            self.sub(parent, tag, file_attrs(output))


def file_attrs(output: OutputFile) -> dict[str, str | int | None]:
    """The attributes that reference one file of the package (paths relative to the bag)."""
    return {"kind": output.kind, "locale": output.locale, "channel": output.channel,
            "preset": output.preset, "path": output.path, "sha256": output.sha256,
            "size": output.size}


def release_attrs(release: Release) -> dict[str, str | int | None]:
    """Which release a data file belongs to."""
    return {"release": release.name, "version": release.version,
            "effectiveDate": release.effective_date.isoformat()}


def _set(element: etree._Element, attrs: Attrs) -> None:
    for name, value in attrs.items():
        if value is not None:
            element.set(name, str(value))


def serialise(root: etree._Element) -> bytes:
    """Pretty-printed UTF-8 XML with a declaration; equal trees give equal bytes."""
    etree.indent(root, space="  ")
    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True,
                                 pretty_print=True)
    return data
