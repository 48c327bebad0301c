"""One Great Expectations context per process, built from ``expectations/*.json``.

The first use imports Great Expectations (3-6 s), registers jixiao's custom
expectations, and builds an ephemeral (in-memory) context: one pandas data
source, one dataframe asset + whole-dataframe batch definition + validation
definition per suite file (the suite's ``name`` names all of them). Later
calls reuse it; a run takes a few hundredths of a second. Runs are serialized
with a lock, so flows may call from several threads.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import warnings
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
    # The suites' string row_conditions (condition_parser "pandas") are deprecated
    # for GX 2.0; they are plain JSON today, so keep them and keep the noise down.
    warnings.filterwarnings("ignore", message=".*condition_parser.*", category=DeprecationWarning)


class GXRunner:
    """An ephemeral GX context holding every suite of one expectations directory."""

    def __init__(self, expectations_dir: Path) -> None:
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
        with self._lock:
            return definition.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters,
                result_format=result_format,
                **extra,
            )


def get_runner(expectations_dir: str | Path | None = None) -> GXRunner:
    """The process-wide runner for ``expectations_dir`` (default ``<repo>/expectations``)."""
    path = Path(expectations_dir or default_expectations_dir()).resolve()
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(path)
        if runner is None:
            runner = _RUNNERS[path] = GXRunner(path)
        return runner
