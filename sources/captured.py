"""What reading a document gives (DecodedText) or refuses (CaptureError), and the media types
of the binary formats: shared by the readers of each format."""

from __future__ import annotations

from dataclasses import dataclass

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class CaptureError(ValueError):
    """The input cannot be captured; the message says what was wrong and what to do."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    media_type: str
