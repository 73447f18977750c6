"""`anjian backup` and `anjian restore`: a consistent copy of the database (SQLite online backup
API, or pg_dump in one snapshot), the media files and a manifest with every file's SHA-256; a
restore that checks the hashes first and the row counts and the audit chain afterwards.
See docs/ops/backup.md."""
