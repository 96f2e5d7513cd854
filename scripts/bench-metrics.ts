// Reads what the benchmark needs from a service's Prometheus /metrics text (the same endpoint operators scrape).

export interface BenchMetrics {
  graphqlRequests: number;
  sqlStatements: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
  rssBytes: number;
}

/** Sums every sample of each metric name (all label sets) in Prometheus text exposition format. */
export function sumSamples(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) sums.set(match[1], (sums.get(match[1]) ?? 0) + value);
  }
  return sums;
}

export function benchMetricsFromPrometheus(text: string): BenchMetrics {
  const sums = sumSamples(text);
  return {
    graphqlRequests: sums.get("image_china_http_graphql_requests_total") ?? 0,
    sqlStatements: sums.get("image_china_sql_statements_total") ?? 0,
    cpuUserMicros: Math.round((sums.get("process_cpu_user_seconds_total") ?? 0) * 1e6),
    cpuSystemMicros: Math.round((sums.get("process_cpu_system_seconds_total") ?? 0) * 1e6),
    rssBytes: sums.get("process_resident_memory_bytes") ?? 0,
  };
}
