-- Tier 3 marketing view: what each call-tracking row may tell marketing, and nothing else.
-- Input relation `calls` is Tier 1 call-tracking metadata in which the engine has already replaced the Tier 1
-- call id with `marketing_call_id` (a keyed one-way pseudonym that cannot be joined to transcripts).
-- Deliberately NOT selected: caller_number, caller_name, caller_city, caller_state, tracking_number,
-- start_time (a date element tied to a person), audio fields.
SELECT
    marketing_call_id,
    day,
    campaign,
    source,
    medium,
    keyword,
    -- The path only: query strings carry click ids (gclid, fbclid) that a vendor can link to a person,
    -- and the host is always the center's own site.
    regexp_replace(regexp_replace(landing_page, '[?#].*$', ''), '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*', '') AS landing_page,
    CAST(talk_seconds AS INTEGER) AS talk_seconds,
    CAST(ring_seconds AS INTEGER) AS ring_seconds,
    answered
FROM calls
ORDER BY marketing_call_id
