// Blocks of free ports for processes started on fixed ports (npm start's gateway and its four subgraphs, in tests
// and benchmarks). Blocks are taken below the kernel's ephemeral range: a port in that range can be handed at any
// moment to another process's outgoing connection or port-0 listener, so a port found free there may be taken
// before the process listens on it (EADDRINUSE).
import fs from "node:fs";
import net from "node:net";

const LOWEST = 10_000;
/** Linux's default start of the ephemeral range, where /proc does not say. */
const DEFAULT_EPHEMERAL_START = 32_768;

/** Whether a listener could be opened on the port now (127.0.0.1). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The first port of the kernel's ephemeral range. */
export function ephemeralPortStart(): number {
  try {
    const [start] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (Number.isInteger(start) && start > LOWEST) return start;
  } catch {
    // not Linux, or /proc is not mounted
  }
  return DEFAULT_EPHEMERAL_START;
}

/** The first of `count` consecutive ports that are free now, chosen at random below the ephemeral range. */
export async function freePortBlock(count: number): Promise<number> {
  const blocks = Math.floor((ephemeralPortStart() - LOWEST) / count);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = LOWEST + Math.floor(Math.random() * blocks) * count;
    const free = await Promise.all(Array.from({ length: count }, (_, index) => portIsFree(base + index)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`No block of ${count} free ports found below ${ephemeralPortStart()}.`);
}
