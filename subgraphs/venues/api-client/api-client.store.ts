// The SQL of credential state changes. Each change is one conditional statement, so two changes at once can never
// undo each other: a rotation cannot write back a row that a revocation changed meanwhile (nothing is read, changed
// in memory and saved whole), a revoked client cannot be rotated back to life, and of two rotations at once only
// the one that saw the current secret wins — the other learns it lost instead of handing out a dead secret.
import { DataSource } from "typeorm";
import { recordEvent } from "../../../lib/events/outbox";

const SCHEMA = "venues";
const TABLE = `${SCHEMA}.api_client`;

/** The columns the service maps back to an ApiClient (the same as the entity's). */
const RETURNED = `id, client_id AS "clientId", name, role, organization_id AS "organizationId", venue_id AS "venueId", judge_id AS "judgeId",
  secret_hash AS "secretHash", previous_secret_hash AS "previousSecretHash", previous_secret_expires_at AS "previousSecretExpiresAt",
  rate_limit_per_second AS "rateLimitPerSecond", rate_limit_burst AS "rateLimitBurst", created_at AS "createdAt", revoked_at AS "revokedAt",
  last_used_at AS "lastUsedAt"`;

export interface ApiClientRow {
  id: string;
  clientId: string;
  name: string;
  role: string;
  organizationId: string | null;
  venueId: string | null;
  judgeId: string | null;
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  rateLimitPerSecond: number | null;
  rateLimitBurst: number | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export class ApiClientStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Replaces the secret if the client is not revoked and its secret is still `expectedSecretHash` (the one the
   * caller read); the replaced secret stays valid for `graceSeconds`. Undefined when either condition failed.
   */
  async rotateSecret(id: string, expectedSecretHash: string, newSecretHash: string, graceSeconds: number): Promise<ApiClientRow | undefined> {
    const [rows] = await this.dataSource.query(
      `UPDATE ${TABLE}
          SET previous_secret_hash = CASE WHEN $4::int > 0 THEN secret_hash END,
              previous_secret_expires_at = CASE WHEN $4::int > 0 THEN now() + make_interval(secs => $4::int) END,
              secret_hash = $3
        WHERE id = $1 AND secret_hash = $2 AND revoked_at IS NULL
        RETURNING ${RETURNED}`,
      [id, expectedSecretHash, newSecretHash, graceSeconds],
    );
    return (rows as ApiClientRow[])[0];
  }

  /**
   * Revokes the client (the first revocation's time stays); undefined when there is no such client. The
   * api-client.revoked event is recorded in the same transaction, so every process learns it from the feed.
   */
  async revoke(id: string): Promise<ApiClientRow | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query(`UPDATE ${TABLE} SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${RETURNED}`, [id]);
      const revoked = (rows as ApiClientRow[])[0];
      if (revoked) {
        await recordEvent(manager, "venues", {
          type: "api-client.revoked",
          organizationIds: [],
          payload: { clientId: revoked.clientId, revokedAt: revoked.revokedAt!.toISOString() },
        });
      }
      return revoked;
    });
  }

  /** Sets only the rate-limit columns; undefined when there is no such client. */
  async setRateLimit(id: string, perSecond: number | null, burst: number | null): Promise<ApiClientRow | undefined> {
    const [rows] = await this.dataSource.query(`UPDATE ${TABLE} SET rate_limit_per_second = $2, rate_limit_burst = $3 WHERE id = $1 RETURNING ${RETURNED}`, [
      id,
      perSecond,
      burst,
    ]);
    return (rows as ApiClientRow[])[0];
  }

  /**
   * Records a token issue, only while the client is still unrevoked: the last word before a token is signed, so a
   * revocation that lands while the secret is being checked wins. False when the client was revoked meanwhile.
   */
  async markUsedIfActive(id: string): Promise<boolean> {
    const [, affected] = await this.dataSource.query(`UPDATE ${TABLE} SET last_used_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return Number(affected) === 1;
  }
}
