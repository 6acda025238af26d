"""Cipher's development tooling, beside the product: the synthetic call generator (``synth``), the real-ASR
corpus builder (``asr_corpus``), the benchmarks (``bench``) and the de-identification evaluation (``evaluate``).

It depends on the engine (``cipher_pipeline``); the engine never imports it, except the developer-only
``cipher eval`` command and the ``python -m cipher_pipeline.deid.asr_shapes`` scorer, which import it lazily.
"""
