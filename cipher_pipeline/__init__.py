"""Cipher: mine admissions calls for marketing insight behind a one-way de-identification gate."""

__version__ = "0.1.0"
