"""Calendar adapters: iCalendar files and invitation e-mails (ics.py), zone names (zones.py).

Imported only by the commands that read or write calendars: icalendar is heavy.
"""
