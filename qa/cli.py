"""The `qa` command line: parse, index, search, ask and serve."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.tree import Tree

from indexer.errors import CouncilQAError
from indexer.records import ParsedDocument
from indexer.store.layout import published_pointer, shard_dir
from qa.settings import ServiceSettings

app = typer.Typer(help="Search and question answering over committee papers.", no_args_is_help=True)
console = Console()


@app.callback()
def main() -> None:
    """Search and question answering over committee papers."""


def _fail(error: Exception) -> None:
    console.print(f"[red]error:[/red] {error}")
    raise typer.Exit(code=2)


def render_outline(doc: ParsedDocument) -> Tree:
    """A tree a person can check the parser against: parts, sections, paragraphs, pages."""
    meeting = doc.meeting
    council = f"{meeting.council} · " if meeting.council else ""
    reference = f" — decision {meeting.reference}" if meeting.reference else ""
    root = Tree(f"{council}[bold]{meeting.body or meeting.title}[/bold] — {meeting.meeting_date or 'date unknown'} — "
                f"{meeting.kind.replace('_', ' ')}" + (f" — {meeting.venue}" if meeting.venue else "") + reference
                + f"  [dim]({doc.source.source_file}, {len(doc.passages)} passages)[/dim]")
    for part in doc.parts:
        passages = [p for p in doc.passages if p.part_ordinal == part.ordinal]
        label = f"Item {part.item_number}: " if part.item_number else ""
        extra = [part.meeting_date or "", f"p. {part.start_page}" if part.start_page else "",
                 f"director: {part.responsible_director}" if part.responsible_director else ""]
        node = root.add(f"[cyan]{part.kind}[/cyan] {label}{part.title}  [dim]{' · '.join(x for x in extra if x)} "
                        f"· {len(passages)} passages[/dim]")
        for section in (s for s in doc.sections if s.part_ordinal == part.ordinal and s.heading_path):
            inside = [p for p in passages if section.char_start <= p.char_start < section.char_end]
            numbers = [n for p in inside for n in p.paragraph_nos]
            span = f" ¶ {numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else (f" ¶ {numbers[0]}" if numbers else "")
            page = f" p. {section.page}" if section.page else ""
            node.add(f"{section.heading_path[-1][:90]}[dim]{span}{page} · {len(inside)}[/dim]")
    return root


@app.command()
def parse(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A paper to parse.")) -> None:
    """Print the outline of a paper: meeting, parts, items, sections, paragraphs, pages."""
    from indexer.loaders import load_file
    from indexer.structure import parse_document
    from models.tokens import create_token_counter

    try:
        source = load_file(file, root=file.parent)
        doc = parse_document(source, create_token_counter().count)
    except CouncilQAError as error:
        _fail(error)
    console.print(render_outline(doc))
    for warning in source.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


def _settings(index_dir: Path | None) -> ServiceSettings:
    return ServiceSettings(index_dir=index_dir) if index_dir else ServiceSettings()


@app.command()
def index(
    paths: list[Path] = typer.Argument(None, help="Files or folders to index (default: corpus/)."),
    index_dir: Path = typer.Option(None, "--index-dir", help="Index directory (default: index/ or QA_INDEX_DIR)."),
    prune: bool = typer.Option(False, "--prune", help="Remove documents whose files are gone."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Ignore the existing index and build afresh."),
    ray: bool = typer.Option(False, "--ray", help="Build on Ray: a local Ray on this machine's cores, or QA_RAY_ADDRESS."),
    ray_address: str = typer.Option(None, "--ray-address", help="Build on this Ray cluster ('auto', 'ray://host:10001')."),
    shard: str = typer.Option(None, "--shard", help="Index into this shard of a collection (one council, or "
                                                     "a council and year); the service searches them all."),
) -> None:
    """Build or refresh the index: new and changed files only; unchanged files cost a hash."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from indexer.factory import build_index

    try:  # pydantic's ValidationError is a ValueError: a malformed address fails here, before any work
        settings = ServiceSettings(**{name: value for name, value in (("index_dir", index_dir),
                                                                     ("ray_address", ray_address)) if value})
        if shard is not None:
            settings = settings.model_copy(update={"index_dir": shard_dir(settings.index_dir, shard)})
    except (ValueError, CouncilQAError) as error:
        _fail(error)
    paths = paths or [settings.corpus_dir]
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = build_index(paths, settings, prune=prune, rebuild=rebuild, progress=progress, ray=ray)
        except CouncilQAError as error:
            _fail(error)
    for failure in report.failures:
        console.print(f"[red]failed[/red] {failure.source_file}: {failure.reason}")
    verb = "updated" if report.published else "unchanged"
    console.print(f"index {verb} at {settings.index_dir}: {report.documents} documents, {report.passages} passages "
                  f"({len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
                  f"{report.unchanged} unchanged) in {report.seconds:.1f} s")
    if report.published:
        entities = ", ".join(f"{label} {n}" for label, n in sorted(report.entities.items()))
        console.print(f"embedded {report.embedded} passages ({report.passages_per_second:.1f}/s, model "
                      f"{report.encode_seconds:.1f} s); entities: {entities or 'none'}; people: {report.people}")
    if report.failures:
        console.print(f"[yellow]{len(report.failures)} of {report.tried} files could not be indexed[/yellow]")
        raise typer.Exit(code=1)


def _service(settings: ServiceSettings):
    from qa.service import QAService
    from qa.settings import load_query_embedder

    return QAService(settings, load_query_embedder(settings))


def _running_server(settings: ServiceSettings):
    """An HTTP client for a server on this machine that serves this very index generation, or None.

    ``qa search`` and ``qa ask`` then cost one request instead of loading models. QA_NO_SERVER=1
    turns this off.
    """
    import os

    import httpx

    if os.environ.get("QA_NO_SERVER"):
        return None
    generation = published_pointer(settings.index_dir)
    if not generation:
        return None
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    headers = {"Authorization": f"Bearer {settings.api_token}"} if settings.api_token else {}
    client = httpx.Client(base_url=f"http://{host}:{settings.port}", headers=headers, timeout=60)
    try:
        health = client.get("/health", timeout=0.5)
        if health.status_code == 200 and health.json().get("generation") == generation:
            return client
    except (httpx.HTTPError, ValueError):
        pass
    client.close()
    return None


def _call(index_dir: Path | None, remote: tuple[str, str, dict], local) -> dict:
    """The API's JSON for a request: from a running server of this index if there is one, else computed here."""
    settings = _settings(index_dir)
    client = _running_server(settings)
    if client is not None:
        method, path, payload = remote
        try:
            response = client.get(path, params=payload) if method == "GET" else client.post(path, json=payload)
        finally:
            client.close()
        body = response.json()
        if response.status_code != 200:
            _fail(RuntimeError(body.get("detail", response.text)))
        return body
    try:
        return local(_service(settings)).model_dump(mode="json")
    except CouncilQAError as error:
        _fail(error)
    return {}


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for."),
    k: int = typer.Option(10, "-k", min=1, max=100, help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print the same JSON as GET /search."),
    index_dir: Path = typer.Option(None, "--index-dir"),
) -> None:
    """Search passages and print them with their citations."""
    def local(service):
        from qa.api.schemas import search_out

        return search_out(service.search(query, k))

    out = _call(index_dir, ("GET", "/search", {"q": query, "k": k}), local)
    if as_json:
        print(json.dumps(out, indent=2))
        return
    if not out["results"]:
        console.print(f"[yellow]{out['message']}[/yellow]")
    for n, hit in enumerate(out["results"], 1):
        console.print(f"[bold]{n}.[/bold] [cyan]{hit['citation']}[/cyan]  "
                      f"[dim]{hit['document']['source_file']} · score {hit['score']}[/dim]")
        console.print("   " + " ".join(hit["display_text"].split())[:400], markup=False, highlight=False)


@app.command()
def ask(
    question: str = typer.Argument(..., help="A question in plain words."),
    k: int = typer.Option(5, "-k", min=1, max=100),
    as_json: bool = typer.Option(False, "--json", help="Print the same JSON as POST /ask."),
    index_dir: Path = typer.Option(None, "--index-dir"),
) -> None:
    """Answer a question with sentences from the papers and numbered citations."""
    def local(service):
        from qa.api.schemas import ask_out

        return ask_out(service.ask(question, k))

    out = _call(index_dir, ("POST", "/ask", {"question": question, "k": k}), local)
    if as_json:
        print(json.dumps(out, indent=2))
        return
    if not out["answer"]:
        console.print(f"[yellow]{out['message'] or 'No answer found in the papers.'}[/yellow]")
    for sentence in out["answer"]:
        console.print(sentence["text"] + " " + "".join(f"[{c}]" for c in sentence["citations"]), markup=False)
    for meeting in out["digest"]:
        console.print(f"\n[bold]{meeting['body']} — {meeting['meeting_date']}[/bold]")
        for statement in meeting["statements"]:
            who = f" ({statement['person'] or statement['speaker']})" if statement["speaker"] else ""
            console.print(f"  • {statement['text'][:300]}{who} — {statement['location']['citation']}", markup=False)
    console.print()
    for n, hit in enumerate(out["citations"], 1):
        console.print(f"[{n}] {hit['citation']} ({hit['document']['source_file']})", markup=False)


@app.command()
def figures(
    query: str = typer.Argument(..., help="Words naming a measure, e.g. 'looked after children'."),
    date_from: str = typer.Option(None, "--from", help="Periods ending on or after (YYYY-MM-DD)."),
    date_to: str = typer.Option(None, "--to", help="Periods starting on or before (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print the same JSON as GET /figures."),
    index_dir: Path = typer.Option(None, "--index-dir"),
) -> None:
    """Print a measure's figures over time as a table, each with its citation."""
    from rich.table import Table

    def local(service):
        from qa.api.schemas import figures_out

        return figures_out(service.figures(query, None, date_from, date_to))

    params = {k: v for k, v in {"q": query, "from": date_from, "to": date_to}.items() if v}
    out = _call(index_dir, ("GET", "/figures", params), local)
    if as_json:
        print(json.dumps(out, indent=2))
        return
    if not out["figures"]:
        console.print(f"[yellow]{out['message']}[/yellow]")
    if out["metric"]:
        metric = out["metric"]
        table = Table(title=f"{metric['name']} ({metric['unit']})", title_justify="left")
        for column in ("period", "value", "breakdown", "printed in"):
            table.add_column(column, justify="right" if column == "value" else "left")
        for figure in out["figures"]:
            table.add_row(figure["period"] or figure["document"]["meeting_date"] or "", figure["value_text"],
                          figure["geography"] or "", figure["citation"])
        console.print(table)
    if out["alternatives"]:
        console.print("[dim]Also: " + "; ".join(f"{m['name']} ({m['unit']}, id {m['id']})" for m in out["alternatives"])
                      + "[/dim]")


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to bind (default 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default 8000)."),
    index_dir: Path = typer.Option(None, "--index-dir"),
    workers: int = typer.Option(1, "--workers", min=1, help="Server processes; more answer more requests at once."),
) -> None:
    """Serve the API and the web page."""
    import logging

    from qa.api.serve import run

    settings = _settings(index_dir)
    settings = settings.model_copy(update={k: v for k, v in (("host", host), ("port", port)) if v is not None})
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not settings.api_token:
        logging.getLogger("qa").warning("binding to %s without QA_API_TOKEN: anyone who can reach this address can "
                                        "query the index; set QA_API_TOKEN", settings.host)
    run(settings, workers)


if __name__ == "__main__":
    app()
