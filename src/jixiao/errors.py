"""Errors a document can raise, each with a class name recorded in the warehouse."""

from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot become facts; ``error_class`` lands in source_status."""

    error_class = "document_error"


class NotAPdf(DocumentError):
    error_class = "not_a_pdf"


class EncryptedPdf(DocumentError):
    error_class = "encrypted_pdf"


class DamagedPdf(DocumentError):
    error_class = "damaged_pdf"


class NotASelfEvaluation(DocumentError):
    error_class = "not_a_self_evaluation_report"


class ScannedNotParsed(DocumentError):
    error_class = "scanned_not_parsed"


class ExtractionFailed(DocumentError):
    error_class = "extraction_failed"


class WorkerDied(DocumentError):
    error_class = "worker_died"


class WorkerTimeout(DocumentError):
    error_class = "worker_timeout"


class FetchError(Exception):
    """A source whose bytes could not be had."""

    error_class = "fetch_error"


class ChecksumMismatch(FetchError):
    error_class = "checksum_mismatch"


class SourceMissing(FetchError):
    error_class = "source_missing"
