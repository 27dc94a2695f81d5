"""The stable diagnostic codes of the snapshot stage, with what each means and what to do.

``CODES`` is the documentation table (code -> (meaning, what to do)) behind
docs/diagnostics.md; the constants are what the code uses, so a typo is a NameError
rather than a silently new code.
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

CODES: dict[str, tuple[str, str]] = {
    ZIP_SLIP: ("an entry name contains '..' (would escape the export)",
               "re-create the export with the 4ALLPORTAL connector; never import such a zip"),
    ABSOLUTE_PATH: ("an entry name is absolute ('/x' or 'C:x')",
                    "zip the export folder's content with relative names"),
    BACKSLASH: ("an entry name contains a backslash",
                "re-create the zip with a standard tool (entries use '/')"),
    BAD_PATH: ("an entry name has an empty or '.' segment or a control character",
               "rename the entry, or re-create the zip with a standard tool"),
    SYMLINK: ("a symbolic link (zip entry with S_IFLNK mode, or a link in the folder)",
              "replace the link by the file itself; links are never followed"),
    SPECIAL_FILE: ("a device file, FIFO or socket",
                   "remove it; an export holds only regular files and folders"),
    DUPLICATE: ("the same entry name twice",
                "re-create the zip so each path is in it once"),
    CASE_COLLISION: ("two entry names differing only in case or Unicode normalisation",
                     "rename one; they would overwrite each other on Windows and macOS"),
    TOO_MANY_ENTRIES: ("more entries (files and folders) than limits.max_entries",
                       "check the export; raise limits.max_entries in cpc.toml if it is "
                       "genuine"),
    TOO_LARGE: ("more uncompressed bytes than limits.max_total_bytes",
                "check the export; raise limits.max_total_bytes in cpc.toml if it is "
                "genuine"),
    COMPRESSION_RATIO: ("a zip entry expands more than limits.max_compression_ratio "
                        "(refused as a zip bomb)",
                        "check the entry; raise limits.max_compression_ratio if it is "
                        "genuine"),
    ZIP_ENCRYPTED: ("an encrypted zip entry",
                    "export again without a password; cpc reads unencrypted exports only"),
    ZIP_CORRUPT: ("the zip (or one entry: CRC, truncation, method) cannot be read",
                  "copy or download the export again"),
    UNREADABLE: ("a file of the export could not be read",
                 "check the file's permissions and the disk, then run again"),
    HEADER_MISSING: ("export.json is missing",
                     "give the export's root folder or zip (export.json at its top)"),
    HEADER_JSON: ("export.json is not valid UTF-8 JSON (line and column given)",
                  "export again; fix the JSON at that position if it was edited"),
    HEADER_KEY: ("export.json lacks a required key (format, exported_at, locales, modules)",
                 "export again with the 4ALLPORTAL connector"),
    HEADER_TYPE: ("a header key has the wrong type",
                  "export again; the message says what the key must be"),
    FORMAT: ("export.json 'format' is not a known 4allportal-export major version",
             "export with the version-1 connector, or upgrade cpc"),
    MODULE_PATH: ("a module file named in export.json is not `modules/<module>.json|xml`",
                  "name module files `modules/<module>.json` or `.xml` in export.json"),
    MODULE_MISSING: ("a module file named in export.json is not in the export",
                     "add the module file or remove the module from export.json"),
    MODULE_TWO_FORMS: ("a module is present both as .json and .xml",
                       "export each module in one form only"),
    CORRUPT_OBJECT: ("a store object no longer matches its sha256 (read back), or is gone",
                     "the snapshot store is damaged: delete the object named (objects are "
                     "never overwritten) and take the snapshot again from the export"),
    CORRUPT_MANIFEST: ("a snapshot manifest no longer matches its id",
                       "the snapshot store is damaged: take the snapshot again from the "
                       "export"),
    NOT_READ: ("a file outside the export layout; not read, not stored",
               "nothing; remove it from the export to silence the warning"),
    MODULE_UNNAMED: ("a module file not named in export.json; stored, not loaded",
                     "name it in export.json 'modules' if it should be used, else remove it"),
}
