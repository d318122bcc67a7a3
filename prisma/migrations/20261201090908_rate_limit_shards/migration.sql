-- AlterTable: a key's count in a window is spread over shard rows (summed when checked), no hot row.
ALTER TABLE "RateLimitBucket" DROP CONSTRAINT "RateLimitBucket_pkey",
ADD COLUMN     "shard" INTEGER NOT NULL DEFAULT 0,
ADD CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("key", "windowStart", "shard");
