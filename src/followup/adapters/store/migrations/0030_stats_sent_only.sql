-- The stats' note triggers fire only for what the stats count (0030_stats_sent_only.postgres.sql:
-- a worker's claim of a note, pending -> sending, no longer recomputes its interview's
-- stats in PostgreSQL, where every seeker's first claim in a backend also plans them). The
-- SQLite file keeps 0023's and 0025's triggers (the same figures either way; a laptop's
-- worker sends a few notes a day). The number is kept so that both dialects' versions match.
SELECT 1;
