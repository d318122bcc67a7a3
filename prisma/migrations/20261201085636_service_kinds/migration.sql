-- CreateEnum
CREATE TYPE "ServiceKind" AS ENUM ('EMERGENCY', 'CAS', 'PHARMACY');

-- AlterTable
ALTER TABLE "Service" ADD COLUMN     "kind" "ServiceKind" NOT NULL DEFAULT 'EMERGENCY';

-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "homeServiceId" UUID;

