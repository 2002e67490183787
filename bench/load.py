"""Load on the API: 50 concurrent clients for 30 seconds per endpoint against a store of one million events.

Serves the store with `dyad serve` (uvicorn) on 127.0.0.1 and, for each endpoint group in turn, runs --clients
clients that each send a request as soon as their last one is answered, for --duration seconds or --max-requests
requests, whichever comes first. Before the clients, the group's first request is asked (again, past --timeout)
until it is answered: the time it took is printed as `first` (the network, an analysis of every event, is
computed once per store version and kept for every server process). Prints, per group: that time, then for the
clients requests, throughput, p50 and p99 latency (and the p99 of the requests sent after the first 5 seconds,
once most answers are kept), the server's CPU time per request (all its processes, read from /proc), errors (any
answer other than 200, and timeouts), and the machine's load average: on a shared machine latency says as much
about the neighbours as about the server. The store is made by bench/make_events.py on first use. Every run
starts cold: answers an earlier server kept beside the store are removed first (unless --keep-answers). The
clients run on uvloop when it is installed (it comes with dyad).

    .venv/bin/python bench/load.py                               # bench-output/load.db: 1,000,000 events
    .venv/bin/python bench/load.py --events 100000 --db /tmp/small.db --duration 10

The server runs --workers processes (default: one per core) without its per-address rate limit
(DYAD_API_RATE_LIMIT=0): all clients here share one address, which the limit would rightly throttle. A store of an
older schema is migrated when the server opens it (at one million events, building the v5 indexes takes a minute
or two). Groups:

    events   /api/events pages: no filter, a frequent actor or dyad, a type and dates, and the page after each
    filters  /api/events pages filtered by any actor or dyad, rare ones included
    series   /api/series for a dyad by month (the dashboard's timeline)
    network  /api/network (top brokers) over the last 90 days of events
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_DB = ROOT / "bench-output" / "load.db"
DYAD = str(Path(sys.executable).with_name("dyad"))

# The six most frequent actors of the synthetic store (each in 4-11% of events), then rarer ones (0.5-1%).
SETTLE = 5.0  # seconds after which a group's answers are mostly kept: its requests also get a p99 of their own
FREQUENT = ["USA", "RUS", "CHN", "UKR", "ISR", "IRN"]
ACTORS = [*FREQUENT, "TUR", "QAT", "EGY", "IND", "Hamas", "NATO", "BRA", "KEN"]
TYPES = ["CONSULT", "AGREE", "SUPPORT", "ACCUSE", "THREATEN", "ASSAULT", "AID", "REQUEST"]


@dataclass
class Tally:
    """Latencies (seconds) and errors of one group."""

    latencies: list[float] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)  # of the requests sent after the first SETTLE seconds
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu: float | None = None  # CPU seconds the server processes used meanwhile
    first: float | None = None  # seconds until the group's first request was answered (before the clients)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    def took(self, seconds: float, settled: bool) -> None:
        self.latencies.append(seconds)
        if settled:
            self.settled.append(seconds)

    def line(self, name: str) -> str:
        n = len(self.latencies)
        first = f"{self.first:>8.1f}s" if self.first is not None else f"{'none':>9}"
        if not n:
            return (f"{name:<8} {first} {0:>8} {'-':>10} {'-':>9} {'-':>9} {'-':>9} {'-':>10} "
                    f"{sum(self.errors.values()):>7}")
        cpu = f"{self.server_cpu / n * 1000:>8.1f}ms" if self.server_cpu is not None else f"{'-':>10}"
        later = f"{_p99(self.settled):>7.0f}ms" if self.settled else f"{'-':>9}"
        p50 = statistics.median(self.latencies) * 1000
        return (f"{name:<8} {first} {n:>8} {n / self.seconds:>8.1f}/s {p50:>7.0f}ms "
                f"{_p99(self.latencies):>7.0f}ms {later} {cpu} {sum(self.errors.values()):>7}"
                + (f"  {self.errors}" if self.errors else ""))


def _p99(seconds: list[float]) -> float:
    ms = sorted(x * 1000 for x in seconds)
    return ms[min(len(ms) - 1, int(0.99 * len(ms)))]


def _events_url(rng: random.Random) -> str:
    """The dashboard's events table: the first page, a frequent actor, a type since a date (and next pages)."""
    r = rng.random()
    if r < 0.3:
        return "/api/events?limit=50"
    if r < 0.6:
        return f"/api/events?actor={rng.choice(FREQUENT)}&limit=50"
    if r < 0.8:
        a, b = rng.sample(FREQUENT, 2)
        return f"/api/events?actor={a}&recipient={b}&limit=50"
    return f"/api/events?type={rng.choice(TYPES)}&since=20{rng.randint(15, 23)}-01-01&limit=50"


def _rare_url(rng: random.Random) -> str:
    """Actor and dyad filters over all actors, rare ones included: a page needs a long scan when few events match."""
    if rng.random() < 0.5:
        return f"/api/events?actor={rng.choice(ACTORS)}&limit=50"
    a, b = rng.sample(ACTORS, 2)
    return f"/api/events?actor={a}&recipient={b}&limit=50"


GROUPS = {
    "events": _events_url,
    "filters": _rare_url,
    "series": lambda rng: "/api/series?a={}&b={}&by=month".format(*rng.sample(ACTORS[:8], 2)),
    "network": lambda rng: "/api/network?since=2024-10-01&as_of=2024-12-31",
}


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs and reads answers with a Content-Length (all dyad's are).

    The clients use this rather than httpx: on the 2-core reference machine an httpx request costs the client more
    CPU (about 7 ms) than a kept events page costs the server, so the load generator would measure itself.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """Status and body of GET `path`; raises OSError (or IncompleteReadError) when the connection fails."""
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode("ascii"))
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
            fields = {k.strip().lower(): v.strip() for k, v in headers.items()}
            body = await reader.readexactly(int(fields.get("content-length", "0")))
            if fields.get("connection", "").lower() == "close":
                self.close()
            return status, body
        except BaseException:
            self.close()  # half-read answers must not be mistaken for the next one's
            raise

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _client(base: tuple[str, int], group: str, rng: random.Random, started: float, until: float,
                  budget: list[int], tally: Tally, timeout: float) -> None:
    http = Connection(*base)
    follow: str | None = None
    try:
        while time.monotonic() < until and budget[0] > 0:
            budget[0] -= 1
            url = follow or GROUPS[group](rng)
            follow = None
            began = time.monotonic()
            settled = began - started >= SETTLE
            try:
                status, body = await asyncio.wait_for(http.get(url), timeout)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as exc:
                tally.took(time.monotonic() - began, settled)
                tally.error(type(exc).__name__)
                continue
            tally.took(time.monotonic() - began, settled)
            if status != 200:
                tally.error(str(status))
            elif group in ("events", "filters") and rng.random() < 0.5:
                cursor = json.loads(body).get("next_cursor")
                if cursor:  # the next page, as a person paging through would ask for
                    follow = f"{url}&cursor={cursor}"
    finally:
        http.close()


async def run_group(base: str, group: str, clients: int, duration: float, max_requests: int,
                    timeout: float, seed: int, server_pid: int | None = None, first_limit: float = 600.0) -> Tally:
    """Run `clients` closed-loop clients on one group; the tally of their requests (and of the server's CPU)."""
    tally = Tally()
    url = httpx.URL(base)
    address = (url.host, url.port or 80)
    # The group's first request, asked again until answered (within `first_limit` seconds): it loads the store
    # and the analysis tables, and an analysis of the whole store (the network) is computed once per store
    # version, however long it takes; the server keeps computing it past a request's time limit.
    warm = Connection(*address)
    began = time.monotonic()
    try:
        while time.monotonic() - began < first_limit:
            try:
                status, _ = await asyncio.wait_for(warm.get(GROUPS[group](random.Random(seed))), timeout)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                continue
            if status == 200:
                tally.first = time.monotonic() - began
                break
            await asyncio.sleep(1.0)
    finally:
        warm.close()
    before = server_cpu(server_pid) if server_pid else None
    started = time.monotonic()
    budget = [max_requests]
    await asyncio.gather(*[_client(address, group, random.Random(seed * 1000 + n), started, started + duration, budget,
                                   tally, timeout) for n in range(clients)])
    tally.seconds = time.monotonic() - started
    after = server_cpu(server_pid) if server_pid else None
    tally.server_cpu = after - before if before is not None and after is not None else None
    return tally


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int, timeout: float, workers: int) -> subprocess.Popen:
    """Start `dyad serve` on 127.0.0.1 and wait until it answers (opening may migrate the store first)."""
    env = {**os.environ, "DYAD_API_RATE_LIMIT": "0", "DYAD_API_REQUEST_TIMEOUT": str(timeout)}
    # The server's own account of errors (standard error), for when there are any; the access log (standard output,
    # a line per request) is dropped: writing it to a file would weigh on the figures.
    log = open(db.with_name("load-server.log"), "wb")
    server = subprocess.Popen([DYAD, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
                               "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=log)
    log.close()  # the server holds its own copy
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"dyad serve stopped (exit {server.returncode})")
        time.sleep(0.3)
    server.kill()
    raise SystemExit("dyad serve did not answer within 900 s")


def server_cpu(pid: int) -> float | None:
    """CPU seconds used so far by a process and its children (uvicorn's workers); None off Linux."""
    def used(p: str) -> tuple[int, float]:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    try:
        total = used(str(pid))[1]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent, seconds = used(entry.name)
                except (OSError, IndexError, ValueError):
                    continue
                total += seconds if parent == pid else 0.0
        return total
    except (OSError, IndexError, ValueError):
        return None


def _load() -> str:
    """The machine's 1, 5 and 15 minute load averages: the figures mean little without them."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--events", type=int, default=1_000_000, help="Events in a store made on first use.")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds per group.")
    parser.add_argument("--max-requests", type=int, default=50_000, help="Requests per group at most.")
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds a request may take (client and server).")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="Server processes.")
    parser.add_argument("--group", action="append", choices=list(GROUPS), help="Only these groups (repeatable).")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--first-limit", type=float, default=600.0,
                        help="Seconds to wait for a group's first answer (asked again past --timeout).")
    parser.add_argument("--keep-answers", action="store_true",
                        help="Start with the answers an earlier run's server kept beside the store (default: none).")
    args = parser.parse_args(argv)
    try:  # the clients share the machine with the server: the lighter their event loop, the less they weigh
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    if not args.db.exists():
        import make_events

        make_events.make(args.db, args.events)
    if not args.keep_answers:  # every run starts cold: no answers kept by an earlier server (api/shelf.py)
        for leftover in (args.db.with_name(args.db.name + "-answers" + end) for end in ("", "-wal", "-shm", ".lock")):
            leftover.unlink(missing_ok=True)
    port = _free_port()
    server = serve(args.db, port, args.timeout, args.workers)
    try:
        print(f"{args.clients} clients, {args.duration:g} s per group, {args.workers} server processes, "
              f"store {args.db}; load average {_load()}")
        print(f"{'group':<8} {'first':>9} {'requests':>8} {'throughput':>10} {'p50':>9} {'p99':>9} {'p99 >5s':>9} "
              f"{'server CPU':>10} {'errors':>7}   (first: the group's first answer, before the clients; p99 >5s: of "
              f"the requests sent after the first {SETTLE:g} s; server CPU: per request, all server processes)")
        for group in args.group or list(GROUPS):
            tally = asyncio.run(run_group(f"http://127.0.0.1:{port}", group, args.clients, args.duration,
                                          args.max_requests, args.timeout, args.seed, server.pid,
                                          args.first_limit))
            print(f"{tally.line(group)}  (load {_load()})", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
