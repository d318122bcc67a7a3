-- Issue 10: a version made by a message no longer copies the bundle; it points at the message
-- (InboundMessage.rawBundle is the one stored copy). Existing rows keep their copy.

-- AlterTable
ALTER TABLE "ReferralVersion" ALTER COLUMN "bundle" DROP NOT NULL;

-- Every version still has its bundle: its own copy, or the message it points at.
ALTER TABLE "ReferralVersion" ADD CONSTRAINT "ReferralVersion_bundle_or_message" CHECK ("bundle" IS NOT NULL OR "messageId" IS NOT NULL);

-- A pointer to a message that is not stored (none expected; made safe for the foreign key).
UPDATE "ReferralVersion" v SET "messageId" = NULL
WHERE "messageId" IS NOT NULL AND v."bundle" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "InboundMessage" m WHERE m."id" = v."messageId");

-- AddForeignKey
ALTER TABLE "ReferralVersion" ADD CONSTRAINT "ReferralVersion_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "InboundMessage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
