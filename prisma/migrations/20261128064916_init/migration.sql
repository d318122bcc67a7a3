-- CreateEnum
CREATE TYPE "SenderKind" AS ENUM ('NHS111', 'CAS', 'AMBULANCE_999', 'OTHER');

-- CreateEnum
CREATE TYPE "MessageState" AS ENUM ('PROCESSING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReferralState" AS ENUM ('NEW', 'ACCEPTED', 'REJECTED', 'BOOKED', 'ARRIVED', 'DID_NOT_ATTEND', 'CANCELLED');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('CLINICIAN', 'RECEPTIONIST', 'ADMIN');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'DELIVERED', 'DEAD');

-- CreateTable
CREATE TABLE "Service" (
    "id" UUID NOT NULL,
    "dosServiceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "odsCode" TEXT NOT NULL,
    "useCases" TEXT[],
    "minAppVersion" TEXT NOT NULL DEFAULT '1.0.0',
    "maxAppVersion" TEXT NOT NULL DEFAULT '2.1.0',
    "amberMinutes" INTEGER NOT NULL DEFAULT 60,
    "redMinutes" INTEGER NOT NULL DEFAULT 15,
    "maxSlotWindowHours" INTEGER NOT NULL DEFAULT 168,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SenderSystem" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SenderKind" NOT NULL,
    "dosServiceId" TEXT NOT NULL,
    "odsCodes" TEXT[],
    "responseBaseUrl" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SenderSystem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceSender" (
    "serviceId" UUID NOT NULL,
    "senderId" UUID NOT NULL,

    CONSTRAINT "ServiceSender_pkey" PRIMARY KEY ("serviceId","senderId")
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "correlationId" UUID NOT NULL,
    "state" "MessageState" NOT NULL DEFAULT 'PROCESSING',
    "serviceId" UUID,
    "bundleId" TEXT,
    "eventCode" TEXT,
    "reasonCode" TEXT,
    "workflow" TEXT,
    "rawBundle" JSONB,
    "headers" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),
    "responseStatus" INTEGER,
    "responseBody" JSONB,

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" UUID NOT NULL,
    "caseReference" TEXT NOT NULL,
    "serviceId" UUID NOT NULL,
    "state" "ReferralState" NOT NULL DEFAULT 'NEW',
    "fhirStatus" TEXT NOT NULL,
    "useCase" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "correlationId" UUID NOT NULL,
    "bundleId" TEXT NOT NULL,
    "encounterId" UUID NOT NULL,
    "sourceEndpoint" TEXT NOT NULL,
    "senderOdsCode" TEXT,
    "senderName" TEXT,
    "requestIdentifier" TEXT,
    "senderCaseId" TEXT,
    "journeyId" TEXT,
    "patientNhsNumber" TEXT,
    "patientFamily" TEXT,
    "patientGiven" TEXT,
    "patientBirthDate" TEXT,
    "patientPostcode" TEXT,
    "chiefConcern" TEXT,
    "dispositionCode" TEXT,
    "dispositionDisplay" TEXT,
    "deadline" TIMESTAMPTZ(3),
    "safeguarding" BOOLEAN NOT NULL DEFAULT false,
    "flagCount" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralVersion" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "bundle" JSONB NOT NULL,
    "fhirStatus" TEXT NOT NULL,
    "messageId" UUID,
    "summary" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Booking" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "slotId" UUID,
    "referralId" UUID,
    "status" TEXT NOT NULL,
    "correlationId" UUID,
    "bundleId" TEXT,
    "sourceEndpoint" TEXT,
    "useCase" TEXT,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "end" TIMESTAMPTZ(3) NOT NULL,
    "patientNhsNumber" TEXT,
    "patientFamily" TEXT,
    "patientGiven" TEXT,
    "patientBirthDate" TEXT,
    "patientPostcode" TEXT,
    "overbooked" BOOLEAN NOT NULL DEFAULT false,
    "overbookReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Booking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BookingVersion" (
    "id" UUID NOT NULL,
    "bookingId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "bundle" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "messageId" UUID,
    "summary" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BookingVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Slot" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "end" TIMESTAMPTZ(3) NOT NULL,
    "capacity" INTEGER NOT NULL DEFAULT 1,
    "booked" INTEGER NOT NULL DEFAULT 0,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffUser" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "roles" "Role"[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StaffUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT,
    "entityId" TEXT,
    "patientNhs" TEXT,
    "requestId" TEXT,
    "correlationId" TEXT,
    "outcome" TEXT NOT NULL,
    "ip" TEXT,
    "detail" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "targetEndpoint" TEXT NOT NULL,
    "requestId" UUID NOT NULL,
    "correlationId" UUID NOT NULL,
    "bundle" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "referralId" UUID,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "serviceId" UUID,
    "entityId" TEXT,

    CONSTRAINT "LiveEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffSession" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "StaffSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Service_dosServiceId_key" ON "Service"("dosServiceId");

-- CreateIndex
CREATE UNIQUE INDEX "SenderSystem_dosServiceId_key" ON "SenderSystem"("dosServiceId");

-- CreateIndex
CREATE INDEX "InboundMessage_correlationId_idx" ON "InboundMessage"("correlationId");

-- CreateIndex
CREATE INDEX "InboundMessage_bundleId_idx" ON "InboundMessage"("bundleId");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_requestId_correlationId_key" ON "InboundMessage"("requestId", "correlationId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_caseReference_key" ON "Referral"("caseReference");

-- CreateIndex
CREATE INDEX "Referral_serviceId_state_deadline_idx" ON "Referral"("serviceId", "state", "deadline");

-- CreateIndex
CREATE INDEX "Referral_patientNhsNumber_idx" ON "Referral"("patientNhsNumber");

-- CreateIndex
CREATE INDEX "Referral_correlationId_idx" ON "Referral"("correlationId");

-- CreateIndex
CREATE INDEX "Referral_bundleId_idx" ON "Referral"("bundleId");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralVersion_referralId_version_key" ON "ReferralVersion"("referralId", "version");

-- CreateIndex
CREATE INDEX "Booking_serviceId_start_idx" ON "Booking"("serviceId", "start");

-- CreateIndex
CREATE INDEX "Booking_slotId_idx" ON "Booking"("slotId");

-- CreateIndex
CREATE INDEX "Booking_patientNhsNumber_idx" ON "Booking"("patientNhsNumber");

-- CreateIndex
CREATE INDEX "Booking_correlationId_idx" ON "Booking"("correlationId");

-- CreateIndex
CREATE UNIQUE INDEX "BookingVersion_bookingId_version_key" ON "BookingVersion"("bookingId", "version");

-- CreateIndex
CREATE INDEX "Slot_serviceId_start_idx" ON "Slot"("serviceId", "start");

-- CreateIndex
CREATE UNIQUE INDEX "Slot_serviceId_start_end_key" ON "Slot"("serviceId", "start", "end");

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_email_key" ON "StaffUser"("email");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_idx" ON "AuditEvent"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "StaffSession_userId_idx" ON "StaffSession"("userId");

-- AddForeignKey
ALTER TABLE "ServiceSender" ADD CONSTRAINT "ServiceSender_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceSender" ADD CONSTRAINT "ServiceSender_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "SenderSystem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMessage" ADD CONSTRAINT "InboundMessage_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralVersion" ADD CONSTRAINT "ReferralVersion_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "Slot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookingVersion" ADD CONSTRAINT "BookingVersion_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Capacity is enforced by the database: a booking increments "booked" with a conditional UPDATE,
-- and this constraint makes any path that would exceed capacity fail.
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_booked_within_capacity" CHECK ("booked" >= 0 AND "booked" <= "capacity");
ALTER TABLE "Slot" ADD CONSTRAINT "Slot_end_after_start" CHECK ("end" > "start");

-- Human-readable case references (ED-000001…), unique across instances.
CREATE SEQUENCE "case_reference_seq" START 1;

-- New live events wake listeners on every app instance.
CREATE FUNCTION notify_live_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('live_events', NEW."id"::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "LiveEvent_notify" AFTER INSERT ON "LiveEvent" FOR EACH ROW EXECUTE FUNCTION notify_live_event();
