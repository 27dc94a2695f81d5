"""Which Exstream templates a content key affects.

template-usage.json names the keys each template pulls. A template is also affected by
content it shows through another item: an offer shows its banner, a product its images,
disclaimers, fee table and onboarding kit. So a changed banner affects every template
that pulls an offer with that banner, not only those naming the banner itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from compiler.model import Item
from compiler.release import ExstreamData

#: kind -> relation fields whose targets the item shows as part of its own content.
#: (An offer's ``products`` are whom it targets, not what it shows: not followed.)
EMBEDS: dict[str, tuple[str, ...]] = {
    "offer": ("banner",),
    "product": ("images", "disclaimers", "fee_table", "onboarding"),
}

TemplatesFor = Callable[[str], list[str]]


def affected_templates(items: Iterable[Item], exstream: ExstreamData) -> TemplatesFor:
    """For a key: the templates that pull it or pull an item of ``items`` showing it
    (directly or through another such item), sorted."""
    by_id = {item.id.lower(): item for item in items}
    shown_by: dict[str, set[str]] = {}  # key -> keys of the items that show it
    for item in by_id.values():
        for meaning in EMBEDS.get(item.kind, ()):
            for target in item.references(meaning):
                shown = by_id.get(target.lower())
                if shown is not None and shown.key != item.key:
                    shown_by.setdefault(shown.key, set()).add(item.key)

    def templates(key: str) -> list[str]:
        keys, queue = {key}, [key]
        while queue:  # an image in a kit of a product shown by … : follow every step
            for showing in shown_by.get(queue.pop(), ()):
                if showing not in keys:
                    keys.add(showing)
                    queue.append(showing)
        return sorted({t for k in keys for t in exstream.templates_using(k)})

    return templates
