-- Tier 3 caller types: who calls (the patient, a parent, a partner...), counted over distinct calls, small cells
-- suppressed. Input relation `call_types(day, transcript_id, caller_type)`, one row per call.
SELECT
    day,
    caller_type,
    COUNT(DISTINCT transcript_id) AS calls
FROM call_types
GROUP BY day, caller_type
HAVING COUNT(DISTINCT transcript_id) >= $min_calls
ORDER BY calls DESC, caller_type
