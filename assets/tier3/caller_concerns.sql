-- Tier 3 concern order: which concerns callers raise, and which they raise first.
-- Input relation `call_concerns(day, transcript_id, caller_type, concern, rank)`: one row per concern a call's
-- caller raised, `rank` 1 for the concern raised first (concerns.yaml holds the vocabularies). Counted over
-- distinct calls; a concern raised in fewer than $min_calls calls is suppressed (it could single a caller out).
SELECT
    day,
    concern,
    COUNT(DISTINCT transcript_id) AS calls,
    COUNT(DISTINCT transcript_id) FILTER (WHERE rank = 1) AS calls_raising_it_first,
    ROUND(AVG(rank), 2) AS mean_rank
FROM call_concerns
GROUP BY day, concern
HAVING COUNT(DISTINCT transcript_id) >= $min_calls
ORDER BY calls DESC, mean_rank, concern
