"""Actor resolution against the PETRARCH-2 validation records (gold CAMEO source/target codes).

For each record with <EventCoding sourcecode=.. targetcode=..> gold, dyad's pipeline codes the <Text> (dated
by the record) and every distinct gold code of the sentence is scored:

- country: some resolved mention in the sentence has the code's country (the CAMEO country part mapped to
  ISO by dyad's cameo_countries.tsv; IGO/NGO codes count as "countries" matched by a mention of an
  international body of that type). Codes with no country (---, ---REB, IMG...) are not scored here.
- country+sector: for codes with a sector part (USAGOV -> GOV, IGOUNOMIL -> MIL, ---REB -> REB), some
  mention has both the country (when the code has one) and that PLOVER sector (cameo_sectors.tsv). A sector
  part may name several roles (PSEREBHMSGOV: REB and GOV; IRQGOVMIL: GOV and MIL): any of them counts.

A second country+sector figure reads CAMEO's OPP as PLOVER does for people: activists, protesters and
demonstrators are CVL, with OPP "typically assigned as a secondary code" (PLOVER manual, sector codes);
dyad gives one sector, so CVL is also accepted there. The first figure is the strict one.

The gold is small and partly system-derived (built from PETRARCH-2 output, then corrected), so read the
misses, not just the figures.

    .venv/bin/python bench/actors.py [--verbose] [--gold PATH] [--user-actors PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dyad.actors.cameo import CameoCodes
from dyad.actors.kb import KnowledgeBase
from dyad.actors.petrarch import parse_cameo_date
from dyad.evaluate.gold import read_petr
from dyad.model import Actor
from dyad.nlp import build_pipeline
from dyad.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "petr2_gsr_validation" / "PETR2_GSR_validation.xml"
INTERNATIONAL = frozenset({"IGO", "NGO"})


@dataclass(frozen=True)
class Want:
    """What a gold code asks for: a country (or IGO/NGO) and sectors (any one will do), either possibly empty."""

    code: str
    where: str | None
    sectors: tuple[str, ...]


def want(codes: CameoCodes, code: str) -> Want:
    """Read a gold CAMEO code as the country and sector a mention must have."""
    parsed = codes.parse(code)
    if parsed.country:
        return Want(code, parsed.country, parsed.sectors)
    if parsed.sector in INTERNATIONAL:
        return Want(code, parsed.sector, parsed.sectors[1:])  # IGOUNOMIL: an IGO's military
    return Want(code, None, parsed.sectors)


def where_of(actor: Actor, kb: KnowledgeBase) -> str | None:
    """A mention's country, or IGO/NGO for an international body (also when only its affiliation says so)."""
    if actor.country:
        return actor.country
    if actor.sector in INTERNATIONAL:
        return actor.sector
    if actor.affiliation:
        body = kb.resolve(actor.affiliation)
        if body is not None and body.actor.sector in INTERNATIONAL and not body.actor.country:
            return body.actor.sector
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", default=str(GOLD), help="PETRARCH validation XML file")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    parser.add_argument("--user-actors", help="user actor layer to load on top of the built-in one")
    args = parser.parse_args(argv)
    if not Path(args.gold).exists():
        print(f"needs {args.gold} (../shared is not present here)", file=sys.stderr)
        return 2

    records = [r for r in read_petr(args.gold) if r.triples]
    texted = [r for r in records if r.text.strip()]
    codes = CameoCodes.load()
    settings = Settings.from_env(user_actors=args.user_actors)
    started = time.perf_counter()
    nlp = build_pipeline(settings)
    kb = nlp.get_pipe("dyad_actors").kb

    def doc_of(record):
        doc = nlp.make_doc(record.text)
        try:
            doc._.article_date = parse_cameo_date(record.date or "")
        except ValueError:
            doc._.article_date = None
        return doc

    n_where = ok_where = n_sector = ok_sector = ok_plover = 0
    misses = 0
    for record, doc in zip(texted, nlp.pipe(doc_of(r) for r in texted)):
        found = [(s.text, where_of(s.actor, kb), s.actor.sector) for s in doc._.actor_spans or []]
        wanted = list(dict.fromkeys(want(codes, c) for t in record.triples for c in (t.source_code, t.target_code)))
        missed = []
        for w in wanted:
            if w.where:
                n_where += 1
                hit = any(where == w.where for _, where, _ in found)
                ok_where += hit
                if not hit:
                    missed.append(f"{w.code}: country {w.where}")
            if w.sectors:
                n_sector += 1
                place = [sector for _, where, sector in found if w.where is None or where == w.where]
                hit = any(sector in w.sectors for sector in place)
                ok_sector += hit
                ok_plover += hit or ("OPP" in w.sectors and "CVL" in place)
                if not hit:
                    missed.append(f"{w.code}: country+sector {w.where or '-'} {'/'.join(w.sectors)}")
        misses += len(missed)
        if args.verbose and missed:
            print(f"miss {record.id}: " + "; ".join(missed))
            print(f"     text: {record.text}")
            print("     dyad: " + ("; ".join(f"[{t}] {w or '-'} {s or '-'}" for t, w, s in found) or "no mentions"))
    seconds = time.perf_counter() - started

    def rate(ok: int, n: int) -> str:
        return f"{ok}/{n} = {ok / n:.3f}" if n else "n/a"

    print(f"dyad actor resolution on {Path(args.gold).name} "
          f"(gold is partly system-derived: built from PETRARCH-2 output, then corrected)")
    print(f"records with gold codes: {len(records)} ({len(records) - len(texted)} without text, skipped)"
          + (f"; user layer {args.user_actors}" if args.user_actors else ""))
    print(f"gold actor codes (distinct per sentence): {len({(r.id, c) for r in texted for t in r.triples for c in (t.source_code, t.target_code)})}")
    print(f"country accuracy:         {rate(ok_where, n_where)}  (codes naming a country, or IGO/NGO)")
    print(f"country+sector accuracy:  {rate(ok_sector, n_sector)}  (codes with a sector part)")
    print(f"  with CAMEO OPP also met by PLOVER CVL (activists, protesters): {rate(ok_plover, n_sector)}")
    print(f"misses: {misses} (--verbose lists them); {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
