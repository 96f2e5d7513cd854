// The gateway's response cache, through the real gateway and subgraphs: what the public gets from the cache, that no
// answer to a token is ever stored or served (per role, and for an invalid token), that evictResponseCacheTypes makes
// the next read fresh (and that without it the read would be stale), and the HTTP caching of public GET requests.
import { createHash, randomUUID } from "node:crypto";
import Redis from "ioredis";
import { Role } from "../../lib/auth";
import { PUBLIC_MAX_AGE_SECONDS } from "../../lib/cache-hints";
import { ExhibitionStatus } from "../../subgraphs/exhibitions/exhibition/exhibition.entity";
import { graphqlRequestObserver } from "../../lib/server";
import { metrics } from "../../lib/metrics";
import { evictResponseCacheTypes } from "../../gateway/response-cache/response-cache";
import { startGateway } from "../../gateway";
import type { RunningService } from "../../lib/server";
import { seedExhibition, seedTenant, Tenant } from "../kit/exhibitions-factories";
import { errorCodes, graphql, GraphqlResponse, tokenFor } from "../kit/http";
import { startSystem, TestSystem } from "../kit/system";

const PAGE = `query CachedPage($slug: String!, $locale: String, $first: Int) {
  exhibition(slug: $slug) {
    id slug status title(locale: $locale)
    works(first: $first) { totalCount edges { node { id position caption(locale: $locale) entry { id title creditName venue { code name } awards { tier } } } } }
  }
}`;

/** Subgraph requests seen per client request id: a cached answer costs none. */
const subgraphCalls = new Map<string, number>();
graphqlRequestObserver.onRequest = (service, requestId) => {
  if (service !== "gateway") subgraphCalls.set(requestId, (subgraphCalls.get(requestId) ?? 0) + 1);
};

interface Read extends GraphqlResponse {
  /** Subgraph requests this read caused: 0 when the gateway answered from its cache. */
  subgraphRequests: number;
}

async function read(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<Read> {
  const requestId = `response-cache-${randomUUID()}`;
  const response = await graphql(url, query, { variables, token: options.token, headers: { "x-request-id": requestId, ...options.headers } });
  return { ...response, subgraphRequests: subgraphCalls.get(requestId) ?? 0 };
}

/** Public answers the gateway served before Apollo, from the stored bytes. */
const frontHits = async () => (await metrics.responseCacheFrontHits.get()).values[0]?.value ?? 0;

const ROLES: { role: Role; claims: (tenant: Tenant) => Record<string, unknown> }[] = [
  { role: Role.ORGANIZER, claims: () => ({}) },
  { role: Role.PARTNER, claims: (tenant) => ({ org: tenant.organizationId }) },
  { role: Role.VENUE, claims: (tenant) => ({ org: tenant.organizationId, venues: [tenant.venue.id] }) },
  { role: Role.JUDGE, claims: () => ({ judge: randomUUID() }) },
];

describe("response cache (memory)", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ env: { RESPONSE_CACHE: "memory" } });
  });
  afterAll(() => system.stop());

  async function publishedExhibition(status: ExhibitionStatus = ExhibitionStatus.PUBLISHED) {
    const tenant = await seedTenant(system, 2, { code: `PT-C-${randomUUID().slice(0, 6).toUpperCase()}` });
    const { exhibition } = await seedExhibition(system, { status, organizationId: tenant.organizationId, entryIds: tenant.entries.map((entry) => entry.id) });
    return { tenant, exhibition };
  }

  it("answers the public page from the cache, per variables and languages, with the same data", async () => {
    const { exhibition } = await publishedExhibition();
    const variables = { slug: exhibition.slug, first: 10 };
    const first = await read(system.gatewayUrl, PAGE, variables);
    expect(first.errors).toBeUndefined();
    expect(first.data!.exhibition.works.totalCount).toBe(2);
    expect(first.subgraphRequests).toBeGreaterThan(0);

    const second = await read(system.gatewayUrl, PAGE, variables);
    expect(second.subgraphRequests).toBe(0);
    expect(second.data).toEqual(first.data);
    expect(second.headers.get("age")).not.toBeNull();

    // Other variables, or other languages, are other answers.
    expect((await read(system.gatewayUrl, PAGE, { ...variables, first: 1 })).subgraphRequests).toBeGreaterThan(0);
    const english = await read(system.gatewayUrl, PAGE, variables, { headers: { "accept-language": "en" } });
    expect(english.subgraphRequests).toBeGreaterThan(0);
    expect(english.data!.exhibition.title).toBe("Harmonious Co-Existence");
    expect(first.data!.exhibition.title).toBe("和合共生");
    expect((await read(system.gatewayUrl, PAGE, variables, { headers: { "accept-language": "en" } })).subgraphRequests).toBe(0);
  });

  it("answers a repeated public request before Apollo: the same data and headers, the caller's own budget; never for a token", async () => {
    const { exhibition } = await publishedExhibition();
    const variables = { slug: exhibition.slug, first: 10 };
    const first = await read(system.gatewayUrl, PAGE, variables);
    const before = await frontHits();
    const second = await read(system.gatewayUrl, PAGE, variables);
    expect(await frontHits()).toBe(before + 1);
    expect(second.subgraphRequests).toBe(0);
    expect(second.data).toEqual(first.data);
    for (const header of ["content-type", "cache-control", "vary"]) expect([header, second.headers.get(header)]).toEqual([header, first.headers.get(header)]);
    // The budget in the answer is this caller's as admission charged it for this request (as its headers say), not the
    // one stored with the answer.
    expect(second.extensions).toEqual({ cost: first.extensions!.cost, rateLimit: expect.objectContaining({ limit: first.extensions!.rateLimit.limit }) });
    expect(String(second.extensions!.rateLimit.remaining)).toBe(second.headers.get("ratelimit-remaining"));

    // The same request with any Authorization header goes to Apollo (and is refused or answered for that caller only).
    for (const token of [tokenFor({ role: Role.ORGANIZER }), "not-a-token"]) {
      await read(system.gatewayUrl, PAGE, variables, { token });
      expect(await frontHits()).toBe(before + 1);
    }
  });

  it("never caches what a hint forbids: a visitor's own like", async () => {
    const { exhibition } = await publishedExhibition();
    const query = `query($slug: String!) { exhibition(slug: $slug) { works(first: 5) { edges { node { id likedBy(visitorId: "visitor-1") } } } } }`;
    await read(system.gatewayUrl, query, { slug: exhibition.slug });
    expect((await read(system.gatewayUrl, query, { slug: exhibition.slug })).subgraphRequests).toBeGreaterThan(0);
  });

  describe.each(ROLES)("a $role token", ({ role, claims }) => {
    it("is never answered from the public's cache, and its answers are never stored", async () => {
      const { tenant, exhibition } = await publishedExhibition();
      const token = tokenFor({ role, ...claims(tenant) } as never);
      const variables = { slug: exhibition.slug, first: 10 };
      // The public's answer is cached...
      await read(system.gatewayUrl, PAGE, variables);
      expect((await read(system.gatewayUrl, PAGE, variables)).subgraphRequests).toBe(0);
      // ...but the caller with a token goes to the subgraphs every time, and is told not to store the answer.
      for (let attempt = 0; attempt < 2; attempt++) {
        const withToken = await read(system.gatewayUrl, PAGE, variables, { token });
        expect(withToken.subgraphRequests).toBeGreaterThan(0);
        expect(withToken.headers.get("cache-control")).toBe("private, no-store");
        expect(withToken.headers.get("age")).toBeNull();
      }
      // An answer to the token on a key the public has not asked for is not stored for the public either.
      const fresh = { slug: exhibition.slug, first: 7 };
      await read(system.gatewayUrl, PAGE, fresh, { token });
      expect((await read(system.gatewayUrl, PAGE, fresh)).subgraphRequests).toBeGreaterThan(0);
    });
  });

  it("never serves the public what a token may see (a partner's and the organisers' draft)", async () => {
    const { tenant, exhibition } = await publishedExhibition(ExhibitionStatus.DRAFT);
    const variables = { slug: exhibition.slug, first: 10 };
    for (const token of [tokenFor({ role: Role.PARTNER, org: tenant.organizationId }), tokenFor({ role: Role.ORGANIZER })]) {
      expect((await read(system.gatewayUrl, PAGE, variables, { token })).data!.exhibition).toMatchObject({ status: "DRAFT" });
      const anonymous = await read(system.gatewayUrl, PAGE, variables);
      expect(anonymous.data!.exhibition).toBeNull();
    }
    // And the public's cached null is never served to the partner.
    expect((await read(system.gatewayUrl, PAGE, variables)).subgraphRequests).toBe(0);
    const partner = await read(system.gatewayUrl, PAGE, variables, { token: tokenFor({ role: Role.PARTNER, org: tenant.organizationId }) });
    expect(partner.data!.exhibition).toMatchObject({ status: "DRAFT" });
  });

  it("refuses an invalid token even when the public's answer is cached", async () => {
    const { exhibition } = await publishedExhibition();
    const variables = { slug: exhibition.slug, first: 10 };
    await read(system.gatewayUrl, PAGE, variables);
    expect((await read(system.gatewayUrl, PAGE, variables)).subgraphRequests).toBe(0);
    for (const authorization of ["Bearer not-a-token", "Basic abc", `Bearer ${tokenFor({ role: Role.ORGANIZER, ttlSeconds: -10 })}`]) {
      const refused = await read(system.gatewayUrl, PAGE, variables, { headers: { authorization } });
      expect(refused.data ?? null).toBeNull();
      expect(errorCodes(refused)).toEqual(["UNAUTHENTICATED"]);
    }
    // An empty header is the public to the subgraphs, yet any Authorization header keeps the request from the cache.
    expect((await read(system.gatewayUrl, PAGE, variables, { headers: { authorization: "" } })).subgraphRequests).toBeGreaterThan(0);
  });

  it("is never stale after events: publishing, a change, works added and removed, an entry withdrawn, archiving, while readers keep reading", async () => {
    const tenant = await seedTenant(system, 3, { code: `PT-E-${randomUUID().slice(0, 6).toUpperCase()}` });
    const [first, second, third] = tenant.entries.map((entry) => entry.id);
    const { exhibition } = await seedExhibition(system, { status: ExhibitionStatus.DRAFT, organizationId: tenant.organizationId, entryIds: [first, second] });
    const organizer = tokenFor({ role: "ORGANIZER" });
    const variables = { slug: exhibition.slug, first: 10 };
    const visitor = async () => (await read(system.gatewayUrl, PAGE, variables)).data!.exhibition;
    const truth = async () => (await read(system.gatewayUrl, PAGE, variables, { token: organizer })).data!.exhibition;
    const worksOf = (page: any) => page?.works.edges.map((edge: any) => edge.node?.entry?.id ?? null) ?? null;
    // Readers fill the cache the whole time, so every step below starts from a cached answer.
    let reading = true;
    const readers = Promise.all(
      Array.from({ length: 3 }, async () => {
        while (reading) await visitor();
      }),
    );
    let stale = 0;
    /** After the events of a step have been handled, the public reads what the database says, at once. */
    const settledView = async (expected: (page: any) => void) => {
      await system.settleEvents();
      const page = await visitor();
      try {
        expected(page);
      } catch (error) {
        stale += 1;
        throw error;
      }
    };
    const mutate = async (query: string, vars: Record<string, unknown>) => {
      const response = await graphql(system.gatewayUrl, query, { variables: vars, token: organizer });
      expect(response.errors).toBeUndefined();
    };
    try {
      expect(await visitor()).toBeNull();
      await mutate(`mutation($id: ID!) { publishExhibition(id: $id) { status } }`, { id: exhibition.id });
      await settledView((page) => expect([page?.status, worksOf(page)]).toEqual(["PUBLISHED", [first, second]]));
      await mutate(`mutation($input: UpdateExhibitionInput!) { updateExhibition(input: $input) { id } }`, {
        input: {
          id: exhibition.id,
          title: [
            { locale: "zh", text: "新标题" },
            { locale: "en", text: "New title" },
          ],
        },
      });
      await settledView((page) => expect(page.title).toBe("新标题"));
      await mutate(`mutation($input: AddExhibitedWorksInput!) { addExhibitedWorks(input: $input) { id } }`, {
        input: { exhibitionId: exhibition.id, works: [{ entryId: third }] },
      });
      await settledView((page) => expect(worksOf(page)).toEqual([first, second, third]));
      const venueToken = tokenFor({ role: "VENUE", org: tenant.organizationId, venues: [tenant.venue.id] });
      const withdrawn = await graphql(
        system.gatewayUrl,
        `
          mutation ($id: ID!) {
            withdrawEntry(id: $id) {
              status
            }
          }
        `,
        { variables: { id: second }, token: venueToken },
      );
      expect(withdrawn.errors).toBeUndefined();
      await settledView((page) => expect(worksOf(page)).toEqual([first, third]));
      await mutate(`mutation($id: ID!) { archiveExhibition(id: $id) { status } }`, { id: exhibition.id });
      await settledView((page) => expect(page).toBeNull());
      expect(worksOf(await truth())).toEqual([first, third]);
    } finally {
      reading = false;
      await readers;
    }
    expect(stale).toBe(0);
  });

  it("serves a stale page until evictResponseCacheTypes names a type it shows, then reads afresh (changes events do not announce)", async () => {
    const { exhibition } = await publishedExhibition();
    const variables = { slug: exhibition.slug, first: 10, locale: "en" };
    expect((await read(system.gatewayUrl, PAGE, variables)).data!.exhibition.title).toBe("Harmonious Co-Existence");
    // A change no event announces (made straight in the database), so only the function below can evict it.
    await system.dataSources.exhibitions.query(`UPDATE exhibitions.exhibition SET title_text = $2 WHERE id = $1`, [
      exhibition.id,
      JSON.stringify({ zh: "和合共生", en: "Renamed" }),
    ]);

    // Without an eviction the public still gets the stored page: this is what the eviction has to fix.
    const stale = await read(system.gatewayUrl, PAGE, variables);
    expect(stale.subgraphRequests).toBe(0);
    expect(stale.data!.exhibition.title).toBe("Harmonious Co-Existence");
    // A type the page does not show evicts nothing.
    await evictResponseCacheTypes(["Judge", "ApiClient"]);
    expect((await read(system.gatewayUrl, PAGE, variables)).data!.exhibition.title).toBe("Harmonious Co-Existence");

    await evictResponseCacheTypes(["Exhibition"]);
    const fresh = await read(system.gatewayUrl, PAGE, variables);
    expect(fresh.subgraphRequests).toBeGreaterThan(0);
    expect(fresh.data!.exhibition.title).toBe("Renamed");
    // The fresh page is cached again.
    expect((await read(system.gatewayUrl, PAGE, variables)).subgraphRequests).toBe(0);
  });

  describe("HTTP caching of public GET requests", () => {
    /** A GET as a CDN forwards it: the operation as an automatic persisted query (its hash), variables in the URL. */
    async function get(parameters: Record<string, unknown>, headers: Record<string, string> = {}) {
      const target = new URL(system.gatewayUrl);
      for (const [name, value] of Object.entries(parameters)) target.searchParams.set(name, typeof value === "string" ? value : JSON.stringify(value));
      // fetch adds "cache-control: no-cache" (an end-to-end reload) to a conditional request unless one is given; a CDN
      // revalidating sends none, a browser max-age=0.
      return fetch(target, { headers: { "apollo-require-preflight": "true", "cache-control": "max-age=0", ...headers } });
    }
    const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") } });

    it("answers Cache-Control from the computed policy and an ETag, and 304 to If-None-Match", async () => {
      const { exhibition } = await publishedExhibition();
      const variables = { slug: exhibition.slug, first: 10 };
      // The first GET registers the document with its hash; later ones send the hash alone.
      expect((await get({ query: PAGE, variables, extensions: persisted(PAGE) })).status).toBe(200);
      const response = await get({ variables, extensions: persisted(PAGE) });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe(`public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
      expect(response.headers.get("vary")).toMatch(/accept-language/i);
      const etag = response.headers.get("etag");
      expect(etag).toMatch(/^W\/".+"$/);
      expect(((await response.json()) as { data: { exhibition: { slug: string } } }).data.exhibition.slug).toBe(exhibition.slug);

      const before = await frontHits();
      const revalidated = await get({ variables, extensions: persisted(PAGE) }, { "if-none-match": etag! });
      expect(revalidated.status).toBe(304);
      // Answered before Apollo, by the hash alone, as a CDN's revalidations will be.
      expect(await frontHits()).toBe(before + 1);
      expect(await revalidated.text()).toBe("");
      // Once the page changes (and is evicted), the old ETag no longer matches.
      await graphql(
        system.gatewayUrl,
        `
          mutation ($input: UpdateExhibitionInput!) {
            updateExhibition(input: $input) {
              id
            }
          }
        `,
        {
          token: tokenFor({ role: Role.ORGANIZER }),
          variables: { input: { id: exhibition.id, title: [{ locale: "zh", text: "新标题" }] } },
        },
      );
      await evictResponseCacheTypes(["Exhibition"]);
      const changed = await get({ variables, extensions: persisted(PAGE) }, { "if-none-match": etag! });
      expect(changed.status).toBe(200);
      expect(changed.headers.get("etag")).not.toBe(etag);
    });

    it("gives likes their short lifetime, and never says public to a token or for an uncacheable answer", async () => {
      const { tenant, exhibition } = await publishedExhibition();
      const withLikes = `query($slug: String!) { exhibition(slug: $slug) { works(first: 5) { edges { node { likeCount } } } } }`;
      expect((await get({ query: withLikes, variables: { slug: exhibition.slug } })).headers.get("cache-control")).toBe("public, max-age=5");
      const own = `query($slug: String!) { exhibition(slug: $slug) { works(first: 5) { edges { node { likedBy(visitorId: "v") } } } } }`;
      expect((await get({ query: own, variables: { slug: exhibition.slug } })).headers.get("cache-control")).toBe("no-store");
      const partner = await get(
        { query: PAGE, variables: { slug: exhibition.slug } },
        { authorization: `Bearer ${tokenFor({ role: Role.PARTNER, org: tenant.organizationId })}` },
      );
      expect(partner.status).toBe(200);
      expect(partner.headers.get("cache-control")).toBe("private, no-store");
      const invalid = await get({ query: `{ exhibition(slug: "x") { noSuchField } }` });
      expect(invalid.status).toBe(400);
      expect(invalid.headers.get("cache-control")).toBe("no-store");
    });
  });
});

describe("response cache (Redis, shared by two gateways)", () => {
  let system: TestSystem;
  let second: RunningService;
  const keyPrefix = `cache-test:${randomUUID()}:`;

  beforeAll(async () => {
    system = await startSystem({
      env: { RESPONSE_CACHE: "redis", REDIS_URL: "redis://127.0.0.1:6379", RESPONSE_CACHE_KEY_PREFIX: keyPrefix },
    });
    second = await startGateway({ port: 0, subgraphUrls: system.urls });
  });
  afterAll(async () => {
    await second.stop();
    await system.stop();
  });

  it("serves one gateway's cached public page from the other, never a token's, and evicts for both", async () => {
    const tenant = await seedTenant(system, 1, { code: `PT-R-${randomUUID().slice(0, 6).toUpperCase()}` });
    const { exhibition } = await seedExhibition(system, { organizationId: tenant.organizationId, entryIds: [tenant.entries[0].id] });
    const variables = { slug: exhibition.slug, first: 10, locale: "en" };
    const token = tokenFor({ role: Role.ORGANIZER });
    expect((await read(second.url, PAGE, variables, { token })).subgraphRequests).toBeGreaterThan(0);
    expect((await read(system.gatewayUrl, PAGE, variables)).subgraphRequests).toBeGreaterThan(0);
    const fromOther = await read(second.url, PAGE, variables);
    expect(fromOther.subgraphRequests).toBe(0);
    expect(fromOther.data!.exhibition.title).toBe("Harmonious Co-Existence");
    expect((await read(second.url, PAGE, variables, { token })).subgraphRequests).toBeGreaterThan(0);

    await graphql(
      system.gatewayUrl,
      `
        mutation ($input: UpdateExhibitionInput!) {
          updateExhibition(input: $input) {
            id
          }
        }
      `,
      {
        token,
        variables: {
          input: {
            id: exhibition.id,
            title: [
              { locale: "zh", text: "和合共生" },
              { locale: "en", text: "Shared and renamed" },
            ],
          },
        },
      },
    );
    expect((await read(second.url, PAGE, variables)).data!.exhibition.title).toBe("Harmonious Co-Existence");
    await evictResponseCacheTypes(["Entry", "Exhibition"]);
    for (const url of [second.url, system.gatewayUrl]) {
      const fresh = await read(url, PAGE, variables);
      expect(fresh.data!.exhibition.title).toBe("Shared and renamed");
    }
    // Cached again for both. The update's own event (exhibition.changed) evicts too, within a second and at a moment of
    // its own: a read after it misses once more, so the page may take one more read to be cached again.
    const again = [await read(second.url, PAGE, variables), await read(second.url, PAGE, variables)];
    expect(again.map((answer) => answer.data!.exhibition.title)).toEqual(["Shared and renamed", "Shared and renamed"]);
    expect(Math.min(...again.map((answer) => answer.subgraphRequests))).toBe(0);
  });

  it("never serves a gateway's recent copy after Redis lost its keys (a restart or a flush brings no generation back)", async () => {
    const tenant = await seedTenant(system, 1, { code: `PT-F-${randomUUID().slice(0, 6).toUpperCase()}` });
    const { exhibition } = await seedExhibition(system, { organizationId: tenant.organizationId, entryIds: [tenant.entries[0].id] });
    const variables = { slug: exhibition.slug, first: 10, locale: "en" };
    const redis = new Redis("redis://127.0.0.1:6379");
    /** Redis forgets everything of this run, as one restarted without persistence does: the generations and the answers. */
    const forget = async () => {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
    };
    try {
      // Let the seeding's own events be handled, then start from a Redis that knows no generation at all.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await forget();
      await read(system.gatewayUrl, PAGE, variables);
      const kept = await read(system.gatewayUrl, PAGE, variables);
      expect(kept.subgraphRequests).toBe(0);
      expect(kept.data!.exhibition.title).toBe("Harmonious Co-Existence");

      // A change no event announces, evicted by hand, then Redis forgets again.
      await system.dataSources.exhibitions.query(`UPDATE exhibitions.exhibition SET title_text = $2 WHERE id = $1`, [
        exhibition.id,
        JSON.stringify({ zh: "和合共生", en: "After the flush" }),
      ]);
      await evictResponseCacheTypes(["Exhibition"]);
      await forget();
      // The gateway still holds the old page in its own memory: it must not match the generations Redis starts again
      // from (were they counted from 0, the old page's would be current again).
      expect((await read(system.gatewayUrl, PAGE, variables)).data!.exhibition.title).toBe("After the flush");
    } finally {
      redis.disconnect();
    }
  });
});
