// The one place that reads process.env: every setting is parsed and validated here, once.
import { createHash } from "node:crypto";
import path from "node:path";

export type SubgraphName = "venues" | "entries" | "judging" | "exhibitions";
export const SUBGRAPH_NAMES: readonly SubgraphName[] = ["venues", "entries", "judging", "exhibitions"];

export interface Config {
  nodeEnv: "development" | "production" | "test";
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Gateway port; subgraphs default to port+1..port+4. */
  port: number;
  subgraphPorts: Record<SubgraphName, number>;
  /** URLs the gateway uses to reach each subgraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Host the services bind to. */
  host: string;
  /** Which proxies' X-Forwarded-For to believe (express "trust proxy"): the gateway's address. */
  trustProxy: string;
  /** Unset: an embedded PostgreSQL is started under dataDir. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  embeddedPostgresPort: number;
  mediaRoot: string;
  /** Secret for signed media URLs. */
  mediaUrlSecret: string;
  /** Base URL partners reach the API at (media URLs are built on it). */
  publicUrl: string;
  uploads: {
    /** Files per multipart request. */
    maxFiles: number;
    /** Absolute ceiling per file at the transport; each kind of media has its own, lower limit on the competition. */
    maxFileBytes: number;
  };
  demoData: boolean;
  jwt: {
    secret: string;
    issuer: string;
    audience: string;
    tokenTtlSeconds: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

const DEVELOPMENT_JWT_SECRET = "image-china-development-secret-do-not-use-in-production";

function readInt(env: Env, name: string, fallback: number, min = 0, max = 65535): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readUrl(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, "must be a URL");
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(" or ")}`);
  }
  return raw;
}

/** Parses a configuration from an environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = readEnum(env, "NODE_ENV", ["development", "production", "test"] as const, "development");
  const port = readInt(env, "PORT", 4000, 0);
  const host = env.HOST || "127.0.0.1";
  const subgraphPorts = {} as Record<SubgraphName, number>;
  const subgraphUrls = {} as Record<SubgraphName, string>;
  SUBGRAPH_NAMES.forEach((name, index) => {
    const variable = `${name.toUpperCase()}_PORT`;
    subgraphPorts[name] = readInt(env, variable, port === 0 ? 0 : port + index + 1, 0);
    const urlVariable = `${name.toUpperCase()}_URL`;
    subgraphUrls[name] = readUrl(env, urlVariable, `http://127.0.0.1:${subgraphPorts[name]}/graphql`, ["http:", "https:"])!;
  });

  const databaseUrl = readUrl(env, "DATABASE_URL", undefined, ["postgres:", "postgresql:"]);
  const dataDir = path.resolve(env.DATA_DIR || "./.data");
  const jwtSecret = env.JWT_SECRET || (nodeEnv === "production" ? "" : DEVELOPMENT_JWT_SECRET);
  if (!jwtSecret) throw new ConfigError("JWT_SECRET", "must be set in production");
  if (jwtSecret.length < 32) throw new ConfigError("JWT_SECRET", "must be at least 32 characters long");
  if (env.MEDIA_URL_SECRET && env.MEDIA_URL_SECRET.length < 32) throw new ConfigError("MEDIA_URL_SECRET", "must be at least 32 characters long");

  return {
    nodeEnv,
    logLevel: readEnum(env, "LOG_LEVEL", ["debug", "info", "warn", "error", "silent"] as const, nodeEnv === "test" ? "warn" : "info"),
    port,
    host,
    trustProxy: env.TRUST_PROXY || "loopback",
    subgraphPorts,
    subgraphUrls,
    databaseUrl,
    databasePoolSize: readInt(env, "DATABASE_POOL_SIZE", 10, 1, 500),
    dataDir,
    embeddedPostgresPort: readInt(env, "EMBEDDED_POSTGRES_PORT", 54329, 1),
    mediaRoot: path.resolve(env.MEDIA_ROOT || path.join(dataDir, "media")),
    mediaUrlSecret: env.MEDIA_URL_SECRET || createHash("sha256").update(`media:${jwtSecret}`).digest("hex"),
    publicUrl: (readUrl(env, "PUBLIC_URL", `http://localhost:${port}`, ["http:", "https:"]) as string).replace(/\/+$/, ""),
    uploads: {
      maxFiles: readInt(env, "UPLOAD_MAX_FILES", 10, 1, 100),
      maxFileBytes: readInt(env, "UPLOAD_MAX_FILE_BYTES", 500 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    },
    demoData: readBoolean(env, "DEMO_DATA", databaseUrl === undefined && nodeEnv !== "production"),
    jwt: {
      secret: jwtSecret,
      issuer: env.JWT_ISSUER || "image-china",
      audience: env.JWT_AUDIENCE || "image-china-partner-api",
      tokenTtlSeconds: readInt(env, "TOKEN_TTL_SECONDS", 3600, 60, 86400),
    },
  };
}

let current: Config | undefined;

/** The process-wide configuration; a bad value stops the process with the variable's name. */
export function config(): Config {
  if (!current) {
    try {
      current = loadConfig();
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
  }
  return current;
}

/** Replaces the process-wide configuration (tests and the all-in-one launcher). */
export function setConfig(next: Config): void {
  current = next;
}
