// JSON logs, one object per line, stamped with the service name and the current request id.
import { config } from "./config";
import { currentRequestScope } from "./request-context";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;

let serviceName = "image-china";

export function setServiceName(name: string): void {
  serviceName = name;
}

interface ErrorLike {
  name?: string;
  message: string;
  stack?: string;
  cause?: unknown;
}

// Duck-typed: errors from another realm (node's fetch, a VM) are not `instanceof Error` here.
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === "object" && value !== null && typeof (value as ErrorLike).message === "string" && "stack" in value;
}

function describeError(error: ErrorLike): Record<string, unknown> {
  return { name: error.name, message: error.message, stack: error.stack, cause: isErrorLike(error.cause) ? error.cause.message : undefined };
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < LEVELS[config().logLevel]) return;
  const entry = {
    time: new Date().toISOString(),
    level,
    service: currentRequestScope()?.service ?? serviceName,
    requestId: currentRequestScope()?.requestId,
    msg: message,
    ...fields,
  };
  const line = JSON.stringify(entry, (_key, value) => (isErrorLike(value) ? describeError(value) : value));
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
