// Keeps the entries subgraph's judge grants equal to the judges' active assignments, so a judge's token sees
// exactly the entries assigned to them (in open and closed rounds) and nothing else. Until the entries subgraph
// has applied a change, the round shows grantsPending and the judge may not see a newly assigned entry yet.
import { EntityManager } from "typeorm";
import { AssignmentStatus } from "./assignment.entity";
import { requestGrants, roundGrantSource } from "../judging-grants";

const SCHEMA = "judging";

/**
 * Asks for each judge's grants for the round to be replaced with their active (not recused) assignments as seen
 * by `manager` (empty lists revoke). Called inside the transaction that changed assignments, with the round locked.
 */
export async function syncJudgeGrants(manager: EntityManager, roundId: string, judgeIds: Iterable<string>): Promise<number> {
  const judges = [...new Set(judgeIds)].sort();
  if (!judges.length) return 0;
  const rows: { judgeId: string; entryIds: string[] }[] = await manager.query(
    `SELECT judge.id AS "judgeId",
            COALESCE(array_agg(assignment.entry_id ORDER BY assignment.entry_id) FILTER (WHERE assignment.entry_id IS NOT NULL), '{}') AS "entryIds"
       FROM unnest($2::uuid[]) AS judge(id)
       LEFT JOIN ${SCHEMA}.assignment assignment ON assignment.judge_id = judge.id AND assignment.round_id = $1 AND assignment.status <> $3
      GROUP BY judge.id`,
    [roundId, judges, AssignmentStatus.RECUSED],
  );
  const version = await requestGrants(
    manager,
    roundGrantSource(roundId),
    rows.map((row) => ({ judgeId: row.judgeId, entryIds: row.entryIds })),
  );
  await manager.query(`UPDATE ${SCHEMA}.judging_round SET grants_requested = $2 WHERE id = $1`, [roundId, version]);
  return rows.length;
}
