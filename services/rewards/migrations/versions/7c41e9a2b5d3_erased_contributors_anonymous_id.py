"""erased contributors keep their numbers under an anonymous id

Revision ID: 7c41e9a2b5d3
Revises: 0388b20b76fa
Create Date: 2026-11-27 03:00:00

`contributors.anonymous_id`: the random id an erased person's ledger rows, standing, badges, counters, cap tallies
and payouts move to (`rewards.move_to_anonymous`). The ledger stays append-only; the one change it allows is that
move, row by row, only inside `move_to_anonymous` (a transaction-local setting) and only of the columns that name a
person. People erased before this revision are moved here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c41e9a2b5d3"
down_revision: str | None = "0388b20b76fa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_TABLES = ("ledger_transactions", "ledger_entries")
# The columns of the ledger that name a person: the only ones the erasure move may change.
PERSON_COLUMNS = "'contributor_id', 'account', 'actor_id'"

GUARD_FUNCTION = f"""
CREATE FUNCTION rewards.guard_ledger_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('rewards.erasure', true) = 'on'
     AND (to_jsonb(NEW) - ARRAY[{PERSON_COLUMNS}]) = (to_jsonb(OLD) - ARRAY[{PERSON_COLUMNS}]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the rewards ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$
"""

MOVE_FUNCTION = """
CREATE FUNCTION rewards.move_to_anonymous(original uuid, fresh uuid) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  anonymous uuid;
BEGIN
  SELECT anonymous_id INTO anonymous FROM rewards.contributors WHERE id = original FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'contributor % is not known', original;
  END IF;
  IF anonymous IS NOT NULL THEN
    RETURN anonymous;  -- moved before: erasure is final and happens once
  END IF;
  anonymous := fresh;
  UPDATE rewards.contributors SET anonymous_id = anonymous, updated_at = now() WHERE id = original;
  INSERT INTO rewards.contributors (id, status, erased_at, version) VALUES (anonymous, 'erased', now(), 0);

  PERFORM set_config('rewards.erasure', 'on', true);
  UPDATE rewards.ledger_entries SET contributor_id = anonymous, account = 'contributor:' || anonymous
   WHERE contributor_id = original;
  UPDATE rewards.ledger_transactions SET actor_id = anonymous WHERE actor_id = original;
  PERFORM set_config('rewards.erasure', 'off', true);

  UPDATE rewards.contributor_balances SET contributor_id = anonymous, updated_at = now()
   WHERE contributor_id = original;
  UPDATE rewards.contributor_badges SET contributor_id = anonymous WHERE contributor_id = original;
  UPDATE rewards.counter_items SET contributor_id = anonymous WHERE contributor_id = original;
  -- endorsements counted per endorser and target: `<endorser>><target>`
  UPDATE rewards.counter_items SET item = anonymous::text || substr(item, length(original::text) + 1)
   WHERE counter = 'endorsements_received' AND starts_with(item, original::text || '>');
  UPDATE rewards.endorsement_day_tally SET contributor_id = anonymous WHERE contributor_id = original;
  UPDATE rewards.endorsement_pair_tally SET author_id = anonymous WHERE author_id = original;
  UPDATE rewards.endorsement_pair_tally SET endorser_id = anonymous WHERE endorser_id = original;
  UPDATE rewards.payouts SET contributor_id = anonymous, version = version + 1, updated_at = now()
   WHERE contributor_id = original;
  RETURN anonymous;
END $$
"""


def upgrade() -> None:
    op.add_column("contributors", sa.Column("anonymous_id", sa.UUID(), nullable=True), schema="rewards")
    op.create_unique_constraint(
        op.f("uq_contributors_anonymous_id"), "contributors", ["anonymous_id"], schema="rewards"
    )
    op.execute(GUARD_FUNCTION)
    for table in LEDGER_TABLES:
        op.execute(f"DROP TRIGGER {table}_append_only ON rewards.{table}")
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE DELETE OR TRUNCATE ON rewards.{table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION rewards.refuse_ledger_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_update_guard BEFORE UPDATE ON rewards.{table} "
            "FOR EACH ROW EXECUTE FUNCTION rewards.guard_ledger_update()"
        )
    op.execute(MOVE_FUNCTION)
    op.execute(
        "SELECT rewards.move_to_anonymous(id, gen_random_uuid()) FROM rewards.contributors "
        "WHERE erased_at IS NOT NULL AND anonymous_id IS NULL AND status = 'erased' "
        "AND id NOT IN (SELECT anonymous_id FROM rewards.contributors WHERE anonymous_id IS NOT NULL)"
    )


def downgrade() -> None:
    # The moved rows stay where they are: an anonymous id cannot be turned back into a person.
    op.execute("DROP FUNCTION IF EXISTS rewards.move_to_anonymous(uuid, uuid)")
    for table in LEDGER_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_update_guard ON rewards.{table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON rewards.{table}")
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON rewards.{table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION rewards.refuse_ledger_change()"
        )
    op.execute("DROP FUNCTION IF EXISTS rewards.guard_ledger_update()")
    op.drop_constraint(op.f("uq_contributors_anonymous_id"), "contributors", schema="rewards", type_="unique")
    op.drop_column("contributors", "anonymous_id", schema="rewards")
