"""The pure core: stdlib only, no I/O, no clock. Every function takes `now` as an argument."""
