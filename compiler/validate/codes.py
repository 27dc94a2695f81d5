"""The stable diagnostic codes of validation, with what each means and what to do.

``CODES`` is the documentation table (code -> (meaning, what to do)) and ``REASONS``
that of the release rule's exclusion reasons; docs/diagnostics.md is generated from
them by :mod:`compiler.codes`, and tests/test_codes.py keeps the two in step. The
constants are what the code uses, so a typo is a NameError rather than a silently new
code. Codes raised by the model loader (``compiler.model``) are listed too,
since `cpc validate` reports them.
"""

from __future__ import annotations

# --- reading (compiler.model, reported by validate) --------------------------------
JSON_SYNTAX = "E-JSON-SYNTAX"
JSON_ENCODING = "E-JSON-ENCODING"
JSON_DUPLICATE_KEY = "E-JSON-DUPLICATE-KEY"
XML_DOCTYPE = "E-XML-DOCTYPE"
XML_SYNTAX = "E-XML-SYNTAX"
MODULE_FORM = "E-MODULE-FORM"
MODULE_MISSING = "E-MODULE-MISSING"
MODULE_SHAPE = "E-MODULE-SHAPE"
OBJECT_SHAPE = "E-OBJECT-SHAPE"
OBJECT_KEYS = "E-OBJECT-KEYS"
FIELD_SHAPE = "E-FIELD-SHAPE"
DIMENSION_UNKNOWN = "E-DIMENSION-UNKNOWN"
CHANNEL_UNKNOWN = "E-CHANNEL-UNKNOWN"
VALUE_TYPE = "E-VALUE-TYPE"
ID_DUPLICATE = "E-ID-DUPLICATE"

# --- source and header --------------------------------------------------------------
HEADER_SCHEMA = "E-HEADER-SCHEMA"
MODULE_UNKNOWN = "W-MODULE-UNKNOWN"

# --- schemas ------------------------------------------------------------------------
SCHEMA = "E-SCHEMA"
XSD = "E-XSD"
TOTAL_COUNT = "W-TOTAL-COUNT"
MODULE_MISMATCH = "E-MODULE-MISMATCH"

# --- rules --------------------------------------------------------------------------
LOCALE_UNKNOWN = "E-LOCALE-UNKNOWN"
RELEASE_LOCALE = "E-RELEASE-LOCALE"
FIELD_MISSING = "E-FIELD-MISSING"
VALUE_ENUM = "E-VALUE-ENUM"
REF_UNRESOLVED = "E-REF-UNRESOLVED"
REF_KIND = "E-REF-KIND"
REF_BLOCK_TYPE = "E-REF-BLOCK-TYPE"
KIT_CYCLE = "E-KIT-CYCLE"
KEY_MISSING = "E-KEY-MISSING"
KEY_FORMAT = "E-KEY-FORMAT"
KEY_DUPLICATE = "E-KEY-DUPLICATE"
APPROVAL_INCOMPLETE = "E-APPROVAL-INCOMPLETE"
APPROVAL_FIELD_ABSENT = "E-APPROVAL-FIELD-ABSENT"
VALIDITY_WINDOW = "E-VALIDITY-WINDOW"
SEGMENT_UNKNOWN = "E-SEGMENT-UNKNOWN"

# --- file masters -------------------------------------------------------------------
MASTER_MISSING = "E-MASTER-MISSING"
MASTER_SHA256 = "E-MASTER-SHA256"
MASTER_SIZE = "E-MASTER-SIZE"
MASTER_MIME = "E-MASTER-MIME"
MASTER_DIMENSIONS = "E-MASTER-DIMENSIONS"
MASTER_UNREADABLE = "E-MASTER-UNREADABLE"
MASTER_PIXELS = "E-MASTER-PIXELS"
MASTER_STRAY = "W-MASTER-STRAY"

# --- release ------------------------------------------------------------------------
NEEDS_EXCLUDED = "E-NEEDS-EXCLUDED"
RELEASE_EMPTY = "E-RELEASE-EMPTY"
DEPENDANT_EXCLUDED = "W-DEPENDANT-EXCLUDED"
PRINT_RESOLUTION_LOW = "W-PRINT-RESOLUTION"
IMAGE_NOT_RASTER = "W-IMAGE-NOT-RASTER"
PRINT_RESOLUTION_ERROR = "E-PRINT-RESOLUTION"

CODES: dict[str, tuple[str, str]] = {
    JSON_SYNTAX: ("malformed JSON; line and column are given",
                  "fix the file at that position (often a missing comma or quote) and "
                  "export again"),
    JSON_ENCODING: ("a JSON file is not UTF-8; the byte offset of the first bad byte is given",
                    "export the file as UTF-8"),
    JSON_DUPLICATE_KEY: ("the same key twice in one JSON object (the pointer names the object)",
                         "keep one of them; JSON readers disagree on which one wins"),
    XML_DOCTYPE: ("an XML module has a DOCTYPE or entity declarations; refused, nothing "
                  "is fetched or expanded", "export the XML without a DOCTYPE"),
    XML_SYNTAX: ("malformed XML; line and column are given", "fix the XML and export again"),
    MODULE_FORM: ("export.json names a module file that is neither .json nor .xml",
                  "name `modules/<module>.json` or `modules/<module>.xml`"),
    MODULE_MISSING: ("export.json names a module file that is not in the export",
                     "add the file or remove the module from export.json"),
    MODULE_SHAPE: ("a module file is not {\"result\": [...]} (JSON) or `<objects>` (XML)",
                   "export the module through the 4ALLPORTAL objects API"),
    OBJECT_SHAPE: ("an entry of 'result' is not a JSON object", "fix the export"),
    OBJECT_KEYS: ("an object lacks id, module, type, mod_time or version",
                  "export the object with its identity and revision"),
    FIELD_SHAPE: ("a field is not a list of {value, dimensions} entries",
                  "export the field in the 4ALLPORTAL entry form"),
    DIMENSION_UNKNOWN: ("an entry has a dimension other than locale and channel",
                        "remove it; cpc knows only locale and channel"),
    CHANNEL_UNKNOWN: ("an entry's channel is not print, email, web or mobile",
                      "use one of the four channels"),
    VALUE_TYPE: ("a value does not fit its field's type (text, integer, date YYYY-MM-DD that "
                 "exists in the calendar, GUID, ...)", "correct the value in 4ALLPORTAL"),
    ID_DUPLICATE: ("two objects share one id", "ids must be unique across the export"),
    HEADER_SCHEMA: ("export.json does not match schemas/export.schema.json (pointer given)",
                    "fix the header key named"),
    MODULE_UNKNOWN: ("a module that no [modules] entry maps to a kind; it is checked for "
                     "shape only", "map it in cpc.toml [modules] if cpc should use it"),
    SCHEMA: ("an object does not match its module's JSON Schema (pointer and field given)",
             "fix the value or field shape named"),
    XSD: ("an XML module does not match schemas/module.xsd (line given)",
          "fix the element or attribute named"),
    TOTAL_COUNT: ("total_count differs from the number of objects in 'result'",
                  "export the module again; it may be truncated"),
    MODULE_MISMATCH: ("an object's 'module' differs from the module file it is in",
                      "export the module again"),
    LOCALE_UNKNOWN: ("an entry's locale is not one of export.json 'locales'",
                     "add the locale to the export or fix the entry"),
    RELEASE_LOCALE: ("[release] locales names a locale the export does not have",
                     "export that locale or remove it from cpc.toml"),
    FIELD_MISSING: ("a field cpc needs is absent (e.g. a file's file_name or mime_type, a "
                    "text block's block_type)", "fill the field in 4ALLPORTAL"),
    VALUE_ENUM: ("a value outside its field's allowed set (asset_role, block_type, "
                 "body_format, triggers)", "use one of the values listed in the message"),
    REF_UNRESOLVED: ("a relation points at an id that is not in the export",
                     "export the target too or remove the reference"),
    REF_KIND: ("a relation points at an object of the wrong kind (e.g. a product image that "
               "is a text block)", "point the relation at an object of the kind named"),
    REF_BLOCK_TYPE: ("a fee_table points at a text block whose block_type is not fee_table",
                     "point it at a fee table block or fix the block's type"),
    KIT_CYCLE: ("onboarding kits include each other in a cycle (product A's kit includes "
                "B, whose kit includes A)", "break the cycle by removing one inclusion"),
    KEY_MISSING: ("a text block or offer has no key, or a product no sku",
                  "give it a stable key; Exstream templates use it"),
    KEY_FORMAT: ("a key is not letters, digits, '.', '_' or '-' (at most 100, starting with a "
                 "letter or digit)", "rename the key"),
    KEY_DUPLICATE: ("two objects share one key (keys are unique across the export)",
                    "rename one of them"),
    APPROVAL_FIELD_ABSENT: ("no object of the export has the field that [governance] "
                            "approval_status, approved_by or approved_at names (no file "
                            "has the rights_status field): nothing could be released or no "
                            "approval complete; a mapping typo, or an export without them",
                            "name the export's field in cpc.toml [governance], or export "
                            "the governance fields"),
    APPROVAL_INCOMPLETE: ("an approved object lacks approved_by or approved_at",
                          "approve it again in 4ALLPORTAL so both are recorded"),
    VALIDITY_WINDOW: ("valid_from is after valid_until", "fix the validity window"),
    SEGMENT_UNKNOWN: ("a segment key that the Exstream segments.json does not define",
                      "use a segment Exstream knows, or add it there"),
    MASTER_MISSING: ("a file object has no master at `files/<id>/<file_name>`",
                     "export the master file"),
    MASTER_SHA256: ("the master's sha256 differs from the object's sha256 field",
                    "export again; the file or its metadata is stale or corrupt"),
    MASTER_SIZE: ("the master's size in bytes differs from the object's size field",
                  "export again; the file or its metadata is stale"),
    MASTER_MIME: ("the master's content (magic bytes) is not the declared mime_type",
                  "fix mime_type or upload the right file"),
    MASTER_DIMENSIONS: ("width/height differ from the image as shown (after EXIF "
                        "orientation)", "fix width and height in 4ALLPORTAL"),
    MASTER_UNREADABLE: ("an image master whose header cannot be read",
                        "upload a valid image"),
    MASTER_PIXELS: ("an image larger than limits.max_pixels (checked from its header)",
                    "upload a smaller master or raise limits.max_pixels"),
    MASTER_STRAY: ("a file under files/ that belongs to no file object, or is not its master",
                   "remove it from the export"),
    RELEASE_EMPTY: ("`cpc build`: every object of the export is excluded, so the release "
                    "would be empty",
                    "read the exclusions listed: approve, renew or fix the content, or check "
                    "--effective-date and the [governance] mapping"),
    NEEDS_EXCLUDED: ("a released object needs an excluded one (a product whose disclaimer is "
                     "a draft, an offer whose banner's rights expired)",
                     "approve/clear/renew the needed object, remove the reference, or set "
                     "release.dependants = \"exclude\""),
    DEPENDANT_EXCLUDED: ("with release.dependants = \"exclude\": an object was left out "
                         "because something it needs is excluded", "see the needed object"),
    IMAGE_NOT_RASTER: ("a product image or offer banner is no raster image (SVG, PDF, …): "
                       "it is passed through to documents/ without renditions",
                       "upload a JPEG, PNG, TIFF or WebP master, or keep the file as a "
                       "document (onboarding) instead of an image"),
    PRINT_RESOLUTION_LOW: ("a product or offer image is smaller than the print preset's "
                           "placed size (renditions.print long_edge)",
                           "upload a larger master for print"),
    PRINT_RESOLUTION_ERROR: ("a product or offer image's effective print dpi is below "
                             "renditions.print_min_dpi", "upload a larger master for print"),
}

# Exclusion reasons of the release rule (not diagnostics: recorded in the release).
REASONS: dict[str, tuple[str, str]] = {
    "not_approved": ("approval status is not one of governance.approved_values",
                     "approve the object in 4ALLPORTAL if it should go out"),
    "expired": ("valid_until is before the effective date",
                "extend valid_until in 4ALLPORTAL if it should still go out"),
    "not_yet_valid": ("valid_from is after the effective date",
                      "nothing (it goes out from valid_from on); or build with a later "
                      "--effective-date"),
    "rights_not_cleared": ("a file's rights_status is not cleared, or its rights_valid_until "
                           "is before the effective date",
                           "clear or renew the file's rights in 4ALLPORTAL"),
    "missing_locale": ("a localised field lacks a value for a locale the release requires, "
                       "or a required one (a product's name, a block's body, an offer's "
                       "headline) is empty there",
                       "add the translation, or remove the locale from [release] locales"),
    "invalid": ("the object could not be used (e.g. its rich text failed conversion)",
                "fix the error reported with it (its code is given in the exclusion)"),
    "dependency_excluded": ("with release.dependants = \"exclude\": it needs an excluded "
                            "object", "see why the needed object is excluded"),
}
