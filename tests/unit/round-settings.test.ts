// The checks of a judging round's settings, one rule per test (subgraphs/judging/round/round.settings.ts).
import { GraphQLError } from "graphql";
import { checkCap, checkCriteria, checkPassVotes, checkQuorum, checkScale } from "../../subgraphs/judging/round/round.settings";

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

describe("score scale", () => {
  it("accepts a scale of whole steps and returns it", () => {
    expect(checkScale({ min: 1, max: 10, step: 0.5 })).toEqual({ min: 1, max: 10, step: 0.5 });
  });

  it("refuses a bound with more than three decimals", () => {
    expect(refusal(() => checkScale({ min: 1.0001, max: 10, step: 0.5 }))).toBe("scale.min");
  });

  it("refuses a bound beyond ±1000", () => {
    expect(refusal(() => checkScale({ min: 1, max: 1001, step: 1 }))).toBe("scale.max");
  });

  it("refuses a step of zero or less", () => {
    expect(refusal(() => checkScale({ min: 1, max: 10, step: 0 }))).toBe("scale.step");
  });

  it("refuses a maximum that is not above the minimum", () => {
    expect(refusal(() => checkScale({ min: 5, max: 5, step: 1 }))).toBe("scale.max");
  });

  it("refuses a range that is not a whole number of steps", () => {
    expect(refusal(() => checkScale({ min: 1, max: 10, step: 2 }))).toBe("scale.step");
  });

  it("refuses more than 1000 steps", () => {
    expect(refusal(() => checkScale({ min: 0, max: 1000, step: 0.5 }))).toBe("scale.step");
  });
});

describe("criteria", () => {
  it("trims codes and gives a missing weight 1", () => {
    expect(checkCriteria([{ code: " light ", name: "Light" }])).toEqual([{ code: "light", name: "Light", weight: 1 }]);
  });

  it("refuses no criteria and more than twelve", () => {
    expect(refusal(() => checkCriteria([]))).toBe("criteria");
    expect(refusal(() => checkCriteria(Array.from({ length: 13 }, (_, index) => ({ code: `c${index}`, name: "C" }))))).toBe("criteria");
  });

  it("refuses a code that does not start with a lower-case letter", () => {
    expect(refusal(() => checkCriteria([{ code: "1st", name: "First" }]))).toBe("criteria");
  });

  it("refuses a code used twice", () => {
    expect(
      refusal(() =>
        checkCriteria([
          { code: "light", name: "Light" },
          { code: "light", name: "Light again" },
        ]),
      ),
    ).toBe("criteria");
  });

  it("refuses a weight of zero, above 1000 or with more than three decimals", () => {
    for (const weight of [0, 1000.5, 0.0001]) expect(refusal(() => checkCriteria([{ code: "light", name: "Light", weight }]))).toBe("criteria");
  });
});

describe("quorum, pass votes and acceptance cap", () => {
  it("accepts a quorum from 1 to 25 and refuses anything else", () => {
    expect(checkQuorum(1)).toBe(1);
    expect(checkQuorum(25)).toBe(25);
    for (const quorum of [0, 26, 2.5]) expect(refusal(() => checkQuorum(quorum))).toBe("quorum");
  });

  it("needs between 1 and the quorum's number of yes votes", () => {
    expect(checkPassVotes(3, 3)).toBe(3);
    expect(refusal(() => checkPassVotes(4, 3))).toBe("passVotes");
    expect(refusal(() => checkPassVotes(0, 3))).toBe("passVotes");
  });

  it("accepts a cap above 0 and up to 100 with at most two decimals", () => {
    expect(checkCap(18.25)).toBe(18.25);
    for (const cap of [0, 100.01, 18.255]) expect(refusal(() => checkCap(cap))).toBe("acceptanceCapPercent");
  });
});
