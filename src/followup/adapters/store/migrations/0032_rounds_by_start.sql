-- An application's rounds in time order (services._later, _thanked_later, the loop checks
-- of a calendar import): which round follows which is their time order, whatever their
-- numbers, and a day's loop is found by the rounds next to one. Without it each look-up
-- walked every round of the application: a calendar of one role's 3,000 events took time
-- quadratic in its events.
CREATE INDEX interviews_rounds_by_start ON interviews (application_id, start_at);
