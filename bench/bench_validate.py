"""Benchmark: validating a generated export of 20,000 objects.

Baseline (same run): raw ``jsonschema`` validation of the same objects with the same
(compiled) object schemas. Measured: ``validate_source`` on the export folder, the
whole of it (listing, parsing, schemas, model, rules, masters with image headers,
release rule, preflight). Target: at most 1.5x the baseline; peak RSS under 1 GB.

    /work/venv/bin/python bench/bench_validate.py [--objects 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import json
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compiler.config import load_config  # noqa: E402
from compiler.validate import validate_source  # noqa: E402
from compiler.validate.schemas import object_validator  # noqa: E402

GOV = {"approval_status": "approved", "approved_by": "bench", "approved_at":
       "2026-11-01T10:00:00Z", "valid_from": "2026-01-01", "valid_until": "2027-12-31"}


def _entries(value: Any, locale: str | None = None) -> list[dict[str, Any]]:
    return [{"value": value, "dimensions": {"locale": locale} if locale else {}}]


def _loc(de: str, en: str) -> list[dict[str, Any]]:
    return _entries(de, "de_DE") + _entries(en, "en_GB")


def _obj(module: str, object_id: str, **fields: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": object_id, "module": module, "type": module,
                           "mod_time": "2026-11-20T14:02:11Z", "version": 1}
    for name, value in {**GOV, **fields}.items():
        obj[name] = value if isinstance(value, list) and value and isinstance(value[0], dict) \
            else _entries(value)
    return obj


def _id(n: int, kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}/{n}"))


def generate(root: Path, total: int) -> dict[str, list[dict[str, Any]]]:
    """An export of ``total`` objects: 20% files, 30% blocks, 30% products, 20% offers."""
    n_files, n_blocks = total // 5, total * 3 // 10
    n_products = total * 3 // 10
    n_offers = total - n_files - n_blocks - n_products
    out = io.BytesIO()
    Image.new("RGB", (2400, 1600), (10, 120, 200)).save(out, "PNG")
    png = out.getvalue()
    digest = hashlib.sha256(png).hexdigest()
    modules: dict[str, list[dict[str, Any]]] = {"file": [], "text_block": [], "product": [],
                                                "offer": []}
    for n in range(n_files):
        fid = _id(n, "file")
        modules["file"].append(_obj(
            "file", fid, file_name=f"image-{n}.png", mime_type="image/png", size=len(png),
            width=2400, height=1600, sha256=digest, title=_loc(f"Bild {n}", f"Image {n}"),
            alt_text=_loc("Bild", "Image"), asset_role="product_image",
            rights_status="cleared", rights_valid_until="2027-12-31"))
        master = root / "files" / fid / f"image-{n}.png"
        master.parent.mkdir(parents=True)
        master.write_bytes(png)
    for n in range(n_blocks):
        block_type = "fee_table" if n % 3 == 0 else "disclaimer"
        modules["text_block"].append(_obj(
            "text_block", _id(n, "block"), key=f"BLOCK-{n}", block_type=block_type,
            title=_loc("Titel", "Title"), body=_loc(f"<p>Text {n}</p>", f"<p>Text {n}</p>"),
            body_format="html", regulated=True))
    for n in range(n_products):
        modules["product"].append(_obj(
            "product", _id(n, "product"), sku=f"SKU-{n}", name=_loc(f"Produkt {n}",
                                                                     f"Product {n}"),
            short_description=_loc("<p>kurz</p>", "<p>short</p>"),
            images=[_id(n % n_files, "file")], disclaimers=[_id((3 * n + 1) % n_blocks,
                                                                "block")],
            fee_table=_id((3 * n) % n_blocks, "block"), segments=["families"],
            product_line="home"))
    for n in range(n_offers):
        modules["offer"].append(_obj(
            "offer", _id(n, "offer"), key=f"OFFER-{n}", headline=_loc("Neu", "New"),
            body=_loc("<p>Angebot</p>", "<p>Offer</p>"), banner=_id(n % n_files, "file"),
            cta_label=_loc("Los", "Go"), cta_url="https://example.com",
            segments=["families"], triggers=["policy_renewal"],
            products=[_id(n % n_products, "product")], priority=n % 10))
    header = {"format": "4allportal-export/1", "exported_at": "2026-11-28T09:15:00Z",
              "locales": ["de_DE", "en_GB"],
              "modules": {m: f"modules/{m}.json" for m in modules}}
    (root / "modules").mkdir(parents=True)
    (root / "export.json").write_text(json.dumps(header))
    for module, objects in modules.items():
        (root / "modules" / f"{module}.json").write_text(
            json.dumps({"total_count": len(objects), "result": objects}))
    return modules


def main() -> None:
    """Generate, measure baseline and validation, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=20_000)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    args = parser.parse_args()
    config = load_config(None, cwd=Path("/nonexistent"))
    with tempfile.TemporaryDirectory() as tmp:
        root = (args.keep or Path(tmp)) / "export"
        names = list(generate(root, args.objects))  # the generated dicts are dropped here
        validators = {m: object_validator(config, m) for m in names}
        runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "validate": []}
        for _ in range(args.repeat):  # alternate, so load on the machine hits both alike
            documents = {m: json.loads((root / "modules" / f"{m}.json").read_bytes())
                         for m in names}
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            baseline_errors = sum(1 for m, doc in documents.items() for obj in doc["result"]
                                  for _ in validators[m].iter_errors(obj))
            runs["baseline"].append((time.perf_counter() - wall, time.process_time() - cpu))
            del documents
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            result = validate_source(root, config)
            runs["validate"].append((time.perf_counter() - wall, time.process_time() - cpu))
    best = {name: (min(w for w, _ in times), min(c for _, c in times))
            for name, times in runs.items()}
    print(f"objects: {args.objects}, best of {args.repeat} runs each (wall s / CPU s)")
    print(f"baseline, raw jsonschema with the compiled object schemas: "
          f"{best['baseline'][0]:.2f} / {best['baseline'][1]:.2f} ({baseline_errors} errors)")
    print(f"validate_source, everything: {best['validate'][0]:.2f} / "
          f"{best['validate'][1]:.2f} ({result.report.summary()}, "
          f"{result.decision.summary()})")
    print(f"ratio wall: {best['validate'][0] / best['baseline'][0]:.2f}x, "
          f"ratio CPU: {best['validate'][1] / best['baseline'][1]:.2f}x (target <= 1.5x; "
          "CPU is the steadier figure on a shared machine)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB (target < 1024 MB)")


if __name__ == "__main__":
    main()
