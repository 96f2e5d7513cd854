// Fields whose cost is not the number of objects they return: a password check, a COUNT over every matching row,
// a ranking computed on request. Each carries its weight in the estimated cost (once per evaluation, i.e. per
// parent object), and the most expensive may be asked for once per operation, so aliases cannot multiply them.
// Weights are in the cost model's unit (one object of an answer ≈ 1); the default operation limit is 5000.
//
// tests/unit/field-weights.test.ts walks the composed schema: a new field of one of these kinds (a count, a
// ranking, statistics, a credential check) without a weight fails it.

export interface FieldWeight {
  /** Added to the operation's estimated cost each time the field is evaluated. */
  weight: number;
  /** At most one use per operation (aliases, fragments and repeats included). */
  oncePerOperation?: boolean;
  /** Why it weighs what it does. */
  reason: string;
}

/** Any field with this name counts the rows behind a connection (a COUNT, run even with `first: 0`). */
export const COUNT_FIELD_WEIGHT: FieldWeight = { weight: 100, reason: "a COUNT over every matching row, whatever the page size" };

export const FIELD_WEIGHTS: Readonly<Record<string, FieldWeight>> = {
  "Mutation.issueToken": { weight: 4000, oncePerOperation: true, reason: "a salted scrypt password check (tens of ms of CPU)" },
  "Mutation.createApiClient": { weight: 1000, oncePerOperation: true, reason: "hashes a new secret with scrypt" },
  "Mutation.rotateApiClientSecret": { weight: 1000, oncePerOperation: true, reason: "hashes a new secret with scrypt" },
  "Mutation.createJudgeLogin": { weight: 1000, oncePerOperation: true, reason: "hashes a new secret with scrypt" },
  "Query.leaderboard": { weight: 1000, reason: "ranks every scored entry of the round (open rounds on every request)" },
  "Mutation.proposeAwards": { weight: 1000, oncePerOperation: true, reason: "ranks a round's scope and writes awards" },
  "Mutation.assignJudges": { weight: 1000, oncePerOperation: true, reason: "plans and writes every assignment of a round" },
  "Query.entryStats": { weight: 500, reason: "groups and counts every visible entry" },
  "Query.judgingProgress": { weight: 300, reason: "counts every assignment of a round" },
  "JudgingRound.progress": { weight: 300, reason: "counts every assignment of the round" },
  "Query.myJudgingProgress": { weight: 200, reason: "counts the judge's assignments and score distribution" },
  "Query.scoreHistory": { weight: 200, reason: "reads a round's score log" },
  "Query.verifyScoreLog": { weight: 2000, oncePerOperation: true, reason: "re-hashes a round's whole score log" },
};

/** Points an export download (GET /exports/…) is charged against the caller's rate budget: it reads every entry. */
export const EXPORT_POINTS = 10;

/** Points a media file (GET /media/…) is charged: a page shows dozens of images, so five of them cost one request. */
export const MEDIA_POINTS = 0.2;

/** The weight of `parent.field`, if it has one. */
export function fieldWeight(parentType: string | undefined, field: string): FieldWeight | undefined {
  if (field === "totalCount") return COUNT_FIELD_WEIGHT;
  return parentType ? FIELD_WEIGHTS[`${parentType}.${field}`] : undefined;
}
