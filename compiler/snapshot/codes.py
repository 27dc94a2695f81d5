"""The stable diagnostic codes of the snapshot stage, with what each means.

``CODES`` is the documentation table (code -> meaning); the constants are what the
code uses, so a typo is a NameError rather than a silently new code.
"""

from __future__ import annotations

ZIP_SLIP = "E-SNAPSHOT-ZIP-SLIP"
ABSOLUTE_PATH = "E-SNAPSHOT-ABSOLUTE-PATH"
BACKSLASH = "E-SNAPSHOT-BACKSLASH"
BAD_PATH = "E-SNAPSHOT-BAD-PATH"
SYMLINK = "E-SNAPSHOT-SYMLINK"
SPECIAL_FILE = "E-SNAPSHOT-SPECIAL-FILE"
DUPLICATE = "E-SNAPSHOT-DUPLICATE"
CASE_COLLISION = "E-SNAPSHOT-CASE-COLLISION"
TOO_MANY_ENTRIES = "E-SNAPSHOT-TOO-MANY-ENTRIES"
TOO_LARGE = "E-SNAPSHOT-TOO-LARGE"
COMPRESSION_RATIO = "E-SNAPSHOT-COMPRESSION-RATIO"
ZIP_ENCRYPTED = "E-SNAPSHOT-ZIP-ENCRYPTED"
ZIP_CORRUPT = "E-SNAPSHOT-ZIP-CORRUPT"
UNREADABLE = "E-SNAPSHOT-UNREADABLE"
HEADER_MISSING = "E-SNAPSHOT-HEADER-MISSING"
HEADER_JSON = "E-SNAPSHOT-HEADER-JSON"
HEADER_KEY = "E-SNAPSHOT-HEADER-KEY"
HEADER_TYPE = "E-SNAPSHOT-HEADER-TYPE"
FORMAT = "E-SNAPSHOT-FORMAT"
MODULE_PATH = "E-SNAPSHOT-MODULE-PATH"
MODULE_MISSING = "E-SNAPSHOT-MODULE-MISSING"
MODULE_TWO_FORMS = "E-SNAPSHOT-MODULE-TWO-FORMS"
CORRUPT_OBJECT = "E-SNAPSHOT-CORRUPT-OBJECT"
CORRUPT_MANIFEST = "E-SNAPSHOT-CORRUPT-MANIFEST"
NOT_READ = "W-SNAPSHOT-NOT-READ"
MODULE_UNNAMED = "W-SNAPSHOT-MODULE-UNNAMED"

CODES: dict[str, str] = {
    ZIP_SLIP: "an entry name contains '..' (would escape the export)",
    ABSOLUTE_PATH: "an entry name is absolute ('/x' or 'C:x')",
    BACKSLASH: "an entry name contains a backslash",
    BAD_PATH: "an entry name has an empty or '.' segment or a control character",
    SYMLINK: "a symbolic link (zip entry with S_IFLNK mode, or a link in the folder)",
    SPECIAL_FILE: "a device file, FIFO or socket",
    DUPLICATE: "the same entry name twice",
    CASE_COLLISION: "two entry names differing only in case or Unicode normalisation",
    TOO_MANY_ENTRIES: "more entries (files and folders) than limits.max_entries",
    TOO_LARGE: "more uncompressed bytes than limits.max_total_bytes",
    COMPRESSION_RATIO: "a zip entry expands more than limits.max_compression_ratio",
    ZIP_ENCRYPTED: "an encrypted zip entry",
    ZIP_CORRUPT: "the zip (or one entry: CRC, truncation, method) cannot be read",
    UNREADABLE: "a file of the export could not be read",
    HEADER_MISSING: "export.json is missing",
    HEADER_JSON: "export.json is not valid UTF-8 JSON (line and column given)",
    HEADER_KEY: "export.json lacks a required key (format, exported_at, locales, modules)",
    HEADER_TYPE: "a header key has the wrong type",
    FORMAT: "export.json 'format' is not a known 4allportal-export major version",
    MODULE_PATH: "a module file named in export.json is not modules/<module>.json|xml",
    MODULE_MISSING: "a module file named in export.json is not in the export",
    MODULE_TWO_FORMS: "a module is present both as .json and .xml",
    CORRUPT_OBJECT: "a store object no longer matches its sha256 (read back)",
    CORRUPT_MANIFEST: "a snapshot manifest no longer matches its id",
    NOT_READ: "a file outside the export layout; not read, not stored",
    MODULE_UNNAMED: "a module file not named in export.json; stored, not loaded",
}
