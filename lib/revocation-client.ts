// Keeps this process's list of revoked API clients current from the venues subgraph (which owns the clients):
// api-client.revoked events as they happen, and the whole list every REVOCATION_POLL_SECONDS as the catch-up.
import { config } from "./config";
import { VenuesClient } from "./clients/venues";
import { followEventsInMemory } from "./events/follower";
import { pollRevocations, processRevocations, RevocationList, RevocationPoller } from "./revocation";

/** Polls the list only. `list`: this process's list by default (tests pass another to stand for a second process). */
export function pollRevokedClients(caller: string, list: RevocationList = processRevocations): RevocationPoller {
  const venues = new VenuesClient(caller);
  const poller = pollRevocations(() => venues.revokedApiClients(), config().revocationPollSeconds, list);
  void poller.refresh();
  return poller;
}

export interface RevocationFollower {
  /** Ends the poll and the feed's long poll (before the services stop talking to each other). */
  stop(): Promise<void>;
}

/**
 * Every process follows the venues feed in memory (each copy must learn every revocation; a cursor shared by the
 * copies of a service would hand each event to one of them), from the feed's head: what came before is in the list
 * the first poll reads.
 */
export function followRevokedClients(caller: string, list: RevocationList = processRevocations): RevocationFollower {
  const follower = followEventsInMemory(caller, { "api-client.revoked": (event) => list.record([event.payload]) });
  const poller = pollRevokedClients(caller, list);
  return {
    stop: async () => {
      poller.stop();
      await follower.stop();
    },
  };
}
