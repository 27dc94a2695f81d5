"""What the markup tests share: the settings, the asset resolver and the fixture cases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compiler.markup import BlockContext, Conversion, MarkupSettings, convert

CASES = Path(__file__).parent / "cases"
DATA = Path(__file__).parent / "data"

SETTINGS = MarkupSettings.from_config(
    {
        "variable_syntax": "{{%s}}",
        "paragraph_styles": {"intro": "Intro", "hinweis": "Note"},
        "character_styles": {"hl": "Highlight"},
    }
)
#: The release's assets: key → key, and one asset also by its id.
ASSETS = {"IMG-LOGO": "IMG-LOGO", "a1b2c3": "IMG-LOGO", "IMG-CHART": "IMG-CHART"}


def resolve_asset(reference: str) -> str | None:
    """The release's asset resolver: id or key → key."""
    return ASSETS.get(reference)


def context(channel: str | None = None, key: str = "FEE-HOME-PLUS") -> BlockContext:
    """The block every case converts as."""
    return BlockContext(key, "de_DE", channel, "9c2f0d1e", 4)


@dataclass(frozen=True)
class Case:
    """One fixture: an input file and its expected EXM or expected error codes."""

    name: str
    source: Path

    @property
    def source_format(self) -> str:
        return "markdown" if self.source.suffix == ".md" else "html"

    @property
    def channel(self) -> str | None:
        return "print" if self.name.startswith("print-") else None

    def expected(self, suffix: str) -> Path:
        return CASES / f"{self.name}.{suffix}"

    def convert(self) -> Conversion:
        text = self.source.read_text(encoding="utf-8")
        fmt = "markdown" if self.source_format == "markdown" else "html"
        return convert(text, fmt, context(self.channel), SETTINGS, resolve_asset)  # type: ignore[arg-type]


def cases() -> list[Case]:
    """Every input file in cases/, sorted by name."""
    sources = sorted(p for p in CASES.iterdir() if p.suffix in (".html", ".md"))
    return [Case(p.stem, p) for p in sources]


def codes_of(conversion: Conversion) -> list[str]:
    """The distinct diagnostic codes of a conversion, sorted."""
    return sorted({d.code for d in conversion.diagnostics})
