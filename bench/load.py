"""Load on the API: 50 concurrent clients for 30 seconds per endpoint against a store of one million events.

Serves the store with `dyad serve` (uvicorn) on 127.0.0.1 and, for each endpoint group in turn, runs --clients
clients that each send a request as soon as their last one is answered, for --duration seconds or --max-requests
requests, whichever comes first. Prints, per group: requests, throughput, p50 and p99 latency, errors (any answer
other than 200, and timeouts). The store is made by bench/make_events.py on first use.

    .venv/bin/python bench/load.py                               # bench-output/load.db: 1,000,000 events
    .venv/bin/python bench/load.py --events 100000 --db /tmp/small.db --duration 10

The server runs without its per-address rate limit (DYAD_API_RATE_LIMIT=0): all clients here share one address,
which the limit would rightly throttle. Groups:

    events   /api/events pages: no filter, a frequent actor or dyad, a type and dates, and the page after each
    filters  /api/events pages filtered by any actor or dyad, rare ones included
    series   /api/series for a dyad by month (the dashboard's timeline)
    network  /api/network (top brokers) over the last 90 days of events
"""

from __future__ import annotations

import argparse
import asyncio
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
FREQUENT = ["USA", "RUS", "CHN", "UKR", "ISR", "IRN"]
ACTORS = [*FREQUENT, "TUR", "QAT", "EGY", "IND", "Hamas", "NATO", "BRA", "KEN"]
TYPES = ["CONSULT", "AGREE", "SUPPORT", "ACCUSE", "THREATEN", "ASSAULT", "AID", "REQUEST"]


@dataclass
class Tally:
    """Latencies (seconds) and errors of one group."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    def line(self, name: str) -> str:
        n = len(self.latencies)
        if not n:
            return f"{name:<8} {0:>8} {'-':>9} {'-':>9} {'-':>9} {sum(self.errors.values()):>7}"
        ms = sorted(x * 1000 for x in self.latencies)
        p99 = ms[min(n - 1, int(0.99 * n))]
        return (f"{name:<8} {n:>8} {n / self.seconds:>8.1f}/s {statistics.median(ms):>7.0f}ms {p99:>7.0f}ms "
                f"{sum(self.errors.values()):>7}" + (f"  {self.errors}" if self.errors else ""))


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


async def _client(http: httpx.AsyncClient, group: str, rng: random.Random, until: float, budget: list[int],
                  tally: Tally) -> None:
    follow: str | None = None
    while time.monotonic() < until and budget[0] > 0:
        budget[0] -= 1
        url = follow or GROUPS[group](rng)
        follow = None
        began = time.monotonic()
        try:
            res = await http.get(url)
        except httpx.HTTPError as exc:
            tally.latencies.append(time.monotonic() - began)
            tally.error(type(exc).__name__)
            continue
        tally.latencies.append(time.monotonic() - began)
        if res.status_code != 200:
            tally.error(str(res.status_code))
        elif group in ("events", "filters") and rng.random() < 0.5:
            cursor = res.json().get("next_cursor")
            if cursor:  # the next page, as a person paging through would ask for
                follow = f"{url}&cursor={cursor}"


async def run_group(base: str, group: str, clients: int, duration: float, max_requests: int,
                    timeout: float, seed: int) -> Tally:
    """Run `clients` closed-loop clients on one group; the tally of their requests."""
    tally = Tally()
    # Idle connections are dropped before the server's 5-second keep-alive ends, so none is closed under a request.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=4.0)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as http:
        try:  # warm caches: the first request loads the store and the analysis tables
            await http.get(GROUPS[group](random.Random(seed)))
        except httpx.HTTPError:
            pass
        started = time.monotonic()
        budget = [max_requests]
        await asyncio.gather(*[_client(http, group, random.Random(seed * 1000 + n), started + duration, budget, tally)
                               for n in range(clients)])
        tally.seconds = time.monotonic() - started
    return tally


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int, timeout: float) -> subprocess.Popen:
    """Start `dyad serve` on 127.0.0.1 and wait until it answers."""
    env = {**os.environ, "DYAD_API_RATE_LIMIT": "0", "DYAD_API_REQUEST_TIMEOUT": str(timeout)}
    server = subprocess.Popen([DYAD, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
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
    raise SystemExit("dyad serve did not answer within 120 s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--events", type=int, default=1_000_000, help="Events in a store made on first use.")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds per group.")
    parser.add_argument("--max-requests", type=int, default=50_000, help="Requests per group at most.")
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds a request may take (client and server).")
    parser.add_argument("--group", action="append", choices=list(GROUPS), help="Only these groups (repeatable).")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.db.exists():
        import make_events

        make_events.make(args.db, args.events)
    port = _free_port()
    server = serve(args.db, port, args.timeout)
    try:
        print(f"{args.clients} clients, {args.duration:g} s per group, store {args.db}")
        print(f"{'group':<8} {'requests':>8} {'throughput':>10} {'p50':>9} {'p99':>9} {'errors':>7}")
        for group in args.group or list(GROUPS):
            tally = asyncio.run(run_group(f"http://127.0.0.1:{port}", group, args.clients, args.duration,
                                          args.max_requests, args.timeout, args.seed))
            print(tally.line(group), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
