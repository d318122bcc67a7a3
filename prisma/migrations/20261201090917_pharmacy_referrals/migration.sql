-- CreateEnum
CREATE TYPE "PharmacyStatus" AS ENUM ('OPEN', 'OUTCOME_RECORDED', 'CLOSED');

-- CreateEnum
CREATE TYPE "PharmacyOutcome" AS ENUM ('ADVICE', 'MEDICINE_SUPPLIED', 'ONWARD_REFERRAL', 'NO_CONTACT');

-- CreateTable
CREATE TABLE "PharmacyReferral" (
    "referralId" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "guideTime" TIMESTAMPTZ(3) NOT NULL,
    "guideTimeSource" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "referringOrgName" TEXT,
    "referringOrgOds" TEXT,
    "condition" TEXT,
    "adjustmentCount" INTEGER NOT NULL DEFAULT 0,
    "status" "PharmacyStatus" NOT NULL DEFAULT 'OPEN',
    "outcome" "PharmacyOutcome",
    "outcomeNote" TEXT,
    "outcomeById" UUID,
    "outcomeAt" TIMESTAMPTZ(3),
    "closedById" UUID,
    "closedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PharmacyReferral_pkey" PRIMARY KEY ("referralId")
);

-- CreateTable
CREATE TABLE "PharmacyContactAttempt" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "note" TEXT,
    "byId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PharmacyContactAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PharmacyReferral_serviceId_status_guideTime_idx" ON "PharmacyReferral"("serviceId", "status", "guideTime");

-- CreateIndex
CREATE INDEX "PharmacyContactAttempt_referralId_at_idx" ON "PharmacyContactAttempt"("referralId", "at");

-- AddForeignKey
ALTER TABLE "PharmacyReferral" ADD CONSTRAINT "PharmacyReferral_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PharmacyContactAttempt" ADD CONSTRAINT "PharmacyContactAttempt_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "PharmacyReferral"("referralId") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: the pharmacist's workflow rules, enforced by the database.
-- An outcome must be recorded before (and kept once) the referral is closed; a closed referral has its closing time.
ALTER TABLE "PharmacyReferral" ADD CONSTRAINT "PharmacyReferral_outcome_before_close"
  CHECK ("status" = 'OPEN' OR ("outcome" IS NOT NULL AND "outcomeAt" IS NOT NULL));
ALTER TABLE "PharmacyReferral" ADD CONSTRAINT "PharmacyReferral_closed_at"
  CHECK (("status" = 'CLOSED') = ("closedAt" IS NOT NULL));
ALTER TABLE "PharmacyReferral" ADD CONSTRAINT "PharmacyReferral_guide_source"
  CHECK ("guideTimeSource" IN ('task', 'service-request', 'default'));
ALTER TABLE "PharmacyContactAttempt" ADD CONSTRAINT "PharmacyContactAttempt_method"
  CHECK ("method" IN ('PHONE', 'SMS', 'EMAIL', 'IN_PERSON'));
ALTER TABLE "PharmacyContactAttempt" ADD CONSTRAINT "PharmacyContactAttempt_result"
  CHECK ("result" IN ('SPOKE_TO_PATIENT', 'NO_ANSWER', 'LEFT_MESSAGE', 'WRONG_NUMBER'));
