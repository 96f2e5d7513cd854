// Renders a Kustomize directory (resources, namespace, images, strategic-merge patches) without the kustomize binary,
// so the manifests can be checked offline in npm test. Only the features our overlays use are supported; anything
// else is refused loudly rather than rendered wrongly.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string }[];
}

const SUPPORTED_KEYS = new Set(["apiVersion", "kind", "resources", "namespace", "images", "patches"]);
/** Kinds that live outside namespaces (the namespace transformer leaves them alone). */
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "StorageClass"]);

export function parseManifests(text: string, source: string): KubernetesObject[] {
  return YAML.parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length) throw new Error(`${source}: ${document.errors[0].message}`);
    const value = document.toJS() as KubernetesObject | null;
    return value ? [value] : [];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Strategic merge as kustomize does it for our patches: maps merge, lists of named items merge by name, other lists are replaced. */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (isPlainObject(target) && isPlainObject(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      merged[key] = value === null ? undefined : key in target ? strategicMerge(target[key], value) : value;
      if (merged[key] === undefined) delete merged[key];
    }
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch) && [...target, ...patch].every((item) => isPlainObject(item) && typeof item.name === "string")) {
    const merged = target.map((item) => {
      const update = patch.find((candidate) => (candidate as { name: string }).name === (item as { name: string }).name);
      return update ? strategicMerge(item, update) : item;
    });
    for (const item of patch) if (!target.some((existing) => (existing as { name: string }).name === (item as { name: string }).name)) merged.push(item);
    return merged;
  }
  return patch;
}

function rewriteImages(value: unknown, images: NonNullable<Kustomization["images"]>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteImages(item, images));
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "image" && typeof child === "string") {
      const [name, tag] = child.split(":");
      const rule = images.find((image) => image.name === name);
      result[key] = rule ? `${rule.newName ?? name}:${rule.newTag ?? tag ?? "latest"}` : child;
    } else {
      result[key] = rewriteImages(child, images);
    }
  }
  return result;
}

/** Renders the kustomization in `directory` to the list of objects `kubectl apply -k` would send. */
export function renderKustomization(directory: string): KubernetesObject[] {
  const file = path.join(directory, "kustomization.yaml");
  const kustomization = YAML.parse(fs.readFileSync(file, "utf8")) as Kustomization;
  for (const key of Object.keys(kustomization)) {
    if (!SUPPORTED_KEYS.has(key)) throw new Error(`${file}: "${key}" is not supported by the offline renderer; extend scripts/deploy/kustomize-render.ts.`);
  }
  let objects: KubernetesObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(directory, resource);
    objects.push(...(fs.statSync(target).isDirectory() ? renderKustomization(target) : parseManifests(fs.readFileSync(target, "utf8"), target)));
  }
  for (const patch of kustomization.patches ?? []) {
    const patchFile = path.resolve(directory, patch.path);
    for (const patchObject of parseManifests(fs.readFileSync(patchFile, "utf8"), patchFile)) {
      const index = objects.findIndex((object) => object.kind === patchObject.kind && object.metadata.name === patchObject.metadata.name);
      if (index < 0) throw new Error(`${patchFile}: patches ${patchObject.kind}/${patchObject.metadata.name}, which no resource defines.`);
      objects[index] = strategicMerge(objects[index], patchObject) as KubernetesObject;
    }
  }
  if (kustomization.images) objects = objects.map((object) => rewriteImages(object, kustomization.images!) as KubernetesObject);
  if (kustomization.namespace) {
    objects = objects.map((object) =>
      CLUSTER_SCOPED.has(object.kind) ? object : { ...object, metadata: { ...object.metadata, namespace: kustomization.namespace } },
    );
  }
  return objects;
}
