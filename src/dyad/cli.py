"""dyad's command line: parse arguments, call the library, format the result."""

from __future__ import annotations

import functools
import json
import os
import sys
from datetime import date
from pathlib import Path

import click

from dyad.formats import FORMATS, write_events, write_summary, write_ties
from dyad.analysis.layouts import EXPORT_FORMATS, LAYOUTS, PERIODS
from dyad.settings import Settings

__all__ = ["main", "EXIT_REFUSED"]

# Exit status when every input was handled but some were refused (bad bytes, empty, no text column).
# 1 is left for crashes and 2 for usage errors (click's own).
EXIT_REFUSED = 3
_NOTES_SHOWN = 20  # repairs printed by `dyad code`; every refusal is printed


def _date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form")


def db_option(func):
    """The --db option shared by every command that reads or writes a store."""
    return click.option("--db", envvar="DYAD_DB", default="dyad.db", show_default=True,
                        help="SQLite file or database URL (env DYAD_DB).")(func)


def format_option(func):
    """The --format option shared by the commands that print events or ties."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(func)


def clean_errors(func):
    """Turn library errors into a one-line message and exit status 1, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            # the reader went away (`dyad events | head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except (OSError, RuntimeError, ValueError) as exc:
            from dyad.store import StoreError  # noqa: F401  (imported lazily: keeps --help fast)
            click.echo(f"dyad: error: {exc}", err=True)
            sys.exit(1)
    return wrapper


def _open_store(db: str):
    from dyad.store import Store, StoreError

    try:
        return Store.open(db)
    except StoreError as exc:
        raise RuntimeError(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dyad")
def main() -> None:
    """dyad: political event data (PLOVER) from news text.

    Example: dyad code examples/ --db dyad.db && dyad events --type CONSULT
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@format_option
@click.option("--date", "day", callback=_date, help="Date (YYYY-MM-DD) for undated plain text.")
@click.option("--text-column", default="text", show_default=True, help="CSV/JSONL column holding the text.")
@click.option("--date-column", default="date", show_default=True, help="CSV/JSONL column holding the date.")
@click.option("--source", help="Source name for articles that do not carry one.")
@click.option("--quiet", "-q", is_flag=True, help="Print no events, only the summary line.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
              help="Processes that parse and code in parallel, each loading the model once; one process "
                   "stores (env DYAD_WORKERS; default 1).")
@clean_errors
def code(paths, db, fmt, day, text_column, date_column, source, quiet, workers):
    """Read articles from PATHS (files, directories, - for stdin), code them and store them.

    Prints the events of newly coded articles; articles already stored are skipped. Repairs (invisible
    characters stripped, a future or unreadable date dropped, a duplicate, an overlong sentence skipped) are
    noted on stderr. Exit status: 0 when every input was coded, 3 when some inputs were refused (each named on
    stderr with its reason), 1 on an error that stopped the run. A run killed at any point can be started
    again: it stores exactly what one uninterrupted run stores.

    Example: dyad code ../shared/seed/2023-11-06-us-qatar-hamas.txt --format jsonl
    """
    from tqdm import tqdm

    from dyad.ingest import ReadOptions, count_inputs
    from dyad.parallel import coder_for
    from dyad.pipeline import code_paths

    options = ReadOptions(date=day, columns={"text": text_column, "date": date_column}, source=source)
    settings = Settings.from_env(db=db, workers=workers)
    store = _open_store(settings.db)
    coder = coder_for(settings)
    files = count_inputs(list(paths))
    bar = tqdm(desc="articles", unit=" art", disable=files <= 1 or not sys.stderr.isatty(), file=sys.stderr)
    with store:
        report = code_paths(paths, store, coder, options, keep=not quiet,
                            progress=lambda n: bar.update(1), stdin=sys.stdin.buffer)
    bar.close()
    if not quiet:
        write_events(sys.stdout, [e for c in report.coded for e in c.events], fmt)
    _print_run(report, settings.db)
    if report.refused:
        sys.exit(EXIT_REFUSED)


@main.command()
@db_option
@format_option
@click.option("--actor", help="Actor country code, name or affiliation (e.g. USA, Hamas).")
@click.option("--recipient", help="Recipient country code, name or affiliation.")
@click.option("--type", "event_type", help="PLOVER event type (e.g. CONSULT).")
@click.option("--since", callback=_date, help="First date (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Last date (YYYY-MM-DD).")
@click.option("--limit", type=int, default=None, help="At most this many events.")
@clean_errors
def events(db, fmt, actor, recipient, event_type, since, until, limit):
    """Print stored events, filtered.

    Example: dyad events --actor USA --recipient QAT --type REQUEST --format jsonl
    """
    with _open_store(db) as store:
        found = store.events(actor=actor, recipient=recipient, event_type=event_type and event_type.upper(),
                             since=since, until=until, limit=limit)
    write_events(sys.stdout, found, fmt)


@main.command()
@db_option
@format_option
@click.option("--actor", help="Country code, name or affiliation on either side.")
@click.option("--kind", help="Tie kind (ally, hosts_military, hosts_leadership, funds, supports, mediates, ...).")
@click.option("--history", is_flag=True,
              help="One history per tie: the reports that assert, strengthen, weaken or end it, and its state now.")
@clean_errors
def ties(db, fmt, actor, kind, history):
    """Print standing ties between actors, or (--history) each tie's history over time.

    Example: dyad ties --actor QAT --history
    """
    if history:
        _tie_histories(db, fmt, actor, kind)
        return
    with _open_store(db) as store:
        found = store.ties(actor=actor, kind=kind)
    write_ties(sys.stdout, found, fmt)


def _tie_histories(db: str, fmt: str, actor: str | None, kind: str | None) -> None:
    from dyad.analysis import Analysis
    from dyad.analysis.records import history_record
    from dyad.analysis.render import render_histories

    with _open_store(db) as store:
        found = Analysis(store).tie_histories(actor=actor, kind=kind)
    if fmt == "table":
        click.echo(render_histories(found))
    else:  # one JSON object per tie, its reports nested (also for csv, whose rows cannot nest)
        _jsonl(history_record(h) for h in found)


@main.command()
@click.argument("article_id")
@db_option
@clean_errors
def show(article_id, db):
    """Show an article's sentences with actors [in brackets] and the events under each sentence.

    Example: dyad show 3f2a9c0d1e2b4a5c
    """
    from dyad.formats import render_article

    with _open_store(db) as store:
        coded = store.article(article_id)
        if coded is None:
            matches = [a.id for a in store.articles() if a.id.startswith(article_id)]
            coded = store.article(matches[0]) if len(matches) == 1 else None
    if coded is None:
        raise RuntimeError(f"no article {article_id!r} in {db}")
    click.echo(render_article(coded))


@main.command()
@db_option
@clean_errors
def summary(db):
    """Print counts of articles, events by type, ties and the most frequent dyads.

    Example: dyad summary --db dyad.db
    """
    with _open_store(db) as store:
        write_summary(sys.stdout, store.summary(), store.articles(limit=10))


@main.command()
@click.argument("gold_file", type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["plv", "petr", "case", "articles"]), default=None,
              help="Gold format (default: guessed: a folder or .jsonl is articles, .xml is petr, a .tsv header "
                   "tells plv from case).")
@click.option("--shared", default="../shared", show_default=True, type=click.Path(file_okay=False),
              help="articles: the shared folder whose corpora the gold's article keys name.")
@click.option("--verbose", "-v", is_flag=True, help="articles: also print every error, one line each.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, allow_dash=True),
              help="Also write the scores as JSON to this file (- for stdout).")
@clean_errors
def evaluate(gold_file, fmt, shared, verbose, json_out):
    """Code the sentences or articles of a gold set and print how dyad's events score against it.

    articles: whole articles of article-level gold (a .jsonl file or a split's folder such as eval/gold/dev;
    docs/annotation.md): strict and relaxed event P/R/F1, field accuracy, ties, confidence thresholds,
    calibration and errors by class. plv: end-to-end, actor/recipient and typed-only recall of gold pairs;
    petr: precision and recall of (source country, target country, PLOVER type) triples; case: type accuracy
    against the CASE 2021 type mapped to PLOVER.

    Example: dyad evaluate eval/gold/dev --format articles
    """
    from dyad.pipeline import Coder

    path = Path(gold_file)
    if fmt is None and (path.is_dir() or path.suffix == ".jsonl"):
        fmt = "articles"
    if fmt != "articles" and path.is_dir():
        raise click.UsageError(f"{gold_file}: a folder is only read with --format articles")
    coder = Coder.from_settings(Settings.from_env())
    if fmt == "articles":
        from dyad.evaluate.truth_report import render
        from dyad.evaluate.truth_run import evaluate_articles, read_gold_path

        scores, _ = evaluate_articles(coder, read_gold_path(path), shared, title=path.name)
        text, as_json = render([scores], verbose=verbose), json.dumps(scores.to_dict(), indent=2)
    else:
        from dyad.evaluate import evaluate_file

        report = evaluate_file(coder, gold_file, fmt)
        text, as_json = report.to_text(), report.to_json()
    if json_out == "-":
        click.echo(as_json)
        return
    click.echo(text)
    if json_out:
        with open(json_out, "w", encoding="utf-8") as handle:
            handle.write(as_json + "\n")


# -- actors: the knowledge base's import and explanation commands -------------------------------

@main.group()
def actors():
    """The actor knowledge base: import PETRARCH dictionaries, explain how a name resolves.

    Example: dyad actors lookup "Antony Blinken" --date 2023-11-06
    """


@actors.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["petrarch"]), default="petrarch", show_default=True,
              help="Dictionary format (PETRARCH/TABARI actor and agent files with CAMEO codes).")
@click.option("--into", default="dyad_user_actors.tsv", show_default=True, type=click.Path(dir_okay=False),
              help="User actor layer file to merge the rows into (use it with DYAD_USER_ACTORS).")
@click.option("--override", is_flag=True, help="Also import names the built-in knowledge base has already.")
@clean_errors
def actors_import(files, fmt, into, override):
    """Convert actor and agent dictionaries into rows of the user actor layer (merged, never duplicated).

    Each actor entry becomes one row per code (its synonyms as aliases, date restrictions as start/end);
    each agent noun a role row. Counts and skipped lines go to stderr.

    Example: dyad actors import ../shared/dictionaries/petrarch2/Phoenix.Countries.actors.txt --into my_actors.tsv
    """
    from dyad.actors.petrarch import import_dictionaries

    report = import_dictionaries(files, into, override)
    merged = report.merged
    click.echo(f"read {len(files)} file{'s' if len(files) != 1 else ''}: {report.actors} actors "
               f"({report.aliases} aliases), {report.agents} agents -> {merged.path}: "
               f"{merged.written} rows written, {merged.already} already there", err=True)
    if report.known:
        click.echo(f"left to the built-in knowledge base: {report.known} names (--override imports them)", err=True)
    reasons = report.reasons()
    if reasons:
        click.echo(f"skipped {len(report.skipped)} lines: "
                   + ", ".join(f"{n} {reason}" for reason, n in reasons.most_common()), err=True)
        for s in report.skipped[:20]:
            click.echo(f"  {s.file}:{s.line}: {s.reason}", err=True)
    if report.unknown_parts:
        click.echo("code parts without a meaning in dyad's CAMEO tables (ignored): "
                   + ", ".join(f"{p} {n}" for p, n in report.unknown_parts.most_common(10)), err=True)


@actors.command("lookup")
@click.argument("name")
@click.option("--date", "day", callback=_date, help="Resolve as of this date (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="Output format.")
@click.option("--user-actors", envvar="DYAD_USER_ACTORS", type=click.Path(dir_okay=False),
              help="User actor layer file (env DYAD_USER_ACTORS).")
@clean_errors
def actors_lookup(name, day, fmt, user_actors):
    """Show every knowledge-base entry for NAME and which one wins on the date, and why.

    A name that is no known alias is resolved as text by the spaCy pipeline.

    Example: dyad actors lookup "the Iranian foreign minister" --date 2024-05-01
    """
    import json

    from dyad.actors.explain import lookup

    found = lookup(name, day, Settings.from_env(user_actors=user_actors))
    if fmt == "jsonl":
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False))
    else:
        click.echo(_lookup_table(found))
    if not found.found:
        sys.exit(1)


def _lookup_table(found) -> str:
    def cell(value) -> str:
        return "-" if value in (None, "") else str(value)

    when = found.day.isoformat() if found.day else "any date"
    lines = [f"{found.name!r} on {when}"]
    if found.candidates:
        lines.append(f"  {'kind':<12} {'name':<34} {'ctry':<4} {'sect':<4} {'affiliation':<24} {'role':<28} "
                     f"{'term':<22} {'on day':<6} {'layer':<7} source")
    for c in found.candidates:
        e = c.entry
        term = f"{cell(e.start)}..{cell(e.end)}" if e.start or e.end else "undated"
        mark = "hidden" if c.hidden else ("holds" if c.holds else "-")
        lines.append(f"  {e.kind:<12} {e.actor.name[:34]:<34} {cell(e.actor.country):<4} {cell(e.actor.sector):<4} "
                     f"{cell(e.actor.affiliation)[:24]:<24} {cell(e.role)[:28]:<28} {term:<22} {mark:<6} "
                     f"{e.layer:<7} {cell(e.source)[:60]}")
    if found.role is not None:
        r = found.role
        lines.append(f"  role noun: {r.noun} -> sector {cell(r.sector)} ({r.kind}, {r.layer})")
    for m in found.mentions:
        a = m.actor
        lines.append(f"  text: [{m.text}] -> {a.name} ({cell(a.country)} {cell(a.sector)}"
                     f"{', ' + a.affiliation if a.affiliation else ''}) by {m.how}")
    w = found.winner
    if w is not None:
        lines.append(f"resolves to: {w.actor.name} ({cell(w.actor.country)} {cell(w.actor.sector)}) - {found.reason}")
    else:
        lines.append(found.reason)
    return "\n".join(lines)


# -- analysis: merged events, dyad series, the actor network, exports and plots (dyad.analysis) -------

def _jsonl(records) -> None:
    import json

    for record in records:
        click.echo(json.dumps(record, ensure_ascii=False, default=str))


@main.command()
@click.argument("a")
@click.argument("b", required=False)
@db_option
@format_option
@click.option("--by", type=click.Choice(PERIODS), default="month", show_default=True, help="Period of each point.")
@click.option("--directed", is_flag=True, help="Only events from A to B (default: both directions).")
@click.option("--since", callback=_date, help="First date (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Last date (YYYY-MM-DD).")
@click.option("--all-modalities", is_flag=True, help="Also count intended, potential, hypothetical and negated events.")
@click.option("--no-reports", is_flag=True, help="Counts only, without the reports behind each point.")
@clean_errors
def series(a, b, db, fmt, by, directed, since, until, all_modalities, no_reports):
    """Print the dyad series of A and B (or A against everyone): merged events per day, week or month.

    Each point gives the number of events (reports of one event merged), of reports, counts per PLOVER type
    and quad class and the mean PLOVER score, followed by its events and the reports behind them.
    A and B are country codes, names or affiliations, as in `dyad events`.

    Example: dyad series USA TUR --by month
    """
    from dyad.analysis import Analysis
    from dyad.model import Modality

    modalities = tuple(Modality) if all_modalities else (Modality.ASSERTED,)
    with _open_store(db) as store:
        found = Analysis(store).series(a, b, by, directed, since, until, modalities)
    if fmt == "jsonl":
        from dyad.analysis.records import point_record

        _jsonl(point_record(p, not no_reports) for p in found.points)
    elif fmt == "csv":
        from dyad.analysis.frames import series_frame

        series_frame(found).to_csv(sys.stdout, index=False)
    else:
        from dyad.analysis.render import render_series

        click.echo(render_series(found, not no_reports))


@main.command()
@db_option
@format_option
@click.option("--actor", help="Actor country code, name or affiliation.")
@click.option("--recipient", help="Recipient country code, name or affiliation.")
@click.option("--type", "event_type", help="PLOVER event type.")
@click.option("--since", callback=_date, help="First date (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Last date (YYYY-MM-DD).")
@click.option("--min-reports", type=int, default=1, show_default=True, help="Only events with this many reports.")
@clean_errors
def merged(db, fmt, actor, recipient, event_type, since, until, min_reports):
    """Print merged events: the reports of one event from several sentences or articles, with their counts.

    Reports merge when they have the same type, actor and recipient, compatible modes, the same modality and
    dates that agree within their stated precision. `dyad events` lists the reports themselves.

    Example: dyad merged --actor USA --recipient TUR --min-reports 2
    """
    from dyad.analysis import Analysis

    with _open_store(db) as store:
        found = Analysis(store).merged(actor, recipient, event_type and event_type.upper(), since, until)
    found = [m for m in found if m.num_reports >= min_reports]
    if fmt == "jsonl":
        from dyad.analysis.records import merged_record

        _jsonl(merged_record(m) for m in found)
    elif fmt == "csv":
        from dyad.analysis.frames import merged_frame

        merged_frame(found).to_csv(sys.stdout, index=False)
    else:
        from dyad.analysis.render import render_merged

        click.echo(render_merged(found))


@main.command()
@db_option
@click.option("--around", help="An actor: its edges and the pairs it brokers.")
@click.option("--between", nargs=2, help="Two actors: their shortest channels and the brokers on them.")
@click.option("--what-if-remove", "remove", help="An actor: the pairs that lose their last channel without it.")
@click.option("--what-if-cut", "cut", nargs=2,
              help="Two actors: the pairs that lose their last channel without their edge.")
@click.option("--as-of", callback=_date, help="Leave out later events and ties; events fade from this date.")
@click.option("--since", callback=_date, help="Leave out earlier events.")
@click.option("--half-life", type=float, default=365.0, show_default=True,
              help="Days in which an event's weight halves.")
@click.option("--max-hops", type=int, default=3, show_default=True, help="Longest channel, in edges.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="Output format.")
@clean_errors
def network(db, around, between, remove, cut, as_of, since, half_life, max_hops, fmt):
    """Query the actor network: ties and recent events as signed, weighted edges between actors.

    Without options, prints the most central brokers and the pairs each connects. A channel is an edge with a
    standing cooperative tie or a contact event (met, agreed, exchanged, supplied); brokers and what-if
    questions are answered over channels.

    Example: dyad network --around QAT --what-if-remove QAT
    """
    from dyad.analysis import Analysis, NetworkSettings, brokers
    from dyad.analysis import records as rec
    from dyad.analysis import render

    settings = NetworkSettings(as_of=as_of, since=since, half_life_days=half_life, max_hops=max_hops)
    with _open_store(db) as store:
        net = Analysis(store).network(settings)
    out: list[str] = []
    rows: list[dict] = []
    if around:
        node = net.resolve(around)
        mine = brokers.brokerage(net, node)
        out.append(render.render_around(net, mine))
        rows += [{"around": node, **rec.edge_record(e)} for e in net.edges(node)]
        rows.append(rec.brokerage_record(mine))
    if between:
        a, b = (net.resolve(x) for x in between)
        found = brokers.brokers_between(net, a, b)
        out.append(render.render_between(net, a, b, found))
        rows += [{"between": [a, b], **rec.brokerage_record(k)} for k in found]
    if remove:
        node = net.resolve(remove)
        lost = brokers.lost_channels(net, actor=node)
        out.append(render.render_lost(node, lost))
        rows += [{"without": node, **rec.lost_record(p)} for p in lost]
    if cut:
        a, b = (net.resolve(x) for x in cut)
        if not net.graph.has_edge(a, b):
            raise ValueError(f"no edge between {a} and {b}")
        lost = brokers.lost_channels(net, tie=(a, b))
        out.append(render.render_lost(f"the edge {a}-{b}", lost))
        rows += [{"without": f"{a}-{b}", **rec.lost_record(p)} for p in lost]
    if not (around or between or remove or cut):
        g = net.graph
        out.append(f"{g.number_of_nodes()} actors, {g.number_of_edges()} edges, "
                   f"{net.channel_graph.number_of_edges()} channels (as of {g.graph.get('as_of') or '-'})")
        top = brokers.top_brokers(net)
        out.append(render.render_brokers(top))
        rows += [rec.brokerage_record(k) for k in top]
    if fmt == "jsonl":
        _jsonl(rows)
    else:
        click.echo("\n\n".join(out))


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True,
              help="File format; graphml writes the actor network.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="dyad", show_default=True,
              help="Columns: dyad (reports), merged (merged events), gdelt (merged events, GDELT-like), "
                   "polecat (reports, POLECAT-like).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout for csv/jsonl).")
@click.option("--actor", help="Only events with this actor (country code, name or affiliation).")
@click.option("--recipient", help="Only events with this recipient.")
@click.option("--since", callback=_date, help="First date (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Last date (YYYY-MM-DD).")
@clean_errors
def export(db, fmt, layout, output, actor, recipient, since, until):
    """Export events as CSV, JSON lines or Parquet in dyad's, a GDELT-like or a POLECAT-like layout,
    or the actor network as GraphML (see "Export layouts" in README.md).

    Example: dyad export --format parquet --layout gdelt -o events.parquet
    """
    from dyad.analysis import Analysis, NetworkSettings
    from dyad.analysis import export as ex

    with _open_store(db) as store:
        an = Analysis(store)
        if fmt == "graphml":
            if output is None:
                raise ValueError("graphml needs a file: give -o FILE")
            net = an.network(NetworkSettings(as_of=until, since=since))
            ex.write_graphml(net, output)
            click.echo(f"wrote {net.graph.number_of_nodes()} actors and {net.graph.number_of_edges()} edges "
                       f"-> {output}", err=True)
            return
        events = an.reports(actor, recipient, since=since, until=until)
        frame = ex.layout_frame(layout, events, an.merged(actor, recipient, since=since, until=until),
                                store.article_info())
    ex.write_frame(frame, fmt, output, sys.stdout)
    if output:
        click.echo(f"wrote {len(frame)} rows ({layout}) -> {output}", err=True)


@main.group()
def plot():
    """Draw analyses as pictures (PNG, or any format named by the file's extension).

    Example: dyad plot series USA TUR -o usa-tur.png
    """


@plot.command("series")
@click.argument("a")
@click.argument("b", required=False)
@db_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Picture file to write.")
@click.option("--by", type=click.Choice(PERIODS), default="month", show_default=True, help="Period of each bar.")
@click.option("--directed", is_flag=True, help="Only events from A to B.")
@click.option("--since", callback=_date, help="First date (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Last date (YYYY-MM-DD).")
@clean_errors
def plot_series(a, b, db, output, by, directed, since, until):
    """Draw the dyad series of A and B: events per period stacked by quad class, over the mean PLOVER score.

    Example: dyad plot series USA TUR -o usa-tur.png --by month
    """
    from dyad.analysis import Analysis
    from dyad.analysis.plot import plot_series as draw

    with _open_store(db) as store:
        found = Analysis(store).series(a, b, by, directed, since, until)
    draw(found, output)
    click.echo(f"{found.events} events in {len(found.points)} periods -> {output}", err=True)



# -- serve: the REST API and the dashboard (dyad.api, dyad.web) ----------------------------------------

@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Reading is open to this machine; other machines need an API key.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Server processes answering requests (about one per core); each opens the store itself.")
@clean_errors
def serve(db, host, port, workers):
    """Serve the REST API (/api, described at /openapi.json) and the web dashboard (/) over a store.

    Writing (POST /api/articles) needs a key from DYAD_API_KEYS (comma-separated), sent as
    'Authorization: Bearer KEY' or 'X-API-Key: KEY'. --db takes a SQLite file or a postgresql:// URL.

    Example: DYAD_API_KEYS=change-me dyad serve --db dyad.db --port 8000 --workers 2
    """
    import uvicorn

    from dyad.api import ApiSettings, create_app

    settings = ApiSettings.from_env(core=Settings.from_env(db=db))
    store = _open_store(settings.core.db)  # a bad path or URL fails here with a clean message (and is migrated)
    click.echo(f"dyad: serving {store.engine.url!r} at http://{host}:{port}/ with {workers} process(es) "
               f"(API under /api, OpenAPI at /openapi.json; Ctrl-C stops)", err=True)
    if not settings.api_keys:
        click.echo("dyad: DYAD_API_KEYS is not set: writing (POST /api/articles, the ingest page) is refused", err=True)
    # Idle keep-alive connections close after 5 s, a request whose headers pass 64 KiB is refused (api/protocol.py),
    # at most DYAD_API_MAX_CONNECTIONS are served at once (per process), and a stop waits 10 s at most for requests
    # in flight. HTTP is parsed by httptools and the event loop is uvloop's: half the CPU of h11 and asyncio's.
    options = dict(host=host, port=port, log_level="info", timeout_keep_alive=5,
                   http="dyad.api.protocol:BoundedHttpToolsProtocol", limit_concurrency=settings.max_connections,
                   timeout_graceful_shutdown=10)
    if workers == 1:
        with store:
            uvicorn.run(create_app(settings, store=store), **options)
        return
    store.close()
    # Each process builds its app from the environment; --db reaches it through DYAD_DB. A process busy with a long
    # analysis (its threads holding the GIL on a loaded machine) may answer the supervisor's ping late: it is taken
    # for hung, and killed with the requests it holds, only after 30 s (uvicorn's default is 5).
    os.environ["DYAD_DB"] = settings.core.db
    uvicorn.run("dyad.api.app:create_app_from_env", factory=True, workers=workers, timeout_worker_healthcheck=30,
                **options)


@main.command("classify")
@click.argument("source", default="-", required=False)
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="Model file written by `dyad train` (default: the one shipped with dyad).")
@click.option("--batch-size", type=click.IntRange(min=1), default=2048, show_default=True,
              help="Pairs read, parsed and scored together.")
@clean_errors
def classify_pairs(source, model_path, batch_size):
    """Give the PLOVER type of actor/recipient pairs read as JSON lines from SOURCE (a file, or - for stdin).

    Input lines: {"id", "sentence", "actor", "recipient"} (actor and recipient are text of the sentence;
    recipient may be null). Output lines, in input order: {"id", "event_type", "mode", "confidence"}.

    Example: dyad classify pairs.jsonl > types.jsonl
    """
    import json

    from dyad.classify import PairClassifier, PairInput

    def records(stream):
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                yield PairInput.from_dict(json.loads(line))
            except (json.JSONDecodeError, TypeError, AttributeError, ValueError) as exc:
                raise ValueError(f"{source}: line {n}: not a pair record ({exc})") from exc

    classifier = PairClassifier.load(model_path, Settings.from_env())
    with click.open_file(source, encoding="utf-8") as stream:
        batch: list = []
        for pair in records(stream):
            batch.append(pair)
            if len(batch) == batch_size:
                _write_predictions(classifier.predict(batch, batch_size))
                batch = []
        _write_predictions(classifier.predict(batch, batch_size))


def _write_predictions(predictions) -> None:
    import json

    for p in predictions:
        click.echo(json.dumps(p.to_dict(), ensure_ascii=False))


@main.command("train")
@click.option("--out", type=click.Path(dir_okay=False), default="classifier.npz", show_default=True,
              help="Where to write the model (the shipped one is src/dyad/classify/data/model.npz).")
@click.option("--gold", type=click.Path(file_okay=False), default="../shared/gold", show_default=True,
              help="The gold folder holding plv_train/PLV_train.tsv.")
@clean_errors
def train_classifier(out, gold):
    """Train the pair classifier (dyad classify) on PLV_train and dyad's own pairs; write the model file.

    Example: dyad train --out src/dyad/classify/data/model.npz
    """
    import time

    from dyad.classify import train_from_gold

    start = time.perf_counter()
    model = train_from_gold(gold, Settings.from_env())
    model.save(out)
    click.echo(f"trained on {model.meta['examples']} pairs ({len(model.labels)} types, "
               f"{model.meta['features']} features) in {time.perf_counter() - start:.0f} s -> {out}", err=True)



# -- scale: Apache Spark and importing its output (dyad.spark) ------------------------------------------

def _print_run(report, db: str) -> None:
    """Refusals and notes on stderr (every refusal; the first notes), then the one summary line."""
    for err in report.refused:
        click.echo(f"dyad: refused {err.origin}: {err.reason}", err=True)
    for err in report.notes[:_NOTES_SHOWN]:
        click.echo(f"dyad: note {err.origin}: {err.reason}", err=True)
    if len(report.notes) > _NOTES_SHOWN:
        click.echo(f"dyad: ... and {len(report.notes) - _NOTES_SHOWN} more notes (all are in the ingest_errors "
                   "table)", err=True)
    click.echo(
        f"read {report.read} articles: stored {report.stored}, already stored {report.duplicates}, "
        f"near-duplicates linked {report.near_duplicates}, refused {len(report.refused)}, "
        f"notes {len(report.notes)}; {report.events} events, {report.ties} ties -> {db}",
        err=True,
    )


@main.group()
def spark():
    """Code a corpus on Apache Spark (pyspark; needs Java 17): local[N] on one machine, or a cluster.

    Example: dyad spark code articles.jsonl --output coded/ --master "local[2]" && dyad import coded/
    """


@spark.command("code")
@click.argument("input_path", metavar="INPUT")
@click.option("--output", "-o", required=True, help="Directory (or URL) for articles/, events/, ties/, errors/.")
@click.option("--master", help="Spark master URL, e.g. local[4] or spark://host:7077 "
                                "(default: spark-submit's, else local[*]).")
@click.option("--input-format", type=click.Choice(["jsonl", "csv", "tsv", "parquet"]),
              help="Format of INPUT (default: from its extension).")
@click.option("--partitions", type=click.IntRange(min=1), help="Spark partitions to code (default: 4 per core, "
                                                                 "at most 2000 articles each).")
@click.option("--date", "day", callback=_date, help="Date (YYYY-MM-DD) for records without one.")
@click.option("--text-column", default="text", show_default=True, help="Column holding the text.")
@click.option("--date-column", default="date", show_default=True, help="Column holding the date.")
@click.option("--source", help="Source name for articles that do not carry one.")
@click.option("--overwrite", is_flag=True, help="Replace what --output holds.")
@click.option("--conf", "conf", multiple=True, metavar="KEY=VALUE", help="Extra Spark setting (repeatable).")
@clean_errors
def spark_code(input_path, output, master, input_format, partitions, day, text_column, date_column, source,
               overwrite, conf):
    """Code INPUT (JSON lines, CSV/TSV or Parquet of articles; a path or any URL Spark reads) on Spark and
    write events, ties, errors and articles as Parquet datasets under --output; `dyad import` stores them.

    Each Python worker loads the model once and codes whole partitions. A local master binds to 127.0.0.1.

    Example: dyad spark code ../shared/corpus/guardian/Guardian_SDF_sample.csv -o guardian-coded --master "local[2]"
    """
    from dyad.ingest import ReadOptions
    from dyad.spark import SparkCodeOptions, run

    pairs = []
    for item in conf:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--conf")
        pairs.append((key, value))
    options = SparkCodeOptions(
        input=input_path, output=output, master=master, input_format=input_format, partitions=partitions,
        read=ReadOptions(date=day, columns={"text": text_column, "date": date_column}, source=source),
        overwrite=overwrite, conf=tuple(pairs), settings=Settings.from_env(),
    )
    report = run(options)
    click.echo(
        f"read {report.records} records: {report.articles} articles, coded {report.coded}, refused {report.refused}, "
        f"notes {report.notes}; {report.events} events, {report.ties} ties in {report.partitions} partitions, "
        f"{report.seconds:.1f} s -> {output}",
        err=True,
    )


@main.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@db_option
@clean_errors
def import_(directory, db):
    """Store the output of `dyad spark code` (DIRECTORY with articles/, events/, ties/, errors/).

    Articles are stored in input order as `dyad code` would store them (duplicates and near-duplicates
    included); importing the same output twice stores it once. Exit status as for `dyad code`.

    Example: dyad import guardian-coded --db dyad.db
    """
    from dyad.spark import import_output

    settings = Settings.from_env(db=db)
    with _open_store(settings.db) as store:
        report = import_output(directory, store, settings)
    _print_run(report, settings.db)
    if report.refused:
        sys.exit(EXIT_REFUSED)


if __name__ == "__main__":
    main()
