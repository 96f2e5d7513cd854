// Keeps this process's list of revoked API clients fresh from the venues subgraph (which owns the clients).
import { config } from "./config";
import { VenuesClient } from "./clients/venues";
import { pollRevocations, processRevocations, RevocationList, RevocationPoller } from "./revocation";

/** `list`: this process's list by default (tests pass another to stand for a second process). */
export function pollRevokedClients(caller: string, list: RevocationList = processRevocations): RevocationPoller {
  const venues = new VenuesClient(caller);
  const poller = pollRevocations(() => venues.revokedApiClients(), config().revocationPollSeconds, list);
  void poller.refresh();
  return poller;
}
