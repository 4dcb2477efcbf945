"""Files for the loader tests: raw bytes on disk, generated and encrypted PDFs, a hang guard."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")
# Three short pages with distinct words, for PDFs built by make_pdf.
PAGES = ["Alpha apologies page one", "Bravo budget page two", "Charlie closure page three"]


def write(path: Path, raw: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def make_pdf(
    pages: Sequence[str | None],
    label_start: int | None = None,
    roman_front_pages: int = 0,
) -> bytes:
    """Make a PDF with one page per entry: the text, or a filled rectangle only for None."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in pages:
        if text is None:
            pdf.rect(100, 100, 200, 200, fill=1)
        else:
            pdf.drawString(72, 720, text)
        pdf.showPage()
    if label_start is not None:
        pdf.addPageLabel(0, style="ARABIC", start=label_start)
    if roman_front_pages:
        pdf.addPageLabel(0, style="ROMAN_LOWER")
        pdf.addPageLabel(roman_front_pages, style="ARABIC")
    pdf.save()
    return buffer.getvalue()


def encrypt_pdf(raw: bytes, user_password: str) -> bytes:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def finishes_within(seconds: float, call: Callable[[], T]) -> T:
    """Run ``call`` in a daemon thread; fail (rather than hang) if it does not return.

    An exception raised by ``call`` is raised again here.
    """
    outcome: list[tuple[T | None, BaseException | None]] = []

    def run() -> None:
        try:
            outcome.append((call(), None))
        except BaseException as exc:  # handed back to the test's thread
            outcome.append((None, exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"did not finish within {seconds}s"
    value, error = outcome[0]
    if error is not None:
        raise error
    return value  # type: ignore[return-value]  # None only when call raised

