"""`make scale N=1000`: the whole ingest at N generated reports, then the warehouse at 10,000.

Prints numbers (and writes them to ``bench/out/scale-<N>.json``); asserts nothing.

1. the corpus (``bench/corpus.py``: generated once, cached outside git);
2. per stage, in-process on a sample of the corpus: seconds and ms a page;
3. Prefect: the temporary API's start, and the orchestration cost of one task run;
4. the ingest flow as users run it (``jixiao_flows.ingest.ingest_flow``): cold, then
   re-run with nothing changed; seconds per stage summed over documents
   (``jixiao.ingest.STAGES``), publish, peak RSS per process (sampled), and
   whether the warehouse holds the truth the generator kept;
5. ``compare`` on that warehouse, in-process and as a command;
6. synthetic rows (reports of the run, copied under new sources): load +
   warehouse checks + publish at 1,000 / 3,000 / 10,000 reports, and the
   ``compare`` and per-district queries on 3,000 districts × 10 years.

Options: ``--n N`` (default 200), ``--data 1000,3000,10000`` (``--data 0``: skip 6),
``--sample 30`` (documents for 2). ``$JIXIAO_SCALE_CACHE`` moves the corpus cache.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from jixiao import ingest, paths  # noqa: E402

RESULTS: dict = {}


def say(line: str = "") -> None:
    print(line, flush=True)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


# --------------------------------------------------------------------------- memory


class PeakMemory:
    """Samples the RSS of this process and every descendant, every ``every_s`` seconds.

    Keeps the peak per process (named by role) and the peak of their sum: the
    memory the whole run needed at its worst moment; and the CPU seconds each
    process used meanwhile (user + system), which a loaded machine inflates far
    less than wall time.
    """

    def __init__(self, every_s: float = 0.25) -> None:
        import psutil

        self._me = psutil.Process()
        self.every_s = every_s
        self.per_process: dict[int, tuple[str, int]] = {}
        self.cpu_start: dict[int, float] = {}
        self.cpu_last: dict[int, float] = {}
        self.peak_total = 0
        self.loads: list[float] = []  # the 1-minute load average at every sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self.sample()
        self.cpu_start = dict(self.cpu_last)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every_s)

    def sample(self) -> None:
        import psutil

        total = 0
        self.loads.append(os.getloadavg()[0])
        for proc in [self._me, *self._me.children(recursive=True)]:
            try:
                rss = proc.memory_info().rss
                cpu = proc.cpu_times()
                if proc.pid not in self.per_process:
                    role = _role(proc, self._me)
                else:
                    role = self.per_process[proc.pid][0]
            except psutil.Error:
                continue
            total += rss
            self.cpu_last[proc.pid] = cpu.user + cpu.system
            old = self.per_process.get(proc.pid, (role, 0))[1]
            self.per_process[proc.pid] = (role, max(old, rss))
        self.peak_total = max(self.peak_total, total)

    def cpu_by_role(self) -> dict[str, float]:
        """Role → CPU seconds used while sampling (a process's last sample counts)."""
        out: dict[str, float] = {}
        for pid, last in self.cpu_last.items():
            role = self.per_process.get(pid, ("?", 0))[0]
            out[role] = out.get(role, 0.0) + last - self.cpu_start.get(pid, 0.0)
        return out

    def by_role(self) -> dict[str, tuple[int, int]]:
        """Role → (processes seen, largest peak RSS in MB)."""
        out: dict[str, tuple[int, int]] = {}
        for role, rss in self.per_process.values():
            n, peak = out.get(role, (0, 0))
            out[role] = (n + 1, max(peak, rss // 2**20))
        return out


def _role(proc, me) -> str:
    if proc.pid == me.pid:
        return "flow (this process)"
    cmd = " ".join(proc.cmdline())
    if "multiprocessing" in cmd and ("spawn" in cmd or "forkserver" in cmd):
        return "extraction worker"
    if "prefect" in cmd or "uvicorn" in cmd:
        return "Prefect API server"
    return f"other ({Path(proc.cmdline()[0]).name if proc.cmdline() else '?'})"


# --------------------------------------------------------------------------- stages


def stage_costs(folder: Path, sample: int) -> None:
    """Each stage alone, in-process, on the first ``sample`` documents of the corpus.

    Timed twice over: wall clock, and CPU seconds of this process
    (``time.process_time``), which a machine shared with other work inflates
    far less.
    """
    import bench  # the sample bench's stage table: the same stages, the same clocks

    sources, errors = ingest.read_sources([folder / "sources.yaml"])
    assert not errors, errors[:3]
    bench.stage_table(sources[:1])  # warm-up: imports, GX context
    wall_rows, seconds = timed(bench.stage_table, sources[:sample])

    def cpu_timed(fn, *args):
        start = time.process_time()
        result = fn(*args)
        return result, time.process_time() - start

    wall_timed, bench.timed = bench.timed, cpu_timed
    try:
        cpu_rows = bench.stage_table(sources[:sample])
    finally:
        bench.timed = wall_timed
    pages = sum(r["pages"] for r in wall_rows)
    table_pages = sum(r["table pages"] for r in wall_rows)
    say(
        f"\n== stages alone, in-process, {len(wall_rows)} documents, {pages} pages "
        f"({table_pages} table pages), {seconds:.1f} s"
    )
    say(f"  {'stage':<18} {'wall s':>8} {'ms/page':>8}   {'CPU s':>7} {'ms/page':>8} {'ms/doc':>7}")
    keys = [k for k in wall_rows[0] if k.endswith(" s") and k != "s / table page"]
    costs = {}
    for k in keys:
        wall = sum(r[k] for r in wall_rows)
        cpu = sum(r[k] for r in cpu_rows)
        costs[k[:-2]] = {"wall_s": wall, "cpu_s": cpu, "cpu_ms_per_page": 1000 * cpu / pages}
        say(
            f"  {k[:-2]:<18} {wall:8.2f} {1000 * wall / pages:8.2f}   {cpu:7.2f} "
            f"{1000 * cpu / pages:8.2f} {1000 * cpu / len(cpu_rows):7.0f}"
        )
    cpu_total = sum(c["cpu_s"] for c in costs.values())
    say(f"  {'all':<18} {'':>8} {'':>8}   {cpu_total:7.2f} {1000 * cpu_total / pages:8.2f}")
    whole = whole_document_cpu(sources[:sample])
    say(
        f"  {'whole document':<18} {'':>8} {'':>8}   {whole:7.2f} {1000 * whole / pages:8.2f} "
        f"{1000 * whole / len(cpu_rows):7.0f}  (extract_document + normalize + validate as the "
        "ingest runs them: classify, forms, budget blocks included; validated 10 at a time)"
    )
    costs["whole document"] = {"cpu_s": whole, "cpu_ms_per_page": 1000 * whole / pages}
    RESULTS["stages_in_process"] = {"documents": len(wall_rows), "pages": pages, "costs": costs}


def whole_document_cpu(sources) -> float:
    """CPU seconds for the sources as the ingest reads them, minus the worker's process:
    ``extract_document`` in-process, normalize, and validation 10 reports at a time
    (``judge_many``, as an extraction task of the flow)."""
    from jixiao.extract.document import extract_document
    from jixiao.normalize.report import normalize_document
    from jixiao.validate.verdict import judge_many

    start = time.process_time()
    reports = []
    for source in sources:
        fetched = ingest.fetch(source)
        reports.append(normalize_document(source, fetched, extract_document(fetched.path)))
        if len(reports) == 10:
            judge_many(reports)
            reports = []
    if reports:
        judge_many(reports)
    return time.process_time() - start


def stage_costs_apart(n: int, sample: int) -> None:
    """:func:`stage_costs` in a process of its own, so that the ingest's peak memory
    below is the ingest's (30 documents through Camelot, PDFium and Great Expectations
    leave a few hundred MB in the process that ran them)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-stages-") as tmp:
        out = Path(tmp) / "stages.json"
        command = [sys.executable, __file__, "--n", str(n), "--sample", str(sample)]
        subprocess.run([*command, "--stages-only", str(out)], check=True)
        RESULTS["stages_in_process"] = json.loads(out.read_text())["stages_in_process"]


def task_overhead(k: int = 200) -> float:
    """Seconds of orchestration per task run: a flow of k no-op tasks vs. one of none."""
    from prefect import flow, task
    from prefect.task_runners import ThreadPoolTaskRunner

    @task
    def noop(i: int) -> int:
        return i

    @flow(name="jixiao-bench-overhead", task_runner=ThreadPoolTaskRunner(max_workers=2))
    def tasks(k: int) -> int:
        return sum(f.result() for f in [noop.submit(i) for i in range(k)])

    _, empty = timed(tasks, 0)
    _, full = timed(tasks, k)
    return (full - empty) / k


# --------------------------------------------------------------------------- ingest


def run_ingest(folder: Path, db: Path, label: str) -> tuple[float, list, PeakMemory]:
    from jixiao_flows.ingest import ingest_flow

    ingest.STAGES.reset()
    with PeakMemory() as memory:
        outcomes, seconds = timed(ingest_flow, sources=[str(folder / "sources.yaml")], db=str(db))
        memory.sample()
    stages = dict(ingest.STAGES.seconds)
    calls = dict(ingest.STAGES.calls)
    RESULTS[label] = {"seconds": seconds, "stages": stages, "calls": calls}
    return seconds, outcomes, memory


def print_stages(pages: int, label: str) -> None:
    stages, calls = RESULTS[label]["stages"], RESULTS[label]["calls"]
    say("  seconds per stage, summed over documents (extraction runs 2 at a time, so the")
    say("  sum can exceed the wall time):")
    for stage, s in stages.items():
        say(
            f"    {stage:<20} {s:8.2f} s  {1000 * s / max(pages, 1):7.2f} ms / page  "
            f"({calls[stage]} calls, {1000 * s / calls[stage]:.1f} ms each)"
        )


def print_memory(memory: PeakMemory, label: str) -> None:
    roles = memory.by_role()
    say(f"  peak RSS, all processes together: {memory.peak_total / 2**20:.0f} MB")
    for role, (n, mb) in sorted(roles.items()):
        say(f"    {role:<22} {mb:6d} MB  (largest of {n} process{'es' if n > 1 else ''})")
    cpu = memory.cpu_by_role()
    say(
        f"  CPU seconds (user + system): {sum(cpu.values()):.1f} in all: "
        + ", ".join(f"{role} {s:.1f}" for role, s in sorted(cpu.items()))
    )
    cores = os.cpu_count() or 1
    say(
        f"  lower bound on {cores} idle cores: {sum(cpu.values()) / cores:.0f} s "
        "(CPU seconds / cores: what the run needs when nothing else runs)"
    )
    loads = memory.loads or [0.0]
    say(
        f"  machine load average during the run (1-minute, sampled): mean "
        f"{sum(loads) / len(loads):.1f}, max {max(loads):.1f}"
    )
    RESULTS[label]["load_average"] = {"mean": sum(loads) / len(loads), "max": max(loads)}
    RESULTS[label]["cpu_s"] = cpu
    RESULTS[label]["peak_total_mb"] = memory.peak_total / 2**20
    RESULTS[label]["peak_by_role_mb"] = {r: mb for r, (_, mb) in roles.items()}


def check_truth(db: Path, folder: Path) -> None:
    """How many reports the warehouse holds as the generator made them."""
    import duckdb

    truth = corpus.read_truth(folder)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """
            select r.source_id, r.status, r.status_reason, r.doc_kind,
                   (select score from fact_indicator_score f
                    where f.report_id = r.report_id and f.indicator_code = '0') as total,
                   (select amount_yuan from fact_budget b where b.report_id = r.report_id
                    and b.item = '部门预算' and b.measure = 'budget') as budget
            from dim_report r
            """
        ).fetchall()
    finally:
        con.close()
    total_ok = budget_ok = kind_ok = valid = 0
    reasons: dict[str, int] = {}
    for source_id, status, reason, kind, total, budget in rows:
        t = truth.get(source_id)
        if t is None:
            continue
        valid += status == "valid"
        if status != "valid" and reason:
            key = reason.split(":")[0]
            if key not in reasons:
                say(f"    e.g. {source_id}: {reason[:300]}")
            reasons[key] = reasons.get(key, 0) + 1
        total_ok += total is not None and abs(float(total) - t["total"]) < 1e-6
        budget_ok += budget is not None and abs(float(budget) - t["budget_yuan"]) < 0.01
        kind_ok += kind == t["kind"]
    n = len(truth)
    say(
        f"  against the truth: {len(rows)}/{n} reports loaded, {valid} valid; total right "
        f"{total_ok}, budget right {budget_ok}, kind right {kind_ok}"
    )
    if reasons:
        say("  not valid because: " + ", ".join(f"{k} ×{v}" for k, v in sorted(reasons.items())))
    RESULTS["truth"] = {"reports": n, "loaded": len(rows), "valid": valid, "total_right":
                        total_ok, "budget_right": budget_ok, "kind_right": kind_ok,
                        "not_valid_reasons": reasons}  # fmt: skip


def compare_times(db: Path, year: int) -> None:
    import duckdb

    query = (paths.SQL / "queries" / "compare_districts.sql").read_text(encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    try:
        params = {"year": year, "max_level": 3, "province": None, "city": None, "framework": None}
        con.execute(query, params).df()
        rows, q = timed(lambda: con.execute(query, params).df())
    finally:
        con.close()
    env = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME", "")}
    jixiao = Path(sys.executable).with_name("jixiao")
    _, cli = timed(
        subprocess.run,
        [str(jixiao), "--db", str(db), "compare", "--year", str(year)],
        capture_output=True,
        env=env,
    )
    say(
        f"  compare --year {year}: query {1000 * q:.0f} ms in-process ({len(rows)} rows); "
        f"`jixiao compare` {cli:.2f} s as a command (Python start and imports included)"
    )
    RESULTS["compare"] = {"query_ms": 1000 * q, "command_s": cli}


# --------------------------------------------------------------------------- data scale


def synthetic_outcomes(reports: list, n: int) -> list:
    """n loaded outcomes: the run's reports, copied under new sources, districts and years."""
    from jixiao.reference import districts

    codes = sorted(districts())
    out = []
    for i in range(n):
        template = reports[i % len(reports)]
        source = replace(
            template.source,
            id=f"syn-{i:06d}",
            district=districts()[codes[i % len(codes)]],
            year=2015 + (i // len(codes)) % 10,
        )
        report = replace(template, report_id=f"{i:064x}", source=source, raw_path="(synthetic)")
        out.append(ingest.Outcome(source, source.id, "load", "loaded", report, report.report_id))
    return out


def data_scale(reports: list, sizes: list[int], tmp: Path) -> None:
    from jixiao.load.publish import start_build

    say("\n== synthetic rows: load + warehouse checks + publish into a new warehouse")
    say(
        f"  {'reports':>8} {'load s':>8} {'checks s':>9} {'publish s':>10} {'MB':>7} "
        f"{'ms/report':>10} {'KB/report':>10}"
    )
    RESULTS["data_scale"] = []
    for n in sizes:
        db = tmp / f"data-{n}.duckdb"
        outcomes = synthetic_outcomes(reports, n)
        ingest.STAGES.reset()
        build = start_build(db)
        _, t_load = timed(ingest.load, build, outcomes, ingest.new_run_id())
        _, t_pub = timed(ingest.publish, db)
        checks = ingest.STAGES.seconds.get("warehouse checks", 0.0)
        mb = db.stat().st_size / 2**20
        say(
            f"  {n:>8} {t_load - checks:>8.2f} {checks:>9.2f} {t_pub:>10.2f} {mb:>7.1f} "
            f"{1000 * (t_load + t_pub) / n:>10.2f} {1024 * mb / n:>10.1f}"
        )
        RESULTS["data_scale"].append(
            {
                "reports": n,
                "load_s": t_load - checks,
                "checks_s": checks,
                "publish_s": t_pub,
                "mb": mb,
            }
        )
        if n != sizes[-1]:
            for leftover in tmp.glob(f"data-{n}.duckdb*"):
                leftover.unlink()


DISTRICT_QUERY = """
-- one district over the years: what a per-district report shows
select year, level, path, indicator, weight, score, score_rate, is_derived
from v_scores
where district_code = $district and level <= 2
order by year, indicator_code
"""


def query_scale(reports: list, tmp: Path, n_districts: int = 3000, n_years: int = 10) -> None:
    """The compare and per-district queries on n_districts × n_years valid reports."""
    import duckdb

    from jixiao.load import warehouse

    db = tmp / "query-scale.duckdb"
    template = next(r for r in reports if r.status == "valid" and len(r.scores) > 20)
    con = warehouse.connect(db)
    warehouse.load_dimensions(con)
    warehouse.load_report(con, template)
    start = time.perf_counter()
    con.execute(
        """
        create temp table grid as
        select d.district_code, y.range::integer as year,
               md5(d.district_code || '-' || y.range::varchar) as report_id
        from (select district_code from dim_district order by district_code limit $n) d
        cross join range(2015, 2015 + $years) y
        """,
        {"n": n_districts, "years": n_years},
    )
    con.execute("insert or ignore into dim_year select distinct year from grid")
    con.execute(
        """
        insert into dim_report by name
        select g.report_id, 'q-' || g.district_code || '-' || g.year as source_id,
               g.district_code, g.year, r.department_code, r.department_name, r.title,
               r.source_url, r.raw_path, r.n_pages, r.doc_kind, r.grade, r.grade_is_derived,
               r.status, r.status_reason, r.extractor_version, r.ingested_at
        from grid g, dim_report r where r.report_id = $template
        """,
        {"template": template.report_id},
    )
    con.execute(
        """
        insert into fact_indicator_score by name
        select g.report_id, f.indicator_code, g.district_code, g.year, f.department_code,
               f.weight,
               greatest(f.score - (hash(g.report_id, f.indicator_code) % 3) * 0.5, 0) as score,
               f.score_rate, f.is_derived, f.printed_name, f.deduction_reason,
               f.improvement, f.source_page, f.printed_text, f.origin, f.ocr_confidence
        from grid g, fact_indicator_score f where f.report_id = $template
        """,
        {"template": template.report_id},
    )
    con.execute("delete from fact_indicator_score where report_id = ?", [template.report_id])
    con.execute("delete from dim_report where report_id = ?", [template.report_id])
    con.execute("checkpoint")
    con.close()
    built = time.perf_counter() - start
    con = duckdb.connect(str(db), read_only=True)
    try:
        n_rows = con.execute("select count(*) from fact_indicator_score").fetchone()[0]
        query = (paths.SQL / "queries" / "compare_districts.sql").read_text(encoding="utf-8")
        year = 2015 + n_years - 1
        every = {"year": year, "province": None, "city": None, "framework": None}  # no filter
        times = {}
        for label, sql, params in (
            ("compare, total only", query, {**every, "max_level": 0}),
            ("compare, default (0-1)", query, {**every, "max_level": 1}),
            ("compare, levels 0-3", query, {**every, "max_level": 3}),
            ("compare, one province", query, {**every, "max_level": 3, "province": "44"}),
            ("one district, 10 years", DISTRICT_QUERY, {"district": "440112"}),
        ):  # fmt: skip
            con.execute(sql, params).df()  # first run: file pages into memory
            runs = []
            for _ in range(5):
                df, t = timed(lambda sql=sql, params=params: con.execute(sql, params).df())
                runs.append(t)
            times[label] = (1000 * min(runs), 1000 * max(runs), len(df))
    finally:
        con.close()
    say(
        f"\n== queries on {n_districts} districts × {n_years} years ({n_rows:,} score rows, "
        f"{db.stat().st_size / 2**20:.0f} MB, built in {built:.1f} s), in-process, 5 runs"
    )
    for label, (best, worst, rows) in times.items():
        say(f"  {label:<24} {best:7.1f} ms best, {worst:7.1f} ms worst  ({rows} rows)")
    RESULTS["query_scale"] = {
        "districts": n_districts, "years": n_years, "score_rows": n_rows,
        "ms": {k: {"best": v[0], "worst": v[1], "rows": v[2]} for k, v in times.items()},
    }  # fmt: skip


def template_reports(folder: Path, n: int) -> list:
    """The first n reports of the corpus, extracted and validated here, checks included."""
    sources, _ = ingest.read_sources([folder / "sources.yaml"])
    return [ingest.extract_and_validate(s, ingest.fetch(s)) for s in sources[:n]]


def summary(n: int, pages: int) -> None:
    """The figures issue 15 asks for, in one block: cold, no-op, peak; CPU and wall."""
    cores = os.cpu_count() or 1
    say(f"\n== N = {n:,} reports ({pages:,} pages): the figures (targets: cold ≤ 150 s, "
        "no-op ≤ 5 s, peak ≤ 1.5 GB)")  # fmt: skip
    for label, name in (("cold", "cold ingest"), ("rerun", "no-op re-run")):
        r = RESULTS[label]
        cpu = sum(r["cpu_s"].values())
        load = r["load_average"]
        say(
            f"  {name:<13} wall {r['seconds']:7.1f} s at load average {load['mean']:.1f} "
            f"(max {load['max']:.1f}); CPU {cpu:7.1f} s in all processes, "
            f"{1000 * cpu / pages:.1f} CPU ms a page → {cpu / cores:.0f} s on {cores} idle cores"
        )
    say(
        f"  peak RSS     {RESULTS['cold']['peak_total_mb']:7.0f} MB, all processes together "
        f"(re-run {RESULTS['rerun']['peak_total_mb']:.0f} MB)"
    )


# --------------------------------------------------------------------------- main


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--data", default="1000,3000,10000")
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--stages-only", metavar="JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.data.split(",") if int(x) > 0]
    t_all = time.perf_counter()
    if not args.stages_only:
        say(f"machine: {machine()}")
    RESULTS["machine_before"] = machine()

    folder, t_gen = timed(corpus.ensure_corpus, args.n)
    truth = corpus.read_truth(folder)
    pages = sum(t["pages"] for t in truth.values())
    kinds = [t["kind"] for t in truth.values()]
    say_corpus = say if not args.stages_only else (lambda line: None)
    say_corpus(
        f"\n== corpus: {args.n} reports, {pages} pages ({pages / args.n:.2f} a report; "
        f"{kinds.count('score_table')} score tables, {kinds.count('narrative')} narratives "
        f"with the table attached) in {folder} ({t_gen:.1f} s to generate or check)"
    )
    RESULTS["corpus"] = {"reports": args.n, "pages": pages, "folder": str(folder)}

    if args.stages_only:  # the child of stage_costs_apart
        stage_costs(folder, args.sample)
        Path(args.stages_only).write_text(json.dumps(RESULTS, default=str))
        return 0
    if args.sample:
        stage_costs_apart(args.n, args.sample)

    from prefect import flow

    _, t_api = timed(flow(name="jixiao-bench-warmup")(lambda: None))
    per_task = task_overhead()
    say(
        f"\n== Prefect: temporary API start + first flow run {t_api:.2f} s (once per process); "
        f"one task run costs {1000 * per_task:.1f} ms of orchestration"
    )
    RESULTS["prefect"] = {"api_start_s": t_api, "per_task_ms": 1000 * per_task}

    with tempfile.TemporaryDirectory(prefix="jixiao-scale-") as tmp:
        tmp = Path(tmp)
        db = tmp / "warehouse.duckdb"
        cold, _, memory = run_ingest(folder, db, "cold")
        say(
            f"\n== cold ingest of {args.n} reports ({pages} pages): {cold:.1f} s, "
            f"{1000 * cold / pages:.1f} ms a page  [{machine()}]"
        )
        print_stages(pages, "cold")
        from jixiao_flows.ingest import batch_size

        size = batch_size(args.n, 2)
        n_tasks = -(-args.n // size)
        say(
            f"  orchestration: {n_tasks} extraction tasks of up to {size} documents "
            f"≈ {n_tasks * per_task:.1f} s of task overhead in all"
        )
        print_memory(memory, "cold")
        check_truth(db, folder)
        say(f"  warehouse file: {db.stat().st_size / 2**20:.1f} MB")
        RESULTS["cold"]["warehouse_mb"] = db.stat().st_size / 2**20

        warm, outcomes2, memory2 = run_ingest(folder, db, "rerun")
        unchanged = sum(o.status == "unchanged" for o in outcomes2)
        say(
            f"\n== re-run, nothing changed: {warm:.2f} s ({unchanged} of {len(outcomes2)} "
            f"unchanged, not extracted)"
        )
        print_stages(pages, "rerun")
        print_memory(memory2, "rerun")

        say("")
        years = [t["year"] for t in truth.values()]
        year = max(set(years), key=years.count)
        compare_times(db, year)

        # templates with their check results (the flow's outcomes no longer hold them)
        reports = template_reports(folder, 100) if sizes else []
        if reports:
            data_scale(reports, sizes, tmp)
            query_scale(reports, tmp)
    RESULTS["machine_after"] = machine()
    summary(args.n, pages)
    say(f"\nmachine: {machine()}; bench total {time.perf_counter() - t_all:.0f} s")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"scale-{args.n}.json").write_text(json.dumps(RESULTS, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
