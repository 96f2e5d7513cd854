// Uploads hold temporary files while they stream through the gateway: each client may send a few at once, and all
// uploads together may hold at most UPLOAD_TEMP_BUDGET_BYTES, counted by what each request declares it will send
// (Content-Length; without one, the most a request may carry). Reserved before the body is read, released when
// the response closes.
import { config } from "../../lib/config";

export type UploadRefusal = { reason: "client-busy" | "disk-budget" | "too-large" };

export class UploadAdmission {
  private readonly perClient = new Map<string, number>();
  private bytesReserved = 0;

  /** Reserves a slot for `client` and `declaredBytes` of the budget; a function that releases them, or why not. */
  reserve(client: string, declaredBytes: number | undefined): (() => void) | UploadRefusal {
    const { uploadsPerClient, uploadTempBudgetBytes } = config().admission;
    const { maxFiles, maxFileBytes } = config().uploads;
    const bytes = declaredBytes ?? Math.min(uploadTempBudgetBytes, maxFiles * maxFileBytes);
    if (bytes > uploadTempBudgetBytes) return { reason: "too-large" };
    const running = this.perClient.get(client) ?? 0;
    if (running >= uploadsPerClient) return { reason: "client-busy" };
    if (this.bytesReserved + bytes > uploadTempBudgetBytes) return { reason: "disk-budget" };
    this.perClient.set(client, running + 1);
    this.bytesReserved += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.bytesReserved -= bytes;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }

  get reservedBytes(): number {
    return this.bytesReserved;
  }
}
