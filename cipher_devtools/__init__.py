"""Cipher's development tooling, beside the product: the synthetic call generator (``synth``), the real-ASR
corpus builder (``asr_corpus``), the benchmarks (``bench``), the de-identification evaluation (``evaluate``) and
its command ``cipher eval`` (``eval_cli``).

It depends on the engine (``cipher_pipeline``); the engine never imports it, except the command list of
``cipher_pipeline/cli.py`` (``cipher synth``, ``cipher eval``, ``cipher bench``) and the demo in
``cipher_pipeline/runner.py``, which needs the generator (``tests/test_import_layers.py`` holds that line).
"""
