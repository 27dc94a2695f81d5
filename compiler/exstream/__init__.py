"""Both directions between Exstream and 4ALLPORTAL.

Into the package: Exstream's segments and template usage (:func:`load_exstream_data`),
offers resolved per segment × trigger (:func:`write_offers`), the product catalog with
per-segment excerpts (:func:`write_catalog`) and onboarding kits (:func:`write_kits`).
Back to 4ALLPORTAL: review findings as a CSV import (:func:`feedback_import`).
"""

from compiler.exstream.catalog import write_catalog
from compiler.exstream.data import load_exstream_data
from compiler.exstream.feedback import FeedbackSettings, check_findings, import_csv
from compiler.exstream.findings import Finding, read_findings
from compiler.exstream.kits import check_kits, write_kits
from compiler.exstream.offers import TRIGGERS, OfferSettings, Placement, resolve_offers
from compiler.exstream.offers_xml import write_offers
from compiler.exstream.package_items import PackageItem, package_items

__all__ = ["TRIGGERS", "FeedbackSettings", "Finding", "OfferSettings", "PackageItem",
           "Placement", "check_findings", "check_kits", "import_csv", "load_exstream_data",
           "package_items", "read_findings", "resolve_offers", "write_catalog", "write_kits",
           "write_offers"]
