// A provider's SRS in a few lines: register a trainee, send a cohort as a CSV batch, then page through the trainee list.
// Usage: IQTS_BASE_URL=http://localhost:5080 IQTS_TOKEN=iqts_… npm run example:typescript
import { IqtsClient, type CreateTraineeRequest, type TraineeResponsePage } from "../../clients/typescript/src/iqts-client";
import { createTraineeBatchFromCsv, waitForBatch } from "../../clients/typescript/src/batches";

declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

async function main(): Promise<number> {
  const baseUrl = process.env.IQTS_BASE_URL ?? "http://localhost:5080";
  const token = process.env.IQTS_TOKEN;
  if (!token) throw new Error("Set IQTS_TOKEN to a provider token.");

  const authorised = {
    fetch: (url: RequestInfo, init?: RequestInit) =>
      fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${token}` } }),
  };
  const iqts = new IqtsClient(baseUrl, authorised);

  const srsKey = `EXAMPLE-TS-${Math.random().toString(36).slice(2, 10)}`;
  const trainee: CreateTraineeRequest = {
    providerTraineeId: srsKey,
    firstNames: "Lucía",
    lastName: "García",
    dateOfBirth: "1991-02-03",
    email: `${srsKey.toLowerCase()}@example.org`,
    sex: "female",
    nationality: "ES",
    trainingCountry: "ES",
    ageRange: "3-11",
    subjects: ["100511"],
    studyMode: "full_time",
    startDate: "2025-09-01",
    expectedEndDate: "2026-07-31",
  };
  const created = await iqts.createTrainee(trainee, true, srsKey);
  console.log(`Registered ${created.result.providerTraineeId} as ${created.result.traineeId} (ETag ${created.headers["etag"]}).`);

  // A cohort as CSV (the columns of GET /trainee-batches/template.csv): all rows stored, or none and every row's errors.
  const csv = [
    "providerTraineeId,firstNames,lastName,dateOfBirth,email,sex,nationality,trainingCountry,ageRange,subjects,studyMode,startDate,expectedEndDate",
    `${srsKey}-1,"Mei, Ling",Tan,1990-11-02,${srsKey.toLowerCase()}.1@example.org,female,MY,MY,11-19,100403;100425,part_time,2025-09-01,2026-07-31`,
    `${srsKey}-2,Chidi,Okafor,1988-04-19,${srsKey.toLowerCase()}.2@example.org,male,NG,NG,3-11,100511,full_time,2025-09-01,2026-07-31`,
  ].join("\r\n");
  const accepted = await createTraineeBatchFromCsv(baseUrl, authorised, csv, { idempotencyKey: `${srsKey}-cohort` });
  const batch = await waitForBatch(() => iqts.getTraineeBatch(accepted.batchId), 100);
  console.log(`Batch ${batch.batchId}: ${batch.status}, ${batch.results.length} trainee(s) registered, ${batch.errors.length} error(s).`);
  if (batch.status !== "succeeded") return 1;

  let count = 0;
  let cursor: string | undefined;
  let page: TraineeResponsePage;
  do {
    page = await iqts.listTrainees(100, cursor);
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (page.hasMore);

  console.log(`The provider has ${count} trainee(s); resume the sync later from cursor ${cursor}.`);
  return count > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
