-- An approval is sealed: an HMAC of the approved recipient and message, keyed by a secret
-- kept beside the settings (config/keys.py), never in the database. The worker sends only a
-- message whose seal this install made, so approved bytes that arrived in a file (an
-- imported export, a restored backup) are refused, never sent. Approvals made before this
-- migration have no seal: the worker refuses them with the reason, and the user approves
-- again.
ALTER TABLE notes ADD COLUMN approved_seal TEXT;
