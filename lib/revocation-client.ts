// Keeps this process's list of revoked API clients fresh from the venues subgraph (which owns the clients).
import { config } from "./config";
import { callSubgraph } from "./internal-client";
import { pollRevocations, processRevocations, RevocationList, RevocationPoller } from "./revocation";

/** `list`: this process's list by default (tests pass another to stand for a second process). */
export function pollRevokedClients(caller: string, list: RevocationList = processRevocations): RevocationPoller {
  const poller = pollRevocations(
    async () =>
      (await callSubgraph<{ revokedApiClients: { clientId: string; revokedAt: string }[] }>(caller, "venues", "{ revokedApiClients { clientId revokedAt } }"))
        .revokedApiClients,
    config().revocationPollSeconds,
    list,
  );
  void poller.refresh();
  return poller;
}
