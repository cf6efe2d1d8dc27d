-- PostgreSQL's version of 0016_hiring_outcomes.sql: the interviews' statuses gain
-- `rejected`, `role-closed` and `offer`, inbound messages the hiring side's kinds (issue
-- #15). PostgreSQL named the column CHECKs of 0001_initial.postgres.sql table_column_check:
-- they are replaced; every row, index and reference stays. An inbound message gains
-- `reason`, the signal that decided its kind. `interviews_ended` counts the
-- new ends too.
ALTER TABLE interviews DROP CONSTRAINT interviews_status_check;
ALTER TABLE interviews ADD CONSTRAINT interviews_status_check
    CHECK (status IN ('waiting', 'replied', 'closed', 'advanced', 'cancelled',
                      'rejected', 'role-closed', 'offer'));
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_classification_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_classification_check
    CHECK (classification IN ('human', 'auto-reply', 'bounce', 'unrelated',
                              'rejection', 'role-closed', 'acknowledgement',
                              'notification', 'scheduling', 'offer'));
ALTER TABLE inbound_messages ADD COLUMN reason TEXT;
DROP INDEX interviews_ended;
CREATE INDEX interviews_ended ON interviews (status_at)
    WHERE status IN ('replied', 'closed', 'advanced', 'rejected', 'role-closed', 'offer');
