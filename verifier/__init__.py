"""verifier: the pure-Python claim-extraction engine.

``extract_claims(text, published=...)`` returns ``ExtractedClaim`` values anchored by exact
``str`` offsets; ``VerifierError`` is the one error type. No Django, no network, no models.
"""

from __future__ import annotations

from .extract import extract_claims, iter_claims
from .model import ExtractedClaim, VerifierError

__version__ = "0.1.0"

__all__ = ["ExtractedClaim", "VerifierError", "__version__", "extract_claims", "iter_claims"]
