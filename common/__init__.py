"""The bottom package: machinery with no domain, used by every layer above it (orgstructure,
documents, api, workflows). It imports nothing of the project: uploads (content-checked files
and their storage), spreadsheets (capped, formula-safe .xlsx exports), keyset pages, HTTP helpers
(attachment responses and their file names)."""
