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
    /** How long completeMediaUpload waits for the checks before answering with the upload still CHECKING. */
    completeWaitMs: number;
    /** How long a check job is held without renewal: a dead process's checks are taken over after it. */
    checkLeaseMs: number;
    /** How often each entries process looks for checks to take over. */
    checkPollMs: number;
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
  /** How often every service refreshes the list of revoked API clients (the catch-up beside api-client.revoked events). */
  revocationPollSeconds: number;
  /**
   * How old the list may grow (no successful refresh, e.g. the venues subgraph unreachable) before tokens of API
   * clients are refused with SERVICE_UNAVAILABLE (reason REVOCATIONS_STALE); other tokens are unaffected.
   */
  revocationMaxStaleSeconds: number;
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
  /** The gateway's cache of answers to callers without a token (gateway/response-cache). */
  responseCache: {
    /** off; memory (each gateway its own); redis (shared by the gateways). Default: redis when REDIS_URL is set, else memory. */
    store: "memory" | "redis" | "off";
    redisUrl: string | undefined;
    /** Prefix of every Redis key the cache writes (answers and type generations). */
    keyPrefix: string;
    /** Bytes of answers one gateway keeps in memory, least recently used dropped first. */
    memoryBytes: number;
  };
  /** The background job that makes micro-videos' streaming renditions (entries service). */
  videoRenditions: {
    /** How often an idle worker looks for a due job. */
    pollMilliseconds: number;
    /** Attempts before a video is reported FAILED. */
    maxAttempts: number;
    /** Delay before the second attempt; each further one doubles (at most an hour). */
    retryBaseMilliseconds: number;
    /** One ffmpeg run is killed after this long. */
    timeoutSeconds: number;
  };
  registeredOperations: {
    /** Roles (and PUBLIC for callers without a token) refused operations they did not register, unless their client says otherwise. */
    onlyRoles: ReadonlySet<RegisteredOperationsRole>;
    /** How often each gateway asks the venues subgraph whether registered operations or settings changed. */
    pollSeconds: number;
  };
  /** Port of the process's Prometheus listener (GET /metrics), cluster-internal; unset: /metrics only behind the subgraph secret. */
  metricsPort: number | undefined;
  /** OpenTelemetry traces, exported over OTLP/HTTP when an endpoint is set (the standard OTEL_* variables); off otherwise. */
  telemetry: {
    /** Where spans are sent (…/v1/traces); undefined: tracing is off and costs nothing. */
    tracesEndpoint: string | undefined;
    /** OTEL_SERVICE_NAME: the resource's service.name; default: the service's own name. */
    serviceName: string | undefined;
    /** OTEL_EXPORTER_OTLP_(TRACES_)HEADERS: extra headers for the OTLP endpoint (e.g. an API key), key=value,key=value. */
    headers: Record<string, string>;
  };
  /** Public budgets (rate limits, likes, views) count an IPv6 caller by this prefix: one /64 is one subscriber. */
  ipv6PrefixLength: number;
  /** Admission at the gateway and every service: concurrency shares with bounded queues, budgets charged by cost. */
  admission: {
    /** Requests with a valid token served at once by this process (partners, venues, judges, organisers). */
    authenticatedConcurrency: number;
    /** Requests without a token served at once by this process, all addresses together. */
    publicConcurrency: number;
    /** Media file requests (/media/*, streamed from storage) served at once, apart from the GraphQL shares. */
    mediaConcurrency: number;
    /** Requests with a token that may wait for a slot; past it they are shed with 503 and Retry-After. */
    queueLength: number;
    /**
     * Requests without a token that may wait for a slot. Short, so that what the public share cannot serve soon is
     * shed the moment it arrives (in microseconds) rather than after waiting out queueTimeoutMs.
     */
    publicQueueLength: number;
    /** How long a request may wait in a queue before it is shed. */
    queueTimeoutMs: number;
    /** Estimated cost units one rate-budget point buys: a request is charged 1 + floor(cost / this). */
    costPerPoint: number;
    /** Uploads (multipart requests) one client may send at once. */
    uploadsPerClient: number;
    /** Bytes all uploads in flight may hold in temporary files at once, counted by their declared length. */
    uploadTempBudgetBytes: number;
  };
  /** Connection bounds on every HTTP server. */
  connections: {
    /** A connection must deliver complete request headers this long after it is accepted (and per request). */
    headersTimeoutMs: number;
    /** An idle keep-alive connection is closed after this long. */
    keepAliveTimeoutMs: number;
    /** Requests one keep-alive connection may carry before it is closed. */
    maxRequestsPerSocket: number;
    /** Open connections per process; past it new ones are closed at once. */
    maxTotal: number;
    /** Open connections per address group (IPv6 by prefix); past it new ones are closed at once. */
    maxPerAddress: number;
  };
  /** Failed issueToken calls allowed per client id and per address group in a window, before RATE_LIMITED. */
  loginThrottle: { failuresPerClient: number; failuresPerAddress: number; windowSeconds: number };
  webhooks: {
    /** Allow webhook URLs on loopback, private or link-local addresses (and plain http to them). Development only. */
    allowPrivateTargets: boolean;
    /** How long a delivery is retried, in hours. */
    retryHours: number;
    /** How often the delivery worker looks for due deliveries. */
    pollMilliseconds: number;
    /** First retry delay; each further one doubles, up to two hours. */
    retryBaseMilliseconds: number;
    /** Absolute deadline of one delivery attempt (connect, send, response headers), however slowly the target trickles. */
    attemptDeadlineMilliseconds: number;
    /** Deliveries in flight at once, each to a different endpoint. */
    concurrency: number;
    /** Consecutive failed attempts after which an endpoint's circuit opens. */
    circuitFailures: number;
    /** How long an open circuit holds an endpoint's deliveries back before one trial attempt. */
    circuitOpenMilliseconds: number;
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

/** A token's role, or PUBLIC for requests without a token. */
export type RegisteredOperationsRole = "PUBLIC" | "ORGANIZER" | "PARTNER" | "VENUE" | "JUDGE";
const REGISTERED_OPERATIONS_ROLES: readonly RegisteredOperationsRole[] = ["PUBLIC", "ORGANIZER", "PARTNER", "VENUE", "JUDGE"];

/** A comma-separated list of roles; the production default refuses unregistered operations from the public and venues. */
function readRegisteredOnlyRoles(env: Env, nodeEnv: Config["nodeEnv"]): Set<RegisteredOperationsRole> {
  const raw = env.REGISTERED_OPERATIONS_ONLY_ROLES;
  if (raw === undefined) return new Set(nodeEnv === "production" ? ["PUBLIC", "VENUE"] : []);
  const roles = raw
    .split(",")
    .map((role) => role.trim())
    .filter(Boolean);
  for (const role of roles) {
    if (!(REGISTERED_OPERATIONS_ROLES as readonly string[]).includes(role)) {
      throw new ConfigError("REGISTERED_OPERATIONS_ONLY_ROLES", `must list roles among ${REGISTERED_OPERATIONS_ROLES.join(", ")}, got "${role}"`);
    }
  }
  return new Set(roles as RegisteredOperationsRole[]);
}

export interface JwtKey {
  kid: string;
  algorithm: "RS256" | "ES256";
  key: KeyObject;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

const DEVELOPMENT_JWT_SECRET = "image-china-development-secret-do-not-use-in-production";

/** At least two poll intervals, so one slow or failed refresh never refuses anyone. */
function readRevocationMaxStale(env: Env): number {
  const poll = readInt(env, "REVOCATION_POLL_SECONDS", 30, 1, 60);
  const maxStale = readInt(env, "REVOCATION_MAX_STALE_SECONDS", 120, 2, 86_400);
  if (maxStale < 2 * poll)
    throw new ConfigError("REVOCATION_MAX_STALE_SECONDS", `must be at least twice REVOCATION_POLL_SECONDS (${2 * poll}), got ${maxStale}`);
  return maxStale;
}

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
      completeWaitMs: readInt(env, "MEDIA_UPLOAD_COMPLETE_WAIT_MS", 3000, 0, 60_000),
      checkLeaseMs: readInt(env, "MEDIA_UPLOAD_CHECK_LEASE_MS", 60_000, 100, 3_600_000),
      checkPollMs: readInt(env, "MEDIA_UPLOAD_CHECK_POLL_MS", 5000, 10, 600_000),
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
    revocationMaxStaleSeconds: readRevocationMaxStale(env),
    rateLimit: {
      perSecond: readInt(env, "RATE_LIMIT_PER_SECOND", 20, 1, 100_000),
      burst: readInt(env, "RATE_LIMIT_BURST", 40, 1, 1_000_000),
      redisUrl: readUrl(env, "REDIS_URL", undefined, ["redis:", "rediss:"]),
    },
    usageFlushMilliseconds: readInt(env, "USAGE_FLUSH_MS", 10_000, 10, 600_000),
    responseCache: readResponseCache(env),
    videoRenditions: {
      pollMilliseconds: readInt(env, "VIDEO_RENDITION_POLL_MS", 2000, 10, 600_000),
      maxAttempts: readInt(env, "VIDEO_RENDITION_MAX_ATTEMPTS", 3, 1, 20),
      retryBaseMilliseconds: readInt(env, "VIDEO_RENDITION_RETRY_BASE_MS", 30_000, 10, 3_600_000),
      timeoutSeconds: readInt(env, "VIDEO_RENDITION_TIMEOUT_SECONDS", 1800, 5, 86_400),
    },
    registeredOperations: {
      onlyRoles: readRegisteredOnlyRoles(env, nodeEnv),
      pollSeconds: readInt(env, "REGISTERED_OPERATIONS_POLL_SECONDS", 10, 1, 300),
    },
    metricsPort: env.METRICS_PORT ? readInt(env, "METRICS_PORT", 0, 0) : undefined,
    telemetry: readTelemetry(env),
    ipv6PrefixLength: readInt(env, "IPV6_PREFIX_LENGTH", 64, 16, 128),
    admission: {
      authenticatedConcurrency: readInt(env, "ADMISSION_AUTHENTICATED_CONCURRENCY", 32, 1, 10_000),
      // One uncached exhibition page in flight keeps about a core busy across the processes (bench/results/*-abuse.md),
      // so on the 2-core reference machine one at a time is all the public gets and authenticated work keeps the rest.
      publicConcurrency: readInt(env, "ADMISSION_PUBLIC_CONCURRENCY", 1, 1, 10_000),
      mediaConcurrency: readInt(env, "ADMISSION_MEDIA_CONCURRENCY", 64, 1, 10_000),
      queueLength: readInt(env, "ADMISSION_QUEUE_LENGTH", 64, 0, 100_000),
      publicQueueLength: readInt(env, "ADMISSION_PUBLIC_QUEUE_LENGTH", 2, 0, 100_000),
      queueTimeoutMs: readInt(env, "ADMISSION_QUEUE_TIMEOUT_MS", 2000, 1, 600_000),
      costPerPoint: readInt(env, "RATE_LIMIT_COST_PER_POINT", 1000, 1, 10_000_000),
      uploadsPerClient: readInt(env, "UPLOAD_MAX_CONCURRENT_PER_CLIENT", 4, 1, 1000),
      uploadTempBudgetBytes: readInt(env, "UPLOAD_TEMP_BUDGET_BYTES", 4 * 1024 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
    },
    connections: {
      headersTimeoutMs: readInt(env, "HTTP_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000),
      keepAliveTimeoutMs: readInt(env, "HTTP_KEEP_ALIVE_TIMEOUT_MS", 15_000, 100, 600_000),
      maxRequestsPerSocket: readInt(env, "HTTP_MAX_REQUESTS_PER_SOCKET", 1000, 0, 1_000_000),
      maxTotal: readInt(env, "HTTP_MAX_CONNECTIONS", 4096, 1, 1_000_000),
      maxPerAddress: readInt(env, "HTTP_MAX_CONNECTIONS_PER_ADDRESS", 256, 1, 1_000_000),
    },
    loginThrottle: {
      failuresPerClient: readInt(env, "LOGIN_FAILURES_PER_CLIENT", 10, 1, 1_000_000),
      failuresPerAddress: readInt(env, "LOGIN_FAILURES_PER_ADDRESS", 30, 1, 1_000_000),
      windowSeconds: readInt(env, "LOGIN_FAILURE_WINDOW_SECONDS", 900, 1, 86_400),
    },
    webhooks: {
      allowPrivateTargets: readBoolean(env, "WEBHOOK_ALLOW_PRIVATE_TARGETS", nodeEnv !== "production"),
      retryHours: readInt(env, "WEBHOOK_RETRY_HOURS", 26, 1, 24 * 14),
      pollMilliseconds: readInt(env, "WEBHOOK_POLL_MS", 1000, 10, 60_000),
      retryBaseMilliseconds: readInt(env, "WEBHOOK_RETRY_BASE_MS", 30_000, 10, 3_600_000),
      attemptDeadlineMilliseconds: readInt(env, "WEBHOOK_ATTEMPT_DEADLINE_MS", 10_000, 100, 120_000),
      concurrency: readInt(env, "WEBHOOK_CONCURRENCY", 16, 1, 1000),
      circuitFailures: readInt(env, "WEBHOOK_CIRCUIT_FAILURES", 5, 1, 1000),
      circuitOpenMilliseconds: readInt(env, "WEBHOOK_CIRCUIT_OPEN_MS", 60_000, 10, 86_400_000),
    },
  };
}

function readResponseCache(env: Env): Config["responseCache"] {
  const redisUrl = readUrl(env, "REDIS_URL", undefined, ["redis:", "rediss:"]);
  const store = readEnum(env, "RESPONSE_CACHE", ["memory", "redis", "off"] as const, redisUrl ? "redis" : "memory");
  if (store === "redis" && !redisUrl) throw new ConfigError("REDIS_URL", "must be set when RESPONSE_CACHE=redis");
  return {
    store,
    redisUrl,
    keyPrefix: env.RESPONSE_CACHE_KEY_PREFIX ?? "response-cache:",
    memoryBytes: readInt(env, "RESPONSE_CACHE_MEMORY_MB", 64, 1, 64 * 1024) * 1024 * 1024,
  };
}

function readMediaStorage(env: Env): MediaStorageConfig {
  if (readEnum(env, "MEDIA_STORAGE", ["disk", "s3"] as const, "disk") === "disk") return { driver: "disk" };
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new ConfigError("S3_BUCKET", "must be set when MEDIA_STORAGE=s3");
  const endpoint = readUrl(env, "S3_ENDPOINT", undefined, ["http:", "https:"]);
  const accessKeyId = readText(env, "S3_ACCESS_KEY_ID");
  const secretAccessKey = readText(env, "S3_SECRET_ACCESS_KEY");
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    throw new ConfigError(accessKeyId ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID", "must be set together with its pair");
  const keyPrefix = env.S3_KEY_PREFIX ?? "";
  if (keyPrefix && !/^[a-z0-9][a-z0-9._/-]*\/$/i.test(keyPrefix))
    throw new ConfigError("S3_KEY_PREFIX", 'must be letters, digits, ".", "_", "-" and "/", ending in "/"');
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

/** The standard OpenTelemetry variables: OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, OTEL_SERVICE_NAME. */
function readTelemetry(env: Env): Config["telemetry"] {
  const serviceName = env.OTEL_SERVICE_NAME || undefined;
  const headers: Record<string, string> = {};
  for (const pair of (env.OTEL_EXPORTER_OTLP_TRACES_HEADERS || env.OTEL_EXPORTER_OTLP_HEADERS || "").split(",").filter(Boolean)) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new ConfigError("OTEL_EXPORTER_OTLP_HEADERS", "must be key=value pairs separated by commas");
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  if (readBoolean(env, "OTEL_SDK_DISABLED", false) || env.OTEL_TRACES_EXPORTER === "none") return { tracesEndpoint: undefined, serviceName, headers };
  if (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== "otlp")
    throw new ConfigError("OTEL_TRACES_EXPORTER", `must be otlp or none, got "${env.OTEL_TRACES_EXPORTER}"`);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== "http/json")
    throw new ConfigError("OTEL_EXPORTER_OTLP_PROTOCOL", `must be http/json (the exporter this build ships), got "${protocol}"`);
  // The signal-specific variable is the full URL; the general one is a base to which /v1/traces is added (the spec's rule).
  const specific = readUrl(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", undefined, ["http:", "https:"]);
  const base = readUrl(env, "OTEL_EXPORTER_OTLP_ENDPOINT", undefined, ["http:", "https:"]);
  return { tracesEndpoint: specific ?? (base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined), serviceName, headers };
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
