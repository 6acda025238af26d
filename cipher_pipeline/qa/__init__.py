"""Human QA of the Safe Harbor gate: a reproducible sample per partition, an append-only review log, coverage,
and findings turned into regression cases for the de-identification engine."""
