-- DropIndex
DROP INDEX "Referral_serviceId_state_deadline_idx";

-- CreateTable
CREATE TABLE "ReferralStateCount" (
    "serviceId" UUID NOT NULL,
    "state" "ReferralState" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "ReferralStateCount_pkey" PRIMARY KEY ("serviceId","state","shard")
);

-- CreateIndex
CREATE INDEX "Referral_worklist_idx" ON "Referral"("state", "deadline", "safeguarding" DESC, "flagCount" DESC, "receivedAt");

-- CreateIndex
CREATE INDEX "Referral_service_worklist_idx" ON "Referral"("serviceId", "state", "deadline", "safeguarding" DESC, "flagCount" DESC, "receivedAt");


-- Hand-written: the per-state counters, kept by triggers in the same transaction as the change.
-- Each writing connection uses its own shard (pg_backend_pid() % 16), so concurrent ingests do not
-- queue on one counter row; the count of a (service, state) is the sum over its shards. In an UPDATE
-- both rows are touched in enum order, so two transactions on one shard cannot deadlock each other.
CREATE FUNCTION referral_state_count_add(p_service uuid, p_state "ReferralState", p_delta integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "ReferralStateCount" ("serviceId", "state", "shard", "n")
  VALUES (p_service, p_state, (pg_backend_pid() % 16)::smallint, p_delta)
  ON CONFLICT ("serviceId", "state", "shard") DO UPDATE SET "n" = "ReferralStateCount"."n" + EXCLUDED."n"
$$;

CREATE FUNCTION referral_state_count_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM referral_state_count_add(NEW."serviceId", NEW."state", 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM referral_state_count_add(OLD."serviceId", OLD."state", -1);
  ELSIF OLD."state" <= NEW."state" THEN
    PERFORM referral_state_count_add(OLD."serviceId", OLD."state", -1);
    PERFORM referral_state_count_add(NEW."serviceId", NEW."state", 1);
  ELSE
    PERFORM referral_state_count_add(NEW."serviceId", NEW."state", 1);
    PERFORM referral_state_count_add(OLD."serviceId", OLD."state", -1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER referral_state_count_ins_del AFTER INSERT OR DELETE ON "Referral"
  FOR EACH ROW EXECUTE FUNCTION referral_state_count_trigger();
CREATE TRIGGER referral_state_count_upd AFTER UPDATE OF "state", "serviceId" ON "Referral"
  FOR EACH ROW WHEN (OLD."state" IS DISTINCT FROM NEW."state" OR OLD."serviceId" IS DISTINCT FROM NEW."serviceId")
  EXECUTE FUNCTION referral_state_count_trigger();

CREATE FUNCTION referral_state_count_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "ReferralStateCount";
  RETURN NULL;
END
$$;
CREATE TRIGGER referral_state_count_truncate AFTER TRUNCATE ON "Referral"
  FOR EACH STATEMENT EXECUTE FUNCTION referral_state_count_truncate();

-- The referrals already stored.
INSERT INTO "ReferralStateCount" ("serviceId", "state", "shard", "n")
SELECT "serviceId", "state", 0, count(*)::integer FROM "Referral" GROUP BY "serviceId", "state";

-- Hand-written: every committed change to a service, its senders or a sender system tells every app
-- instance to drop its cached lookups (lib/db/lookup-cache.ts LISTENs on bars_lookups).
CREATE FUNCTION bars_lookups_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('bars_lookups', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
CREATE TRIGGER service_lookups_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Service"
  FOR EACH STATEMENT EXECUTE FUNCTION bars_lookups_changed();
CREATE TRIGGER service_sender_lookups_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ServiceSender"
  FOR EACH STATEMENT EXECUTE FUNCTION bars_lookups_changed();
CREATE TRIGGER sender_system_lookups_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SenderSystem"
  FOR EACH STATEMENT EXECUTE FUNCTION bars_lookups_changed();
