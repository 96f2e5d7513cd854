// A circuit per webhook endpoint: after `failures` consecutive failed attempts it opens, and the endpoint's
// deliveries wait (they stay queued with their retry schedule) for `openMs`; then one trial attempt decides —
// success closes it, failure opens it again. Kept per process: each copy of the service learns on its own, which
// costs at most `failures` attempts per copy.
export interface CircuitSettings {
  failures: number;
  openMs: number;
}

interface CircuitState {
  consecutiveFailures: number;
  openUntil: number;
}

export class WebhookCircuits {
  private readonly states = new Map<string, CircuitState>();

  constructor(private readonly settings: CircuitSettings | (() => CircuitSettings)) {}

  private get current(): CircuitSettings {
    return typeof this.settings === "function" ? this.settings() : this.settings;
  }

  /** True while the endpoint's circuit is open (no attempt may start). */
  isOpen(endpoint: string, now = Date.now()): boolean {
    const state = this.states.get(endpoint);
    return state !== undefined && state.openUntil > now;
  }

  /** Endpoints whose circuit is open now. */
  openEndpoints(now = Date.now()): string[] {
    return [...this.states].filter(([, state]) => state.openUntil > now).map(([endpoint]) => endpoint);
  }

  record(endpoint: string, ok: boolean, now = Date.now()): void {
    if (ok) {
      this.states.delete(endpoint);
      return;
    }
    const state = this.states.get(endpoint) ?? { consecutiveFailures: 0, openUntil: 0 };
    state.consecutiveFailures += 1;
    if (state.consecutiveFailures >= this.current.failures) state.openUntil = now + this.current.openMs;
    this.states.set(endpoint, state);
  }
}
