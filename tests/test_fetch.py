"""Fetching from a real HTTP server on 127.0.0.1 that fails in every way the web does.

No traffic leaves the machine: an autouse guard refuses (and records) any
socket connect outside 127.0.0.0/8, and host names resolve through an
injected resolver, never DNS.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from pathlib import Path

import duckdb
import pytest
import yaml
from fakesite.server import (
    FakeServer,
    drip,
    html_as_pdf,
    pdf,
    redirect,
    reset_mid_body,
    sequence,
    short_body,
    stall,
    status,
)

from jixiao.errors import (
    BodyNotPdf,
    ChecksumMismatch,
    ConnectionFailed,
    FetchTimeout,
    ForbiddenAddress,
    ForbiddenScheme,
    HttpStatusError,
    IncompleteBody,
    RedirectLoop,
    TooLarge,
)
from jixiao.fetch import FetchSettings, fetch_many, fetch_source, sha256_file
from jixiao.fetch.guard import refusal
from jixiao.fetch.http import parse_retry_after
from jixiao.fetch.index import FetchIndex
from jixiao.fetch.politeness import fetch_order
from jixiao.manifest import load_manifest

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
BODY = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 200 + b"%%EOF\n"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "raw" / "samples"


@pytest.fixture(autouse=True)
def connections(monkeypatch) -> list:
    """Every TCP connect of the test, recorded; anything outside loopback is refused."""
    made: list = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            made.append(address[0])
            if not ipaddress.ip_address(address[0]).is_loopback:
                raise AssertionError(f"test tried to connect outside loopback: {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return made


@pytest.fixture
def settings(tmp_path) -> FetchSettings:
    return FetchSettings(
        allow_networks=(LOOPBACK,),
        host_delay_s=0.0,
        connect_timeout_s=1.0,
        read_timeout_s=0.5,
        deadline_s=10.0,
        attempts=3,
        backoff_s=0.05,
        raw_dir=tmp_path / "raw",
    )


@pytest.fixture
def site():
    with FakeServer() as server:
        yield server


class Names:
    """An injected resolver: a name → address table, calls recorded; DNS never asked."""

    def __init__(self, table: dict[str, str]):
        self.table, self.asked = table, []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"unknown test host {host}")
        return [self.table[host]]


def source(url: str, sha256: str | None = None, sid: str = "s1"):
    """A checked manifest entry for ``url`` (through the real manifest reader)."""
    return sources([(sid, url, sha256)])[0]


def sources(entries, tmp=Path("/tmp")):
    data = [
        {
            "id": sid,
            "district_code": "440112",
            "year": 2022,
            "department": "政务服务数据管理局",
            "url": url,
            **({"sha256": sha} if sha else {}),
        }
        for sid, url, sha in entries
    ]
    path = tmp / f"jixiao-test-manifest-{time.monotonic_ns()}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        found, errors = load_manifest(path)
    finally:
        path.unlink()
    assert not errors, errors
    return found


def stored(settings) -> list[str]:
    raw = settings.raw_dir
    return sorted(p.name for p in raw.iterdir()) if raw.exists() else []


def only_pdfs(settings) -> list[str]:
    return [n for n in stored(settings) if n.endswith(".pdf") or n.endswith(".part")]


# -- the bar: each case ends as a clear recorded error or a success after retry --


def test_500_then_success_is_retried_and_recorded(site, settings):
    site.routes["/r.pdf"] = sequence(status(500), pdf(BODY))
    got = fetch_source(source(site.url("/r.pdf")), settings=settings)
    assert got.status == "downloaded"
    assert got.path == settings.raw_dir / f"{got.sha256}.pdf"
    assert got.path.read_bytes() == BODY
    assert len(site.hits("/r.pdf")) == 2
    (rec,) = FetchIndex(settings.raw_dir).history()
    assert (rec.outcome, rec.attempts, rec.http_status) == ("downloaded", 2, 200)


def test_retry_after_is_honoured(site, settings):
    site.routes["/busy.pdf"] = sequence(status(503, Retry_After="1"), pdf(BODY))
    start = time.monotonic()
    got = fetch_source(source(site.url("/busy.pdf")), settings=settings)
    assert got.status == "downloaded"
    assert time.monotonic() - start >= 1.0


def test_retry_after_longer_than_allowed_fails_at_once(site, settings):
    site.routes["/later.pdf"] = status(503, Retry_After="3600")
    with pytest.raises(HttpStatusError) as e:
        fetch_source(source(site.url("/later.pdf")), settings=settings)
    assert e.value.error_class == "http_503"
    assert "retry after 3600 s" in str(e.value)
    assert len(site.hits("/later.pdf")) == 1


def test_timeout_is_retried_then_recorded(site, settings):
    site.routes["/slow.pdf"] = stall(site, 5)
    s = settings.but(attempts=2, read_timeout_s=0.3)
    with pytest.raises(FetchTimeout, match="read timeout") as e:
        fetch_source(source(site.url("/slow.pdf")), settings=s)
    assert "after 2 attempts" in str(e.value)
    assert len(site.hits("/slow.pdf")) == 2
    (rec,) = FetchIndex(s.raw_dir).history()
    assert (rec.outcome, rec.error_class, rec.attempts) == ("failed", "timeout", 2)


def test_deadline_bounds_a_slow_drip(site, settings):
    site.routes["/drip.pdf"] = drip(site, BODY, every=0.1)
    s = settings.but(deadline_s=0.6, read_timeout_s=1.0)
    start = time.monotonic()
    with pytest.raises(FetchTimeout, match="deadline"):
        fetch_source(source(site.url("/drip.pdf")), settings=s)
    assert time.monotonic() - start < 2.0
    assert only_pdfs(s) == []


def test_connection_dropped_mid_body(site, settings):
    site.routes["/cut.pdf"] = reset_mid_body(BODY, after=len(BODY) // 2)
    with pytest.raises(IncompleteBody, match="connection ended after") as e:
        fetch_source(source(site.url("/cut.pdf")), settings=settings)
    assert e.value.error_class == "incomplete_body"
    assert len(site.hits("/cut.pdf")) == 3  # transient: every attempt used
    assert only_pdfs(settings) == []  # no partial file left behind


def test_body_shorter_than_content_length(site, settings):
    site.routes["/short.pdf"] = short_body(BODY[:500], declared=len(BODY))
    with pytest.raises(IncompleteBody, match=f"Content-Length {len(BODY)}"):
        fetch_source(source(site.url("/short.pdf")), settings=settings)
    assert only_pdfs(settings) == []


def test_html_served_as_pdf_is_refused_without_retry(site, settings):
    site.routes["/page.pdf"] = html_as_pdf()
    with pytest.raises(BodyNotPdf, match=r"application/pdf.*DOCTYPE") as e:
        fetch_source(source(site.url("/page.pdf")), settings=settings)
    assert e.value.error_class == "body_not_pdf"
    assert len(site.hits("/page.pdf")) == 1
    assert only_pdfs(settings) == []


def test_redirect_loop(site, settings):
    site.routes["/a"] = redirect("/b")
    site.routes["/b"] = redirect(site.url("/a"))
    with pytest.raises(RedirectLoop, match=r"/a → .*/b → .*/a"):
        fetch_source(source(site.url("/a")), settings=settings)
    assert len(site.seen) == 2


def test_redirect_to_file_scheme(site, settings):
    site.routes["/f.pdf"] = redirect("file:///etc/passwd")
    with pytest.raises(ForbiddenScheme, match="file:///etc/passwd"):
        fetch_source(source(site.url("/f.pdf")), settings=settings)


def test_redirect_to_private_address_is_refused_before_any_socket(site, settings, connections):
    names = Names({"intranet.test": "10.0.0.1"})
    site.routes["/moved.pdf"] = redirect("http://intranet.test/report.pdf")
    with pytest.raises(ForbiddenAddress, match=r"intranet\.test resolves to 10\.0\.0\.1"):
        fetch_source(source(site.url("/moved.pdf")), settings=settings, resolver=names)
    assert names.asked == ["intranet.test"]  # the guard looked the name up ...
    assert connections == ["127.0.0.1"]  # ... and only the first hop ever connected


def test_private_host_never_gets_a_socket(settings, connections):
    names = Names({"intranet.test": "10.0.0.1"})
    with pytest.raises(ForbiddenAddress):
        fetch_source(source("http://intranet.test/r.pdf"), settings=settings, resolver=names)
    assert connections == []


@pytest.mark.parametrize(
    ("ip", "allowed"),
    [
        ("10.0.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("fe80::1", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
    ],
)
def test_address_policy(ip, allowed):
    assert (refusal(ipaddress.ip_address(ip), FetchSettings()) is None) == allowed


def test_allow_private_still_refuses_link_local():
    s = FetchSettings(allow_private=True)
    assert refusal(ipaddress.ip_address("10.0.0.1"), s) is None
    assert refusal(ipaddress.ip_address("127.0.0.1"), s) is None
    assert refusal(ipaddress.ip_address("169.254.169.254"), s) == "link-local"


def test_loopback_is_refused_by_default(site, settings, connections):
    with pytest.raises(ForbiddenAddress, match="loopback"):
        fetch_source(source(site.url("/x.pdf")), settings=settings.but(allow_networks=()))
    assert connections == [] and site.seen == []


def test_404_is_not_retried(site, settings):
    with pytest.raises(HttpStatusError, match="HTTP 404") as e:
        fetch_source(source(site.url("/gone.pdf")), settings=settings)
    assert e.value.error_class == "http_404"
    assert len(site.hits("/gone.pdf")) == 1


def test_wrong_sha256_is_refused_and_not_stored(site, settings):
    site.routes["/r.pdf"] = pdf(BODY)
    with pytest.raises(ChecksumMismatch, match="not the manifest's 0000"):
        fetch_source(source(site.url("/r.pdf"), sha256="0" * 64), settings=settings)
    assert only_pdfs(settings) == []
    (rec,) = FetchIndex(settings.raw_dir).history()
    assert rec.error_class == "checksum_mismatch"


def test_size_cap(site, settings):
    site.routes["/big.pdf"] = pdf(BODY)
    with pytest.raises(TooLarge):
        fetch_source(source(site.url("/big.pdf")), settings=settings.but(max_bytes=1000))


# -- idempotence: conditional re-fetch, new versions --------------------------


def test_rerun_is_conditional_and_returns_the_stored_file(site, settings):
    site.routes["/r.pdf"] = pdf(BODY, etag='"v1"')
    src = source(site.url("/r.pdf"))
    first = fetch_source(src, settings=settings)
    again = fetch_source(src, settings=settings)
    assert (first.status, again.status) == ("downloaded", "not_modified")
    assert (again.path, again.sha256) == (first.path, first.sha256)
    assert site.seen[-1].headers["if-none-match"] == '"v1"'
    history = FetchIndex(settings.raw_dir).history(src.url)
    assert [r.outcome for r in history] == ["not_modified", "downloaded"]
    assert history[0].etag == '"v1"'


def test_last_modified_is_used_when_there_is_no_etag(site, settings):
    site.routes["/r.pdf"] = pdf(BODY, last_modified=1_700_000_000)
    src = source(site.url("/r.pdf"))
    fetch_source(src, settings=settings)
    again = fetch_source(src, settings=settings)
    assert again.status == "not_modified"
    assert site.seen[-1].headers["if-modified-since"].endswith("GMT")


def test_changed_file_is_a_new_version_and_the_old_one_is_kept(site, settings):
    site.routes["/r.pdf"] = pdf(BODY, etag='"v1"')
    src = source(site.url("/r.pdf"))
    v1 = fetch_source(src, settings=settings)
    site.routes["/r.pdf"] = pdf(BODY + b"% revised\n", etag='"v2"')
    v2 = fetch_source(src, settings=settings)
    assert v2.status == "downloaded" and v2.sha256 != v1.sha256
    assert v1.path.exists() and v2.path.exists()  # the raw store keeps history
    assert [r.sha256 for r in FetchIndex(settings.raw_dir).history(src.url)] == [
        v2.sha256,
        v1.sha256,
    ]


def test_altered_stored_copy_is_fetched_again(site, settings):
    site.routes["/r.pdf"] = pdf(BODY, etag='"v1"')
    src = source(site.url("/r.pdf"))
    first = fetch_source(src, settings=settings)
    first.path.write_bytes(b"%PDF-tampered")
    again = fetch_source(src, settings=settings)
    assert again.status == "downloaded" and sha256_file(again.path) == first.sha256


# -- many sources: parallel hosts, polite per host, failures isolated ---------


def test_fetch_many_isolates_failures_and_is_polite_per_host(settings):
    with FakeServer() as a, FakeServer() as b:
        a.routes["/1.pdf"] = pdf(BODY)
        a.routes["/2.pdf"] = pdf(BODY + b"2")
        b.routes["/1.pdf"] = html_as_pdf()
        srcs = sources(
            [
                ("a1", a.url("/1.pdf"), None),
                ("a2", a.url("/2.pdf"), None),
                ("b1", b.url("/1.pdf"), None),
                ("b2", b.url("/404.pdf"), None),
            ]
        )
        start = time.monotonic()
        results = fetch_many(srcs, settings=settings.but(host_delay_s=0.4))
        took = time.monotonic() - start
    kinds = [getattr(r, "error_class", None) or r.status for r in results]
    assert kinds == ["downloaded", "downloaded", "body_not_pdf", "http_404"]
    assert 0.4 <= took < 1.5  # one pause per host, hosts in parallel


def test_fetch_order_round_robins_hosts_and_chains_each_host():
    srcs = sources(
        [
            ("a1", "http://a.test/1.pdf", None),
            ("a2", "http://a.test/2.pdf", None),
            ("b1", "http://b.test/1.pdf", None),
            ("a3", "http://a.test/3.pdf", None),
        ]
    )
    order = [(s.id, p.id if p else None) for s, p in fetch_order(srcs)]
    assert order == [("a1", None), ("b1", None), ("a2", "a1"), ("a3", "a2")]


def test_parse_retry_after():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_settings_from_env(monkeypatch):
    monkeypatch.setenv("JIXIAO_FETCH_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("JIXIAO_FETCH_ALLOW_NETWORKS", "127.0.0.0/8, 10.1.0.0/16")
    monkeypatch.setenv("JIXIAO_FETCH_HOST_DELAY", "2.5")
    monkeypatch.setenv("JIXIAO_FETCH_CONTACT", "data-team@example.org")
    s = FetchSettings.from_env()
    assert s.allow_private and len(s.allow_networks) == 2 and s.host_delay_s == 2.5
    assert "contact: data-team@example.org" in s.user_agent


def test_settings_for_the_user_agent_and_the_https_fallback_from_env(monkeypatch):
    assert FetchSettings.from_env().https_fallback
    monkeypatch.setenv("JIXIAO_FETCH_HTTPS_FALLBACK", "0")
    monkeypatch.setenv("JIXIAO_FETCH_USER_AGENT", "jixiao/0.1 (+mailto:ops@example.org)")
    s = FetchSettings.from_env()
    assert not s.https_fallback
    assert s.user_agent == "jixiao/0.1 (+mailto:ops@example.org)"


def test_https_host_whose_tls_fails_is_fetched_over_http_and_recorded(settings, caplog):
    with FakeServer(tls_fails=True, agent=settings.user_agent) as broken:
        broken.routes["/r.pdf"] = pdf(BODY)
        url = f"https://127.0.0.1:{broken.port}/r.pdf"
        got = fetch_source(source(url), settings=settings)
        again = fetch_source(source(url, sid="s2"), settings=settings)
        assert (got.status, got.final_url) == (
            "downloaded",
            f"http://127.0.0.1:{broken.port}/r.pdf",
        )
        assert again.sha256 == got.sha256
        # a fresh client tries TLS again: one failed handshake per client, not per request
        assert broken.tls_attempts == 2
        assert broken.refused_agents == []
    records = FetchIndex(settings.raw_dir).history()
    assert [(r.url.split(":")[0], r.final_url.split(":")[0]) for r in records] == [
        ("https", "http")
    ] * 2
    assert any("TLS handshake failed" in r.message for r in caplog.records)


def test_https_fallback_can_be_switched_off(settings):
    with FakeServer(tls_fails=True) as broken:
        broken.routes["/r.pdf"] = pdf(BODY)
        url = f"https://127.0.0.1:{broken.port}/r.pdf"
        with pytest.raises(ConnectionFailed, match="SSL"):
            fetch_source(source(url), settings=settings.but(https_fallback=False, attempts=1))
        assert not broken.hits("/r.pdf")
    (rec,) = FetchIndex(settings.raw_dir).history()
    assert (rec.outcome, rec.error_class) == ("failed", "connection_failed")


# -- the real flow: failed sources are recorded, the others still load ---------


@pytest.mark.slow
def test_flow_loads_good_sources_and_records_each_failure(
    prefect_harness, site, tmp_path, monkeypatch
):
    from jixiao_flows.ingest import ingest_flow

    monkeypatch.setenv("JIXIAO_FETCH_ALLOW_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("JIXIAO_FETCH_HOST_DELAY", "0")
    monkeypatch.setenv("JIXIAO_FETCH_BACKOFF", "0.05")
    monkeypatch.setenv("JIXIAO_RAW_DIR", str(tmp_path / "raw"))
    sample = (SAMPLES / "huangpu-2022.pdf").read_bytes()
    site.routes["/huangpu.pdf"] = pdf(sample, etag='"h1"')
    site.routes["/html.pdf"] = html_as_pdf()
    site.routes["/file.pdf"] = redirect("file:///etc/passwd")
    manifest = tmp_path / "web.yaml"
    entry = {"district_code": "440112", "year": 2022, "department": "政务服务数据管理局"}
    manifest.write_text(
        yaml.safe_dump(
            [
                {"id": "good", "url": site.url("/huangpu.pdf"), **entry},
                {"id": "gone", "url": site.url("/gone.pdf"), **entry},
                {"id": "html", "url": site.url("/html.pdf"), **entry},
                {"id": "file", "url": site.url("/file.pdf"), **entry},
            ],
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "w.duckdb")
    outcomes = ingest_flow(sources=[str(manifest)], db=db)
    got = {o.source_id: (o.status, o.error_class) for o in outcomes}
    assert got == {
        "good": ("loaded", None),
        "gone": ("failed", "http_404"),
        "html": ("failed", "body_not_pdf"),
        "file": ("failed", "forbidden_scheme"),
    }
    con = duckdb.connect(db, read_only=True)
    rows = con.execute(
        "select source_id, stage, status, error_class, message from source_status order by 1"
    ).fetchall()
    source_url = con.execute("select source_url from dim_report").fetchall()
    con.close()
    assert {r[0]: r[1:4] for r in rows}["gone"] == ("fetch", "failed", "http_404")
    assert "file:///etc/passwd" in {r[0]: r[4] for r in rows}["file"]
    assert source_url == [(site.url("/huangpu.pdf"),)]

    # re-run, nothing changed: a conditional request, a 304, nothing extracted
    site.routes["/huangpu.pdf"] = pdf(sample, etag='"h1"')
    outcomes = ingest_flow(sources=[str(manifest)], db=db, only=["good"])
    assert [(o.source_id, o.status) for o in outcomes] == [("good", "unchanged")]
    assert site.hits("/huangpu.pdf")[-1].headers["if-none-match"] == '"h1"'

    # the site takes the file down: the failure is recorded, the loaded version stays
    del site.routes["/huangpu.pdf"]
    outcomes = ingest_flow(sources=[str(manifest)], db=db, only=["good"])
    assert [(o.source_id, o.status, o.error_class) for o in outcomes] == [
        ("good", "failed", "http_404")
    ]
    con = duckdb.connect(db, read_only=True)
    assert con.execute("select count(*) from dim_report").fetchone() == (1,)
    con.close()
