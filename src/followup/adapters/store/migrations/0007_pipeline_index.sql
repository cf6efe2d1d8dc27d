-- The pipeline shows the newest interviews of each status: walk them newest first through
-- an index and stop at the column's size, instead of sorting the whole history per page.
-- (Not on (status, start_at): SQLite would then prefer it to the agenda's partial indexes.)
CREATE INDEX interviews_by_start ON interviews (start_at, id);
