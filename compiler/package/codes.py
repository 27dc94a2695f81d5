"""The stable diagnostic codes of packaging and verification, with what each means and
what to do.

``PACKAGE_CODES`` are printed by `cpc build` when it writes the archive (nothing is
written, or the half-written archive is removed); ``VERIFY_CODES`` by `cpc verify`,
each naming the file of the package at fault. Both are documentation tables
(code -> (meaning, what to do)) behind docs/diagnostics.md; the codes are written where
they arise (bag.py, release.py, consistency.py; zipscan.py, bag_checks.py, verify.py,
ledger.py).
"""

from __future__ import annotations

PACKAGE_CODES: dict[str, tuple[str, str]] = {
    "E-PACKAGE-PATH": (
        "the bag cannot be written with these names: the release name or version is not "
        "`[A-Za-z0-9][A-Za-z0-9._-]*`, the payload is empty, or a path is unsafe (not NFC, "
        "a backslash, '.' or '..', characters outside `[A-Za-z0-9._-]`) or equals another "
        "without regard to case, or a tag file takes a name cpc reserves",
        "fix [release] name in cpc.toml or --version; a path made from an object's key: "
        "rename the key in 4ALLPORTAL so keys differ in more than case"),
    "E-PACKAGE-INDEX": (
        "the data/index.xml cpc built does not validate against schemas/index.xsd, or "
        "names a file that is not in the payload with the sha256 and size it claims; "
        "nothing was written",
        "a cpc bug: report it to the cpc developers with the build output"),
    "E-PACKAGE-LOCKED": (
        "another cpc build is writing a release into the same releases folder",
        "wait for it to finish, then build again"),
    "E-PACKAGE-RECOVERY": (
        "a release interrupted earlier (a crash, a killed process) cannot be completed: "
        "its archive and the archive's temp file are both gone",
        "check the releases folder against ledger.jsonl, then remove .cpc-pending.json "
        "and build again"),
    "E-PACKAGE-LEDGER": (
        "the releases folder's ledger.jsonl is broken (its problems are listed with it, "
        "as E-VERIFY-LEDGER); no release is added to a broken chain",
        "run `cpc verify --ledger` on the latest archive; restore ledger.jsonl from a "
        "backup, never edit it by hand"),
    "E-PACKAGE-PREVIOUS": (
        "the release names a previous release other than the one the folder's ledger "
        "now ends with: the folder changed while the build ran",
        "build again"),
    "E-PACKAGE-VERSION-EXISTS": (
        "this version already exists (archive or ledger record) with different content; "
        "a released version is immutable (both sha256s are given)",
        "choose a new --version, or leave it out for the next calendar version"),
    "E-PACKAGE-CHANGED": (
        "a file changed between being hashed and being written into the archive; the "
        "archive was removed",
        "make sure nothing else writes into the build folder (cache, snapshots), then "
        "build again"),
}

VERIFY_CODES: dict[str, tuple[str, str]] = {
    "E-VERIFY-ARCHIVE-SHA256": (
        "`<archive>.sha256` is missing, is not a sha256sum line, names another file, or "
        "differs from the archive's sha256",
        "the archive or its checksum was altered or mixed up: take both from the releases "
        "folder again; do not import"),
    "E-VERIFY-ZIP": (
        "the archive is not a readable zip, or an entry is broken: encrypted, compressed "
        "with a method other than stored/deflated, truncated, a CRC or size mismatch, a "
        "local header that disagrees with the central directory, overlapping entries or "
        "bytes that belong to no entry",
        "the archive is damaged or was tampered with: copy it again from the releases "
        "folder; do not import"),
    "E-VERIFY-UNSAFE-PATH": (
        "the archive does not hold exactly one top folder named like the archive, or an "
        "entry's path is unsafe (absolute, '..', a backslash, not NFC, characters outside "
        "`[A-Za-z0-9._-]`)",
        "not a package cpc wrote, or one altered since: do not import"),
    "E-VERIFY-SYMLINK": (
        "an entry is a symbolic link, or neither a regular file nor a folder",
        "do not import; cpc never writes links"),
    "E-VERIFY-DUPLICATE": (
        "two entries with the same name, or the same without regard to case",
        "do not import; cpc never writes such names"),
    "E-VERIFY-BAGIT-TXT": (
        "bagit.txt is missing or is not exactly 'BagIt-Version: 1.0' and "
        "'Tag-File-Character-Encoding: UTF-8'",
        "the package was altered: take it again from the releases folder"),
    "E-VERIFY-BAG-INFO": (
        "bag-info.txt is missing, not UTF-8, has a line that is not 'Label: value', lacks "
        "or repeats a required field, or its fields disagree (identifier, top folder, "
        "dates, previous version and sha256, Bag-Software-Agent)",
        "the package was altered: take it again from the releases folder"),
    "E-VERIFY-PAYLOAD-OXUM": (
        "Payload-Oxum in bag-info.txt is not `<octets>.<files>` or does not match the "
        "payload",
        "files under data/ were added, removed or changed: take the package again"),
    "E-VERIFY-MISSING": (
        "manifest-sha256.txt or tagmanifest-sha256.txt is missing, or lists a file that "
        "is not in the package",
        "the package is incomplete: take it again from the releases folder"),
    "E-VERIFY-MANIFEST": (
        "a manifest line is not `<sha256>  <path>`, a path is listed twice or in the "
        "wrong manifest, or a manifest other than sha256 is present",
        "the package was altered: take it again from the releases folder"),
    "E-VERIFY-CHECKSUM": (
        "a file's sha256 differs from its manifest entry",
        "the file was changed after release: take the package again; do not import"),
    "E-VERIFY-UNLISTED": (
        "a file in the package is not listed in its manifest",
        "a file was added after release: take the package again; do not import"),
    "E-VERIFY-INDEX-SCHEMA": (
        "data/index.xml is missing or does not validate against schemas/index.xsd "
        "(line given)",
        "take the package again; if a fresh copy fails too, verify it with the cpc "
        "version that built it (Bag-Software-Agent in bag-info.txt) and report it"),
    "E-VERIFY-INDEX-PATH": (
        "a file that data/index.xml names is not in the package, or has another sha256 "
        "or size than index.xml claims",
        "take the package again; do not import a package whose index points at missing "
        "files"),
    "E-VERIFY-AUDIT-SCHEMA": (
        "audit/audit-manifest.json is missing or does not validate against "
        "schemas/audit-manifest.schema.json (pointer given)",
        "take the package again; if a fresh copy fails too, report it with the cpc "
        "version that built it"),
    "E-VERIFY-SIGNATURE": (
        "with --public-key: `<archive>.sig` is missing, or the Ed25519 signature does not "
        "match the archive and that key",
        "check that the right public key was given; otherwise the archive or signature "
        "was altered: do not import"),
    "E-VERIFY-LEDGER": (
        "ledger.jsonl is truncated or has a bad line, its hash chain is broken, or a "
        "version is recorded twice (`cpc verify --ledger`, and `cpc build` before adding "
        "a release); with --ledger also: it is missing, or does not record this archive "
        "with its sha256 and previous archive",
        "restore ledger.jsonl from a backup (never edit it by hand); a missing record: "
        "the archive did not come from this releases folder"),
}
