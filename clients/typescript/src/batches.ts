// Written by hand (the rest of this SDK is generated): a batch's CSV upload, which the generated client sends only as
// JSON, and waiting for a batch that answered 202 to finish.
import { IqtsApiException, type ApiProblem, type BatchResponse } from "./iqts-client";

export interface CsvBatchOptions {
  /** Check every row and store nothing. */
  dryRun?: boolean;
  /** Register every row even though it looks like a trainee already registered. */
  confirmNotDuplicate?: boolean;
  /** The Idempotency-Key: send the same key again after a lost answer and the same batch comes back. */
  idempotencyKey?: string;
}

type Fetch = { fetch(url: RequestInfo, init?: RequestInit): Promise<Response> };

/**
 * POST /trainee-batches with a CSV (UTF-8, the header of GET /trainee-batches/template.csv). Resolves to the batch as
 * first answered: finished (201) or still at work (202; wait for it with `waitForBatch`). A refusal of the whole file
 * (batch.csv_header, batch.csv_encoding, …) rejects with an IqtsApiException whose `result` is the problem.
 */
export async function createTraineeBatchFromCsv(baseUrl: string, http: Fetch, csv: string | Blob | Uint8Array, options: CsvBatchOptions = {}): Promise<BatchResponse> {
  const query = new URLSearchParams();
  if (options.dryRun !== undefined) query.set("dryRun", String(options.dryRun));
  if (options.confirmNotDuplicate !== undefined) query.set("confirmNotDuplicate", String(options.confirmNotDuplicate));
  const headers: Record<string, string> = { "Content-Type": "text/csv; charset=utf-8", Accept: "application/json" };
  if (options.idempotencyKey !== undefined) headers["Idempotency-Key"] = options.idempotencyKey;
  const url = `${baseUrl}/api/v1/trainee-batches${query.size > 0 ? "?" + query.toString() : ""}`;
  const response = await http.fetch(url, { method: "POST", headers, body: csv as BodyInit });
  const text = await response.text();
  const answerHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => { answerHeaders[name] = value; });
  if (response.ok) {
    return JSON.parse(text) as BatchResponse;
  }

  const problem = (text ? JSON.parse(text) : undefined) as ApiProblem | undefined;
  throw new IqtsApiException(problem?.title ?? "The batch was refused.", response.status, text, answerHeaders, problem);
}

/** Polls until the batch has succeeded or failed: `read` is the client's getTraineeBatch or getAwardBatch for its id. */
export async function waitForBatch(read: () => Promise<BatchResponse>, pollMs = 500): Promise<BatchResponse> {
  for (;;) {
    const batch = await read();
    if (batch.status === "succeeded" || batch.status === "failed") return batch;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
