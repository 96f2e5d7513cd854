// Keeps the entries subgraph's judge grants equal to the judges' active assignments, so a judge's token
// sees exactly the entries assigned to them (in open and closed rounds) and nothing else.
import { EntityManager } from "typeorm";
import { grantEntries } from "../internal-api.client";

/** Grants are per round: source "round:<roundId>", audience "judge:<judgeId>". */
export const roundGrantSource = (roundId: string) => `round:${roundId}`;

const PARALLEL_CALLS = 8;

/**
 * Replaces each judge's grants for the round with their active (not recused) assignments as seen by
 * `manager`. Called inside the transaction that changed assignments, before it commits: if the entries
 * subgraph cannot be told, the change is rolled back. Empty lists revoke.
 */
export async function syncJudgeGrants(manager: EntityManager, roundId: string, judgeIds: Iterable<string>): Promise<number> {
  const judges = [...new Set(judgeIds)].sort();
  if (!judges.length) return 0;
  const rows: { judgeId: string; entryIds: string[] }[] = await manager.query(
    `SELECT judge.id AS "judgeId",
            COALESCE(array_agg(assignment.entry_id ORDER BY assignment.entry_id) FILTER (WHERE assignment.entry_id IS NOT NULL), '{}') AS "entryIds"
       FROM unnest($2::uuid[]) AS judge(id)
       LEFT JOIN judging.assignment assignment ON assignment.judge_id = judge.id AND assignment.round_id = $1 AND assignment.status <> 'RECUSED'
      GROUP BY judge.id`,
    [roundId, judges],
  );
  for (let start = 0; start < rows.length; start += PARALLEL_CALLS) {
    await Promise.all(
      rows.slice(start, start + PARALLEL_CALLS).map((row) => grantEntries({ source: roundGrantSource(roundId), judgeId: row.judgeId, entryIds: row.entryIds })),
    );
  }
  return rows.length;
}
