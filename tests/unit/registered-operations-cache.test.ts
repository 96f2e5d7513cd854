import { Role, Viewer } from "../../lib/auth";
import { RegisteredOperationsCache } from "../../gateway/persisted-operations/registered-operations.cache";

const viewer = (role: Role, clientId?: string): Viewer => ({ subject: `client:${clientId}`, role, venueIds: [], clientId });

describe("each gateway's copy of the registered operations", () => {
  let cache: RegisteredOperationsCache;
  let calls: (string | undefined)[];
  let next: () => Promise<any>;

  beforeEach(() => {
    calls = [];
    next = async () => ({
      revision: "1",
      changed: true,
      settings: [
        { clientId: "partner-a", registeredOperationsOnly: true },
        { clientId: "venue-b", registeredOperationsOnly: false },
      ],
      operations: [
        { clientId: "partner-a", hash: "a1", document: "query A { x }" },
        { clientId: null, hash: "p1", document: "query P { y }" },
        { clientId: "venue-b", hash: "b1", document: "query B { z }" },
      ],
    });
    cache = new RegisteredOperationsCache({
      pollSeconds: 300,
      onlyRoles: new Set(["PUBLIC", "VENUE"]),
      fetchSnapshot: (known) => {
        calls.push(known);
        return next();
      },
    });
  });
  afterEach(() => cache.stop());

  it("follows a client's own setting, else its role's default (PUBLIC without a token)", async () => {
    await cache.refresh();
    expect(cache.isRegisteredOnly(viewer(Role.PARTNER, "partner-a"))).toBe(true);
    expect(cache.isRegisteredOnly(viewer(Role.VENUE, "venue-b"))).toBe(false);
    expect(cache.isRegisteredOnly(viewer(Role.VENUE, "venue-c"))).toBe(true);
    expect(cache.isRegisteredOnly(viewer(Role.PARTNER, "partner-d"))).toBe(false);
    expect(cache.isRegisteredOnly(undefined)).toBe(true);
  });

  it("finds a client's own documents and the public safelist, never another client's", async () => {
    await cache.refresh();
    expect(cache.find(viewer(Role.PARTNER, "partner-a"), "a1")).toBe("query A { x }");
    expect(cache.find(viewer(Role.PARTNER, "partner-a"), "p1")).toBe("query P { y }");
    expect(cache.find(viewer(Role.PARTNER, "partner-a"), "b1")).toBeUndefined();
    expect(cache.find(undefined, "p1")).toBe("query P { y }");
    expect(cache.find(undefined, "a1")).toBeUndefined();
  });

  it("passes its revision and keeps its copy when nothing changed or the venues subgraph fails", async () => {
    await cache.refresh();
    next = async () => ({ revision: "1", changed: false, settings: [], operations: [] });
    await cache.refresh();
    next = async () => {
      throw new Error("venues is down");
    };
    await cache.refresh();
    expect(calls).toEqual([undefined, "1", "1"]);
    expect(cache.find(viewer(Role.PARTNER, "partner-a"), "a1")).toBe("query A { x }");
  });

  it("shares one check between concurrent misses", async () => {
    await Promise.all([cache.findFresh(undefined, "zz"), cache.findFresh(undefined, "zz"), cache.refresh()]);
    expect(calls).toEqual([undefined]);
  });
});
