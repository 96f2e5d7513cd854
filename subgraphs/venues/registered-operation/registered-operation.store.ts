// SQL for registered operations: per-client sets (a null client is the public safelist), the revision gateways poll,
// and the snapshot they load when it changed.
import type { DataSource, EntityManager } from "typeorm";
import { CursorValue } from "../../../lib/pagination";
import type { ManifestOperation } from "./operation-manifest";

const SCHEMA = "venues";
/** How the unique index and every lookup spell "the public safelist". */
const OWNER = `coalesce(api_client_id, '00000000-0000-0000-0000-000000000000'::uuid)`;
const PUBLIC_OWNER = "00000000-0000-0000-0000-000000000000";

export interface RegisteredOperationRow {
  id: string;
  hash: string;
  document: string;
  operationNames: string[];
  registeredBy: string;
  registeredAt: Date;
}

export interface SnapshotRows {
  revision: string;
  /** Clients whose registered-only setting is set (true or false), by clientId. */
  settings: { clientId: string; registeredOperationsOnly: boolean }[];
  /** clientId null: the public safelist. Operations of revoked clients are left out. */
  operations: { clientId: string | null; hash: string; document: string }[];
}

const ownerOf = (apiClientId: string | null) => apiClientId ?? PUBLIC_OWNER;

export class RegisteredOperationStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the operations not yet registered for the owner; returns how many were new. Bumps the revision when any was. */
  async add(manager: EntityManager, apiClientId: string | null, operations: ManifestOperation[], registeredBy: string): Promise<number> {
    const inserted: { hash: string }[] = await manager.query(
      `INSERT INTO ${SCHEMA}.registered_operation (api_client_id, hash, document, operation_names, registered_by)
       SELECT $1::uuid, hash, document, string_to_array(names, E'\\n'), $5
         FROM unnest($2::text[], $3::text[], $4::text[]) AS given(hash, document, names)
       ON CONFLICT ((${OWNER}), hash) DO NOTHING
       RETURNING hash`,
      [apiClientId, operations.map((op) => op.hash), operations.map((op) => op.document), operations.map((op) => op.operationNames.join("\n")), registeredBy],
    );
    if (inserted.length) await this.bumpRevision(manager);
    return inserted.length;
  }

  /** Removes the owner's operations with these hashes; returns how many there were. Bumps the revision when any. */
  async remove(manager: EntityManager, apiClientId: string | null, hashes: string[]): Promise<number> {
    // Counted by a SELECT over the deleted rows: TypeORM answers a bare DELETE with [rows, count].
    const [{ count }]: { count: number }[] = await manager.query(
      `WITH removed AS (DELETE FROM ${SCHEMA}.registered_operation WHERE ${OWNER} = $1::uuid AND hash = ANY($2::text[]) RETURNING hash)
       SELECT count(*)::int AS count FROM removed`,
      [ownerOf(apiClientId), hashes],
    );
    if (count) await this.bumpRevision(manager);
    return count;
  }

  async bumpRevision(manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE ${SCHEMA}.registered_operation_revision SET revision = revision + 1`);
  }

  /** A page of the owner's operations, newest first (first + 1 rows, for pageFromRows). */
  async page(apiClientId: string | null, limit: number, after: CursorValue[] | undefined): Promise<RegisteredOperationRow[]> {
    const parameters: unknown[] = [ownerOf(apiClientId), limit];
    let keyset = "";
    if (after) {
      parameters.push(after[0], after[1]);
      keyset = `AND (registered_at, id) < ($3::timestamptz, $4::uuid)`;
    }
    return this.dataSource.query(
      `SELECT id, hash, document, operation_names AS "operationNames", registered_by AS "registeredBy", registered_at AS "registeredAt"
         FROM ${SCHEMA}.registered_operation WHERE ${OWNER} = $1::uuid ${keyset}
        ORDER BY registered_at DESC, id DESC LIMIT $2`,
      parameters,
    );
  }

  async count(apiClientId: string | null): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM ${SCHEMA}.registered_operation WHERE ${OWNER} = $1::uuid`, [
      ownerOf(apiClientId),
    ]);
    return row.count;
  }

  /** Owners holding at least one operation: client ids (uuid), null for the public safelist. */
  async owners(): Promise<(string | null)[]> {
    const rows: { apiClientId: string | null }[] = await this.dataSource.query(
      `SELECT DISTINCT api_client_id AS "apiClientId" FROM ${SCHEMA}.registered_operation ORDER BY 1 NULLS FIRST`,
    );
    return rows.map((row) => row.apiClientId);
  }

  async revision(): Promise<string> {
    const [row] = await this.dataSource.query(`SELECT revision::text AS revision FROM ${SCHEMA}.registered_operation_revision`);
    return row.revision;
  }

  /** Everything a gateway needs, read in one repeatable-read transaction so the revision matches the rows. */
  async snapshot(): Promise<SnapshotRows> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction("REPEATABLE READ");
      const [{ revision }] = await runner.query(`SELECT revision::text AS revision FROM ${SCHEMA}.registered_operation_revision`);
      const settings = await runner.query(
        `SELECT client_id AS "clientId", registered_operations_only AS "registeredOperationsOnly"
           FROM ${SCHEMA}.api_client WHERE registered_operations_only IS NOT NULL AND revoked_at IS NULL`,
      );
      const operations = await runner.query(
        `SELECT client.client_id AS "clientId", operation.hash, operation.document
           FROM ${SCHEMA}.registered_operation operation LEFT JOIN ${SCHEMA}.api_client client ON client.id = operation.api_client_id
          WHERE operation.api_client_id IS NULL OR client.revoked_at IS NULL`,
      );
      await runner.commitTransaction();
      return { revision, settings, operations };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Every registered operation with its owner's clientId and name, for the organisers' export (npm run operations:export). */
  async exportAll(): Promise<{ clientId: string | null; clientName: string | null; hash: string; document: string; operationNames: string[] }[]> {
    return this.dataSource.query(
      `SELECT client.client_id AS "clientId", client.name AS "clientName", operation.hash, operation.document, operation.operation_names AS "operationNames"
         FROM ${SCHEMA}.registered_operation operation LEFT JOIN ${SCHEMA}.api_client client ON client.id = operation.api_client_id
        WHERE operation.api_client_id IS NULL OR client.revoked_at IS NULL
        ORDER BY client.client_id NULLS FIRST, operation.hash`,
    );
  }
}
