import type { FeedEvent } from "../../lib/events/types";
import { exhibitionsSubscriptions } from "../../subgraphs/exhibitions/exhibitions.events";
import { randomUUID } from "node:crypto";
import { LIKES_PER_CLIENT_PER_HOUR } from "../../subgraphs/exhibitions/work-like/visitor-rate.limiter";
import { ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import { seedExhibition, seedTenant } from "../kit/exhibitions-factories";
import { errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";

const LIKE = `mutation($id: ID!, $visitor: String) { likeWork(workId: $id, visitorId: $visitor) { id likeCount } }`;
const UNLIKE = `mutation($id: ID!, $visitor: String) { unlikeWork(workId: $id, visitorId: $visitor) { id likeCount } }`;

/** A client address per test, so the hourly limit of one test never touches another's. */
let addressCounter = 10;
const newAddress = () => `198.51.100.${addressCounter++}`;

describe("exhibitions subgraph: likes, views and removal of entries", () => {
  let system: TestSystem;
  let url: string;

  beforeAll(async () => {
    system = await startSystem({ subgraphs: ["venues", "entries", "exhibitions"], gateway: false });
    url = system.urls.exhibitions;
  });
  afterAll(() => system.stop());

  const like = (workId: string, visitor: string | null, address: string, headers: Record<string, string> = {}) =>
    graphql(url, LIKE, { variables: { id: workId, visitor }, headers: { "x-forwarded-for": address, ...headers } });
  const unlike = (workId: string, visitor: string, address: string) =>
    graphql(url, UNLIKE, { variables: { id: workId, visitor }, headers: { "x-forwarded-for": address } });
  const likeCount = async (workId: string) => {
    const response = await graphql(
      url,
      `
        query ($id: ID!) {
          exhibitedWork(id: $id) {
            likeCount
          }
        }
      `,
      { variables: { id: workId } },
    );
    return response.data!.exhibitedWork.likeCount as number;
  };
  const storedLikes = async (workId: string) =>
    (await system.dataSources.exhibitions.query(`SELECT count(*)::int AS count FROM exhibitions.work_like WHERE work_id = $1`, [workId]))[0].count as number;
  const expectNoErrors = (responses: GraphqlResponse[]) => expect(responses.flatMap((response) => response.errors ?? [])).toEqual([]);

  it("counts concurrent likes exactly, one per visitor, and unlike never goes below zero", async () => {
    const tenant = await seedTenant(system, 2);
    const { works } = await seedExhibition(system, { entryIds: tenant.entries.map((entry) => entry.id) });
    const [popular, single] = works.map((work) => work.id);
    const address = newAddress();

    const visitors = Array.from({ length: 50 }, () => `visitor-${randomUUID()}`);
    // Every visitor likes twice, all at once: 100 requests, 50 likes.
    expectNoErrors(await Promise.all([...visitors, ...visitors].map((visitor) => like(popular, visitor, address))));
    expect(await likeCount(popular)).toBe(50);
    expect(await storedLikes(popular)).toBe(50);

    const one = `visitor-${randomUUID()}`;
    expectNoErrors(await Promise.all(Array.from({ length: 30 }, () => like(single, one, address))));
    expect(await likeCount(single)).toBe(1);

    // Ten visitors take their like back at once, twice each; a stranger's unlike changes nothing.
    expectNoErrors(await Promise.all([...visitors.slice(0, 10), ...visitors.slice(0, 10)].map((visitor) => unlike(popular, visitor, address))));
    expectNoErrors([await unlike(popular, `visitor-${randomUUID()}`, address)]);
    expect(await likeCount(popular)).toBe(40);
    expect(await storedLikes(popular)).toBe(40);

    const responses = await Promise.all(Array.from({ length: 5 }, () => unlike(single, one, address)));
    expectNoErrors(responses);
    expect(responses.map((response) => response.data!.unlikeWork.likeCount).sort()).toEqual([0, 0, 0, 0, 0]);
    expect(await likeCount(single)).toBe(0);

    const liked = await graphql(
      url,
      `
        query ($id: ID!, $a: String!, $b: String!) {
          exhibitedWork(id: $id) {
            a: likedBy(visitorId: $a)
            b: likedBy(visitorId: $b)
          }
        }
      `,
      {
        variables: { id: popular, a: visitors[30], b: visitors[0] },
      },
    );
    expect(liked.data!.exhibitedWork).toEqual({ a: true, b: false });
  });

  it("takes the visitor id from the argument or the x-visitor-id header, and refuses works not on public show", async () => {
    const tenant = await seedTenant(system, 2);
    const { works } = await seedExhibition(system, { entryIds: [tenant.entries[0].id] });
    const draft = await seedExhibition(system, { status: ExhibitionStatus.DRAFT, entryIds: [tenant.entries[1].id] });
    const address = newAddress();

    const viaHeader = await like(works[0].id, null, address, { "x-visitor-id": "cookie-visitor-0001" });
    expect(viaHeader.data!.likeWork.likeCount).toBe(1);
    expect((await like(works[0].id, "cookie-visitor-0001", address)).data!.likeWork.likeCount).toBe(1);
    expect(errorCodes(await like(works[0].id, null, address))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await like(works[0].id, "short", address))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await like("not-an-id", "visitor-0000001", address))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await like(randomUUID(), "visitor-0000001", address))).toEqual(["NOT_FOUND"]);
    expect(errorCodes(await like(draft.works[0].id, "visitor-0000001", address))).toEqual(["NOT_FOUND"]);
    const asOrganizer = await graphql(url, LIKE, {
      variables: { id: draft.works[0].id, visitor: "visitor-0000001" },
      token: tokenFor({ role: "ORGANIZER" }),
      headers: { "x-forwarded-for": address },
    });
    expect(errorCodes(asOrganizer)).toEqual(["CONFLICT"]);
    expect(await storedLikes(draft.works[0].id)).toBe(0);
  });

  it("limits likes per client address per hour, without touching other addresses", async () => {
    const tenant = await seedTenant(system, 1);
    const { works } = await seedExhibition(system, { entryIds: [tenant.entries[0].id] });
    const busy = newAddress();
    for (let start = 0; start < LIKES_PER_CLIENT_PER_HOUR; start += 50) {
      const batch = Array.from({ length: Math.min(50, LIKES_PER_CLIENT_PER_HOUR - start) }, () => like(works[0].id, `visitor-${randomUUID()}`, busy));
      expectNoErrors(await Promise.all(batch));
    }
    const limited = await like(works[0].id, `visitor-${randomUUID()}`, busy);
    expect(errorCodes(limited)).toEqual(["RATE_LIMITED"]);
    expect(limited.errors![0].extensions).toMatchObject({ limit: LIKES_PER_CLIENT_PER_HOUR });
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(await likeCount(works[0].id)).toBe(LIKES_PER_CLIENT_PER_HOUR);
    expect((await like(works[0].id, `visitor-${randomUUID()}`, newAddress())).errors).toBeUndefined();
    expect(await likeCount(works[0].id)).toBe(LIKES_PER_CLIENT_PER_HOUR + 1);
  });

  it("counts the addresses of one IPv6 /64 as one client, and another /64 apart", async () => {
    const tenant = await seedTenant(system, 1);
    const { works } = await seedExhibition(system, { entryIds: [tenant.entries[0].id] });
    const prefix = `2001:db8:${(addressCounter++).toString(16)}:1`;
    for (let start = 0; start < LIKES_PER_CLIENT_PER_HOUR; start += 50) {
      const batch = Array.from({ length: Math.min(50, LIKES_PER_CLIENT_PER_HOUR - start) }, (_, index) =>
        like(works[0].id, `visitor-${randomUUID()}`, `${prefix}::${(start + index + 1).toString(16)}`),
      );
      expectNoErrors(await Promise.all(batch));
    }
    const sameBlock = await like(works[0].id, `visitor-${randomUUID()}`, `${prefix}:ffff:ffff:ffff:fffe`);
    expect(errorCodes(sameBlock)).toEqual(["RATE_LIMITED"]);
    const otherBlock = await like(works[0].id, `visitor-${randomUUID()}`, `${prefix.replace(/:1$/, ":2")}::1`);
    expect(otherBlock.errors).toBeUndefined();
  });

  it("counts views per work, on public show only", async () => {
    const tenant = await seedTenant(system, 2);
    const { works } = await seedExhibition(system, { entryIds: tenant.entries.map((entry) => entry.id) });
    const archived = await seedExhibition(system, { status: ExhibitionStatus.ARCHIVED, entryIds: [tenant.entries[0].id] });
    const view = (id: string) =>
      graphql(
        url,
        `
          mutation ($id: ID!) {
            recordWorkView(workId: $id) {
              viewCount
            }
          }
        `,
        { variables: { id }, headers: { "x-forwarded-for": newAddress() } },
      );
    expectNoErrors(await Promise.all(Array.from({ length: 12 }, () => view(works[0].id))));
    expect((await view(works[1].id)).data!.recordWorkView.viewCount).toBe(1);
    const counts = await graphql(
      url,
      `
        query ($id: ID!) {
          exhibitedWork(id: $id) {
            viewCount
            likeCount
          }
        }
      `,
      { variables: { id: works[0].id } },
    );
    expect(counts.data!.exhibitedWork).toEqual({ viewCount: 12, likeCount: 0 });
    expect(errorCodes(await view(archived.works[0].id))).toEqual(["NOT_FOUND"]);
  });

  it("entry.withdrawn: the entry's works leave every exhibition at once (rows kept), the grant narrows, and a redelivery changes nothing", async () => {
    const tenant = await seedTenant(system, 3);
    const [kept1, leaving, kept2] = tenant.entries.map((entry) => entry.id);
    const first = await seedExhibition(system, { entryIds: [kept1, leaving, kept2] });
    const second = await seedExhibition(system, { status: ExhibitionStatus.DRAFT, entryIds: [leaving] });
    const event: FeedEvent<"entry.withdrawn"> = {
      id: randomUUID(),
      producer: "entries",
      position: 1,
      type: "entry.withdrawn",
      organizationIds: [tenant.organizationId],
      payload: { entryId: leaving, venueId: tenant.venue.id, status: "WITHDRAWN", theme: "NATURE", kind: "SINGLE_PHOTO", title: "x" },
      occurredAt: new Date().toISOString(),
      traceContext: null,
    };
    const handle = () => system.dataSources.exhibitions.transaction((manager) => exhibitionsSubscriptions["entry.withdrawn"]!(event, manager));
    const outboxCount = async () => (await system.dataSources.exhibitions.query(`SELECT count(*)::int AS count FROM exhibitions.outbox`))[0].count;
    const before = await outboxCount();
    await handle();
    // The published exhibition asks for its narrowed public grant and says it changed; the draft grants nothing.
    const recorded = await system.dataSources.exhibitions.query(`SELECT type, payload FROM exhibitions.outbox ORDER BY sequence DESC LIMIT 2`);
    expect(recorded.map((row: any) => row.type).sort()).toEqual(["entry-grants.requested", "exhibition.changed"]);
    const request = recorded.find((row: any) => row.type === "entry-grants.requested").payload;
    expect(request.grants).toEqual([{ public: true, entryIds: [kept1, kept2] }]);
    const after = await outboxCount();
    expect(after - before).toBe(2);
    await handle();
    expect(await outboxCount()).toBe(after);

    const page = await graphql(
      url,
      `
        query ($id: ID!) {
          exhibition(id: $id) {
            works {
              totalCount
              edges {
                node {
                  position
                  entry {
                    id
                  }
                }
              }
            }
          }
        }
      `,
      {
        variables: { id: first.exhibition.id },
      },
    );
    expect(page.data!.exhibition.works.totalCount).toBe(2);
    expect(page.data!.exhibition.works.edges.map((edge: any) => [edge.node.position, edge.node.entry.id])).toEqual([
      [1, kept1],
      [2, kept2],
    ]);
    const onEntry = await graphql(
      url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Entry {
              exhibitions {
                id
              }
            }
          }
        }
      `,
      {
        variables: { r: [{ __typename: "Entry", id: leaving }] },
        token: tokenFor({ role: "ORGANIZER" }),
      },
    );
    expect(onEntry.data!._entities[0].exhibitions).toEqual([]);
    expect(errorCodes(await like(first.works[1].id, "visitor-0000001", newAddress()))).toEqual(["NOT_FOUND"]);
    const rows = await system.dataSources.exhibitions.query(
      `SELECT exhibition_id, removal_reason FROM exhibitions.exhibited_work WHERE entry_id = $1 ORDER BY exhibition_id`,
      [leaving],
    );
    expect(rows.map((row: any) => row.removal_reason)).toEqual(["ENTRY_LEFT_COMPETITION", "ENTRY_LEFT_COMPETITION"]);
    expect(second.works).toHaveLength(1);
  });
});
