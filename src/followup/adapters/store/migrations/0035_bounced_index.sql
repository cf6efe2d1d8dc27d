-- The panellists whose address bounced, latest first: Today's "Now: not delivered" names
-- them while their interview waits (the others still get notes, they get none, and only a
-- corrected address or taking them off the panel settles it). A handful of rows at most:
-- without it, each page load scanned every interviewer.
CREATE INDEX interviewers_bounced ON interviewers (bounced_at) WHERE bounced_at IS NOT NULL;
