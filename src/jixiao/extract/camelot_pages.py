"""Camelot on one document, each page's layout read once for every flavor.

``camelot.read_pdf`` opens the file and lays the page out (playa's
``extract_page``, about 40-60 ms a page, the largest single cost of reading a
table) on every call. A table page that lattice cannot read is then read by
network and stream too: three layouts of the same page. :class:`CamelotPages`
keeps the document open and each page's layout, and hands every flavor's
parser fresh copies of the layout's lists (stream sorts them in place), so
the tables are the ones ``camelot.read_pdf`` returns for the same page and
flavor (``tests/test_camelot_pages.py``).
"""

from __future__ import annotations

import warnings
from itertools import chain
from pathlib import Path
from typing import Any


class CamelotPages:
    """An open document for Camelot: ``tables(pages, flavor, **kwargs)`` per call, the
    layouts shared. Use as a context manager (the document closes on exit)."""

    def __init__(self, path: str | Path) -> None:
        import playa
        from camelot.handlers import PDFHandler

        self.path = str(path)
        self._handler = PDFHandler(self.path)
        self._doc = playa.open(self.path, password="", space="page")
        self._layouts: dict[int, tuple] = {}

    def __enter__(self) -> CamelotPages:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None
            self._layouts.clear()

    def _layout(self, page_number: int) -> tuple:
        hit = self._layouts.get(page_number)
        if hit is None:
            page = self._doc.pages[page_number - 1]
            hit = self._layouts[page_number] = self._handler._get_layout(page)
        return hit

    def tables(self, pages: list[int], flavor: str, **kwargs: Any):
        """What ``camelot.read_pdf(path, pages=…, flavor=…, suppress_stdout=True,
        **kwargs)`` returns for these pages (1-based)."""
        from camelot.core import TableList
        from camelot.handlers import PARSERS
        from camelot.utils import remove_extra, validate_input

        if not self._doc.is_extractable:
            from playa.exceptions import PDFTextExtractionNotAllowed

            raise PDFTextExtractionNotAllowed(f"Text extraction is not allowed: {self.path}")
        validate_input(kwargs, flavor=flavor)
        kwargs = remove_extra(dict(kwargs), flavor=flavor)
        parser = PARSERS[flavor](debug=False, **kwargs)
        found = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number in sorted(set(pages)):
                layout, dimensions, images, _chars, horizontal, vertical, rotation = self._layout(
                    number
                )
                parser.prepare_page_parse(
                    self.path, layout, dimensions, number, list(images),
                    list(horizontal), list(vertical), rotation, layout_kwargs={},
                )  # fmt: skip
                found.append(parser.extract_tables())
        return TableList(sorted(chain.from_iterable(found)))
