// The scoring rules of a round applied to one submission, one rule per test (subgraphs/judging/score/score.checks.ts).
import { GraphQLError } from "graphql";
import { RoundKind } from "../../subgraphs/judging/round/round.entity";
import { checkSubmission, sameScore, ScoringRules } from "../../subgraphs/judging/score/score.checks";
import type { Score } from "../../subgraphs/judging/score/score.entity";

const SCORE_ROUND: ScoringRules = {
  kind: RoundKind.SCORE,
  scaleMin: 1,
  scaleMax: 10,
  scaleStep: 0.5,
  criteria: [{ code: "overall", name: "Overall", weight: 1 }],
};
const WEIGHTED_ROUND: ScoringRules = {
  ...SCORE_ROUND,
  criteria: [
    { code: "impact", name: "Impact", weight: 3 },
    { code: "craft", name: "Craft", weight: 1 },
  ],
};
const SHORTLIST_ROUND: ScoringRules = { kind: RoundKind.SHORTLIST, scaleMin: null, scaleMax: null, scaleStep: null, criteria: [] };

/** The BAD_USER_INPUT argument the check names, or undefined when it passes. */
function refusal(check: () => unknown): unknown {
  try {
    check();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    return (error as GraphQLError).extensions.argument;
  }
}

describe("a SCORE round", () => {
  it("takes a value on the scale as the score of its one criterion", () => {
    expect(checkSubmission(SCORE_ROUND, { value: 7.5 })).toEqual({ value: 7.5, pass: null, criteria: { overall: 7.5 } });
  });

  it("refuses a value below or above the scale", () => {
    expect(refusal(() => checkSubmission(SCORE_ROUND, { value: 0.5 }))).toBe("value");
    expect(refusal(() => checkSubmission(SCORE_ROUND, { value: 10.5 }))).toBe("value");
  });

  it("refuses a value between two steps", () => {
    expect(refusal(() => checkSubmission(SCORE_ROUND, { value: 7.25 }))).toBe("value");
  });

  it("snaps a value within floating-point error of a step onto it", () => {
    expect(checkSubmission(SCORE_ROUND, { value: 7.5000000000001 }).value).toBe(7.5);
  });

  it("refuses a vote", () => {
    expect(refusal(() => checkSubmission(SCORE_ROUND, { pass: true }))).toBe("pass");
  });

  it("refuses no score at all", () => {
    expect(refusal(() => checkSubmission(SCORE_ROUND, {}))).toBe("value");
  });

  it("scores several criteria as their weighted mean, to three decimals", () => {
    const checked = checkSubmission(WEIGHTED_ROUND, {
      criteria: [
        { code: "impact", value: 8 },
        { code: "craft", value: 5.5 },
      ],
    });
    expect(checked).toEqual({ value: 7.375, pass: null, criteria: { impact: 8, craft: 5.5 } });
  });

  it("needs criteria, not a single value, when the round has several", () => {
    expect(refusal(() => checkSubmission(WEIGHTED_ROUND, { value: 8 }))).toBe("criteria");
  });

  it("refuses a value and criteria together", () => {
    expect(refusal(() => checkSubmission(WEIGHTED_ROUND, { value: 8, criteria: [{ code: "impact", value: 8 }] }))).toBe("value");
  });

  it("refuses an unknown criterion, a criterion twice and a missing one", () => {
    expect(refusal(() => checkSubmission(WEIGHTED_ROUND, { criteria: [{ code: "luck", value: 8 }] }))).toBe("criteria");
    expect(
      refusal(() =>
        checkSubmission(WEIGHTED_ROUND, {
          criteria: [
            { code: "impact", value: 8 },
            { code: "impact", value: 7 },
          ],
        }),
      ),
    ).toBe("criteria");
    expect(refusal(() => checkSubmission(WEIGHTED_ROUND, { criteria: [{ code: "impact", value: 8 }] }))).toBe("criteria");
  });

  it("checks every criterion against the scale", () => {
    expect(
      refusal(() =>
        checkSubmission(WEIGHTED_ROUND, {
          criteria: [
            { code: "impact", value: 8 },
            { code: "craft", value: 11 },
          ],
        }),
      ),
    ).toBe("criteria.craft");
  });
});

describe("a SHORTLIST round", () => {
  it("takes a yes or no vote", () => {
    expect(checkSubmission(SHORTLIST_ROUND, { pass: false })).toEqual({ value: null, pass: false, criteria: {} });
  });

  it("refuses a value or criteria", () => {
    expect(refusal(() => checkSubmission(SHORTLIST_ROUND, { value: 7, pass: true }))).toBe("pass");
  });

  it("refuses no vote", () => {
    expect(refusal(() => checkSubmission(SHORTLIST_ROUND, {}))).toBe("pass");
  });
});

describe("a repeated submission", () => {
  it("is the same score when value, vote and every criterion agree, whatever the criteria's order", () => {
    const stored = { value: 7.375, pass: null, criteria: { craft: 5.5, impact: 8 } } as unknown as Score;
    expect(sameScore(stored, { value: 7.375, pass: null, criteria: { impact: 8, craft: 5.5 } })).toBe(true);
  });

  it("is a change when one criterion differs", () => {
    const stored = { value: 7.375, pass: null, criteria: { craft: 5.5, impact: 8 } } as unknown as Score;
    expect(sameScore(stored, { value: 7.375, pass: null, criteria: { impact: 8, craft: 6 } })).toBe(false);
  });
});
