// The checks of a round's settings (scale, criteria, quorum, pass votes, acceptance cap): pure functions that
// return the value to store or throw BAD_USER_INPUT naming the argument.
import { badInput } from "../../../lib/errors";
import { requiredText } from "../../../lib/text";
import type { RoundCriterion } from "./round.entity";
import type { RoundCriterionInput, ScoreScaleInput } from "./round.inputs";

export const DEFAULT_SCALE = { min: 1, max: 10, step: 0.5 };
export const DEFAULT_CRITERIA: RoundCriterion[] = [{ code: "overall", name: "Overall", weight: 1 }];
const CRITERION_CODE = /^[a-z][a-z0-9_]{0,31}$/;

/** True when x has at most three decimals (the precision scores are stored with). */
const hasThreeDecimals = (x: number) => Number.isFinite(x) && Math.abs(Math.round(x * 1000) - x * 1000) < 1e-6;

export function checkScale(scale: ScoreScaleInput): { min: number; max: number; step: number } {
  const { min, max, step } = scale;
  for (const [name, value] of Object.entries({ min, max, step })) {
    if (!hasThreeDecimals(value) || Math.abs(value) > 1000)
      throw badInput(`scale.${name} must be between -1000 and 1000 with at most 3 decimals.`, { argument: `scale.${name}` });
  }
  if (step <= 0) throw badInput("scale.step must be greater than 0.", { argument: "scale.step" });
  if (max <= min) throw badInput("scale.max must be greater than scale.min.", { argument: "scale.max" });
  const steps = (max - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9 || Math.round(steps) > 1000) {
    throw badInput("scale.max - scale.min must be a whole number of steps (at most 1000).", { argument: "scale.step" });
  }
  return { min, max, step };
}

export function checkCriteria(criteria: RoundCriterionInput[]): RoundCriterion[] {
  if (criteria.length < 1 || criteria.length > 12) throw badInput("A SCORE round needs 1 to 12 criteria.", { argument: "criteria" });
  const seen = new Set<string>();
  return criteria.map((criterion, index) => {
    const code = String(criterion.code).trim();
    if (!CRITERION_CODE.test(code))
      throw badInput(`criteria[${index}].code must be 1 to 32 lower-case letters, digits or underscores, starting with a letter.`, { argument: "criteria" });
    if (seen.has(code)) throw badInput(`criteria code "${code}" is used twice.`, { argument: "criteria" });
    seen.add(code);
    const weight = criterion.weight ?? 1;
    if (!(weight > 0) || weight > 1000 || !hasThreeDecimals(weight))
      throw badInput(`criteria[${index}].weight must be > 0 and at most 1000, with at most 3 decimals.`, { argument: "criteria" });
    return { code, name: requiredText(criterion.name, `criteria[${index}].name`, 100), weight };
  });
}

export function checkQuorum(quorum: number): number {
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > 25) throw badInput("quorum must be between 1 and 25.", { argument: "quorum" });
  return quorum;
}

export function checkPassVotes(passVotes: number, quorum: number): number {
  if (!Number.isInteger(passVotes) || passVotes < 1 || passVotes > quorum)
    throw badInput(`passVotes must be between 1 and the quorum (${quorum}).`, { argument: "passVotes" });
  return passVotes;
}

export function checkCap(cap: number): number {
  if (!(cap > 0) || cap > 100 || Math.abs(Math.round(cap * 100) - cap * 100) > 1e-6) {
    throw badInput("acceptanceCapPercent must be > 0 and at most 100, with at most 2 decimals.", { argument: "acceptanceCapPercent" });
  }
  return cap;
}
