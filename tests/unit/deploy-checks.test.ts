// The image, Compose file and Kubernetes overlays pass their offline checks, and each check refuses a broken file.
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";
import { checkDeployment, OVERLAYS_DIR } from "../../scripts/check-deploy";
import { checkKubernetesShape, lintDockerfile, validateCompose, validateKubernetesSchemas } from "../../scripts/deploy/deploy-checks";
import { renderKustomization, strategicMerge } from "../../scripts/deploy/kustomize-render";

const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, "Dockerfile"), "utf8");
const compose = fs.readFileSync(path.join(PROJECT_ROOT, "docker-compose.yml"), "utf8");

describe("deployment files", () => {
  it("pass every offline check (Dockerfile lint, compose-spec schema, Kubernetes schemas of each overlay)", () => {
    const results = checkDeployment();
    expect(Object.keys(results)).toEqual(expect.arrayContaining(["Dockerfile", "docker-compose.yml"]));
    expect(Object.keys(results).filter((subject) => subject.startsWith("kubernetes overlay")).length).toBeGreaterThanOrEqual(2);
    expect(results).toEqual(Object.fromEntries(Object.keys(results).map((subject) => [subject, []])));
  });

  it("refuses a Dockerfile that runs as root, on Alpine, in one stage, or copies a missing file", () => {
    expect(lintDockerfile(dockerfile.replace("USER node", "USER root"), PROJECT_ROOT)).toContain("the final stage must switch to a non-root USER");
    expect(lintDockerfile(dockerfile.replace(/node:20-bookworm-slim AS runtime/, "node:20-alpine AS runtime"), PROJECT_ROOT).join("\n")).toMatch(
      /Debian-based Node 20/,
    );
    expect(lintDockerfile('FROM node:20-bookworm-slim\nUSER node\nCMD ["node"]\n', PROJECT_ROOT)).toContain(
      "the image must be built in several stages (build tools stay out of the final one)",
    );
    expect(lintDockerfile(dockerfile.replace("COPY lib ./lib", "COPY nowhere ./lib"), PROJECT_ROOT)).toContain(
      "COPY nowhere: no such file in the build context",
    );
    expect(lintDockerfile(`${dockerfile}\nEXPOSE not-a-port\n`, PROJECT_ROOT).join("\n")).toMatch(/not-a-port/);
  });

  it("refuses a Compose file with an unknown key or a service that skips the migrations", () => {
    expect(validateCompose(compose.replace("      interval: 5s\n", "      intervall: 5s\n")).join("\n")).toMatch(/additional properties/);
    expect(validateCompose(compose.replace(/\n {2}redis:\n( {4}.*\n)+/, "\n")).join("\n")).toMatch(/service redis is missing/);
  });

  it("refuses manifests that break the Kubernetes schema or lack probes, HPA or secrets", () => {
    const objects = renderKustomization(path.join(OVERLAYS_DIR, "production"));
    const broken = structuredClone(objects);
    const deployment = broken.find((object) => object.kind === "Deployment" && object.metadata.name === "entries") as unknown as {
      spec: { replicas: unknown; template: { spec: { containers: { readinessProbe?: unknown; ports: { containerPort: unknown }[] }[] } } };
    };
    deployment.spec.template.spec.containers[0].ports[0].containerPort = "http";
    delete deployment.spec.template.spec.containers[0].readinessProbe;
    const withoutHpa = broken.filter((object) => !(object.kind === "HorizontalPodAutoscaler" && object.metadata.name === "judging"));
    expect(validateKubernetesSchemas(withoutHpa, PROJECT_ROOT).join("\n")).toMatch(/Deployment\/entries: .*containerPort must be integer/);
    expect(checkKubernetesShape(withoutHpa)).toEqual(
      expect.arrayContaining(["Deployment entries: readiness must be GET /ready", "HorizontalPodAutoscaler judging is missing"]),
    );
  });

  it("renders overlays: namespace, image and patches applied on the base", () => {
    const objects = renderKustomization(path.join(OVERLAYS_DIR, "production"));
    const gateway = objects.find((object) => object.kind === "Deployment" && object.metadata.name === "gateway") as unknown as {
      metadata: { namespace: string };
      spec: {
        replicas: number;
        template: { spec: { containers: { image: string; resources: { requests: Record<string, string> }; readinessProbe: unknown }[] } };
      };
    };
    expect(gateway.metadata.namespace).toBe("image-china");
    expect(gateway.spec.replicas).toBe(3);
    expect(gateway.spec.template.spec.containers[0].image).toBe("registry.example.org/image-china/partner-api:0.1.0");
    expect(gateway.spec.template.spec.containers[0].resources.requests.cpu).toBe("1");
    // The patch merged into the named container instead of replacing the list.
    expect(gateway.spec.template.spec.containers[0].readinessProbe).toBeDefined();
  });

  it("merges named lists by name and replaces other lists", () => {
    expect(
      strategicMerge(
        {
          containers: [
            { name: "a", x: 1 },
            { name: "b", x: 2 },
          ],
          args: ["1"],
        },
        { containers: [{ name: "b", y: 3 }], args: ["2"] },
      ),
    ).toEqual({
      containers: [
        { name: "a", x: 1 },
        { name: "b", x: 2, y: 3 },
      ],
      args: ["2"],
    });
  });
});
