"""Mail adapters: building RFC 5322 messages (message.py), and later SMTP and IMAP.

Importing this package imports nothing else: each module is imported by whoever needs it.
"""
