"""A process that publishes one release, for the crash tests to kill.

``python -m tests.package.publish_child OUT WORK VERSION PREV_VERSION PREV_SHA KEY BIG_MIB``
(``-`` for none). Prints ``ready`` just before publishing and ``done`` after.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

from compiler.package import PreviousRelease, publish_release
from tests.package.conftest import build_spec


def big_file(work: Path, mib: int) -> Path:
    """A deterministic, incompressible-looking file of ``mib`` MiB (made once per folder)."""
    path = work / f"big-{mib}.bin"
    if not path.exists():
        block = b"".join(i.to_bytes(4, "little") for i in range(1 << 18))
        with path.open("wb") as stream:
            for n in range(mib):
                stream.write(bytes([n % 251]) + block[1:])
    return path


def spec_for(work: Path, version: str, previous: PreviousRelease | None, big_mib: int):  # type: ignore[no-untyped-def]
    """The release the crash tests publish: the small bag plus an optional large document."""
    spec = build_spec(work, version, previous, text=f"Release {version}.")
    if big_mib:
        payload = {**spec.payload, "data/documents/big.pdf": big_file(work, big_mib)}
        spec = replace(spec, payload=payload)
    return spec


def main(argv: list[str]) -> None:
    out, work, version, prev_version, prev_sha, key, big = argv
    previous = PreviousRelease(prev_version, prev_sha) if prev_version != "-" else None
    spec = spec_for(Path(work), version, previous, int(big))
    print("ready", flush=True)
    publish_release(Path(out), spec, None if key == "-" else Path(key))
    print("done", flush=True)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
