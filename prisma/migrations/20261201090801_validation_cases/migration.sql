-- CreateEnum
CREATE TYPE "ValidationState" AS ENUM ('RECEIVED', 'IN_PROGRESS', 'REJECTED', 'COMPLETED', 'CANCELLED');

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "validationId" UUID;

-- CreateTable
CREATE TABLE "ValidationCase" (
    "id" UUID NOT NULL,
    "caseReference" TEXT NOT NULL,
    "serviceId" UUID NOT NULL,
    "state" "ValidationState" NOT NULL DEFAULT 'RECEIVED',
    "fhirStatus" TEXT NOT NULL,
    "useCase" TEXT NOT NULL,
    "correlationId" UUID NOT NULL,
    "bundleId" TEXT NOT NULL,
    "encounterId" UUID NOT NULL,
    "sourceEndpoint" TEXT NOT NULL,
    "senderName" TEXT,
    "patientNhsNumber" TEXT,
    "patientFamily" TEXT,
    "patientGiven" TEXT,
    "patientBirthDate" TEXT,
    "breachAt" TIMESTAMPTZ(3) NOT NULL,
    "clockStart" TIMESTAMPTZ(3),
    "originalArpCode" TEXT,
    "arpCode" TEXT,
    "sceneSafety" TEXT,
    "safeguarding" BOOLEAN NOT NULL DEFAULT false,
    "claimedById" UUID,
    "claimedAt" TIMESTAMPTZ(3),
    "interimSentAt" TIMESTAMPTZ(3),
    "rejectCode" TEXT,
    "rejectText" TEXT,
    "completedAt" TIMESTAMPTZ(3),
    "lastChange" JSONB,
    "lastChangeAt" TIMESTAMPTZ(3),
    "cancelReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ValidationCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ValidationVersion" (
    "id" UUID NOT NULL,
    "validationId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "bundle" JSONB NOT NULL,
    "fhirStatus" TEXT NOT NULL,
    "messageId" UUID,
    "summary" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ValidationVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ValidationCase_caseReference_key" ON "ValidationCase"("caseReference");

-- CreateIndex
CREATE INDEX "ValidationCase_serviceId_state_breachAt_idx" ON "ValidationCase"("serviceId", "state", "breachAt");

-- CreateIndex
CREATE INDEX "ValidationCase_correlationId_idx" ON "ValidationCase"("correlationId");

-- CreateIndex
CREATE INDEX "ValidationCase_bundleId_idx" ON "ValidationCase"("bundleId");

-- CreateIndex
CREATE UNIQUE INDEX "ValidationVersion_validationId_version_key" ON "ValidationVersion"("validationId", "version");

-- CreateIndex
CREATE INDEX "OutboxMessage_validationId_idx" ON "OutboxMessage"("validationId");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_validationId_fkey" FOREIGN KEY ("validationId") REFERENCES "ValidationCase"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ValidationCase" ADD CONSTRAINT "ValidationCase_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ValidationVersion" ADD CONSTRAINT "ValidationVersion_validationId_fkey" FOREIGN KEY ("validationId") REFERENCES "ValidationCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written rules (lib/validations relies on them; never checked by read-then-write in code).
-- One open validation case per service and X-Correlation-Id (a second "new" for the same call is 409).
CREATE UNIQUE INDEX "ValidationCase_open_per_correlation" ON "ValidationCase" ("serviceId", "correlationId")
  WHERE "state" IN ('RECEIVED', 'IN_PROGRESS');
-- A case in progress, or one completed after an interim, has the clinician who claimed it.
ALTER TABLE "ValidationCase" ADD CONSTRAINT "ValidationCase_in_progress_is_claimed"
  CHECK ("state" <> 'IN_PROGRESS' OR "claimedById" IS NOT NULL);
ALTER TABLE "ValidationCase" ADD CONSTRAINT "ValidationCase_rejection_has_code"
  CHECK ("state" <> 'REJECTED' OR "rejectCode" IN ('RRNA', 'FC', 'OTH'));
ALTER TABLE "ValidationCase" ADD CONSTRAINT "ValidationCase_completed_at"
  CHECK ("state" <> 'COMPLETED' OR "completedAt" IS NOT NULL);
