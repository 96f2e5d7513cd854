// The standard OTEL_* variables and METRICS_PORT, parsed once in lib/config: tracing is off unless an endpoint is set.
import { ConfigError, loadConfig } from "../../lib/config";

const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return error instanceof ConfigError ? error.variable : String(error);
  }
  return undefined;
};

describe("telemetry and metrics settings", () => {
  it("leave tracing off and metrics on the service port without any variable", () => {
    const config = loadConfig({});
    expect(config.telemetry).toEqual({ tracesEndpoint: undefined, serviceName: undefined, headers: {} });
    expect(config.metricsPort).toBeUndefined();
  });

  it("add /v1/traces to the general endpoint and take the signal-specific one as it is", () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).telemetry.tracesEndpoint).toBe("http://collector:4318/v1/traces");
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example.org/otlp" }).telemetry
        .tracesEndpoint,
    ).toBe("https://traces.example.org/otlp");
  });

  it("honour the off switches, the service name and extra headers", () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }).telemetry.tracesEndpoint).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }).telemetry.tracesEndpoint).toBeUndefined();
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
      OTEL_SERVICE_NAME: "gateway-eu",
      OTEL_EXPORTER_OTLP_HEADERS: "api-key=abc%3D,x-team=ops",
    });
    expect(config.telemetry.serviceName).toBe("gateway-eu");
    expect(config.telemetry.headers).toEqual({ "api-key": "abc=", "x-team": "ops" });
    expect(loadConfig({ METRICS_PORT: "9464" }).metricsPort).toBe(9464);
  });

  it("name the variable when a value is wrong", () => {
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toBe("OTEL_EXPORTER_OTLP_ENDPOINT");
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "zipkin" })).toBe("OTEL_TRACES_EXPORTER");
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toBe("OTEL_EXPORTER_OTLP_PROTOCOL");
    expect(problem({ OTEL_EXPORTER_OTLP_HEADERS: "novalue" })).toBe("OTEL_EXPORTER_OTLP_HEADERS");
    expect(problem({ METRICS_PORT: "70000" })).toBe("METRICS_PORT");
  });
});
