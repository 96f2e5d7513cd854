// The S3-compatible driver of MediaStorage (AWS S3, Alibaba Cloud OSS, Tencent COS, test servers): one bucket,
// keys under an optional prefix, bodies streamed in both directions.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline as pipelineCallback, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { badInput, notFound } from "../../../lib/errors";
import { logger } from "../../../lib/logger";
import { assertValidMediaKey, byteCounter, ByteRange, LocalCopy, MediaObjectStat, MediaStorage, MultipartPart, PartPlacement } from "./storage";

export interface S3StorageOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  keyPrefix?: string;
  /** Where openLocalCopy downloads to; default the system temp folder. */
  tempDir?: string;
}

/** Parts lib-storage buffers at once for a put of unknown length: memory stays at partSize × queueSize. */
const PUT_PART_BYTES = 8 * 1024 * 1024;
const PUT_QUEUE = 2;

export class S3Storage implements MediaStorage {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly tempDir: string;

  constructor(options: S3StorageOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle,
      // The SDK's default extra checksums are not understood by many S3-compatible servers (OSS, COS, s3rver).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    this.bucket = options.bucket;
    this.prefix = options.keyPrefix ?? "";
    this.tempDir = options.tempDir ?? os.tmpdir();
  }

  private objectKey(key: string): string {
    assertValidMediaKey(key);
    return this.prefix + key;
  }

  async put(key: string, body: Readable | Buffer): Promise<MediaObjectStat> {
    // lib-storage sends one PutObject for small bodies and a multipart upload (aborted on failure) for large
    // or unknown-length streams: either the whole object appears or nothing does.
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.objectKey(key), Body: body },
      partSize: PUT_PART_BYTES,
      queueSize: PUT_QUEUE,
      leavePartsOnError: false,
    }).done();
    const stat = await this.stat(key);
    if (!stat) throw new Error(`S3 put of ${key} succeeded but the object is not there`);
    return stat;
  }

  async putFile(key: string, sourcePath: string): Promise<MediaObjectStat> {
    const handle = await fs.open(sourcePath, "r");
    try {
      return await this.put(key, handle.createReadStream({ autoClose: false }));
    } finally {
      await handle.close();
    }
  }

  async moveFile(key: string, sourcePath: string): Promise<MediaObjectStat> {
    const stat = await this.putFile(key, sourcePath);
    await fs.rm(sourcePath, { force: true });
    return stat;
  }

  async createReadStream(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (isMissingObject(error)) throw notFound("Media file", key);
      throw error;
    }
  }

  async stat(key: string): Promise<MediaObjectStat | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { key, bytes: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async *list(prefix = ""): AsyncIterable<MediaObjectStat> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length);
        if (key && object.Key!.startsWith(this.prefix)) yield { key, bytes: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async openLocalCopy(key: string): Promise<LocalCopy> {
    await fs.mkdir(this.tempDir, { recursive: true });
    const localPath = path.join(this.tempDir, `s3-copy-${randomUUID()}`);
    const release = () => fs.rm(localPath, { force: true });
    try {
      await pipeline(await this.createReadStream(key), createWriteStream(localPath, { flags: "wx" }));
    } catch (error) {
      await release();
      throw error;
    }
    return { path: localPath, release };
  }

  async presignedReadUrl(key: string, expiresInSeconds: number): Promise<string | null> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }), { expiresIn: expiresInSeconds });
  }

  async createMultipartUpload(key: string): Promise<string> {
    const answer = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    if (!answer.UploadId) throw new Error("S3 CreateMultipartUpload returned no UploadId");
    return answer.UploadId;
  }

  async uploadPart(key: string, uploadId: string, part: PartPlacement, body: Readable): Promise<MultipartPart> {
    // The declared length goes to S3 (Content-Length); the counter refuses a body that runs past it, and S3
    // refuses one that ends short, so a cut connection stores no part.
    const counter = byteCounter(part.bytes);
    // A failing body must end the request too: with a declared length the SDK would otherwise wait for the rest.
    const cancel = new AbortController();
    let failure: Error | undefined;
    pipelineCallback(body, counter, (error) => {
      if (error) {
        failure = error;
        cancel.abort(error);
      }
    });
    let answer: { ETag?: string };
    try {
      answer = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          UploadId: uploadId,
          PartNumber: part.partNumber,
          ContentLength: part.bytes,
          Body: counter,
        }),
        { abortSignal: cancel.signal },
      );
    } catch (error) {
      throw failure ?? error;
    }
    if (counter.count !== part.bytes) throw badInput(`The part has ${counter.count} bytes; ${part.bytes} were expected.`);
    if (!answer.ETag) throw new Error("S3 UploadPart returned no ETag");
    return { partNumber: part.partNumber, etag: answer.ETag, bytes: part.bytes };
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: MultipartPart[]): Promise<MediaObjectStat> {
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        UploadId: uploadId,
        MultipartUpload: { Parts: [...parts].sort((a, b) => a.partNumber - b.partNumber).map((part) => ({ PartNumber: part.partNumber, ETag: part.etag })) },
      }),
    );
    const stat = await this.stat(key);
    if (!stat) throw new Error(`S3 multipart upload of ${key} completed but the object is not there`);
    return stat;
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey(key), UploadId: uploadId }));
    } catch (error) {
      if (isMissingObject(error) || (error as { name?: string }).name === "NoSuchUpload") return;
      // Some S3-compatible servers (s3rver among them) cannot abort; a bucket lifecycle rule
      // (AbortIncompleteMultipartUpload) then removes the parts, as it should anyway as a backstop.
      if (isUnsupported(error)) {
        logger.warn("the object store cannot abort multipart uploads; rely on its lifecycle rule", { key });
        return;
      }
      throw error;
    }
  }
}

function isUnsupported(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return (
    candidate?.name === "MethodNotAllowed" ||
    candidate?.name === "NotImplemented" ||
    candidate?.$metadata?.httpStatusCode === 405 ||
    candidate?.$metadata?.httpStatusCode === 501
  );
}

function isMissingObject(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return candidate?.name === "NoSuchKey" || candidate?.name === "NotFound" || candidate?.$metadata?.httpStatusCode === 404;
}
