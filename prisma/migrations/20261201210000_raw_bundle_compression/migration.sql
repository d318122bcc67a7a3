-- InboundMessage.rawBundle (about 23 KB of JSON per message) is no longer compressed with pglz
-- (issue 10): pglz took 0.4–0.6 ms of database CPU per message, a tenth of all the database's
-- work on the ingest path. Where the server has lz4 (most PostgreSQL 14+ packages), the column
-- uses lz4, which costs a few tens of µs and compresses JSON almost as well. Without lz4 (the
-- embedded PostgreSQL of `npm start` and the tests has none) the column is stored out of line
-- uncompressed: about 3× the disk for this column (23 KB instead of 7.7 KB a message).
-- Applies to rows written from now on; existing rows keep their compression. No table rewrite.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE "InboundMessage" ALTER COLUMN "rawBundle" SET COMPRESSION lz4;
  ELSE
    ALTER TABLE "InboundMessage" ALTER COLUMN "rawBundle" SET STORAGE EXTERNAL;
  END IF;
END $$;
