// npm run check:deploy: the offline checks of the Dockerfile, the Compose file and the Kubernetes overlays.
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../lib/paths";
import { checkKubernetesShape, lintDockerfile, validateCompose, validateKubernetesSchemas } from "./deploy/deploy-checks";
import { renderKustomization } from "./deploy/kustomize-render";

export const OVERLAYS_DIR = path.join(PROJECT_ROOT, "deploy", "kubernetes", "overlays");

export function checkDeployment(): Record<string, string[]> {
  const results: Record<string, string[]> = {
    Dockerfile: lintDockerfile(fs.readFileSync(path.join(PROJECT_ROOT, "Dockerfile"), "utf8"), PROJECT_ROOT),
    "docker-compose.yml": validateCompose(fs.readFileSync(path.join(PROJECT_ROOT, "docker-compose.yml"), "utf8")),
  };
  for (const overlay of fs.readdirSync(OVERLAYS_DIR)) {
    const objects = renderKustomization(path.join(OVERLAYS_DIR, overlay));
    results[`kubernetes overlay ${overlay} (${objects.length} objects)`] = [
      ...validateKubernetesSchemas(objects, PROJECT_ROOT),
      ...checkKubernetesShape(objects),
    ];
  }
  return results;
}

if (require.main === module) {
  let failed = false;
  for (const [subject, problems] of Object.entries(checkDeployment())) {
    process.stdout.write(`${problems.length ? "FAIL" : "ok  "} ${subject}\n`);
    for (const problem of problems) process.stdout.write(`     ${problem}\n`);
    failed ||= problems.length > 0;
  }
  process.exit(failed ? 1 : 0);
}
