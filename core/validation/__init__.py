"""Validation of generated records: format, argument schema, semantic realism, groundedness, and the run report."""
from core.validation.findings import Finding
from core.validation.groundedness import GroundednessResult
from core.validation.record_validator import ValidationResult, validate_record
from core.validation.report import ValidationReport

__all__ = ["Finding", "GroundednessResult", "ValidationReport", "ValidationResult", "validate_record"]
