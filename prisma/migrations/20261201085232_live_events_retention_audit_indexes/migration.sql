-- AlterTable
ALTER TABLE "LiveEvent" ADD COLUMN     "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint;

-- CreateTable
CREATE TABLE "LiveEventRetention" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "throughTxid" BIGINT NOT NULL,
    "throughId" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveEventRetention_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_id_idx" ON "AuditEvent"("actorId", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_patientNhs_id_idx" ON "AuditEvent"("patientNhs", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_entityId_id_idx" ON "AuditEvent"("entityId", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_outcome_id_idx" ON "AuditEvent"("outcome", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_requestId_idx" ON "AuditEvent"("requestId");

-- CreateIndex
CREATE INDEX "AuditEvent_correlationId_idx" ON "AuditEvent"("correlationId");

-- CreateIndex
CREATE INDEX "LiveEvent_txid_id_idx" ON "LiveEvent"("txid", "id");

-- CreateIndex
CREATE INDEX "LiveEvent_at_idx" ON "LiveEvent"("at");


-- Hand-written.

-- LiveEventRetention holds one row (the newest position deleted by retention).
ALTER TABLE "LiveEventRetention" ADD CONSTRAINT "LiveEventRetention_single_row" CHECK ("id" = 1);

-- Audit search "action starts with" is a LIKE 'prefix%': a btree can serve it under any collation
-- only with text_pattern_ops (Prisma cannot declare operator classes on btree indexes).
CREATE INDEX "AuditEvent_action_prefix_idx" ON "AuditEvent" ("action" text_pattern_ops);

-- A servicerequest-response names the Bundle.id of a message we sent
-- (messageRepository.findOutboxByBundleId: WHERE "bundle"->>'id' = $1 ORDER BY "createdAt" DESC).
CREATE INDEX "OutboxMessage_bundle_id_idx" ON "OutboxMessage" (("bundle"->>'id'), "createdAt" DESC);
