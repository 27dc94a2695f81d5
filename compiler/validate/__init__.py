"""Validation: schemas, rules, file masters, the release rule and print preflight.

Public surface::

    validate_source(source, config, effective_date=None, store=None, segments=None)
        -> ValidationResult(model, report, decision, effective_date)
    validate_export(reader, config, effective_date=None, segments=None, listing=None)
    validate_snapshot(snapshot, config, effective_date=None, exstream=None)
    decide_release(model, config, effective_date, exstream=None, extra_exclusions=None)
        -> ReleaseDecision (.released, .excluded, .diagnostics, .exclusions(model))
    Exclusion(reason, message, needs, needed_by), ReleaseDecision(released, excluded,
        diagnostics)
    check_file_masters(reader, config) -> list[Diagnostic]   # snapshot `checks` hook
    print_preflight(model, config, released) -> list[Diagnostic]
    codes.CODES / codes.REASONS: every code and exclusion reason, documented
"""

from compiler.validate.masters import check_file_masters
from compiler.validate.preflight import print_preflight
from compiler.validate.release import Exclusion, ReleaseDecision, decide_release
from compiler.validate.run import (
    ValidationResult,
    export_date,
    validate_export,
    validate_snapshot,
    validate_source,
)

__all__ = ["Exclusion", "ReleaseDecision", "ValidationResult", "check_file_masters",
           "decide_release", "export_date", "print_preflight", "validate_export",
           "validate_snapshot", "validate_source"]
