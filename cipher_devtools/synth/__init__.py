"""Synthetic, fictional admissions calls to Harborview Recovery Center: audio, call-tracking CSV, gold labels.

``generate_calls`` writes what a call-tracking vendor would drop into the inbox plus gold annotations kept
apart from it; ``cipher_devtools.synth.corpus.generate_corpus`` gives text-only calls for de-identification work.
Both draw their dialogue from the same seeded script builder (``cipher_devtools.synth.script``).
"""

from cipher_devtools.synth.calls import CSV_COLUMNS, CallRecord, PlannedCall, SynthResult, generate_calls, plan_calls

__all__ = ["CSV_COLUMNS", "CallRecord", "PlannedCall", "SynthResult", "generate_calls", "plan_calls"]
