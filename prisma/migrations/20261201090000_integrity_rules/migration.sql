-- Integrity rules the database guarantees (issue 9). Hand-written: Prisma's datamodel cannot
-- express partial unique indexes. lib/db/constraint-errors.ts maps each name below to the
-- 409 REC_CONFLICT message a sender or a user reads; keep the two in step.

-- One active referral per conversation of a service (a sender refers again only after cancelling).
CREATE UNIQUE INDEX "Referral_one_active_per_conversation"
  ON "Referral" ("serviceId", "correlationId") WHERE "fhirStatus" = 'active';

-- One current (booked) booking per conversation of a service (rebook = cancel, then book).
CREATE UNIQUE INDEX "Booking_one_current_per_conversation"
  ON "Booking" ("serviceId", "correlationId") WHERE "status" = 'booked' AND "correlationId" IS NOT NULL;

-- One current (booked) booking per referral.
CREATE UNIQUE INDEX "Booking_one_current_per_referral"
  ON "Booking" ("referralId") WHERE "status" = 'booked' AND "referralId" IS NOT NULL;

-- Version counters start at 1 and only grow (UPDATE … SET version = version + 1 RETURNING version).
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_version_positive" CHECK ("version" >= 1);
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_version_positive" CHECK ("version" >= 1);
