-- The interviews cancelled lately, newest first: "Ended lately" shows those every address of
-- bounced (services.bounced), with how to put the address right. Without it, the agenda's
-- look-up of them scanned every interview (interviews_ended covers the other ends).
CREATE INDEX interviews_cancelled ON interviews (status_at) WHERE status = 'cancelled';
