"""Benchmark: `cpc verify` of a >= 1 GB package against `openssl dgst -sha256` over the same bytes.

Builds a release whose payload is incompressible (random) documents, stored in the
zip, with the packaging API; then, in the same run and with the archive in the page
cache, times `openssl dgst -sha256 ARCHIVE` (the baseline) and `verify_package` in a
fresh process that reports its peak RSS. Prints throughputs and their ratio.

    /work/venv/bin/python bench/bench_verify.py [--gib 1.0] [--rounds 5] [--package ZIP]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from compiler.package import (  # noqa: E402
    BagSpec,
    Document,
    IndexRelease,
    ReleaseFacts,
    ReleaseIndex,
    SourceRef,
    publish_release,
    render_index,
    sha256_file,
)

FILE_MIB = 64
EFFECTIVE = datetime(2026, 12, 1, tzinfo=UTC)

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from compiler.package.verify import verify_package
start_usage = resource.getrusage(resource.RUSAGE_SELF)
before = start_usage.ru_maxrss
start = time.perf_counter()
report = verify_package(Path(sys.argv[1]))
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = usage.ru_maxrss
print(json.dumps({"seconds": elapsed, "ok": report.ok, "rss_before_kib": before,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime - start_usage.ru_utime
                                 - start_usage.ru_stime,
                  "rss_peak_kib": peak, "failed": [p.format() for p in report.problems][:5]}))
"""


def _audit(name: str, version: str) -> bytes:
    manifest = {
        "format": "cpc-audit-manifest/1",
        "release": {"name": name, "version": version, "created": "2026-12-01T00:00:00Z",
                    "effective_date": "2026-12-01", "previous": None,
                    "snapshot": {"id": "bench", "exported_at": None, "system": None,
                                 "cursor": None},
                    "config_sha256": "0" * 64, "compiler": {"name": "cpc", "version": "bench"},
                    "python": sys.version.split()[0], "dependencies": {}},
        "items": [], "excluded": [], "changes": {"added": [], "changed": [], "removed": []},
        "checks": [],
        "summary": {"released": {}, "released_total": 0, "excluded": {}, "excluded_total": 0,
                    "changes": {"added": 0, "changed": 0, "removed": 0}, "warnings": 0,
                    "checks": {}},
    }
    return json.dumps(manifest).encode()


def build_package(work: Path, gib: float) -> Path:
    """A release of ceil(gib GiB / 64 MiB) random 64 MiB documents, stored uncompressed."""
    count = max(1, round(gib * 1024 / FILE_MIB))
    payload: dict[str, bytes | Path] = {}
    documents = []
    for number in range(count):
        path = work / f"doc-{number:03d}.pdf"
        with path.open("wb") as stream:
            for _ in range(FILE_MIB):
                stream.write(os.urandom(1 << 20))
        bag_path = f"data/documents/doc-{number:03d}.pdf"
        payload[bag_path] = path
        sha, size = sha256_file(path)
        documents.append(Document(key=f"doc-{number:03d}", source=SourceRef(str(number), "1"),
                                  path=bag_path, media_type="application/pdf", sha256=sha,
                                  size=size))
    index = ReleaseIndex(release=IndexRelease("bench", "2026.12.1", date(2026, 12, 1), EFFECTIVE,
                                              "bench", "bench"), documents=tuple(documents))
    payload["data/index.xml"] = render_index(index)
    spec = BagSpec(ReleaseFacts("bench", "2026.12.1", "Bench", "bench", EFFECTIVE, "bench"),
                   payload, {"audit/audit-manifest.json": _audit("bench", "2026.12.1")})
    release = publish_release(work / "releases", spec)
    for path in work.glob("doc-*.pdf"):
        path.unlink()
    return release.archive


_CPU_SPENT: list[float] = []


def time_openssl(archive: Path) -> float:
    """Wall seconds of one `openssl dgst -sha256`; its CPU seconds go to _CPU_SPENT."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["openssl", "dgst", "-sha256", str(archive)], check=True,
                   stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU_SPENT.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def time_verify(archive: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(archive)], check=True, env=env,
                         capture_output=True, text=True).stdout
    result: dict[str, object] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=1.0, help="payload size in GiB")
    parser.add_argument("--rounds", type=int, default=5, help="best of N runs each")
    parser.add_argument("--package", type=Path,
                        help="time this existing package (with its .sha256) instead of building")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.package:
            archive = args.package
        else:
            start = time.perf_counter()
            archive = build_package(Path(folder), args.gib)
            print(f"package built in {time.perf_counter() - start:.1f} s; peak RSS while "
                  f"writing it: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}"
                  " MiB")
        size = archive.stat().st_size
        print(f"package: {archive.name}, {size / 1e9:.3f} GB")
        time_openssl(archive)  # warm the page cache: both sides read from memory
        openssl_runs: list[float] = []
        runs: list[dict[str, object]] = []
        for _ in range(args.rounds):  # interleaved, so a busy machine slows both alike
            openssl_runs.append(time_openssl(archive))
            runs.append(time_verify(archive))
        openssl = min(openssl_runs)
        best = min(runs, key=lambda r: float(str(r["seconds"])))
        assert all(r["ok"] for r in runs), runs[0]["failed"]
        verify_s = float(str(best["seconds"]))
        print(f"openssl dgst -sha256: {size / openssl / 1e6:8.1f} MB/s ({openssl:.2f} s)")
        print(f"cpc verify:           {size / verify_s / 1e6:8.1f} MB/s ({verify_s:.2f} s)")
        print(f"ratio verify/openssl throughput: {openssl / verify_s:.2f} (target >= 0.80)")
        verify_cpu = float(str(best["cpu_seconds"]))
        print(f"CPU seconds: openssl {min(_CPU_SPENT):.2f}, cpc verify {verify_cpu:.2f} "
              f"(the two sha256 passes run on two threads: wall time can approach openssl's "
              f"only with two idle cores)")
        print(f"load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
              "(verify hashes every byte twice, archive and entry, on two threads)")
        print(f"peak RSS of the verifying process: {int(str(best['rss_peak_kib'])) / 1024:.1f} MiB "
              f"(after imports: {int(str(best['rss_before_kib'])) / 1024:.1f} MiB; "
              f"archive {size / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
