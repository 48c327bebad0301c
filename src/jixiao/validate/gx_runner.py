"""One Great Expectations context per process, built from ``expectations/*.json``.

The first use imports Great Expectations (3-6 s), registers jixiao's custom
expectations, and builds an ephemeral (in-memory) context: one pandas data
source, one dataframe asset + whole-dataframe batch definition + validation
definition per suite file (the suite's ``name`` names all of them). Later
calls reuse it. Runs are serialized with a lock, so flows may call from
several threads.

Where a run's time goes (profiled at 1,000 reports, three suites each): Great
Expectations rebuilds an ``ExpectationConfiguration`` (a pydantic ``dict()``
of the expectation) every time anything reads ``Expectation.configuration``,
about a dozen times per expectation and run; and ``ValidationDefinition.run``
checks the definition against the stores and serializes every result into the
in-memory results store. So, inside a run, each expectation's configuration is
built once (:func:`_configurations_built_once`), and the process-wide runner
(:func:`get_runner`, ``keep_results=False``) validates through a ``Validator``
directly: nothing reads its results store, and a long ingest would only
accumulate every report's results there. A runner for Data Docs keeps them.
Together: 2-3 times less time per report, the same results.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pandas as pd

from jixiao.validate.frames import ROW_ID

log = logging.getLogger(__name__)

_RUNNERS: dict[Path, GXRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def default_expectations_dir() -> Path:
    """The suites shipped with the package (``expectations/`` of the repository)."""
    from jixiao import paths

    return paths.EXPECTATIONS


def _quiet() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    for name in ("great_expectations", "posthog"):
        logging.getLogger(name).setLevel(logging.ERROR)


_RUN = threading.local()  # this thread's configuration cache while a run is on


def _install_configuration_cache() -> None:
    """Let ``Expectation.configuration`` reuse what it built earlier in the same run.

    Only while :func:`_configurations_built_once` is active on this thread, and
    never for the suites' own expectations: the validator substitutes suite
    parameters into the configurations it reads from those, so each run must
    get fresh ones. The expectations a run creates from them (and reads many
    times) are not changed after they are built.
    """
    from great_expectations.expectations.expectation import Expectation

    original = Expectation.__dict__["configuration"]
    if getattr(original.fget, "_jixiao_cached", False):
        return

    def configuration(self):
        cache = getattr(_RUN, "cache", None)
        if cache is None or id(self) in _RUN.fresh:
            return original.fget(self)
        hit = cache.get(id(self))
        if hit is None or hit[0] is not self:
            hit = cache[id(self)] = (self, original.fget(self))  # keeps self: ids stay unique
        return hit[1]

    configuration._jixiao_cached = True
    Expectation.configuration = property(configuration, doc=original.__doc__)


def _install_row_condition_cache() -> None:
    """Let a run filter its batch by one ``row_condition`` once, not once per metric.

    Great Expectations filters the batch (``DataFrame.query``: parsing the condition
    each time) for every metric of an expectation that has a row condition, about six
    times per expectation. Inside :func:`_configurations_built_once` the filtered frame
    is kept for the run, keyed by the batch and the condition; like the unfiltered batch,
    which every metric already shares, nothing writes to it.
    """
    from great_expectations.execution_engine import PandasExecutionEngine

    original = PandasExecutionEngine._apply_row_condition_filter
    if getattr(original, "_jixiao_cached", False):
        return

    def apply(self, data, row_condition, domain_kwargs):
        cache = getattr(_RUN, "rows", None)
        if cache is None:
            return original(self, data, row_condition, domain_kwargs)
        key = (id(data), repr(row_condition), domain_kwargs.get("condition_parser"))
        hit = cache.get(key)
        if hit is None or hit[0] is not data:
            hit = cache[key] = (data, original(self, data, row_condition, domain_kwargs))
        return hit[1]

    apply._jixiao_cached = True
    PandasExecutionEngine._apply_row_condition_filter = apply


@contextmanager
def _configurations_built_once(fresh: set[int]) -> Iterator[None]:
    """Cache configurations (and filtered batches) on this thread for one run; ``fresh``
    ids are never cached."""
    _RUN.cache, _RUN.fresh, _RUN.rows = {}, fresh, {}
    try:
        yield
    finally:
        _RUN.cache = _RUN.rows = None


class GXRunner:
    """An ephemeral GX context holding every suite of one expectations directory.

    ``keep_results=False`` skips the context's results store (nothing reads it
    but Data Docs); ``cache_configurations=False`` runs Great Expectations
    exactly as it comes (the identity test compares both ways). The results
    returned are the same either way.
    """

    def __init__(
        self, expectations_dir: Path, keep_results: bool = True, cache_configurations: bool = True
    ) -> None:
        _quiet()
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        import jixiao.validate.expectations  # noqa: F401  (registers the custom expectations)

        self.expectations_dir = expectations_dir
        files = sorted(expectations_dir.glob("*.json"))
        if not files:
            raise FileNotFoundError(f"no expectation suites (*.json) in {expectations_dir}")
        self.context = gx.get_context(
            mode="ephemeral",
            project_config=DataContextConfig(
                store_backend_defaults=InMemoryStoreBackendDefaults(),
                analytics_enabled=False,
                progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
            ),
        )
        source = self.context.data_sources.add_pandas("jixiao")
        self._definitions: dict[str, Any] = {}
        for path in files:
            with path.open(encoding="utf-8") as f:
                suite = self.context.suites.add(gx.ExpectationSuite(**json.load(f)))
            if suite.name in self._definitions:
                raise ValueError(f"two suites named {suite.name!r} in {expectations_dir}")
            batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe(
                "whole"
            )
            self._definitions[suite.name] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
            )
        self.keep_results = keep_results
        self.cache_configurations = cache_configurations
        self._suite_expectations = {
            id(e) for d in self._definitions.values() for e in d.suite.expectations
        }
        _install_configuration_cache()
        _install_row_condition_cache()
        self._lock = threading.Lock()

    @property
    def suite_names(self) -> list[str]:
        return sorted(self._definitions)

    def suite_meta(self, suite_name: str) -> dict[str, Any]:
        """A suite's ``meta`` (scope, table, notes)."""
        return dict(self._definitions[suite_name].suite.meta or {})

    def run(
        self,
        suite_name: str,
        frame: pd.DataFrame,
        index_columns: list[str],
        *,
        parameters: dict[str, Any] | None = None,
        run_name: str | None = None,
    ) -> Any:
        """Validate ``frame`` against one suite; failing rows named by ``index_columns``.

        Args:
            parameters: values for the suite's ``{"$PARAMETER": name}`` kwargs
                (e.g. the keys a foreign key must be in).
            run_name: names the run in Data Docs (e.g. the source id).
        """
        try:
            definition = self._definitions[suite_name]
        except KeyError:
            raise KeyError(
                f"no suite {suite_name!r} in {self.expectations_dir} "
                f"(have: {', '.join(self.suite_names)})"
            ) from None
        result_format = {
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [ROW_ID, *index_columns],
            "return_unexpected_index_query": False,
        }
        extra: dict[str, Any] = {}
        if run_name is not None:
            from great_expectations.core.run_identifier import RunIdentifier

            extra["run_id"] = RunIdentifier(run_name=run_name)
        cached = (
            _configurations_built_once(self._suite_expectations)
            if self.cache_configurations
            else nullcontext()
        )
        with self._lock, cached:
            if not self.keep_results:
                from great_expectations.validator.v1_validator import Validator

                validator = Validator(
                    batch_definition=definition.batch_definition,
                    batch_parameters={"dataframe": frame},
                    result_format=result_format,
                )
                return validator.validate_expectation_suite(definition.suite, parameters)
            return definition.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters,
                result_format=result_format,
                **extra,
            )

    def run_many(
        self,
        suite_name: str,
        frames: list[pd.DataFrame],
        index_columns: list[str],
        *,
        parameters: dict[str, Any] | None = None,
    ) -> list[Any]:
        """Validate several reports' frames in one run; one result per frame, in order.

        The frames are stacked (``batching.stack``) and validated once, and the result
        is split back per frame (``batching.split``): each frame gets what :meth:`run`
        would have returned for it alone, as far as ``results.to_check_results`` reads
        it. All frames share ``parameters``. Where the split cannot be exact the frames
        are validated one by one.
        """
        from jixiao.validate import batching
        from jixiao.validate.frames import BATCH_KEY

        if len(frames) > 1:
            stacked = batching.stack(frames)
            result = self.run(
                suite_name, stacked, [*index_columns, BATCH_KEY], parameters=parameters
            )
            try:
                return batching.split(result, frames)
            except batching.NotSplittable as e:
                log.info("%s: validating %d frames one by one (%s)", suite_name, len(frames), e)
        return [self.run(suite_name, f, index_columns, parameters=parameters) for f in frames]


def get_runner(expectations_dir: str | Path | None = None) -> GXRunner:
    """The process-wide runner for ``expectations_dir`` (default ``<repo>/expectations``)."""
    path = Path(expectations_dir or default_expectations_dir()).resolve()
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(path)
        if runner is None:
            runner = _RUNNERS[path] = GXRunner(path, keep_results=False)
        return runner
