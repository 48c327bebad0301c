"""Errors a document can raise, each with a class name recorded in the warehouse."""

from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot become facts; ``error_class`` lands in source_status."""

    error_class = "document_error"
    names_doc_type = False  # the message is "<doc_type>: <reason>" (dim_report.doc_type)


class NotAPdf(DocumentError):
    """Bytes in none of the formats jixiao reads (the class name dates from PDF-only times)."""

    error_class = "not_a_pdf"


class TruncatedPdf(DocumentError):
    error_class = "truncated_pdf"


class TooManyPages(DocumentError):
    error_class = "too_many_pages"


class UnreadableText(DocumentError):
    error_class = "unreadable_text"


class EncryptedPdf(DocumentError):
    error_class = "encrypted_pdf"


class DamagedPdf(DocumentError):
    error_class = "damaged_pdf"


class NotASelfEvaluation(DocumentError):
    """A readable document of another type; the message is ``<doc_type>: <reason>``."""

    error_class = "not_a_self_evaluation_report"
    names_doc_type = True


class ProjectTableNotLoaded(DocumentError):
    """A 项目支出绩效自评表 on its own: its indicators are a project's, not the department's,
    and ``fact_project`` is not built yet; recorded, never loaded as department scores."""

    error_class = "project_table_not_loaded"
    names_doc_type = True


class NeedsLibreOffice(DocumentError):
    """A .doc or .xls, and no ``soffice`` on this machine to convert it."""

    error_class = "needs_libreoffice"


class ZipBomb(DocumentError):
    """A .docx/.xlsx package that inflates far beyond what a report needs."""

    error_class = "zip_bomb"


class DocumentTooLarge(DocumentError):
    """More bytes, or more cells, than any report has."""

    error_class = "document_too_large"


class DamagedDocument(DocumentError):
    """A Word, Excel or HTML document whose parts cannot be parsed (malformed XML, bad ZIP)."""

    error_class = "damaged_document"


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
    transient = False  # whether another attempt later could succeed
    retry_after: float | None = None  # seconds the server asked for
    attempts: int | None = None  # requests made before giving up


class ChecksumMismatch(FetchError):
    error_class = "checksum_mismatch"


class SourceMissing(FetchError):
    error_class = "source_missing"


# Fetch errors by cause. ``transient`` says whether trying again later could
# help (a timeout, a dropped connection, 5xx/429); the HTTP client retries those
# itself and the flow's fetch task retries once more on them, never on the rest.


class TransientFetchError(FetchError):
    """A network failure that may pass: worth another attempt."""

    transient = True

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after  # seconds the server asked us to wait


class FetchTimeout(TransientFetchError):
    error_class = "timeout"


class ConnectionFailed(TransientFetchError):
    error_class = "connection_failed"


class IncompleteBody(TransientFetchError):
    """The connection ended before the whole body arrived (dropped, or short of Content-Length)."""

    error_class = "incomplete_body"


class HttpStatusError(FetchError):
    """A status other than 200/304; ``error_class`` is ``http_<code>``."""

    def __init__(self, status: int, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.error_class = f"http_{status}"
        self.transient = status in RETRYABLE_STATUS
        self.retry_after = retry_after


RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class ForbiddenScheme(FetchError):
    """Only http and https are fetched, on every hop of a redirect chain."""

    error_class = "forbidden_scheme"


class ForbiddenAddress(FetchError):
    """A host that resolves to a private, loopback, link-local or otherwise non-public address."""

    error_class = "forbidden_address"


class RedirectLoop(FetchError):
    error_class = "redirect_loop"


class TooManyRedirects(FetchError):
    error_class = "too_many_redirects"


class TooLarge(FetchError):
    error_class = "too_large"


class BodyNotPdf(FetchError):
    """The body is no document jixiao reads: not a PDF, .docx, .xlsx, .doc, .xls, nor an
    HTML page holding a table (often an HTML error page sent as application/pdf)."""

    error_class = "body_not_pdf"


class RawStoreError(FetchError):
    """The raw store could not be written (disk full, permissions)."""

    error_class = "raw_store_error"
