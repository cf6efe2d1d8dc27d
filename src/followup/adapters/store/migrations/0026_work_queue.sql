-- Server mode's work queue (0026_work_queue.postgres.sql): nothing to do in a laptop's
-- SQLite file, where one worker reads the one store. The number is kept so that both
-- dialects' versions match.
SELECT 1;
