// The one place that reads process.env: every setting is parsed and validated here, once.
import fs from "node:fs";
import { createHash, createPrivateKey, createPublicKey, KeyObject } from "node:crypto";
import path from "node:path";
import { DEFAULT_OPERATION_LIMITS, DEFAULT_ORGANIZER_OPERATION_LIMITS, OperationLimits, parseOperationLimits } from "./operation-limits";

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
  /** The full-scale benchmark database (npm run seed:scale, npm run bench); unset: an embedded one under DATA_DIR/scale. */
  scaleDatabaseUrl: string | undefined;
  /** Serve GET /metrics (SQL statements, requests, CPU time of the process) on every service, for npm run bench. Off by default. */
  benchMetrics: boolean;
  dataDir: string;
  embeddedPostgresPort: number;
  mediaRoot: string;
  /** Where media objects live: the local disk under mediaRoot (default), or an S3-compatible bucket. */
  mediaStorage: MediaStorageConfig;
  /** Resumable uploads (startMediaUpload/completeMediaUpload) and the orphan sweeper. */
  mediaUploads: {
    /** Size of every part but the last; at least 5 MiB, S3's smallest part. */
    partBytes: number;
    /** How long an opened upload (and its part URLs) stays valid; abandoned ones are removed after it. */
    ttlSeconds: number;
    /** How often the sweeper looks for orphaned objects, expired uploads and missing files. */
    sweepIntervalMs: number;
    /** How old an unreferenced object must be before the sweeper removes it (covers requests still in flight). */
    sweepGraceSeconds: number;
  };
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
  /** Shared secret every subgraph request must carry (header x-subgraph-secret), except /health and /ready. */
  subgraphSecret: string | undefined;
  /** How long the gateway waits for one subgraph call before answering without that part. */
  subgraphTimeoutMs: number;
  /** Limits every operation must stay within at the gateway; organisers get their own. */
  operationLimits: { default: OperationLimits; organizer: OperationLimits };
  /** Serve the GraphiQL explorer at /explorer: on outside production, off in production unless EXPLORER=on. */
  explorer: boolean;
  jwt: {
    /** HS256 shared secret; undefined when only key pairs are used. */
    secret: string | undefined;
    /** The key pair tokens are signed with, when configured (else HS256 with the secret). */
    signingKey: JwtKey | undefined;
    /** Public keys accepted by key id (includes the signing key's): several at once, so keys rotate without downtime. */
    verificationKeys: Map<string, JwtKey>;
    issuer: string;
    audience: string;
    tokenTtlSeconds: number;
  };
  /** How often every service refreshes the list of revoked API clients. */
  revocationPollSeconds: number;
  rateLimit: {
    /** Sustained requests per second per client (per address for the public). */
    perSecond: number;
    /** Requests a client may send at once above the sustained rate. */
    burst: number;
    /** Counters in Redis (shared by several gateways) when set; in memory otherwise. */
    redisUrl: string | undefined;
  };
  /** How often the gateway reports per-client usage to the venues subgraph. */
  usageFlushMilliseconds: number;
  webhooks: {
    /** Allow webhook URLs on loopback, private or link-local addresses (and plain http to them). Development only. */
    allowPrivateTargets: boolean;
    /** How long a delivery is retried, in hours. */
    retryHours: number;
    /** How often the delivery worker looks for due deliveries. */
    pollMilliseconds: number;
    /** First retry delay; each further one doubles, up to two hours. */
    retryBaseMilliseconds: number;
  };
}

export type MediaStorageConfig =
  | { driver: "disk" }
  | {
      driver: "s3";
      /** Unset: AWS S3 itself; else e.g. https://oss-cn-hangzhou.aliyuncs.com or https://cos.ap-shanghai.myqcloud.com. */
      endpoint: string | undefined;
      region: string;
      bucket: string;
      /** Unset: the SDK's default credential chain (instance role, AWS_* variables, profile). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      forcePathStyle: boolean;
      /** Prepended to every key, so one bucket can serve several deployments. */
      keyPrefix: string;
    };

export interface JwtKey {
  kid: string;
  algorithm: "RS256" | "ES256";
  key: KeyObject;
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

/** VAR's value, or the contents of the file VAR_FILE names. */
function readText(env: Env, name: string): string | undefined {
  if (env[`${name}_FILE`]) {
    try {
      return fs.readFileSync(env[`${name}_FILE`]!, "utf8");
    } catch {
      throw new ConfigError(`${name}_FILE`, "must name a readable file");
    }
  }
  return env[name] || undefined;
}

/** A PEM from VAR or VAR_FILE; "\\n" in a variable stands for a newline (PEMs in one-line env files). */
function readPem(env: Env, name: string): string | undefined {
  return readText(env, name)?.replace(/\\n/g, "\n");
}

function algorithmFor(key: KeyObject, variable: string): JwtKey["algorithm"] {
  if (key.asymmetricKeyType === "rsa") return "RS256";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  throw new ConfigError(variable, "must be an RSA key (RS256) or an EC P-256 key (ES256)");
}

function readJwtKeys(env: Env): { signingKey: JwtKey | undefined; verificationKeys: Map<string, JwtKey> } {
  const verificationKeys = new Map<string, JwtKey>();
  let signingKey: JwtKey | undefined;
  const privatePem = readPem(env, "JWT_PRIVATE_KEY");
  if (privatePem) {
    const kid = env.JWT_KEY_ID;
    if (!kid) throw new ConfigError("JWT_KEY_ID", "must be set with JWT_PRIVATE_KEY");
    let key: KeyObject;
    try {
      key = createPrivateKey(privatePem);
    } catch {
      throw new ConfigError("JWT_PRIVATE_KEY", "must be a PEM private key");
    }
    signingKey = { kid, algorithm: algorithmFor(key, "JWT_PRIVATE_KEY"), key };
    verificationKeys.set(kid, { kid, algorithm: signingKey.algorithm, key: createPublicKey(key) });
  }
  const publicKeys = readText(env, "JWT_PUBLIC_KEYS");
  if (publicKeys) {
    let entries: [string, unknown][];
    try {
      entries = Object.entries(JSON.parse(publicKeys) as Record<string, unknown>);
    } catch {
      throw new ConfigError("JWT_PUBLIC_KEYS", 'must be a JSON object {"<key id>": "<PEM public key>"}');
    }
    for (const [kid, pem] of entries) {
      let key: KeyObject;
      try {
        key = createPublicKey(String(pem));
      } catch {
        throw new ConfigError("JWT_PUBLIC_KEYS", `has a key "${kid}" that is not a PEM public key`);
      }
      verificationKeys.set(kid, { kid, algorithm: algorithmFor(key, "JWT_PUBLIC_KEYS"), key });
    }
  }
  return { signingKey, verificationKeys };
}

/** Required in production, so subgraphs (their _entities and _service) answer the gateway only. */
function readSubgraphSecret(env: Env, nodeEnv: Config["nodeEnv"]): string | undefined {
  const secret = env.SUBGRAPH_SECRET || undefined;
  if (!secret && nodeEnv === "production") throw new ConfigError("SUBGRAPH_SECRET", "must be set in production");
  if (secret && secret.length < 32) throw new ConfigError("SUBGRAPH_SECRET", "must be at least 32 characters long");
  return secret;
}

function readOperationLimits(env: Env, name: string, base: Readonly<OperationLimits>): OperationLimits {
  try {
    return parseOperationLimits(env[name], base);
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
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
  const { signingKey, verificationKeys } = readJwtKeys(env);
  // With key pairs configured, HS256 tokens are accepted only if a secret is given explicitly.
  const jwtSecret = env.JWT_SECRET || (nodeEnv === "production" || signingKey ? undefined : DEVELOPMENT_JWT_SECRET);
  if (!jwtSecret && !signingKey) throw new ConfigError("JWT_SECRET", "must be set in production (or JWT_PRIVATE_KEY with JWT_KEY_ID)");
  if (jwtSecret && jwtSecret.length < 32) throw new ConfigError("JWT_SECRET", "must be at least 32 characters long");

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
    scaleDatabaseUrl: readUrl(env, "SCALE_DATABASE_URL", undefined, ["postgres:", "postgresql:"]),
    benchMetrics: readBoolean(env, "BENCH_METRICS", false),
    dataDir,
    embeddedPostgresPort: readInt(env, "EMBEDDED_POSTGRES_PORT", 54329, 1),
    mediaRoot: path.resolve(env.MEDIA_ROOT || path.join(dataDir, "media")),
    mediaStorage: readMediaStorage(env),
    mediaUploads: {
      partBytes: readInt(env, "MEDIA_UPLOAD_PART_BYTES", 16 * 1024 * 1024, 5 * 1024 * 1024, 512 * 1024 * 1024),
      ttlSeconds: readInt(env, "MEDIA_UPLOAD_TTL_SECONDS", 24 * 3600, 60, 7 * 24 * 3600),
      sweepIntervalMs: readInt(env, "MEDIA_SWEEP_INTERVAL_MS", 15 * 60_000, 100, 24 * 3600_000),
      sweepGraceSeconds: readInt(env, "MEDIA_SWEEP_GRACE_SECONDS", 3600, 0, 30 * 24 * 3600),
    },
    mediaUrlSecret: mediaUrlSecret(env, jwtSecret, signingKey),
    publicUrl: (readUrl(env, "PUBLIC_URL", `http://localhost:${port}`, ["http:", "https:"]) as string).replace(/\/+$/, ""),
    uploads: {
      maxFiles: readInt(env, "UPLOAD_MAX_FILES", 10, 1, 100),
      maxFileBytes: readInt(env, "UPLOAD_MAX_FILE_BYTES", 500 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    },
    demoData: readBoolean(env, "DEMO_DATA", databaseUrl === undefined && nodeEnv !== "production"),
    subgraphSecret: readSubgraphSecret(env, nodeEnv),
    subgraphTimeoutMs: readInt(env, "SUBGRAPH_TIMEOUT_MS", 10_000, 100, 600_000),
    operationLimits: {
      default: readOperationLimits(env, "OPERATION_LIMITS", DEFAULT_OPERATION_LIMITS),
      organizer: readOperationLimits(env, "ORGANIZER_OPERATION_LIMITS", DEFAULT_ORGANIZER_OPERATION_LIMITS),
    },
    explorer: readBoolean(env, "EXPLORER", nodeEnv !== "production"),
    jwt: {
      secret: jwtSecret,
      signingKey,
      verificationKeys,
      issuer: env.JWT_ISSUER || "image-china",
      audience: env.JWT_AUDIENCE || "image-china-partner-api",
      tokenTtlSeconds: readInt(env, "TOKEN_TTL_SECONDS", 3600, 60, 86400),
    },
    revocationPollSeconds: readInt(env, "REVOCATION_POLL_SECONDS", 30, 1, 60),
    rateLimit: {
      perSecond: readInt(env, "RATE_LIMIT_PER_SECOND", 20, 1, 100_000),
      burst: readInt(env, "RATE_LIMIT_BURST", 40, 1, 1_000_000),
      redisUrl: readUrl(env, "REDIS_URL", undefined, ["redis:", "rediss:"]),
    },
    usageFlushMilliseconds: readInt(env, "USAGE_FLUSH_MS", 10_000, 10, 600_000),
    webhooks: {
      allowPrivateTargets: readBoolean(env, "WEBHOOK_ALLOW_PRIVATE_TARGETS", nodeEnv !== "production"),
      retryHours: readInt(env, "WEBHOOK_RETRY_HOURS", 26, 1, 24 * 14),
      pollMilliseconds: readInt(env, "WEBHOOK_POLL_MS", 1000, 10, 60_000),
      retryBaseMilliseconds: readInt(env, "WEBHOOK_RETRY_BASE_MS", 30_000, 10, 3_600_000),
    },
  };
}

function readMediaStorage(env: Env): MediaStorageConfig {
  if (readEnum(env, "MEDIA_STORAGE", ["disk", "s3"] as const, "disk") === "disk") return { driver: "disk" };
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new ConfigError("S3_BUCKET", "must be set when MEDIA_STORAGE=s3");
  const endpoint = readUrl(env, "S3_ENDPOINT", undefined, ["http:", "https:"]);
  const accessKeyId = readText(env, "S3_ACCESS_KEY_ID");
  const secretAccessKey = readText(env, "S3_SECRET_ACCESS_KEY");
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new ConfigError(accessKeyId ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID", "must be set together with its pair");
  const keyPrefix = env.S3_KEY_PREFIX ?? "";
  if (keyPrefix && !/^[a-z0-9][a-z0-9._/-]*\/$/i.test(keyPrefix)) throw new ConfigError("S3_KEY_PREFIX", 'must be letters, digits, ".", "_", "-" and "/", ending in "/"');
  return {
    driver: "s3",
    endpoint,
    region: env.S3_REGION || "us-east-1",
    bucket,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    // Custom endpoints (OSS, COS, test servers) are usually addressed by path; AWS itself by virtual host.
    forcePathStyle: readBoolean(env, "S3_FORCE_PATH_STYLE", endpoint !== undefined),
    keyPrefix,
  };
}

/** The media URL secret: given, or derived from the token secret or key so it needs no setting of its own. */
function mediaUrlSecret(env: Env, jwtSecret: string | undefined, signingKey: JwtKey | undefined): string {
  if (env.MEDIA_URL_SECRET) {
    if (env.MEDIA_URL_SECRET.length < 32) throw new ConfigError("MEDIA_URL_SECRET", "must be at least 32 characters long");
    return env.MEDIA_URL_SECRET;
  }
  const material = jwtSecret ?? signingKey!.key.export({ format: "pem", type: "pkcs8" }).toString();
  return createHash("sha256").update(`media:${material}`).digest("hex");
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
