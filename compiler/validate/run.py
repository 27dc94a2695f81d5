"""Validation from SOURCE to report: the stages in order, every problem collected.

``validate_source`` is what `cpc validate` prints and what `cpc build` runs first (it
stops before writing anything when the report has errors). The stages: list the
source, check the header, read and schema-check every module, load the model, run the
rules, check the file masters, decide the release, preflight print images.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.config import Config
from compiler.diagnostics import Diagnostic, Location, Report
from compiler.model import Model, load_model
from compiler.model.load import required_locales
from compiler.release import ExstreamData
from compiler.snapshot import ExportReader
from compiler.validate.masters import master_problems
from compiler.validate.preflight import print_preflight
from compiler.validate.reading import read_and_check_modules, without_superseded
from compiler.validate.release import Exclusion, ReleaseDecision, decide_release
from compiler.validate.rules import Context, check_rules
from compiler.validate.schemas import customer_validators, header_problems
from compiler.validate.source import open_export


@dataclass
class ValidationResult:
    """The model, every diagnostic, and the release decision on the effective date."""

    model: Model
    report: Report
    decision: ReleaseDecision
    effective_date: dt.date | None = None
    exclusions: Mapping[str, Exclusion] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing stops a release."""
        return not self.report.has_errors

    def to_json(self) -> dict[str, Any]:
        """One JSON document: diagnostics, summary, released/excluded counts, exclusions."""
        document = self.report.to_json()
        document["summary"].update(released=len(self.decision.released),
                                   excluded=len(self.decision.excluded))
        document["effective_date"] = self.effective_date.isoformat() \
            if self.effective_date else None
        document["exclusions"] = [
            {"id": item_id, "kind": self.model.items[item_id].kind,
             "key": self.model.items[item_id].key, **exclusion.to_json()}
            for item_id, exclusion in self.decision.excluded.items()]
        return document


def export_date(header: Mapping[str, Any]) -> dt.date | None:
    """The (UTC) date of the header's ``exported_at``, or None when it has none."""
    value = header.get("exported_at")
    if not isinstance(value, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC)
    return stamp.date()


def with_keys(diagnostics: Iterable[Diagnostic], model: Model) -> list[Diagnostic]:
    """Diagnostics found before the model existed, with the key of their object added.

    Only where the diagnostic lies inside that object: a second object with the same id
    (E-ID-DUPLICATE) must not be labelled with the first one's key.
    """
    keyed: list[Diagnostic] = []
    for d in diagnostics:
        item = model.items.get(d.object_id.lower()) if d.object_id and not d.key else None
        if item is not None and item.key and _inside(d.location, item.location):
            d = replace(d, key=item.key)
        keyed.append(d)
    return keyed


def _inside(where: Location, item: Location) -> bool:
    """Whether ``where`` is in the object at ``item`` (JSON: at or under its pointer; XML,
    located by line: in its file, as a line range is not known here)."""
    if where.file != item.file:
        return False
    if where.pointer and item.pointer:
        return where.pointer == item.pointer or where.pointer.startswith(item.pointer + "/")
    return True


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while the model is built.

    Validation creates hundreds of thousands of long-lived, acyclic objects (entries,
    locations, items); the collector would traverse them again and again for nothing
    (about 12% of the time at 10,000 objects). Reference counting still frees
    everything; the previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Problems that leave a whole module file unread (its objects are unknown, not absent).
UNREADABLE = frozenset({"E-JSON-SYNTAX", "E-JSON-ENCODING", "E-XML-SYNTAX", "E-XML-DOCTYPE",
                        "E-MODULE-SHAPE", "E-MODULE-MISSING", "E-MODULE-FORM",
                        "E-SNAPSHOT-MODULE-PATH", "E-SNAPSHOT-MODULE-MISSING"})


def unreadable_kinds(header: Mapping[str, Any], config: Config,
                     report: Report) -> frozenset[str]:
    """The module kinds whose file could not be read at all: a reference into one of them
    is not reported as unresolved, since the one real problem is already reported."""
    named = header.get("modules")
    if not isinstance(named, Mapping):
        return frozenset()
    broken_files = {d.location.file for d in report if d.code in UNREADABLE}
    broken_modules = {module for module, path in named.items()
                      if path in broken_files or (f"modules/{module}" in broken_files)}
    broken_modules |= {d.location.pointer.rsplit("/", 1)[-1] for d in report
                       if d.code in UNREADABLE and d.location.file == "export.json"}
    return frozenset(kind for module in broken_modules
                     if (kind := config.module_kind(str(module))) is not None)


def validate_export(reader: ExportReader, config: Config, effective_date: dt.date | None = None,
                    segments: Collection[str] | None = None,
                    listing: list[Diagnostic] | None = None) -> ValidationResult:
    """Validate an export read through ``reader`` (a source or a snapshot)."""
    with paused_gc():
        return _validate_export(reader, config, effective_date, segments, listing)


def _validate_export(reader: ExportReader, config: Config, effective_date: dt.date | None,
                     segments: Collection[str] | None,
                     listing: list[Diagnostic] | None) -> ValidationResult:
    report = Report()
    report.extend(listing or [])
    header = reader.header
    if header:
        covered = {(d.location.file, d.location.pointer) for d in report}
        report.extend(d for d in header_problems(header)
                      if (d.location.file, d.location.pointer) not in covered)
    read = read_and_check_modules(reader, config, customer_validators(config))
    loaded = load_model(reader, config, read.modules)
    model = loaded.model
    report.extend(with_keys(read.problems(), model))
    report.extend(with_keys(without_superseded(loaded.diagnostics, read.schema_problems),
                            model))
    locales = header.get("locales")
    export_locales = tuple(x for x in locales if isinstance(x, str)) \
        if isinstance(locales, list) else ()
    model.locales = required_locales(header, config)
    report.extend(check_rules(Context(model, config, export_locales, segments,
                                      unreadable_kinds(header, config, report))))
    report.extend(master_problems(reader, model, config))
    when = effective_date or export_date(header)
    decision = decide_release(model, config, when)
    report.extend(decision.diagnostics)
    report.extend(print_preflight(model, config, decision.released))
    return ValidationResult(model, report, decision, when)


def validate_source(source: str | Path, config: Config, effective_date: dt.date | None = None,
                    store: str | Path | None = None,
                    segments: Collection[str] | None = None) -> ValidationResult:
    """Validate SOURCE (export folder, .zip, or snapshot id in ``store``).

    Every problem is in ``result.report``: listing and integrity problems (paths, links,
    zip bombs, stray files, missing masters, checksum mismatches) together with schema,
    rule and release problems, even where a snapshot would refuse the export.
    ``effective_date`` defaults to the date of the export's ``exported_at``.
    """
    with open_export(source, config, store) as opened:
        if not opened.usable:
            report = Report()
            report.extend(opened.problems)
            empty = Model(header={}, locales=())
            return ValidationResult(empty, report, ReleaseDecision(), effective_date)
        return validate_export(opened.reader, config, effective_date, segments,
                               opened.problems)


def validate_snapshot(snapshot: ExportReader, config: Config,
                      effective_date: dt.date | None = None,
                      exstream: ExstreamData | None = None) -> ValidationResult:
    """Validate a snapshot (what `cpc build` does first); segments come from ``exstream``."""
    segments = [s["key"] for s in exstream.segments] if exstream is not None else None
    return validate_export(snapshot, config, effective_date, segments)
