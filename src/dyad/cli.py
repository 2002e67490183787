"""dyad's command line: parse arguments, call the library, format the result."""

from __future__ import annotations

import functools
import sys
from datetime import date

import click

from dyad.formats import FORMATS, write_events, write_summary, write_ties
from dyad.settings import Settings

__all__ = ["main", "EXIT_REFUSED"]

# Exit status when every input was handled but some were refused (bad bytes, empty, no text column).
# 1 is left for crashes and 2 for usage errors (click's own).
EXIT_REFUSED = 3


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
@clean_errors
def code(paths, db, fmt, day, text_column, date_column, source, quiet):
    """Read articles from PATHS (files, directories, - for stdin), code them and store them.

    Prints the events of newly coded articles; articles already stored are skipped.
    Exit status: 0 when every input was coded, 3 when some inputs were refused (each named on
    stderr with its reason), 1 on an error that stopped the run.

    Example: dyad code ../shared/seed/2023-11-06-us-qatar-hamas.txt --format jsonl
    """
    from tqdm import tqdm

    from dyad.ingest import ReadOptions, count_inputs
    from dyad.pipeline import Coder, code_paths

    options = ReadOptions(date=day, columns={"text": text_column, "date": date_column}, source=source)
    settings = Settings.from_env(db=db)
    store = _open_store(settings.db)
    coder = Coder.from_settings(settings)
    files = count_inputs(list(paths))
    bar = tqdm(desc="articles", unit=" art", disable=files <= 1 or not sys.stderr.isatty(), file=sys.stderr)
    with store:
        report = code_paths(paths, store, coder, options, keep=not quiet,
                            progress=lambda n: bar.update(1), stdin=sys.stdin.buffer)
    bar.close()
    if not quiet:
        write_events(sys.stdout, [e for c in report.coded for e in c.events], fmt)
    for err in report.errors:
        click.echo(f"dyad: refused {err.origin}: {err.reason}", err=True)
    click.echo(
        f"read {report.read} articles: stored {report.stored}, already stored {report.duplicates}, "
        f"refused {len(report.errors)}; {report.events} events, {report.ties} ties -> {settings.db}",
        err=True,
    )
    if report.errors:
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
@clean_errors
def ties(db, fmt, actor, kind):
    """Print standing ties between actors.

    Example: dyad ties --actor QAT --format jsonl
    """
    with _open_store(db) as store:
        found = store.ties(actor=actor, kind=kind)
    write_ties(sys.stdout, found, fmt)


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


if __name__ == "__main__":
    main()
