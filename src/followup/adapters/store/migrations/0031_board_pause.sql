-- An import pauses the board's triggers (0031_board_pause.postgres.sql): nothing to do in a
-- SQLite file, whose store drops them with the stats' inside the import's transaction and
-- creates them again from their own SQL before it commits (sqlite.SqliteStore.pause_stats).
-- The number is kept so that both dialects' versions match.
SELECT 1;
