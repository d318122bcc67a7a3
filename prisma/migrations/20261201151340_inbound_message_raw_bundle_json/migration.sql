-- InboundMessage.rawBundle becomes `json` (issue 10): the body is stored as the sender sent it, byte
-- for byte (jsonb re-orders keys and drops duplicates), and storing it costs no jsonb conversion
-- (1.3 ms of the claim's 23 KB insert). Nothing queries inside it; it is read back whole.
-- Rewrites the table: on a large store, run it in a maintenance window.
ALTER TABLE "InboundMessage" ALTER COLUMN "rawBundle" SET DATA TYPE JSON USING "rawBundle"::json;
