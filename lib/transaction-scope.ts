// Knows whether the running code is inside an open database transaction, so that a call to another service made
// while one is open fails at once (DESIGN: no HTTP call while a transaction is open; what another subgraph must
// learn travels as an outbox event). Every TypeORM transaction goes through EntityManager.transaction.
import { AsyncLocalStorage } from "node:async_hooks";
import { EntityManager } from "typeorm";

const openTransaction = new AsyncLocalStorage<true>();

let installed = false;
/** Marks every transaction's callback as running inside a transaction (idempotent). */
export function trackTransactions(): void {
  if (installed) return;
  installed = true;
  const original = EntityManager.prototype.transaction as (...args: unknown[]) => Promise<unknown>;
  EntityManager.prototype.transaction = function (this: EntityManager, ...args: unknown[]) {
    // transaction(work) or transaction(isolationLevel, work); DataSource.transaction passes an undefined second argument.
    const index = args.findIndex((arg) => typeof arg === "function");
    if (index < 0) return original.apply(this, args);
    const work = args[index] as (manager: EntityManager) => Promise<unknown>;
    const wrapped = [...args];
    wrapped[index] = (manager: EntityManager) => openTransaction.run(true, () => work(manager));
    return original.apply(this, wrapped);
  } as typeof EntityManager.prototype.transaction;
}

export const insideTransaction = (): boolean => openTransaction.getStore() === true;

export class CallInsideTransactionError extends Error {
  constructor(target: string) {
    super(`A call to the ${target} service was made while a database transaction is open; record an outbox event instead.`);
  }
}

/** Throws when a transaction is open in the current async context. */
export function assertNoOpenTransaction(target: string): void {
  if (insideTransaction()) throw new CallInsideTransactionError(target);
}
