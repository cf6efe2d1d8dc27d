-- The ORGANIZER of the invitation an interview was imported from (lower-cased address):
-- RFC 5546 lets only the organizer change or cancel an event, so a later file with the same
-- UID and another ORGANIZER is refused (app/calendar.py). NULL for interviews imported
-- before, typed in, or restored from a JSON file (never taken from a file: a file could
-- name anyone): those take an update from any organizer, as before.
ALTER TABLE interviews ADD COLUMN ics_organizer TEXT;
