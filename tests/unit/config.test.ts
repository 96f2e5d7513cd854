import { ConfigError, loadConfig } from "../../lib/config";

const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return error instanceof ConfigError ? error.variable : String(error);
  }
  return undefined;
};

describe("config", () => {
  it("has working defaults for a development machine", () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.subgraphPorts).toEqual({ venues: 4001, entries: 4002, judging: 4003, exhibitions: 4004 });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demoData).toBe(true);
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it("derives subgraph ports from PORT unless set one by one", () => {
    const config = loadConfig({ PORT: "5000", JUDGING_PORT: "6003" });
    expect(config.subgraphPorts).toEqual({ venues: 5001, entries: 5002, judging: 6003, exhibitions: 5004 });
    expect(config.subgraphUrls.judging).toBe("http://127.0.0.1:6003/graphql");
  });

  it("turns demo data off with an external database or in production", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://localhost/x" }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(40), SUBGRAPH_SECRET: "y".repeat(40) }).demoData).toBe(false);
  });

  it("makes the public and venues registered-only by default in production only", () => {
    const production = { NODE_ENV: "production", JWT_SECRET: "x".repeat(40), SUBGRAPH_SECRET: "y".repeat(40) };
    expect([...loadConfig(production).registeredOperations.onlyRoles].sort()).toEqual(["PUBLIC", "VENUE"]);
    expect([...loadConfig({}).registeredOperations.onlyRoles]).toEqual([]);
    expect([...loadConfig({ ...production, REGISTERED_OPERATIONS_ONLY_ROLES: "" }).registeredOperations.onlyRoles]).toEqual([]);
    expect([...loadConfig({ REGISTERED_OPERATIONS_ONLY_ROLES: "PARTNER, PUBLIC" }).registeredOperations.onlyRoles]).toEqual(["PARTNER", "PUBLIC"]);
    expect(problem({ REGISTERED_OPERATIONS_ONLY_ROLES: "EVERYONE" })).toBe("REGISTERED_OPERATIONS_ONLY_ROLES");
    expect(problem({ REGISTERED_OPERATIONS_POLL_SECONDS: "0" })).toBe("REGISTERED_OPERATIONS_POLL_SECONDS");
  });

  it("keeps the response cache in memory by default, in Redis when REDIS_URL is set, and off on request", () => {
    expect(loadConfig({}).responseCache).toMatchObject({ store: "memory", redisUrl: undefined });
    expect(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" }).responseCache).toMatchObject({ store: "redis", redisUrl: "redis://127.0.0.1:6379" });
    expect(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379", RESPONSE_CACHE: "memory" }).responseCache.store).toBe("memory");
    expect(loadConfig({ RESPONSE_CACHE: "off" }).responseCache.store).toBe("off");
    expect(problem({ RESPONSE_CACHE: "redis" })).toBe("REDIS_URL");
    expect(problem({ RESPONSE_CACHE: "disk" })).toBe("RESPONSE_CACHE");
    expect(problem({ RESPONSE_CACHE_MEMORY_MB: "0" })).toBe("RESPONSE_CACHE_MEMORY_MB");
  });

  it("names the variable of a bad value", () => {
    expect(problem({ PORT: "eighty" })).toBe("PORT");
    expect(problem({ PORT: "70000" })).toBe("PORT");
    expect(problem({ NODE_ENV: "staging" })).toBe("NODE_ENV");
    expect(problem({ DATABASE_URL: "mysql://x" })).toBe("DATABASE_URL");
    expect(problem({ DEMO_DATA: "maybe" })).toBe("DEMO_DATA");
    expect(problem({ NODE_ENV: "production" })).toBe("JWT_SECRET");
    expect(problem({ JWT_SECRET: "short" })).toBe("JWT_SECRET");
    expect(problem({ LOG_LEVEL: "loud" })).toBe("LOG_LEVEL");
  });
});
