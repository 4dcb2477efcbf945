"""Turn raw bytes into text: byte-order mark, strict UTF-8, then a guessed legacy encoding."""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from indexer.errors import LoadError

logger = logging.getLogger(__name__)

# UTF-32 marks first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 and C1 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.05
# Papers in this corpus are British: when the guesser ties, Windows-1252 is the likely truth.
_PREFERRED_LEGACY = ("cp1252",)


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and anything a person should know."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(raw: bytes, declared: str | None = None) -> DecodedText:
    """Decode a file's bytes, refusing binary and empty content.

    Args:
        raw: The file's bytes.
        declared: An encoding the file declares for itself (an HTML ``<meta charset>``),
            tried after a byte-order mark and before UTF-8.

    Returns:
        The text (without the byte-order mark), its encoding and decode warnings.

    Raises:
        LoadError: The content is empty, whitespace only, binary, or in no known encoding.
    """
    if not raw:
        raise LoadError("empty file")
    decoded = _decode_with_bom(raw) or _decode_declared(raw, declared) or _decode_unmarked(raw)
    if not decoded.text.strip():
        raise LoadError("empty file (whitespace only)")
    if _looks_binary(decoded.text):
        raise LoadError("binary content, not text")
    replaced = decoded.text.count("\ufffd")
    if replaced:
        note = f"{replaced} undecodable characters replaced with U+FFFD"
        decoded = DecodedText(decoded.text, decoded.encoding, (*decoded.warnings, note))
    return decoded


def _decode_with_bom(raw: bytes) -> DecodedText | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            # Keep what decodes; the U+FFFD count in the warnings says how much did not.
            return DecodedText(raw[len(bom) :].decode(encoding, errors="replace"), encoding)
    return None


def _decode_declared(raw: bytes, declared: str | None) -> DecodedText | None:
    if not declared:
        return None
    try:
        encoding = codecs.lookup(declared).name
    except LookupError:
        logger.debug("ignoring unknown declared encoding %r", declared)
        return None
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        encoding = "cp1252"  # what browsers do (WHATWG encoding standard)
    if b"\x00" in raw and not encoding.startswith("utf-16"):
        return None
    try:
        return DecodedText(raw.decode(encoding), encoding)
    except UnicodeDecodeError:
        logger.debug("declared encoding %s does not fit the bytes", encoding)
        return None


def _decode_unmarked(raw: bytes) -> DecodedText:
    if b"\x00" in raw:
        return _decode_unmarked_utf16(raw)
    try:
        return DecodedText(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy_encoding(raw)
    text = raw.decode(encoding, errors="replace")
    return DecodedText(text, encoding, (f"decoded as {encoding} (not UTF-8)",))


def _decode_unmarked_utf16(raw: bytes) -> DecodedText:
    """NUL bytes mean binary, unless they sit on one parity like UTF-16 text without a mark."""
    even, odd = raw[0::2], raw[1::2]
    for encoding, high_bytes, low_bytes in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if len(raw) % 2 or 0 in low_bytes or high_bytes.count(0) * 2 < len(high_bytes):
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return DecodedText(text, encoding, (f"decoded as {encoding} (no byte-order mark)",))
    raise LoadError("binary content, not text")


def _guess_legacy_encoding(raw: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise LoadError(
            "file is not UTF-8; install charset-normalizer to read other encodings"
        ) from exc
    matches = list(from_bytes(raw))
    if not matches:
        raise LoadError("binary content, not text (no text encoding fits); save the file as UTF-8")
    best_chaos = min(match.chaos for match in matches)
    tied = [match for match in matches if match.chaos <= best_chaos + 0.01]
    for preferred in _PREFERRED_LEGACY:
        if any(preferred in match.could_be_from_charset for match in tied):
            return preferred
    return codecs.lookup(tied[0].encoding).name


def _looks_binary(text: str) -> bool:
    controls = sum(1 for _ in _CONTROL_CHARS.finditer(text, 0, 1_000_000))
    return controls > _MAX_CONTROL_RATIO * min(len(text), 1_000_000)
