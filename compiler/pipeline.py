"""The whole build, in the order it happens (overview.md):

snapshot → validate → compile → render → decide → assemble → package (+ audit).

Each stage is a function of its inputs and the configuration. All data is gathered
and checked before anything is written into the release folder: a build with errors
stops before packaging, and packaging itself is atomic.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.build.assets import render_files
from compiler.build.content import compile_item
from compiler.build.packaging import find_previous, plan_package, publish
from compiler.build.results import ItemResult
from compiler.config import Config
from compiler.diagnostics import Diagnostic, Location, Report, Severity, error
from compiler.errors import CpcError
from compiler.exstream import load_exstream_data
from compiler.exstream.affected import affected_templates
from compiler.exstream.offers import OfferSettings
from compiler.markup import MarkupSettings
from compiler.model import Item, Model
from compiler.package import PublishedRelease, next_version
from compiler.release import ExstreamData, Release, ReleasedItem
from compiler.render import parse_presets
from compiler.snapshot import (
    ExportReader,
    Snapshot,
    SnapshotRefused,
    limits_from_config,
    resolve_source,
)
from compiler.validate import Exclusion as RuleExclusion
from compiler.validate import (
    ReleaseDecision,
    ValidationResult,
    codes,
    decide_release,
    export_date,
    validate_snapshot,
)

StageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildRequest:
    """What `cpc build` was asked to do."""

    source: str
    config: Config
    out: Path = Path("build")
    version: str | None = None
    effective_date: dt.date | None = None
    exstream_data: Path | None = None
    previous: Path | None = None
    jobs: int | None = None
    sign_key: Path | None = None
    strict: bool = False
    progress: Callable[[str], StageProgress] | None = None

    def progress_of(self, stage: str) -> StageProgress | None:
        """The progress callback ``(done, total)`` of a long stage, when one is wanted."""
        return self.progress(stage) if self.progress else None

    @property
    def releases(self) -> Path:
        """Where archives, their checksums and the ledger go."""
        return self.out / "releases"


@dataclass
class BuildOutcome:
    """A finished build: the release, the archive written, and every diagnostic."""

    release: Release
    published: PublishedRelease
    manifest: dict[str, Any]
    report: Report = field(default_factory=Report)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """released / excluded / warnings / changes, in one line."""
        counts = self.manifest["summary"]["changes"]
        return (f"released {len(self.release.items)}, excluded {len(self.release.excluded)}, "
                f"warnings {len(self.report.warnings)}, changes: {counts['added']} added, "
                f"{counts['changed']} changed, {counts['removed']} removed")


class BuildRefused(CpcError):
    """The build found errors (or warnings under --strict); nothing was written."""

    def __init__(self, report: Report, reason: str) -> None:
        super().__init__(f"build refused: {reason} ({report.summary()})")
        self.report = report


def release_moment(effective_date: dt.date) -> dt.datetime:
    """Every timestamp of the release: ``SOURCE_DATE_EPOCH`` when set, else the
    effective date at 00:00 UTC, so a build depends on its inputs, never on the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise CpcError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.combine(effective_date, dt.time(0, 0), tzinfo=dt.UTC)


def _stop_on_errors(report: Report, strict: bool, stage: str) -> None:
    if report.has_errors:
        raise BuildRefused(report, f"errors in {stage}")
    if strict and report.warnings:
        raise BuildRefused(report, f"warnings in {stage} under --strict")


class Stopwatch:
    """Wall time per stage, for the build's benchmark and for people who wonder."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Close the stage that just ended."""
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


def build(request: BuildRequest) -> BuildOutcome:
    """Run the whole pipeline and publish the release; raises BuildRefused on errors."""
    config, report, clock = request.config, Report(), Stopwatch()
    exstream = load_exstream_data(request.exstream_data) if request.exstream_data else None

    snapshot, validation = freeze_and_validate(request, exstream, report)
    clock.lap("snapshot+validate")
    _stop_on_errors(report, request.strict, "validation")
    model = validation.model
    effective = validation.effective_date or export_date(model.header)
    if effective is None:  # the snapshot refuses a header without exported_at; be sure
        raise CpcError("no effective date: give --effective-date or an exported_at in export.json")

    candidates = [model.items[i] for i in sorted(validation.decision.released)]
    report.extend(fallback_problems(config, candidates))
    _stop_on_errors(report, request.strict, "the offers configuration")
    compiled = compile_content(candidates, model, config)
    clock.lap("compile")
    rendered = render_content(candidates, snapshot, request)
    clock.lap("render")
    decision = decide_on_content(validation, config, effective, [compiled, rendered], report)
    report.extend(empty_release(model, decision))
    _stop_on_errors(report, request.strict, "compiling and rendering")

    release = assemble(request, snapshot, model, effective, decision, compiled, rendered,
                       exstream)
    release.diagnostics = list(report)
    attach_findings(release)
    clock.lap("assemble")
    plan = plan_package(release)
    clock.lap("index+audit")
    report.extend(plan.findings)
    _stop_on_errors(report, request.strict, "offers, catalog and kits")
    published = publish(release, plan.spec, request.releases, request.sign_key)
    clock.lap("archive")
    return BuildOutcome(release=release, published=published, manifest=plan.manifest,
                        report=report, seconds=clock.seconds)


def decide_on_content(validation: ValidationResult, config: Config, effective: dt.date,
                      stages: list[dict[str, ItemResult]], report: Report) -> ReleaseDecision:
    """The release decision once content is compiled (and rendered): an item whose content
    failed is excluded as ``invalid`` (its errors are the exclusion's message), and the
    release rule decides what that means for what needs it (E-NEEDS-EXCLUDED, or
    ``dependants = "exclude"``). Adds the stages' warnings and the new decision errors to
    ``report``. `cpc build` and `cpc validate` both decide through here.
    """
    failed: dict[str, RuleExclusion] = {}
    for results in stages:
        for item_id, exclusion in failed_items(results).items():
            if item_id in failed:
                exclusion = RuleExclusion("invalid", f"{failed[item_id].message}; "
                                          f"{exclusion.message}")
            failed[item_id] = exclusion
    decision = decide_release(validation.model, config, effective, extra_exclusions=failed)
    report.extend(d for results in stages for r in results.values() for d in r.diagnostics
                  if d.severity is not Severity.ERROR)
    known = set(validation.decision.diagnostics)  # already reported by validation
    report.extend(d for d in decision.diagnostics if d not in known)
    return decision


def empty_release(model: Model, decision: ReleaseDecision) -> list[Diagnostic]:
    """E-RELEASE-EMPTY when every object is excluded: a package with nothing in it is a
    mistake, not a release (validate says so too, so it never passes what build refuses)."""
    if decision.released or not model.items:
        return []
    return [error(codes.RELEASE_EMPTY, f"all {len(model.items)} objects of the export are "
                  "excluded; nothing would be released (the exclusions say why)",
                  location=Location(file="export.json"))]


def check_content(validation: ValidationResult, config: Config) -> ValidationResult:
    """What `cpc validate` adds to the checks of the export: the compile stage on what
    would be released (rich text converted in every locale, its warnings, the exclusions
    its errors cause), so validate predicts what `cpc build` releases. Rendering images
    is left to the build: corrupt image data and rendition warnings show there.
    """
    effective = validation.effective_date or export_date(validation.model.header)
    if effective is None:
        return validation
    model = validation.model
    candidates = [model.items[i] for i in sorted(validation.decision.released)]
    report = Report(list(validation.report))
    report.extend(fallback_problems(config, candidates))
    compiled = compile_content(candidates, model, config)
    decision = decide_on_content(validation, config, effective, [compiled], report)
    report.extend(empty_release(model, decision))
    return replace(validation, report=report, decision=decision)


def freeze_and_validate(request: BuildRequest, exstream: ExstreamData | None,
                        report: Report) -> tuple[Snapshot, ValidationResult]:
    """The snapshot and validate stages.

    Validation runs on the staged export as one of the snapshot's checks, so an export
    with errors is refused before anything reaches the store. A snapshot id given as
    SOURCE is validated as it is.
    """
    validations: list[ValidationResult] = []

    def validation(reader: ExportReader) -> list[Diagnostic]:
        result = validate_snapshot(reader, request.config, request.effective_date, exstream)
        validations.append(result)
        return list(result.report)

    try:
        snapshot = resolve_source(request.source, request.out / "snapshots",
                                  limits_from_config(request.config.data), checks=[validation],
                                  report=report, progress=request.progress_of("snapshot"))
    except SnapshotRefused as refused:
        raise BuildRefused(refused.report, "errors in the export; nothing was written") from None
    if not validations:
        validations.append(validate_snapshot(snapshot, request.config, request.effective_date,
                                             exstream))
        report.extend(validations[0].report)
    return snapshot, validations[0]


def fallback_problems(config: Config, candidates: list[Item]) -> list[Diagnostic]:
    """``[offers] fallback`` must name an offer that goes out: checked before the slow
    stages, so a typo in cpc.toml costs seconds, not a render."""
    fallback = OfferSettings.from_config(config).fallback
    if fallback is None or fallback in {i.key for i in candidates if i.kind == "offer"}:
        return []
    return [error("E-OFFER-FALLBACK-UNKNOWN",
                  f"offers.fallback names offer {fallback!r}, which is not a released offer "
                  "of this build; name a released offer or set it to \"none\"",
                  location=Location(file=str(config.source or "cpc.toml")),
                  field="offers.fallback")]


def compile_content(candidates: list[Item], model: Model,
                    config: Config) -> dict[str, ItemResult]:
    """The compile stage: every candidate's rich text in every locale of the release."""
    settings = MarkupSettings.from_config(config.section("markup"))
    # An image in rich text must be an asset of this release, named by id or key.
    files = [item for item in candidates if item.kind == "file"]
    assets = {a.id: a.key for a in files} | {a.key: a.key for a in files}
    return {item.id: compile_item(item, model.locales, settings, assets.get)
            for item in candidates}


def render_content(candidates: list[Item], snapshot: Snapshot,
                   request: BuildRequest) -> dict[str, ItemResult]:
    """The render stage: renditions of every candidate image, documents passed through."""
    config = request.config
    settings = parse_presets(config.section("renditions"),
                             max_pixels=int(config.section("limits")["max_pixels"]),
                             base_dir=config.source.parent if config.source else None)
    files = [item for item in candidates if item.kind == "file"]
    return render_files(files, snapshot, settings, cache_dir=request.out / "cache" / "renditions",
                        jobs=request.jobs, progress=request.progress_of("rendering"))


def failed_items(results: dict[str, ItemResult]) -> dict[str, RuleExclusion]:
    """Items of one stage whose content could not be compiled or rendered: ``invalid``."""
    failed: dict[str, RuleExclusion] = {}
    for item_id, result in results.items():
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors:
            message = "; ".join(
                f"{d.code}{f' [{d.locale}]' if d.locale else ''}: {d.message}" for d in errors)
            failed[item_id] = RuleExclusion("invalid", message)
    return failed


def assemble(request: BuildRequest, snapshot: Snapshot, model: Model, effective: dt.date,
             decision: ReleaseDecision, compiled: dict[str, ItemResult],
             rendered: dict[str, ItemResult], exstream: ExstreamData | None) -> Release:
    """The release: every released item with its outputs and findings, every exclusion."""
    config = request.config
    version = request.version or next_version(request.releases, config.release_name, effective)
    release = Release(name=config.release_name, version=version, effective_date=effective,
                      created=release_moment(effective), snapshot_id=snapshot.id,
                      config=config, model=model, excluded=list(decision.exclusions(model)),
                      exstream=exstream)
    release.previous = find_previous(request.releases, release.name, version, request.previous)
    used_by = affected_templates([model.items[i] for i in decision.released], exstream) \
        if exstream else None
    for item_id in sorted(decision.released):
        item = model.items[item_id]
        results = [r for r in (compiled.get(item_id), rendered.get(item_id)) if r is not None]
        release.items[item_id] = ReleasedItem(
            item=item,
            outputs=[o for r in results for o in r.outputs],
            transformations=[d for r in results for d in r.diagnostics],
            used_by=used_by(item.key) if used_by else [])
    return release


def attach_findings(release: Release) -> None:
    """Record the warnings found about a released item (print preflight, say) with it,
    so the audit manifest has each against its item, not only in the overall count."""
    for diagnostic in release.diagnostics:
        released = release.items.get(diagnostic.object_id)
        if (released is not None and diagnostic.severity is Severity.WARNING
                and diagnostic not in released.transformations):
            released.transformations.append(diagnostic)
