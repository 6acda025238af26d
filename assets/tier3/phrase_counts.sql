-- Tier 3 phrase frequencies: the words callers use, counted over distinct calls.
-- Input relation `caller_phrases(transcript_id, phrase, n)` holds 1- to 3-word phrases from the callers' side
-- of de-identified transcripts; phrases that touched a placeholder were never formed, so no fragment of a
-- redacted identifier can appear here. Small-cell suppression: a phrase said in fewer than $min_calls distinct
-- calls is dropped, because a rare phrase can single out the one caller who said it.
SELECT
    day,
    phrase,
    n AS words,
    COUNT(DISTINCT transcript_id) AS calls,
    COUNT(*) AS mentions
FROM caller_phrases
GROUP BY day, phrase, n
HAVING COUNT(DISTINCT transcript_id) >= $min_calls
ORDER BY calls DESC, mentions DESC, phrase
