// Connection bounds for every HTTP server: a connection must deliver its request headers within
// HTTP_HEADERS_TIMEOUT_MS of being accepted (so a socket that never sends a byte is closed), idle keep-alive
// connections close after HTTP_KEEP_ALIVE_TIMEOUT_MS and after HTTP_MAX_REQUESTS_PER_SOCKET requests, and open
// connections are capped per address group (IPv6 by prefix) and in total, so no client can hold every file
// descriptor and leave /ready unreachable.
import http from "node:http";
import type { Socket } from "node:net";
import { config } from "./config";
import { addressGroup } from "./network-address";

/** The options node:http applies from accept: the header deadline is checked every so often, not only per request. */
export function boundedServerOptions(): http.ServerOptions {
  const { headersTimeoutMs, keepAliveTimeoutMs } = config().connections;
  return {
    headersTimeout: headersTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    // How often node sweeps connections for the header and request deadlines.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
  };
}

export interface ConnectionCounts {
  open: number;
  refused: number;
}

/** Caps connections per address group and in total; returns live counts. */
export function boundConnections(server: http.Server): ConnectionCounts {
  const { maxTotal, maxPerAddress, maxRequestsPerSocket } = config().connections;
  server.maxRequestsPerSocket = maxRequestsPerSocket;
  const perAddress = new Map<string, number>();
  const counts: ConnectionCounts = { open: 0, refused: 0 };
  server.on("connection", (socket: Socket) => {
    const group = addressGroup(socket.remoteAddress, config().ipv6PrefixLength);
    const fromGroup = perAddress.get(group) ?? 0;
    if (counts.open >= maxTotal || fromGroup >= maxPerAddress) {
      counts.refused += 1;
      socket.destroy();
      return;
    }
    counts.open += 1;
    perAddress.set(group, fromGroup + 1);
    socket.once("close", () => {
      counts.open -= 1;
      const left = (perAddress.get(group) ?? 1) - 1;
      if (left > 0) perAddress.set(group, left);
      else perAddress.delete(group);
    });
  });
  return counts;
}
