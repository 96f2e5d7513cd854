// Forwards GraphQL multipart uploads (graphql-upload on the gateway) to the owning subgraph as a new
// multipart request whose file parts are streamed, never held whole in memory.
// @apollo/gateway alone would serialise the Upload values to JSON and lose the files.
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import Upload from "graphql-upload/Upload.mjs";

export interface FoundUpload {
  /** Path of the variable inside the operation, e.g. "variables.files.1". */
  path: string;
  upload: Upload;
}

/** Finds graphql-upload's Upload instances among the variables, with their paths. */
export function findUploads(value: unknown, path = "variables", found: FoundUpload[] = []): FoundUpload[] {
  if (value instanceof Upload) found.push({ path, upload: value });
  else if (Array.isArray(value)) value.forEach((item, index) => findUploads(item, `${path}.${index}`, found));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) findUploads(item, `${path}.${key}`, found);
  return found;
}

/** Replaces each Upload with null, as the multipart request spec wants in `operations`. */
function withoutUploads(value: unknown): unknown {
  if (value instanceof Upload) return null;
  if (Array.isArray(value)) return value.map(withoutUploads);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutUploads(item)]));
  return value;
}

/** A file name safe to put in a header: no quotes, control characters or path. The subgraph never trusts it anyway. */
function headerSafeName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "file";
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f"\\]/g, "_").slice(0, 200) || "file";
}

export interface MultipartBody {
  contentType: string;
  body: Readable;
}

/** Builds a multipart body per the GraphQL multipart request spec, streaming each file in turn. */
export function multipartBody(
  operation: { query: string; operationName?: string; variables?: Record<string, unknown> },
  uploads: FoundUpload[],
): MultipartBody {
  const boundary = `----image-china-${randomBytes(12).toString("hex")}`;
  const operations = JSON.stringify({ ...operation, variables: withoutUploads(operation.variables ?? {}) });
  const map = JSON.stringify(Object.fromEntries(uploads.map((item, index) => [String(index), [item.path]])));
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  async function* parts(): AsyncGenerator<Buffer | string> {
    yield field("operations", operations);
    yield field("map", map);
    for (const [index, item] of uploads.entries()) {
      const file: FileUpload = await item.upload.promise;
      yield (
        `--${boundary}\r\nContent-Disposition: form-data; name="${index}"; filename="${headerSafeName(file.filename)}"\r\n` +
        `Content-Type: ${/^[\w.+-]+\/[\w.+-]+$/.test(file.mimetype) ? file.mimetype : "application/octet-stream"}\r\n\r\n`
      );
      yield* file.createReadStream({ highWaterMark: 1 << 20 });
      yield "\r\n";
    }
    yield `--${boundary}--\r\n`;
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Readable.from(parts(), { objectMode: false }) };
}

/**
 * POSTs a multipart body with node's http client: piping applies backpressure end to end, so a file
 * is never held in memory (fetch with a stream body read the whole file ahead here).
 */
export function postMultipart(
  url: string,
  headers: Record<string, string>,
  multipart: MultipartBody,
  timeoutMs = 10 * 60_000,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      { method: "POST", headers: { ...headers, "content-type": multipart.contentType }, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("upload forwarding timed out")));
    request.on("error", reject);
    pipeline(multipart.body, request).catch((error) => request.destroy(error));
  });
}
