"""The `qa` command line: parse, index, search, ask and serve."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.tree import Tree

from indexer.errors import CouncilQAError
from indexer.records import ParsedDocument

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
    root = Tree(f"[bold]{meeting.body or meeting.title}[/bold] — {meeting.meeting_date or 'date unknown'} — "
                f"{meeting.kind.replace('_', ' ')}" + (f" — {meeting.venue}" if meeting.venue else "")
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
