"""The release rule: which objects go out, which are excluded and why.

An object goes out only if it is approved, valid on the effective date and, for files,
rights-cleared, and if its localised fields cover every locale the release requires.
Objects that fail are *excluded* with a reason, never errors. A released object that
*needs* an excluded one is an error (``E-NEEDS-EXCLUDED``), or, with
``release.dependants = "exclude"``, is excluded too (``dependency_excluded``,
transitively). The build pipeline calls :func:`decide_release` again with its own
exclusions (e.g. a block whose rich text failed conversion is ``invalid``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from compiler.config import Config
from compiler.diagnostics import Diagnostic, error, warning
from compiler.model import Item, Localised, Model
from compiler.model.fields import FIELD_TYPES
from compiler.release import Exclusion as ReleaseExclusion
from compiler.validate import codes


@dataclass(frozen=True)
class Exclusion:
    """Why an object is left out of the release.

    ``reason`` is one of :data:`compiler.validate.codes.REASONS`; ``needs`` the excluded
    object that caused a ``dependency_excluded``; ``needed_by`` the objects that need
    this one (filled in by :func:`decide_release`).
    """

    reason: str
    message: str
    needs: str = ""
    needed_by: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form for reports and the audit manifest."""
        data: dict[str, Any] = {"reason": self.reason, "message": self.message}
        if self.needs:
            data["needs"] = self.needs
        if self.needed_by:
            data["needed_by"] = list(self.needed_by)
        return data


@dataclass
class ReleaseDecision:
    """Released ids (model order), excluded id -> :class:`Exclusion`, and the errors."""

    released: list[str] = field(default_factory=list)
    excluded: dict[str, Exclusion] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def is_released(self, item_id: str) -> bool:
        """Whether the object goes out."""
        return item_id not in self.excluded

    def summary(self) -> str:
        """``12 released, 3 excluded``."""
        return f"{len(self.released)} released, {len(self.excluded)} excluded"

    def exclusions(self, model: Model) -> Iterator[ReleaseExclusion]:
        """The exclusions as the release records them (id, kind, key, module, reason)."""
        for item_id, exclusion in self.excluded.items():
            item = model.items[item_id]
            yield ReleaseExclusion(id=item_id, kind=item.kind, key=item.key,
                                   module=item.module, reason=exclusion.reason,
                                   message=exclusion.message)


# kind -> meanings whose targets a released object needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "product": ("images", "disclaimers", "fee_table", "onboarding"),
    "offer": ("banner", "products"),
}

# kind -> localised meanings an object must have at all (others only when present).
REQUIRED_LOCALISED: dict[str, tuple[str, ...]] = {
    "product": ("name",), "text_block": ("body",), "offer": ("headline",),
}


def _approval(item: Item, config: Config, when: dt.date | None) -> Exclusion | None:
    approved = config.governance.approved_values
    status = item.governance.status
    if status in approved:
        return None
    field_name = config.governance.approval_status
    has = f"has no {field_name}" if status is None else f"{field_name} is {status!r}"
    return Exclusion("not_approved", f"{has}; only "
                     f"{' / '.join(map(repr, approved))} content is released")


def _validity(item: Item, config: Config, when: dt.date | None) -> Exclusion | None:
    g = item.governance
    if when is None:
        return None
    if g.valid_from is not None and when < g.valid_from:
        return Exclusion("not_yet_valid", f"valid from {g.valid_from}, after the effective "
                         f"date {when}")
    if g.valid_until is not None and when > g.valid_until:
        return Exclusion("expired", f"valid until {g.valid_until}, before the effective "
                         f"date {when}")
    return None


def _rights(item: Item, config: Config, when: dt.date | None) -> Exclusion | None:
    if item.kind != "file":
        return None
    g, gov = item.governance, config.governance
    if g.rights_status not in gov.cleared_values:
        has = (f"has no {gov.rights_status}" if g.rights_status is None
               else f"{gov.rights_status} is {g.rights_status!r}")
        return Exclusion("rights_not_cleared", f"{has}; "
                         f"only {' / '.join(map(repr, gov.cleared_values))} files are released")
    if when is not None and g.rights_valid_until is not None and when > g.rights_valid_until:
        return Exclusion("rights_not_cleared", f"rights expired on {g.rights_valid_until}, "
                         f"before the effective date {when}")
    return None


def _locales(item: Item, config: Config, locales: tuple[str, ...]) -> Exclusion | None:
    names = config.fields(item.kind)
    for meaning, field_type in FIELD_TYPES.get(item.kind, {}).items():
        if not field_type.localised or not names.get(meaning):
            continue
        value = item.value(meaning)
        if value is None and meaning not in REQUIRED_LOCALISED.get(item.kind, ()):
            continue
        missing = [loc for loc in locales
                   if not (isinstance(value, Localised) and value.covers(loc))]
        if missing:
            return Exclusion("missing_locale", f"{names[meaning]!r} has no value for "
                             f"{', '.join(missing)}, which the release requires")
        blank = [loc for loc in locales
                 if isinstance(value, Localised) and _blank(value.get(loc))]
        if blank and meaning in REQUIRED_LOCALISED.get(item.kind, ()):
            # An empty disclaimer or name is no content: it must not go out as if approved.
            return Exclusion("missing_locale", f"{names[meaning]!r} is empty for "
                             f"{', '.join(blank)}, which the release requires")
    return None


_TAG = re.compile(r"<[^>]*>")
_NBSP = re.compile(r"&nbsp;|&#160;|&#xa0;|\u00a0", re.IGNORECASE)


def _blank(value: object) -> bool:
    """Nothing a reader would see: blank text, or rich text of empty paragraphs
    (``<p>&nbsp;</p>``, ``<p></p>``). An image counts as content."""
    if not isinstance(value, str):
        return False
    if not value.strip():
        return True
    if "<" not in value or "<img" in value.lower():
        return False
    return not _NBSP.sub(" ", _TAG.sub("", value)).strip()


Check = Callable[[Item, Config, "dt.date | None"], "Exclusion | None"]

# The release rule's checks, in the order their reason is reported.
CHECKS: tuple[Check, ...] = (_approval, _validity, _rights)


def own_exclusion(item: Item, config: Config, when: dt.date | None,
                  locales: tuple[str, ...]) -> Exclusion | None:
    """Why ``item`` itself may not go out (ignoring what it needs), or None."""
    for check in CHECKS:
        found = check(item, config, when)
        if found is not None:
            return found
    return _locales(item, config, locales)


def needs(item: Item) -> Iterator[tuple[str, str]]:
    """(meaning, target id) of everything a released ``item`` needs."""
    for meaning in NEEDS.get(item.kind, ()):
        for target in item.references(meaning):
            yield meaning, target


def decide_release(model: Model, config: Config, effective_date: dt.date | None,
                   exstream: object | None = None,
                   extra_exclusions: Mapping[str, Exclusion] | None = None) -> ReleaseDecision:
    """Apply the release rule to every object of ``model`` on ``effective_date``.

    ``exstream`` (the Exstream data, when the build has it) is accepted so the pipeline
    can pass what it has; the rule itself does not depend on it (segment keys are
    checked by validation).

    ``extra_exclusions`` (id -> Exclusion) are exclusions found later by the pipeline;
    they are applied before the dependency resolution. Returns the released ids, the
    excluded ones with their reasons, and one ``E-NEEDS-EXCLUDED`` error per released
    object and excluded object it needs (none with ``release.dependants = "exclude"``,
    where each dependant is excluded instead and a ``W-DEPENDANT-EXCLUDED`` recorded).
    """
    excluded: dict[str, Exclusion] = {}
    for item in model:
        extra = (extra_exclusions or {}).get(item.id)
        own = extra or own_exclusion(item, config, effective_date, model.locales)
        if own is not None:
            excluded[item.id] = own
    dependants: dict[str, list[tuple[str, Item]]] = {}
    for item in model:
        for meaning, target in needs(item):
            dependants.setdefault(target, []).append((meaning, item))
    if config.dependants == "exclude":
        # breadth-first from every excluded object along "is needed by": linear, and an
        # offer needing a product needing a draft disclaimer is excluded too
        queue = deque(excluded)
        while queue:
            target = queue.popleft()
            what = model.items.get(target)
            for meaning, item in dependants.get(target, ()):
                if item.id in excluded or what is None:
                    continue
                excluded[item.id] = Exclusion(
                    "dependency_excluded", f"needs {what.kind} {what.label} ({meaning}), "
                    f"which is excluded: {excluded[target].reason}", needs=target)
                queue.append(item.id)
    diagnostics: list[Diagnostic] = []
    pending = [item for item in model if item.id not in excluded]
    for item in pending:
        for meaning, target in needs(item):
            if target not in excluded:
                continue
            what, why = model.items[target], excluded[target]
            field_name = config.fields(item.kind).get(meaning, meaning)
            diagnostics.append(error(
                codes.NEEDS_EXCLUDED,
                f"{item.kind} {item.label} is released but needs {what.kind} {what.label} "
                f"({target}, {field_name}), which is excluded ({why.reason}: {why.message}); "
                "shipping it without would be a compliance incident: fix the needed object, "
                "remove the reference, or set release.dependants = \"exclude\"",
                location=item.location, object_id=item.id, key=item.key, field=field_name))
    for item_id, exclusion in excluded.items():
        if exclusion.reason == "dependency_excluded":
            item = model.items[item_id]
            diagnostics.append(warning(
                codes.DEPENDANT_EXCLUDED, f"{item.kind} {item.label} is left out: "
                f"{exclusion.message} (release.dependants = \"exclude\")",
                location=item.location, object_id=item.id, key=item.key))
    final = {i: Exclusion(e.reason, e.message, e.needs,
                          tuple(sorted({d.id for _m, d in dependants.get(i, ())})))
             for i, e in excluded.items()}
    released = [item.id for item in model if item.id not in final]
    return ReleaseDecision(released=released, excluded=final, diagnostics=diagnostics)
