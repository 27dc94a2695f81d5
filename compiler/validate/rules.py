"""The rules beyond the schemas: references, keys, governance, locales, segments, kits.

Every rule is a function ``(Context) -> Iterable[Diagnostic]`` in the ordered table
:data:`RULES`; each is linear in the number of objects and references. Rules speak of
meanings (``images``, ``key``) and name the export's field names only in messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from compiler.config import Config
from compiler.diagnostics import Diagnostic, Location, error
from compiler.model import Item, Model
from compiler.validate import codes


@dataclass(frozen=True)
class Context:
    """What the rules look at: the model, the configuration, the export's locales and,
    when Exstream data is given, the segment keys Exstream knows."""

    model: Model
    config: Config
    export_locales: tuple[str, ...]
    segments: Collection[str] | None = None
    unreadable_kinds: frozenset[str] = frozenset()  # kinds whose module file was unreadable

    @cached_property
    def absent_governance_fields(self) -> frozenset[str]:
        """The governance field names ([governance] options) that no object carries
        (computed once: two rules ask)."""
        absent = set()
        for option, kinds, _ in GOVERNANCE_FIELDS:
            field_name = getattr(self.config.governance, option)
            items = [i for i in self.model if not kinds or i.kind in kinds]
            if items and not any(field_name in item.source.fields for item in items):
                absent.add(field_name)
        return frozenset(absent)


@dataclass(frozen=True)
class Relation:
    """A relation field: which kinds it may point at, and (for text blocks) which type."""

    targets: tuple[str, ...]
    block_type: str | None = None


# (kind, meaning) -> what the relation may point at. Onboarding lists form a product's
# kit: guides (files), FAQ blocks, and other products whose kits it includes.
RELATIONS: dict[tuple[str, str], Relation] = {
    ("product", "images"): Relation(("file",)),
    ("product", "disclaimers"): Relation(("text_block",)),
    ("product", "fee_table"): Relation(("text_block",), block_type="fee_table"),
    ("product", "onboarding"): Relation(("file", "text_block", "product")),
    ("offer", "banner"): Relation(("file",)),
    ("offer", "products"): Relation(("product",)),
}

# (kind, meaning) -> allowed values (export-format.md).
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("file", "asset_role"): ("logo", "icon", "illustration", "product_image", "banner",
                             "layout_component", "guide"),
    ("text_block", "block_type"): ("disclaimer", "terms", "fee_table", "factsheet",
                                   "description", "faq", "cta", "feature_summary"),
    ("text_block", "body_format"): ("html", "markdown"),
    ("offer", "triggers"): ("policy_renewal", "claim_completed", "billing_milestone",
                            "policy_activated"),
}

# kind -> meanings that must be present (keys are checked by their own rule).
REQUIRED: dict[str, tuple[str, ...]] = {
    "file": ("file_name", "mime_type"),
    "text_block": ("block_type",),
}

# kind -> the meaning that carries its key (a file without one gets a derived key).
KEY_MEANING: dict[str, str] = {"product": "sku", "text_block": "key", "offer": "key",
                               "file": "key"}
KEY_FORM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _name(ctx: Context, item: Item, meaning: str) -> str:
    """The export's field name for an item's meaning (governance meanings included)."""
    names = ctx.config.fields(item.kind)
    if meaning in names:
        return str(names[meaning])
    governance = ctx.config.section("governance").get(meaning)
    return governance if isinstance(governance, str) else meaning


def _where(ctx: Context, item: Item, meaning: str = "") -> dict[str, Any]:
    return {"location": item.location, "object_id": item.id, "key": item.key,
            "field": _name(ctx, item, meaning) if meaning else ""}


def locale_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Every entry's locale is one the export declares."""
    if not ctx.export_locales:
        return  # export.json declares none: that header problem is reported, not each entry
    # A header locale written en-GB is reported there (with the fix), not at every entry
    # that spells it correctly.
    known = set(ctx.export_locales) | {loc.replace("-", "_") for loc in ctx.export_locales}
    for item in ctx.model:
        for name, entry in item.source.iter_entries():
            if entry.locale is not None and entry.locale not in known and \
                    re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", entry.locale):
                yield error(codes.LOCALE_UNKNOWN,
                            f"locale {entry.locale!r} is not one of the export's locales "
                            f"({', '.join(ctx.export_locales)}); fix the entry or export "
                            "that locale", location=entry.location, object_id=item.id,
                            key=item.key, field=name, locale=entry.locale)


def release_locale_rule(ctx: Context) -> Iterator[Diagnostic]:
    """The locales the release requires are locales the export has."""
    for locale in ctx.config.required_locales:
        if locale not in ctx.export_locales:
            config_file = ctx.config.source.name if ctx.config.source else "cpc.toml"
            yield error(codes.RELEASE_LOCALE,
                        f"[release] locales requires {locale!r}, which export.json 'locales' "
                        f"does not list; export it or remove it from {config_file}",
                        location=Location(file=config_file), field="release.locales",
                        locale=locale)


def required_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Fields cpc needs are present."""
    for item in ctx.model:
        for meaning in REQUIRED.get(item.kind, ()):
            if item.value(meaning) in (None, ""):
                yield error(codes.FIELD_MISSING,
                            f"{item.kind} lacks {_name(ctx, item, meaning)!r}; fill it in "
                            "4ALLPORTAL", **_where(ctx, item, meaning))


def enum_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Values of enumerated fields are among the allowed ones."""
    for item in ctx.model:
        for (kind, meaning), allowed in ENUMS.items():
            if kind != item.kind:
                continue
            value = item.value(meaning)
            values = value if isinstance(value, tuple) else (() if value is None else (value,))
            for bad in (v for v in values if v not in allowed):
                yield error(codes.VALUE_ENUM,
                            f"{_name(ctx, item, meaning)!r} is {bad!r}; use one of "
                            f"{', '.join(allowed)}", **_where(ctx, item, meaning))


def reference_rule(ctx: Context) -> Iterator[Diagnostic]:
    """References resolve, to objects of a kind (and block type) that fits."""
    items = ctx.model.items
    for item in ctx.model:
        for (kind, meaning), relation in RELATIONS.items():
            if kind != item.kind:
                continue
            for target_id in item.references(meaning):
                target = items.get(target_id)
                name = _name(ctx, item, meaning)
                if target is None and set(relation.targets) & ctx.unreadable_kinds:
                    continue  # its module could not be read; that error is reported
                if target is None:
                    yield error(codes.REF_UNRESOLVED,
                                f"{name!r} points at {target_id}, which is not in the export; "
                                "export it too or remove the reference",
                                **_where(ctx, item, meaning))
                elif target.kind not in relation.targets:
                    yield error(codes.REF_KIND,
                                f"{name!r} points at {target.label} ({target_id}), a "
                                f"{target.kind}; it must be a {' or '.join(relation.targets)}",
                                **_where(ctx, item, meaning))
                elif relation.block_type and target.value("block_type") not in (
                        None, relation.block_type):
                    yield error(codes.REF_BLOCK_TYPE,
                                f"{name!r} points at {target.label}, a "
                                f"{target.value('block_type')!r} block; it must be a "
                                f"{relation.block_type!r} block", **_where(ctx, item, meaning))


def key_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Keys are present, well-formed and unique across the export."""
    owners: dict[str, Item] = {}
    for item in ctx.model:
        meaning = KEY_MEANING.get(item.kind, "key")
        derived = item.kind == "file" and not ctx.config.fields("file").get("key")
        if not item.key:
            if not derived:
                yield error(codes.KEY_MISSING,
                            f"{item.kind} has no {_name(ctx, item, meaning)!r}; give it a "
                            "stable key (Exstream templates use it)",
                            **_where(ctx, item, meaning))
            continue
        if not KEY_FORM.match(item.key):
            yield error(codes.KEY_FORMAT,
                        f"key {item.key!r} is not letters, digits, '.', '_' or '-' (at most "
                        "100, starting with a letter or digit); rename it",
                        **_where(ctx, item, meaning))
        first = owners.setdefault(item.key, item)
        if first is not item:
            yield error(codes.KEY_DUPLICATE,
                        f"key {item.key!r} is also used by {first.kind} {first.id} "
                        f"({first.location}); keys are unique across the export: rename one",
                        **_where(ctx, item, meaning))


#: Governance options whose field must appear on some object (of these kinds), with
#: what its absence means for the release.
GOVERNANCE_FIELDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("approval_status", (), "nothing could be released"),
    ("approved_by", (), "no approval could be complete"),
    ("approved_at", (), "no approval could be complete"),
    ("rights_status", ("file",), "no file could be released"),
)


def approval_field_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Some object carries each governance field the configuration names.

    Without the approval field every object is "not approved" and the release is empty;
    without approved_by, every approval is incomplete: far more likely a mapping typo
    than an export like that, so it is one error at the configuration, not one per object.
    """
    absent = ctx.absent_governance_fields
    config_file = ctx.config.source.name if ctx.config.source else "cpc.toml"
    for option, kinds, consequence in GOVERNANCE_FIELDS:
        field_name = getattr(ctx.config.governance, option)
        if field_name not in absent:
            continue
        count = sum(1 for i in ctx.model if not kinds or i.kind in kinds)
        which = f"{' or '.join(kinds)} objects" if kinds else "objects"
        yield error(codes.APPROVAL_FIELD_ABSENT,
                    f"none of the export's {count} {which} has the field {field_name!r} that "
                    f"[governance] {option} names, so {consequence}; name the export's "
                    "field there", location=Location(file=config_file),
                    field=f"governance.{option}")


def governance_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Approved objects carry approved_by and approved_at; validity windows are ordered."""
    gov = ctx.config.governance
    absent = ctx.absent_governance_fields
    for item in ctx.model:
        g = item.governance
        if g.status in gov.approved_values:
            # A field with a value of the wrong type is reported as such (E-VALUE-TYPE),
            # not as missing as well.
            missing = [name for name, value in ((gov.approved_by, g.approved_by),
                                                (gov.approved_at, g.approved_at))
                       if not value and not item.source.fields.get(name)
                       and name not in absent]  # absent everywhere: one config error
            if missing:
                yield error(codes.APPROVAL_INCOMPLETE,
                            f"approved ({g.status!r}) but {' and '.join(map(repr, missing))} "
                            "missing; approve it again in 4ALLPORTAL so both are recorded",
                            location=item.location, object_id=item.id, key=item.key,
                            field=missing[0])
        if g.valid_from and g.valid_until and g.valid_from > g.valid_until:
            yield error(codes.VALIDITY_WINDOW,
                        f"valid_from {g.valid_from} is after valid_until {g.valid_until}; "
                        "fix the validity window", location=item.location, object_id=item.id,
                        key=item.key, field=gov.valid_from)


def segment_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Segment keys of offers and products are known to Exstream (when segments given)."""
    if ctx.segments is None:
        return
    known = set(ctx.segments)
    for item in ctx.model:
        if item.kind not in ("offer", "product"):
            continue
        for segment in item.references("segments"):
            if segment not in known:
                yield error(codes.SEGMENT_UNKNOWN,
                            f"segment {segment!r} is not in Exstream's segments.json; use a "
                            "known segment or add it in Exstream", **_where(ctx, item, "segments"))


def kit_cycle_rule(ctx: Context) -> Iterator[Diagnostic]:
    """Onboarding kits do not include each other in a cycle (iterative DFS, linear)."""
    items = ctx.model.items
    graph = {p.id: [t for t in p.references("onboarding")
                    if t in items and items[t].kind == "product"]
             for p in ctx.model.products}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in graph:
        if start in state:
            continue
        path: list[str] = [start]
        stack: list[Iterator[str]] = [iter(graph[start])]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt):], nxt]
                item = items[path[-1]]
                labels = " -> ".join(items[i].label for i in cycle)
                yield error(codes.KIT_CYCLE,
                            f"onboarding kits include each other: {labels}; remove one "
                            "inclusion", **_where(ctx, item, "onboarding"))
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph[nxt]))


Rule = Callable[[Context], Iterable[Diagnostic]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("locales", locale_rule),
    ("release-locales", release_locale_rule),
    ("required", required_rule),
    ("enums", enum_rule),
    ("references", reference_rule),
    ("keys", key_rule),
    ("approval-field", approval_field_rule),
    ("governance", governance_rule),
    ("segments", segment_rule),
    ("kit-cycles", kit_cycle_rule),
)


def check_rules(ctx: Context) -> list[Diagnostic]:
    """Run every rule of :data:`RULES` in order; all their diagnostics."""
    found: list[Diagnostic] = []
    for _name, rule in RULES:
        found.extend(rule(ctx))
    return found


__all__ = ["ENUMS", "RELATIONS", "RULES", "Context", "check_rules"]
