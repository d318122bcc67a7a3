-- CreateEnum
CREATE TYPE "DeadlineSource" AS ENUM ('EXPLICIT', 'DERIVED');

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN "deadlineSource" "DeadlineSource";

-- Hand-written: every deadline stored so far came from the sender (occurrencePeriod.end).
UPDATE "Referral" SET "deadlineSource" = 'EXPLICIT' WHERE "deadline" IS NOT NULL;

-- Hand-written: a deadline always says where it came from, and a source never stands without a deadline.
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_deadline_source_check" CHECK (("deadline" IS NULL) = ("deadlineSource" IS NULL));
