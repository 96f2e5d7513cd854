import { withDistinctRepresentations } from "../../gateway/dedupe-representations";

const venue = (id: string) => ({ __typename: "Venue", id });

describe("withDistinctRepresentations", () => {
  it("sends each distinct representation once and answers every position, errors included", async () => {
    const sent: unknown[][] = [];
    const response = await withDistinctRepresentations(
      { request: { variables: { representations: [venue("a"), venue("b"), venue("a"), venue("c"), venue("b")], other: 1 } } },
      async (options) => {
        const representations = options.request.variables!.representations as { id: string }[];
        sent.push(representations);
        return {
          data: {
            _entities: representations.map((representation) =>
              representation.id === "c" ? null : { code: representation.id.toUpperCase(), nested: { n: 1 } },
            ),
          },
          errors: [{ message: "no c", path: ["_entities", 2, "code"] }, { message: "elsewhere" }],
        } as never;
      },
    );
    expect(sent).toEqual([[venue("a"), venue("b"), venue("c")]]);
    const entities = (response.data as { _entities: any[] })._entities;
    expect(entities.map((entity) => entity?.code ?? null)).toEqual(["A", "B", "A", null, "B"]);
    // Repeats are copies: the gateway merges later fetches into each position on its own.
    expect(entities[2]).not.toBe(entities[0]);
    expect(entities[2].nested).not.toBe(entities[0].nested);
    expect(response.errors).toEqual([{ message: "no c", path: ["_entities", 3, "code"] }, { message: "elsewhere" }]);
  });

  it("passes requests without repeats through untouched", async () => {
    const options = { request: { variables: { representations: [venue("a"), venue("b")] } } };
    const answer = { data: { _entities: [{}, {}] } };
    let received: unknown;
    const response = await withDistinctRepresentations(options, async (given) => {
      received = given;
      return answer as never;
    });
    expect(received).toBe(options);
    expect(response).toBe(answer);
  });
});
