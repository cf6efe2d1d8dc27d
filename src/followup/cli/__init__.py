"""The command line: thin — parse, call one service, print (people's text or --json)."""
