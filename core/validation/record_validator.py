"""One record in, one verdict out: the four checks run together over a single parse."""
from __future__ import annotations

from dataclasses import dataclass

from core.validation.chat_format_validator import check_format
from core.validation.conversation import parse_conversation
from core.validation.findings import CHECKS, Finding, failure, finding
from core.validation.frozen import filled
from core.validation.groundedness import DEFAULT_THRESHOLD, GroundednessResult, check_groundedness
from core.validation.schema_validator import check_schema
from core.validation.semantic_validator import check_semantics

_LISTED_CLAIMS = 5


@dataclass(frozen=True)
class ValidationResult:
    findings: list[Finding]
    checks: dict[str, str]           # check -> "pass" | "fail"
    groundedness: GroundednessResult | None

    @property
    def passed(self) -> bool:
        return all(verdict == "pass" for verdict in self.checks.values())

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.passed]

    @property
    def reasons(self) -> list[str]:
        return [f"{finding.check}: {finding.reason}" for finding in self.failures]

    def to_metadata(self) -> dict:
        """The `metadata.validation` block of a record (DESIGN.md §2)."""
        score = None if self.groundedness is None else round(self.groundedness.score, 4)
        return {"passed": self.passed, "groundedness": score, "checks": dict(self.checks)}

    def to_dict(self) -> dict:
        return {**self.to_metadata(), "findings": [finding.to_dict() for finding in self.findings],
                "groundedness_detail": None if self.groundedness is None else self.groundedness.to_dict()}


def validate_record(record: object, *, groundedness_threshold: float = DEFAULT_THRESHOLD) -> ValidationResult:
    """Run every check on one record; never raises on malformed input (that is a finding)."""
    format_findings = check_format(record)
    if not isinstance(record, dict) or not isinstance(record.get("messages"), list) or not record["messages"]:
        skipped = [failure(check, "not_checked", "not checked: the record is not a conversation (see format)")
                   for check in CHECKS[1:]]
        return _result(format_findings + skipped, None)
    conversation = parse_conversation(record)
    groundedness = check_groundedness(conversation, threshold=groundedness_threshold)
    findings = (format_findings + check_schema(record, conversation)
                + check_semantics(conversation, groundedness) + _groundedness_findings(groundedness))
    return _result(findings, groundedness)


def _groundedness_findings(result: GroundednessResult) -> list[Finding]:
    if result.passed:
        return []
    unsupported = result.unsupported
    listed = "; ".join(f"{claim.text!r} in message {claim.message_index} (nearest: {claim.nearest})"
                       for claim in unsupported[:_LISTED_CLAIMS])
    more = f"; … {len(unsupported) - _LISTED_CLAIMS} more" if len(unsupported) > _LISTED_CLAIMS else ""
    return [failure("groundedness", "ungrounded_claims",
                    f"groundedness {result.score:.0%} is below {result.threshold:.0%}: "
                    f"{len(unsupported)} of {len(result.claims)} claims unsupported: {listed}{more}",
                    unsupported[0].message_index)]


def _result(findings: list[Finding], groundedness: GroundednessResult | None) -> ValidationResult:
    failed = {finding.check for finding in findings if not finding.passed} if findings else ()
    checks, passes = {}, []
    for check in CHECKS:
        if check in failed:
            checks[check] = "fail"
        else:
            checks[check] = "pass"
            passes.append(_PASSES.get(check) or finding(check, True, _grounded_reason(groundedness)))
    return filled(ValidationResult, {"findings": findings + passes, "checks": checks, "groundedness": groundedness})


def _grounded_reason(result: GroundednessResult | None) -> str:
    if result is None:
        return "no claims to check"
    coverage = "n/a" if result.coverage is None else f"{result.coverage:.0%}"
    return (f"{result.supported_count}/{result.claim_count} claims supported "
            f"({result.score:.0%}); coverage of key tool values {coverage}")


# The pass verdicts that never vary, built once (a Finding is immutable); groundedness words its own.
_PASSES = {check: Finding(check, True, reason) for check, reason in (
    ("format", "well-formed tool conversation"),
    ("schema", "every call's arguments match its tool schema"),
    ("semantic", "tool outputs realistic, calls fit the request, scenario coherent"),
)}
