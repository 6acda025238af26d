"""Cipher's layered de-identification engine (Safe Harbor, 45 CFR 164.514(b)(2)).

    from cipher_pipeline.deid import Redactor
    redactor = Redactor.default()
    result = redactor.redact("caller: my name is derek holloway ...")
    result.redacted_text, result.spans, redactor.version
"""

from cipher_pipeline.deid.engine import Redactor, RedactionResult
from cipher_pipeline.deid.spans import Span

__all__ = ["Redactor", "RedactionResult", "Span"]
