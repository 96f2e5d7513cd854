// Carries the request id (and per-request counters) through async calls so logs and masked errors can name it.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface RequestScope {
  requestId: string;
  /** The service answering (several can share one process under `npm start`). */
  service: string;
  /** SQL statements issued while serving this request, in this process. */
  sqlStatements: number;
  /** Aborted when the caller goes away before the answer is complete (the work it started is cancelled downstream). */
  signal?: AbortSignal;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const REQUEST_ID_HEADER = "x-request-id";

/** Accepts a caller's request id only when it looks like one; otherwise makes a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{8,128}$/.test(value) ? value : randomUUID();
}

export function runInRequestScope<T>(requestId: string, service: string, fn: () => T): T {
  return storage.run({ requestId, service, sqlStatements: 0 }, fn);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
