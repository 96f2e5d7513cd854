// A GraphQL multipart request (the spec apollo-upload-client follows), sent as a browser's FormData would be.
import fs from "node:fs";
import path from "node:path";
import { subgraphSecretHeaders } from "../../lib/subgraph-secret";
import type { GraphqlResponse } from "./http";

export interface UploadFile {
  /** Path of the file to send. */
  path: string;
  /** Name to declare (defaults to the file's); tests lie here on purpose. */
  filename?: string;
  /** MIME type to declare; tests lie here on purpose. */
  type?: string;
}

/**
 * Sends `query` with `files` placed at the variable paths in `map` (e.g. { "variables.files.0": file }).
 * `preflight: false` leaves out the CSRF-prevention header.
 */
export async function multipartGraphql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  files: Record<string, UploadFile>,
  options: { token?: string; preflight?: boolean } = {},
): Promise<GraphqlResponse> {
  const form = new FormData();
  const paths = Object.keys(files);
  form.append("operations", JSON.stringify({ query, variables }));
  form.append("map", JSON.stringify(Object.fromEntries(paths.map((variablePath, index) => [String(index), [variablePath]]))));
  paths.forEach((variablePath, index) => {
    const file = files[variablePath];
    const blob = new Blob([fs.readFileSync(file.path)], { type: file.type ?? "image/jpeg" });
    form.append(String(index), blob, file.filename ?? path.basename(file.path));
  });
  const response = await fetch(url, {
    method: "POST",
    body: form,
    headers: {
      // Sent to every URL like the JSON client does: subgraphs require it, the gateway ignores it.
      ...subgraphSecretHeaders(),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.preflight === false ? {} : { "apollo-require-preflight": "true" }),
    },
  });
  const text = await response.text();
  let body: { data?: Record<string, any>; errors?: GraphqlResponse["errors"] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text.slice(0, 300), extensions: { code: `HTTP_${response.status}` } }] };
  }
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** Every file under a folder, relative, for "nothing left behind" assertions. */
export function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((relative) => fs.statSync(path.join(root, relative)).isFile()).sort();
}
