-- tests/integration/schema-undo/0003.sql: turns a database's tables at schema version 3 back into
-- version 2's (it_schema.c makes an old database from the current schema this way). Each feature
-- that adds to server/db/migrations/0003.sql undoes its block here, under the same header.

-- ---- inquiries (version 3) ----
DROP TABLE inquiry_messages, inquiry_threads, booth_inquiry_settings;
