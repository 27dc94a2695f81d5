"""Offer resolution: which released offers a letter shows for a segment and a trigger.

Exstream picks an offer by the customer's segment and the lifecycle event that sent the
letter. Each segment × trigger pair gets the released offers that target it, higher
``priority`` first and ties by ``key``, so the order never depends on export order. An
offer with no segments targets every segment; one with no triggers, every trigger. A
pair no offer targets gets the configured fallback (``[offers] fallback``) and is listed
in one warning, so campaign owners see the gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.config import Config
from compiler.diagnostics import Diagnostic, error, warning
from compiler.errors import ConfigError
from compiler.release import Release, ReleasedItem

TRIGGERS = ("policy_renewal", "claim_completed", "billing_milestone", "policy_activated")
NO_FALLBACK = "none"


@dataclass(frozen=True)
class OfferSettings:
    """``[offers]``: the offer key shown where nothing else matches (None: no fallback)."""

    fallback: str | None = None

    @classmethod
    def from_config(cls, config: Config) -> OfferSettings:
        """Read ``[offers]``; the section and its key are optional (default: no fallback)."""
        section = config.data.get("offers", {})
        value = section.get("fallback", NO_FALLBACK) if isinstance(section, dict) else None
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"offers.fallback: expected an offer key or \"{NO_FALLBACK}\", "
                              f"got {value!r}")
        return cls(fallback=None if value == NO_FALLBACK else value)


@dataclass(frozen=True)
class Placement:
    """The offers for one segment × trigger pair, best first; ``fallback`` when none matched."""

    segment: str
    trigger: str
    offers: tuple[str, ...]
    fallback: str | None = None

    @property
    def covered(self) -> bool:
        """True when at least one offer targets the pair itself."""
        return bool(self.offers)


def priority(offer: ReleasedItem) -> int:
    """The offer's priority (0 when unset)."""
    value = offer.item.value("priority")
    return value if isinstance(value, int) else 0


def ranked(offers: list[ReleasedItem]) -> list[ReleasedItem]:
    """Higher priority first, ties broken by key (contract: export-format.md)."""
    return sorted(offers, key=lambda r: (-priority(r), r.item.key))


def targets(offer: ReleasedItem, segment: str, trigger: str) -> bool:
    """True when the offer is meant for this segment and trigger (empty lists mean all)."""
    segments = offer.item.references("segments")
    triggers = offer.item.references("triggers")
    return (not segments or segment in segments) and (not triggers or trigger in triggers)


def usable_offers(release: Release) -> tuple[list[ReleasedItem], list[Diagnostic]]:
    """Released offers that can be shown: an offer whose banner does not go out is skipped."""
    usable: list[ReleasedItem] = []
    problems: list[Diagnostic] = []
    for offer in release.released("offer"):
        banner = offer.item.value("banner")
        if isinstance(banner, str) and not release.is_released(banner):
            problems.append(warning(
                "W-OFFER-BANNER-EXCLUDED",
                f"offer {offer.item.key!r} is not placed: its banner {banner} does not go out "
                "(not approved, expired or rights not cleared)",
                object_id=offer.item.id, key=offer.item.key, field="banner"))
            continue
        usable.append(offer)
    return usable, problems


def check_targeting(release: Release, offers: list[ReleasedItem]) -> list[Diagnostic]:
    """Unknown triggers always, unknown segments when Exstream's segment list is known."""
    known_segments = ({s["key"] for s in release.exstream.segments}
                      if release.exstream is not None else None)
    problems: list[Diagnostic] = []
    for offer in offers:
        item = offer.item
        for trigger in item.references("triggers"):
            if trigger not in TRIGGERS:
                problems.append(error(
                    "E-OFFER-TRIGGER-UNKNOWN",
                    f"offer {item.key!r} names trigger {trigger!r}, which is not one of "
                    f"{', '.join(TRIGGERS)}", object_id=item.id, key=item.key, field="triggers",
                    location=item.location))
        for segment in item.references("segments"):
            if known_segments is not None and segment not in known_segments:
                problems.append(error(
                    "E-OFFER-SEGMENT-UNKNOWN",
                    f"offer {item.key!r} names segment {segment!r}, which Exstream's "
                    "segments.json does not define; fix the offer or add the segment",
                    object_id=item.id, key=item.key, field="segments",
                    location=item.location))
    return problems


def resolve_offers(release: Release, settings: OfferSettings
                   ) -> tuple[list[Placement], list[Diagnostic]]:
    """Every Exstream segment × trigger pair with its offers (empty without Exstream data)."""
    offers, problems = usable_offers(release)
    problems.extend(check_targeting(release, offers))
    if release.exstream is None:
        return [], problems
    keys = {o.item.key for o in offers}
    fallback = settings.fallback
    if fallback is not None and fallback not in keys:
        problems.append(error(
            "E-OFFER-FALLBACK-UNKNOWN",
            f"offers.fallback names offer {fallback!r}, which is not a released offer of this "
            "build; name a released offer or set it to \"none\"", field="offers.fallback"))
        fallback = None
    placements: list[Placement] = []
    for segment in sorted(s["key"] for s in release.exstream.segments):
        for trigger in TRIGGERS:
            matching = ranked([o for o in offers if targets(o, segment, trigger)])
            chosen = tuple(o.item.key for o in matching)
            placements.append(Placement(segment, trigger, chosen,
                                        None if chosen else fallback))
    uncovered = [p for p in placements if not p.covered]
    if uncovered:
        pairs = ", ".join(f"{p.segment}/{p.trigger}" for p in uncovered)
        then = (f"they get the fallback offer {fallback!r}" if fallback
                else "they get no offer (no fallback configured: [offers] fallback)")
        problems.append(warning(
            "W-OFFER-UNCOVERED",
            f"{len(uncovered)} segment × trigger pair(s) have no offer of their own: {pairs}; "
            f"{then}"))
    return placements, problems
