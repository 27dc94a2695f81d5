"""Benchmark: rich text → EXM and its three forms, against lxml parse + serialise.

Converts N realistic blocks (~2 KB of editor HTML each, with tables, lists, links,
footnotes, variables and Word leftovers) into .exm.xml, .html and .txt, and times the
same blocks merely parsed and re-serialised by lxml in the same run (the baseline).
The run also times the *fixed steps* on the same blocks: the capped, network-free
parse, the active-content scan, XSD validation of the EXM and its canonical
serialisation. Any converter that keeps the contract's guarantees does these whatever
its design, so their ratio is a floor for the whole stage's.
Memory: tracemalloc peak while converting a small and a large number of blocks; it
must not grow with the number of blocks (each block is independent).

    python bench/bench_markup.py [--blocks 10000] [--small 2000]
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compiler.markup import BlockContext, MarkupSettings, convert, exm, render_forms
from compiler.markup.findings import Findings
from compiler.markup.sanitize import find_active_content, parse_html

WORDS = [
    "Jahresbeitrag", "Selbstbeteiligung", "Leistung", "Versicherung", "Tarif", "Kunde",
    "Vertrag", "Schutz", "Glasbruch", "Sturm", "Hagel", "Haftpflicht", "Hausrat", "Beitrag",
    "monatlich", "jährlich", "inklusive", "Zahlung", "Kündigung", "Frist", "Bedingungen",
    "gelten", "ab", "sofort", "für", "alle", "neuen", "Verträge",
]  # fmt: skip
SETTINGS = MarkupSettings.from_config(
    {"paragraph_styles": {"intro": "Intro"}, "character_styles": {"hl": "Highlight"}}
)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def block_html(rng: random.Random) -> str:
    """One realistic editor block of about 2 KB."""
    rows = "".join(
        f'<tr><td>{_sentence(rng, 3)}</td><td align="right">{rng.randint(5, 500)},00&nbsp;€'
        "</td></tr>"
        for _ in range(rng.randint(3, 5))
    )
    items = "".join(f"<li>{_sentence(rng, 5)}</li>" for _ in range(rng.randint(3, 5)))
    return (
        f"<h2>{_sentence(rng, 3)}</h2>"
        f'<p class="intro">{_sentence(rng, 14)} <b>{_sentence(rng, 2)}</b><sup>1</sup> '
        f'<a href="https://example.com/{rng.randint(1, 99)}">{_sentence(rng, 2)}</a>.</p>'
        f"<ul>{items}<li>{_sentence(rng, 3)}<ul><li>{_sentence(rng, 4)}</li></ul></li></ul>"
        f'<table><col width="70%"><col width="30%"><thead><tr><th>Leistung</th>'
        f'<th align="right">Betrag</th></tr></thead><tbody>{rows}</tbody></table>'
        f'<p class="MsoNormal">Sehr geehrte(r) {{{{ customer.salutation }}}}, '
        f'<span class="hl">{_sentence(rng, 3)}</span> <i>{_sentence(rng, 12)}</i><o:p></o:p></p>'
        f"<ol><li>{_sentence(rng, 6)}</li><li>{_sentence(rng, 6)}</li></ol>"
        f"<p>{_sentence(rng, 25)}<br>{_sentence(rng, 10)}</p>"
        f"<p><u>{_sentence(rng, 4)}</u> {_sentence(rng, 14)}</p>"
        f'<p class="footnote"><sup>1</sup> {_sentence(rng, 6)}</p>'
    )


def blocks(count: int, seed: int = 4) -> Iterator[tuple[int, str]]:
    """The blocks, generated on the fly so the input itself does not fill memory."""
    rng = random.Random(seed)
    for index in range(count):
        yield index, block_html(rng)


def _resolve(reference: str) -> str | None:
    return reference


def compile_block(index: int, html: str) -> int:
    """Convert one block and render all three forms; the total bytes written."""
    context = BlockContext(f"BLOCK-{index}", "de_DE", None, f"id-{index}", 1)
    result = convert(html, "html", context, SETTINGS, _resolve)
    if result.exm is None:
        raise SystemExit(f"block {index} rejected: {[d.format() for d in result.diagnostics]}")
    return sum(len(form) for form in render_forms(result.exm, None, SETTINGS).values())


def lxml_roundtrip(index: int, html: str) -> int:
    """The baseline: parse the block's HTML with lxml and serialise it again."""
    root = etree.fromstring(html, etree.HTMLParser())
    return len(etree.tostring(root, encoding="UTF-8"))


def fixed_steps(index: int, html: str) -> int:
    """The steps every safe converter does: capped parse, active-content scan, XSD, bytes.

    The tree validated and serialised is the EXM of one of the first blocks (converted
    outside the timing): a tree of the same size and kind as the stage validates and writes.
    """
    found = Findings(BlockContext(f"BLOCK-{index}", "de_DE", None, f"id-{index}", 1))
    root = parse_html(html, found)
    assert root is not None
    find_active_content(root, found)
    block = _EXM_TREES[index % len(_EXM_TREES)]
    exm.validation_errors(block)
    return len(exm.serialise(block))


_EXM_TREES: list[etree._Element] = []


def timed(count: int, chunk: int = 100) -> tuple[float, float, float]:
    """Seconds for the baseline, the markup stage and its fixed steps over ``count`` blocks.

    The three alternate chunk by chunk, so a busy machine slows them alike and the
    ratios stay meaningful (input generation is outside the timing).
    """
    inputs = list(blocks(count))
    _EXM_TREES[:] = [
        exm.parse(
            convert(html, "html", BlockContext("B", "de_DE", None, "id", 1), SETTINGS, _resolve).exm
            or b""
        )
        for _, html in inputs[:chunk]
    ]
    spent = {lxml_roundtrip: 0.0, compile_block: 0.0, fixed_steps: 0.0}
    gc.collect()
    for start in range(0, count, chunk):
        part = inputs[start : start + chunk]
        for work in spent:
            started = time.perf_counter()
            for index, html in part:
                work(index, html)
            spent[work] += time.perf_counter() - started
    return spent[lxml_roundtrip], spent[compile_block], spent[fixed_steps]


def peak_memory(count: int) -> int:
    """tracemalloc peak (bytes) while compiling ``count`` blocks one after the other."""
    gc.collect()
    tracemalloc.start()
    for index, html in blocks(count):
        compile_block(index, html)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def run(count: int, small: int) -> dict[str, float]:
    """Run the benchmark; return its figures."""
    sizes = [len(html.encode()) for _, html in blocks(min(count, 200))]
    compile_block(0, next(blocks(1))[1])  # warm caches (schema, parser) outside timing
    baseline, ours, fixed = timed(count)
    peak_small = peak_memory(small)
    rss_small = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_large = peak_memory(count)
    rss_large = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "blocks": count,
        "mean_block_bytes": sum(sizes) / len(sizes),
        "baseline_s": baseline,
        "markup_s": ours,
        "ratio": ours / baseline,
        "per_block_us": ours / count * 1e6,
        "fixed_steps_ratio": fixed / baseline,
        "peak_small_kib": peak_small / 1024,
        "peak_large_kib": peak_large / 1024,
        "memory_growth": peak_large / peak_small,
        "max_rss_small_mib": rss_small / 1024,
        "max_rss_large_mib": rss_large / 1024,
    }


def main() -> None:
    """Print the figures, each as a ratio against the baseline of the same run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=2_000)
    args = parser.parse_args()
    figures = run(args.blocks, args.small)
    print(f"blocks: {figures['blocks']:.0f} (mean {figures['mean_block_bytes']:.0f} bytes of HTML)")
    print(f"lxml parse + serialise (baseline): {figures['baseline_s']:.2f} s")
    print(
        f"convert + .exm.xml/.html/.txt:     {figures['markup_s']:.2f} s "
        f"({figures['per_block_us']:.0f} µs/block) = {figures['ratio']:.1f}x baseline"
    )
    print(
        f"of which fixed steps (capped parse, active-content scan, XSD, canonical bytes): "
        f"{figures['fixed_steps_ratio']:.1f}x baseline"
    )
    print(
        f"tracemalloc peak: {figures['peak_small_kib']:.0f} KiB for {args.small} blocks, "
        f"{figures['peak_large_kib']:.0f} KiB for {args.blocks} blocks "
        f"= {figures['memory_growth']:.2f}x"
    )
    print(
        f"peak RSS of the process: {figures['max_rss_small_mib']:.1f} MiB after {args.small} "
        f"blocks, {figures['max_rss_large_mib']:.1f} MiB after {args.blocks} more"
    )


if __name__ == "__main__":
    main()
