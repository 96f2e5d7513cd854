// The scoring rules of a round applied to one submission (on the scale, in steps, every criterion once, or a
// yes/no vote in a SHORTLIST round): pure functions, BAD_USER_INPUT names what is wrong.
import { badInput } from "../../../lib/errors";
import { JudgingRound, RoundKind } from "../round/round.entity";
import type { CriteriaValues, Score } from "./score.entity";
import type { SubmitScoreInput } from "./score.inputs";

/** What of a round decides whether a submission is valid. */
export type ScoringRules = Pick<JudgingRound, "kind" | "scaleMin" | "scaleMax" | "scaleStep" | "criteria">;

export interface CheckedScore {
  value: number | null;
  pass: boolean | null;
  criteria: CriteriaValues;
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The scoring rules of a round, applied to one submission; BAD_USER_INPUT names what is wrong. */
export function checkSubmission(round: ScoringRules, input: Pick<SubmitScoreInput, "value" | "criteria" | "pass">): CheckedScore {
  if (round.kind === RoundKind.SHORTLIST) {
    if (input.value != null || input.criteria != null)
      throw badInput("This is a SHORTLIST round: vote with pass: true or false, without value or criteria.", { argument: "pass" });
    if (input.pass == null) throw badInput("This is a SHORTLIST round: give pass: true or false.", { argument: "pass" });
    return { value: null, pass: input.pass, criteria: {} };
  }
  if (input.pass != null) throw badInput("This is a SCORE round: give value or criteria, not pass.", { argument: "pass" });
  const min = round.scaleMin!;
  const max = round.scaleMax!;
  const step = round.scaleStep!;
  const onScale = (value: number, argument: string) => {
    const steps = (value - min) / step;
    if (!Number.isFinite(value) || value < min - 1e-9 || value > max + 1e-9 || Math.abs(steps - Math.round(steps)) > 1e-9) {
      throw badInput(`${argument} must be between ${min} and ${max} in steps of ${step}; got ${value}.`, { argument, min, max, step });
    }
    return round3(min + Math.round(steps) * step);
  };
  let criteria: CriteriaValues;
  if (input.criteria != null) {
    if (input.value != null) throw badInput("Give either value or criteria, not both.", { argument: "value" });
    criteria = {};
    for (const item of input.criteria) {
      if (!round.criteria.some((criterion) => criterion.code === item.code))
        throw badInput(`"${String(item.code).slice(0, 40)}" is not a criterion of this round.`, { argument: "criteria" });
      if (item.code in criteria) throw badInput(`Criterion "${item.code}" is given twice.`, { argument: "criteria" });
      criteria[item.code] = onScale(item.value, `criteria.${item.code}`);
    }
    const missing = round.criteria.filter((criterion) => !(criterion.code in criteria)).map((criterion) => criterion.code);
    if (missing.length) throw badInput(`Every criterion needs a value; missing: ${missing.join(", ")}.`, { argument: "criteria", missing });
  } else {
    if (input.value == null) throw badInput("Give the score as value or criteria.", { argument: "value" });
    if (round.criteria.length !== 1)
      throw badInput(`This round scores ${round.criteria.length} criteria: give criteria, one value each.`, { argument: "criteria" });
    criteria = { [round.criteria[0].code]: onScale(input.value, "value") };
  }
  const totalWeight = round.criteria.reduce((sum, criterion) => sum + criterion.weight, 0);
  const weighted = round.criteria.reduce((sum, criterion) => sum + criterion.weight * criteria[criterion.code], 0) / totalWeight;
  return { value: round3(weighted), pass: null, criteria };
}

/** True when a stored score already says what the submission says (a repeated submission changes nothing). */
export function sameScore(score: Score, checked: CheckedScore): boolean {
  const codes = (criteria: CriteriaValues) =>
    JSON.stringify(
      Object.keys(criteria)
        .sort()
        .map((code) => [code, criteria[code]]),
    );
  return score.value === checked.value && score.pass === checked.pass && codes(score.criteria) === codes(checked.criteria);
}
