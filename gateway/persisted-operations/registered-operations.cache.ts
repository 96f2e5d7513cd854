// Each gateway's copy of the registered operations and registered-only settings. It asks the venues subgraph for the
// revision every REGISTERED_OPERATIONS_POLL_SECONDS and reloads only when it changed, so serving a document by id
// costs a lookup in memory, never a query per request, and every replica converges within one poll. A miss triggers
// an early revision check (one at a time, at most four a second per gateway), so an operation registered a moment ago
// works within a fraction of a second instead of a poll interval, and a flood of unknown ids costs the venues
// subgraph a bounded trickle of one-row reads.
import type { Viewer } from "../../lib/auth";
import type { RegisteredOperationsRole } from "../../lib/config";
import { RegisteredOperationsSnapshot as Snapshot, VenuesClient } from "../../lib/clients/venues";
import { logger } from "../../lib/logger";

/** The key the public safelist is kept under (client ids are never empty). */
const PUBLIC = "";
const EARLY_CHECK_INTERVAL_MS = 250;
const venues = new VenuesClient("gateway");

export interface RegisteredOperationsCacheOptions {
  pollSeconds: number;
  /** Roles (PUBLIC for no token) registered-only unless their client's setting says otherwise. */
  onlyRoles: ReadonlySet<RegisteredOperationsRole>;
  /** Where the snapshot comes from; the venues subgraph by default. */
  fetchSnapshot?: (knownRevision: string | undefined) => Promise<Snapshot>;
}

export class RegisteredOperationsCache {
  private revision: string | undefined;
  /** owner (clientId, or PUBLIC) → hash → document text. */
  private documents = new Map<string, Map<string, string>>();
  private settings = new Map<string, boolean>();
  private inFlight: Promise<void> | undefined;
  private lastCheck = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly fetchSnapshot: (knownRevision: string | undefined) => Promise<Snapshot>;

  constructor(private readonly options: RegisteredOperationsCacheOptions) {
    this.fetchSnapshot = options.fetchSnapshot ?? ((knownRevision) => venues.registeredOperationsSnapshot(knownRevision));
    this.timer = setInterval(() => void this.refresh(), options.pollSeconds * 1000);
    this.timer.unref();
  }

  /** Whether the caller may send only registered operations: its client's setting, else its role's default. */
  isRegisteredOnly(viewer: Viewer | undefined): boolean {
    const setting = viewer?.clientId === undefined ? undefined : this.settings.get(viewer.clientId);
    return setting ?? this.options.onlyRoles.has(viewer?.role ?? "PUBLIC");
  }

  /** The document registered under `hash` for the caller's client, or in the public safelist. */
  find(viewer: Viewer | undefined, hash: string): string | undefined {
    const own = viewer?.clientId === undefined ? undefined : this.documents.get(viewer.clientId)?.get(hash);
    return own ?? this.documents.get(PUBLIC)?.get(hash);
  }

  /** Like find, but on a miss checks the revision first (at most four times a second per gateway). */
  async findFresh(viewer: Viewer | undefined, hash: string): Promise<string | undefined> {
    const found = this.find(viewer, hash);
    if (found !== undefined || Date.now() - this.lastCheck < EARLY_CHECK_INTERVAL_MS) return found;
    await this.refresh();
    return this.find(viewer, hash);
  }

  /** One revision check (shared by concurrent callers); reloads when the revision changed. Failures keep the last copy. */
  refresh(): Promise<void> {
    return (this.inFlight ??= (async () => {
      this.lastCheck = Date.now();
      try {
        const snapshot = await this.fetchSnapshot(this.revision);
        if (snapshot.changed) this.load(snapshot);
      } catch (error) {
        logger.warn("could not refresh registered operations; keeping the last copy", { error });
      } finally {
        this.inFlight = undefined;
      }
    })());
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private load(snapshot: Snapshot): void {
    const documents = new Map<string, Map<string, string>>();
    for (const operation of snapshot.operations) {
      const owner = operation.clientId ?? PUBLIC;
      let set = documents.get(owner);
      if (!set) documents.set(owner, (set = new Map()));
      set.set(operation.hash, operation.document);
    }
    this.documents = documents;
    this.settings = new Map(snapshot.settings.map((setting) => [setting.clientId, setting.registeredOperationsOnly]));
    this.revision = snapshot.revision;
  }
}
