// Keeps this process's list of revoked API clients fresh from the venues subgraph (which owns the clients).
import { config } from "./config";
import { callSubgraph } from "./internal-client";
import { pollRevocations, RevocationPoller } from "./revocation";

export function pollRevokedClients(caller: string): RevocationPoller {
  const poller = pollRevocations(
    async () =>
      (await callSubgraph<{ revokedApiClients: { clientId: string; revokedAt: string }[] }>(caller, "venues", "{ revokedApiClients { clientId revokedAt } }"))
        .revokedApiClients,
    config().revocationPollSeconds,
  );
  void poller.refresh();
  return poller;
}
