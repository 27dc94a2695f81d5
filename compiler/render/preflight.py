"""Print preflight: is a master sharp enough for the size the print preset places it at?

The print preset places the image's long edge (or its width, for a width preset) at
``long_edge`` pixels at ``dpi``: 2126 px at 300 dpi is 180 mm. A master with fewer
pixels than that is printed at a lower effective resolution. Below the preset's dpi
it is a warning; below ``print_min_dpi`` (when set) an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.render.presets import Preset

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PrintPreflight:
    """The effective resolution of a master at the preset's placed size."""

    effective_dpi: float
    target_dpi: int
    placed_mm: float  # the placed long edge (or width) in millimetres
    below_target: bool  # under the preset's dpi: warn
    below_minimum: bool  # under print_min_dpi (when set): error

    def message(self) -> str:
        """A sentence for the diagnostic."""
        return (f"the master gives {self.effective_dpi:.0f} dpi at the placed size of "
                f"{self.placed_mm:.0f} mm (the print preset wants {self.target_dpi} dpi)")


def print_preflight(width: int, height: int, preset: Preset, *,
                    print_min_dpi: int = 0) -> PrintPreflight:
    """Effective dpi of a ``width`` × ``height`` master (as shown) placed by ``preset``."""
    dpi = preset.dpi or 300
    if preset.widths:
        placed_px, master_px = max(preset.widths), width
    else:
        assert preset.long_edge is not None
        placed_px, master_px = preset.long_edge, max(width, height)
    placed_inches = placed_px / dpi
    effective = master_px / placed_inches
    return PrintPreflight(
        effective_dpi=round(effective, 1), target_dpi=dpi,
        placed_mm=placed_inches * MM_PER_INCH,
        below_target=effective < dpi - 0.5,  # half a dot of rounding is not a finding
        below_minimum=print_min_dpi > 0 and effective < print_min_dpi,
    )
