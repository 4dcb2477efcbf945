"""The `qa` command line: parse, index, search, ask and serve."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.tree import Tree

from indexer.errors import CouncilQAError
from indexer.records import ParsedDocument
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
) -> None:
    """Build or refresh the index: new and changed files only; unchanged files cost a hash."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from indexer.factory import build_index

    settings = _settings(index_dir)
    paths = paths or [settings.corpus_dir]
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = build_index(paths, settings, prune=prune, rebuild=rebuild, progress=progress)
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


def _service(index_dir: Path | None):
    from models.embedder import create_embedder
    from qa.service import QAService

    settings = _settings(index_dir)
    embedder = create_embedder(settings.embedding_backend, model=settings.embedding_model, precision=settings.precision)
    return QAService(settings, embedder)


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for."),
    k: int = typer.Option(10, "-k", min=1, max=100, help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print the same JSON as GET /search."),
    index_dir: Path = typer.Option(None, "--index-dir"),
) -> None:
    """Search passages and print them with their citations."""
    from qa.api.schemas import SearchOut, hit_out

    try:
        result = _service(index_dir).search(query, k)
    except CouncilQAError as error:
        _fail(error)
    out = SearchOut(query=result.query, took_ms=result.took_ms, expansions=list(result.expansions),
                    date_hint=result.date_hint, message=result.message, results=[hit_out(h) for h in result.hits])
    if as_json:
        print(out.model_dump_json(indent=2))
        return
    if not out.results:
        console.print(f"[yellow]{out.message}[/yellow]")
    for n, hit in enumerate(out.results, 1):
        console.print(f"[bold]{n}.[/bold] [cyan]{hit.citation}[/cyan]  [dim]{hit.document.source_file} · score {hit.score}[/dim]")
        console.print("   " + " ".join(hit.text.split())[:400], markup=False, highlight=False)


@app.command()
def ask(
    question: str = typer.Argument(..., help="A question in plain words."),
    k: int = typer.Option(5, "-k", min=1, max=100),
    as_json: bool = typer.Option(False, "--json"),
    index_dir: Path = typer.Option(None, "--index-dir"),
) -> None:
    """Answer a question with sentences from the papers and numbered citations."""
    from qa.api.schemas import citation_text, hit_out

    try:
        answer = _service(index_dir).ask(question, k)
    except CouncilQAError as error:
        _fail(error)
    if as_json:
        import json

        print(json.dumps({"answer": [{"text": s.text, "citations": list(s.citations)} for s in answer.sentences],
                          "citations": [hit_out(h).model_dump() for h in answer.citations]}, indent=2))
        return
    if not answer.sentences:
        console.print(f"[yellow]{answer.message or 'No answer found in the papers.'}[/yellow]")
    for sentence in answer.sentences:
        console.print(sentence.text + " " + "".join(f"[{c}]" for c in sentence.citations), markup=False)
    for meeting in answer.digest:
        console.print(f"\n[bold]{meeting.body} — {meeting.meeting_date}[/bold]")
        for statement in meeting.statements:
            who = f" ({statement.person or statement.speaker})" if statement.speaker else ""
            console.print(f"  • {statement.text[:300]}{who} — {citation_text(statement.location)}", markup=False)
    console.print()
    for n, hit in enumerate(answer.citations, 1):
        console.print(f"[{n}] {citation_text(hit.location)} ({hit.location.source_file})", markup=False)


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to bind (default 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default 8000)."),
    index_dir: Path = typer.Option(None, "--index-dir"),
) -> None:
    """Serve the API and the web page."""
    import logging

    import uvicorn

    from qa.api.app import create_app

    settings = _settings(index_dir)
    settings = settings.model_copy(update={k: v for k, v in (("host", host), ("port", port)) if v is not None})
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not settings.api_token:
        logging.getLogger("qa").warning("binding to %s without QA_API_TOKEN: anyone who can reach this address can "
                                        "query the index; set QA_API_TOKEN", settings.host)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    app()
