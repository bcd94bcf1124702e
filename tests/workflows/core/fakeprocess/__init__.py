"""A process that exists only for the kit's tests: `register_process` is given an app config of
this package (not an installed app) and imports its documents.py, as it does a real process's."""
