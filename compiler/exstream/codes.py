"""The stable diagnostic codes of the Exstream side, with what each means and what to do.

Three documentation tables (code -> (meaning, what to do)) behind docs/diagnostics.md;
the codes are written where they arise:

- ``DATA_CODES``: reading the Exstream data folder of `cpc build --exstream-data`
  (data.py); any problem stops the build before it starts.
- ``OFFER_CODES``: offers and onboarding kits of a release (offers.py, kits.py), found
  by `cpc build` before it writes the package.
- ``FINDINGS_CODES``: the review findings file of `cpc feedback` (findings.py,
  feedback.py); any problem means no import file is written.
"""

from __future__ import annotations

DATA_CODES: dict[str, tuple[str, str]] = {
    "E-EXSTREAM-MISSING": (
        "segments.json or template-usage.json is missing from the Exstream data folder",
        "export both files from Exstream into the folder given to --exstream-data"),
    "E-EXSTREAM-TOO-LARGE": (
        "segments.json or template-usage.json is larger than 32 MiB; refused",
        "check that the folder holds the segment list and template usage, not another "
        "export"),
    "E-EXSTREAM-ENCODING": (
        "the file is not UTF-8 (the byte offset is given)",
        "save the file as UTF-8"),
    "E-EXSTREAM-JSON": (
        "the file is not valid JSON (line and column given)",
        "fix the JSON at that position"),
    "E-EXSTREAM-CONTENT": (
        "the JSON has the wrong shape (pointer given): segments.json must be a list of "
        "`{key, name, description}` with unique keys of letters, digits, '.', '_', '-'; "
        "template-usage.json a list of `{template, channel, uses}` (channel print, email, "
        "web or mobile, optional; uses a list of content keys)",
        "fix the entry named"),
}

OFFER_CODES: dict[str, tuple[str, str]] = {
    "E-OFFER-TRIGGER-UNKNOWN": (
        "an offer names a trigger other than policy_renewal, claim_completed, "
        "billing_milestone or policy_activated",
        "choose one of these triggers for the offer in 4ALLPORTAL"),
    "E-OFFER-SEGMENT-UNKNOWN": (
        "with Exstream data: an offer names a segment that segments.json does not define",
        "fix the offer's segment in 4ALLPORTAL, or have the segment added in Exstream"),
    "E-OFFER-FALLBACK-UNKNOWN": (
        "with Exstream data: offers.fallback names an offer that is not a released offer "
        "of this build (unknown key, or excluded)",
        "name a released offer in cpc.toml [offers] fallback, or set it to \"none\""),
    "W-OFFER-BANNER-EXCLUDED": (
        "a released offer is not placed: its banner does not go out (not approved, "
        "expired or rights not cleared)",
        "approve or renew the banner, or clear its rights, in 4ALLPORTAL; or give the "
        "offer another banner"),
    "W-OFFER-UNCOVERED": (
        "with Exstream data: segment × trigger pairs that no offer targets (listed); they "
        "get the fallback offer, or none when [offers] fallback is \"none\"",
        "campaign owners: add offers for those pairs, or set [offers] fallback"),
    "W-TEMPLATE-CONTENT-MISSING": (
        "with Exstream data: a template in template-usage.json pulls a content key that "
        "this release does not carry (excluded, with the reason, or not in the export)",
        "fix or approve the content in 4ALLPORTAL, or update the template's usage in "
        "Exstream"),
    "E-KIT-MEMBER-MISSING": (
        "a released product's onboarding kit (its images and onboarding relations) names "
        "an id that is not in the export",
        "export the member too, or remove it from the product"),
    "E-KIT-MEMBER-EXCLUDED": (
        "a member of a released product's onboarding kit is in the export but does not "
        "go out (the exclusion reason is given)",
        "approve, renew or clear the member in 4ALLPORTAL, or remove it from the product"),
}

FINDINGS_CODES: dict[str, tuple[str, str]] = {
    "E-FINDINGS-FORMAT": (
        "the findings file is neither .csv nor .json",
        "save the findings as CSV (';'-separated) or JSON"),
    "E-FINDINGS-TOO-LARGE": (
        "the findings file is larger than 16 MiB",
        "check that it is the findings file; split a genuine one"),
    "E-FINDINGS-ENCODING": (
        "the file is not UTF-8 (byte offset and line given)",
        "save the file as UTF-8"),
    "E-FINDINGS-EMPTY": (
        "the CSV file is empty or its first line is blank",
        "start the file with the header row "
        "`key;locale;channel;severity;comment;reported_by;reported_at`"),
    "E-FINDINGS-DELIMITER": (
        "the CSV header is separated by commas, tabs or pipes; findings files use ';'",
        "save the CSV with ';' as the delimiter"),
    "E-FINDINGS-COLUMNS": (
        "the CSV header lacks columns (named in the message)",
        "name all of `key;locale;channel;severity;comment;reported_by;reported_at`"),
    "E-FINDINGS-CSV": (
        "the CSV cannot be read from the line given on (a NUL byte, an unclosed quote, a "
        "field over the size limit)",
        "fix the quoting at that line"),
    "E-FINDINGS-ROW": (
        "a CSV row has more or fewer values than the header",
        "quote values that contain ';'"),
    "E-FINDINGS-VALUE": (
        "a finding's key, severity or comment is empty, its reported_at is not an ISO 8601 "
        "date or date-time, or a JSON value is not text",
        "fill the column named; write dates as 2026-12-02 or 2026-12-02T10:00:00Z; give "
        "values as JSON strings"),
    "E-FINDINGS-JSON": (
        "the JSON is invalid or nested too deeply, is not a list of findings (or "
        "`{\"findings\": [...]}`), or an entry is not an object",
        "fix the JSON at the line or pointer given"),
    "E-FINDING-KEY-UNKNOWN": (
        "a finding's key is not an item of the package",
        "check the key against the package's data/index.xml"),
    "E-FINDING-LOCALE-UNKNOWN": (
        "a finding's locale is not one the item is delivered in (its locales are listed)",
        "correct the locale, or leave it empty for every locale"),
    "E-FINDING-CHANNEL-UNKNOWN": (
        "a finding's channel is not one the item is delivered for (its channels are "
        "listed)",
        "correct the channel, or leave it empty for every channel"),
}
