-- Tier 3 competitor and insurer mentions: canonical tags the de-identification lexicons put in place of the
-- names (e.g. [COMPETITOR:seaside_recovery]), counted over distinct calls, with the same small-cell rule.
SELECT
    day,
    kind,
    entity,
    COUNT(DISTINCT transcript_id) AS calls,
    COUNT(*) AS mentions
FROM entity_tags
GROUP BY day, kind, entity
HAVING COUNT(DISTINCT transcript_id) >= $min_calls
ORDER BY kind, calls DESC, entity
