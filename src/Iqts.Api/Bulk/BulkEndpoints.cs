using Iqts.Api.Trainees;
using Microsoft.AspNetCore.Mvc;

namespace Iqts.Api.Bulk;

/// <summary><c>POST /trainees</c>: a trainee, and the evidence it may carry, in one call.</summary>
[Tags("Trainees"), Authorize(Policy = Roles.Provider)]
public static class RegistrationEndpoints
{
    /// <summary>Register an iQTS trainee, optionally with its evidence</summary>
    /// <param name="request">The trainee, and optionally its qualifications, suitability checks, placements and placement plan.</param>
    /// <param name="confirmNotDuplicate">Register even though the trainee looks like one already registered.</param>
    /// <remarks>Refused with 409 when the providerTraineeId exists (the existing traineeId is in matches) or when the trainee looks like one already registered (same date of birth, last name and academic year, and same first names or email); resend with confirmNotDuplicate=true if it is a different person. 422 when the provider is not approved (provider.not_approved) or has reached its 200-trainee cap for the academic year (provider.trainee_cap_reached). Evidence sent with the trainee is recorded by the same rules as its own endpoints, all in one transaction: a refusal stores nothing and names the nested field (qualifications[2].gcse.grade); the answer's created lists what was recorded. With a trn the trainee's TRN request is not sent. Accepts an Idempotency-Key header and X-Iqts-User.</remarks>
    [Example("trainee", "A secondary mathematics trainee training in India", TraineeExamples.Create)]
    [Post("/trainees"), EndpointName("CreateTrainee"), ETag, Problems(400, 409, 413, 415, 422)]
    private static async Task<Results<Created<TraineeResponse>, ProblemHttpResult>> Create(
        CreateTraineeRequest request, [FromQuery] bool? confirmNotDuplicate, [AsParameters] Caller caller, RegisterWithEvidence register, CancellationToken ct) =>
        ETags.Created(caller.Response, await register.RunAsync(caller.Ukprn, request, confirmNotDuplicate ?? false, caller.Actor, ct),
            r => r.Trainee.RowVersion, r => $"/api/v1/trainees/{r.Trainee.TraineeId}", r => new TraineeResponse(r.Trainee) { Created = r.Created });
}

/// <summary>Batches: a cohort registered, or awarded, in one request, all rows or none.</summary>
[Tags("Batches"), Authorize(Policy = Roles.Provider)]
public static class BatchEndpoints
{
    /// <summary>64 MiB: 10,000 rows of a trainee with its evidence fit.</summary>
    private const long MaxBatchBytes = 64L * 1024 * 1024;

    /// <summary>Register a batch of trainees (a JSON array or a CSV), all or none</summary>
    /// <param name="dryRun">Check every row and store nothing.</param>
    /// <param name="confirmNotDuplicate">Register every row even though it looks like a trainee already registered.</param>
    /// <remarks>Up to 10,000 rows: a JSON array of CreateTraineeRequest (evidence included), or text/csv, UTF-8, one trainee a line under the header of GET /trainee-batches/template.csv. Every row runs through the same rules as POST /trainees, in one transaction: the duplicate rules and the 200-trainee cap count the batch's own rows. Then every row is stored, or none: errors lists every row and field that failed ({ row, field, errorCode, message }). 201 when the batch finished within a few seconds; 202 otherwise, with Location to poll (status, rowsDone of rows). A CSV with a wrong header (batch.csv_header) or not UTF-8 (batch.csv_encoding) is refused whole; a text cell starting with =, +, -, @ fails its row (batch.formula_text). Accepts an Idempotency-Key header and X-Iqts-User.</remarks>
    [Example("trainees", "Two trainees of a cohort", BatchExamples.Trainees)]
    [Post("/trainee-batches"), EndpointName("CreateTraineeBatch"), BodyLimit(MaxBatchBytes), BatchBody(typeof(CreateTraineeRequest), BatchExamples.TraineesCsv), Problems(400, 413, 415)]
    private static async Task<Results<Created<BatchResponse>, Accepted<BatchResponse>, ProblemHttpResult>> CreateTraineeBatch(
        HttpRequest request, [FromQuery] bool? dryRun, [FromQuery] bool? confirmNotDuplicate, [AsParameters] Caller caller, SubmitBatch submit, ReadBatch read,
        BatchProgress progress, CancellationToken ct)
    {
        var rows = BatchInput.For(request, csv: true);
        var submitted = rows.Failed ? rows.Error
            : await submit.RunAsync(caller.Ukprn, BatchKind.Trainees, dryRun ?? false, confirmNotDuplicate ?? false, caller.Actor, rows.Value, ct);
        return Answer(submitted, read, "trainee-batches", caller.Response, progress);
    }

    /// <summary>The CSV template of a batch of trainees: its header line</summary>
    /// <remarks>One column per field of a registration, by its JSON name; codes from reference-data; dates YYYY-MM-DD; subjects separated by ';'. An empty cell is a field left out.</remarks>
    [Get("/trainee-batches/template.csv"), EndpointName("GetTraineeBatchTemplate"), ProducesResponseType(typeof(string), 200, "text/csv")]
    private static ContentHttpResult Template() => TypedResults.Text(BatchInput.TraineeTemplate, "text/csv", System.Text.Encoding.UTF8);

    /// <summary>A batch of trainees: its progress, and once finished every row's result or error</summary>
    [Get("/trainee-batches/{batchId}"), EndpointName("GetTraineeBatch"), Problems(404)]
    private static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> GetTraineeBatch(PathId batchId, [AsParameters] Caller caller, ReadBatch read, CancellationToken ct) =>
        Answers.OkOrNotFound(await read.RunAsync(caller.Ukprn, BatchKind.Trainees, batchId, ct), "batch", read.ToResponse);

    /// <summary>Award iQTS to a batch of trainees, all or none</summary>
    /// <param name="dryRun">Check every row's award rules and store nothing.</param>
    /// <remarks>Up to 10,000 rows of { traineeId, awardedOn } (DfE Register's bulk recommend-for-award). Every row runs through the same rules as POST /trainees/{id}/award, in one transaction: all awarded, or none, with every unmet rule of every row in errors (errorCode is the rule's code). 201 or 202 as for trainee batches. Accepts an Idempotency-Key header and X-Iqts-User.</remarks>
    [Example("awards", "Two trainees awarded on one day", BatchExamples.Awards)]
    [Post("/award-batches"), EndpointName("CreateAwardBatch"), BodyLimit(MaxBatchBytes), BatchBody(typeof(AwardBatchRow)), Problems(400, 413, 415)]
    private static async Task<Results<Created<BatchResponse>, Accepted<BatchResponse>, ProblemHttpResult>> CreateAwardBatch(
        HttpRequest request, [FromQuery] bool? dryRun, [AsParameters] Caller caller, SubmitBatch submit, ReadBatch read, BatchProgress progress, CancellationToken ct)
    {
        var rows = BatchInput.For(request, csv: false);
        var submitted = rows.Failed ? rows.Error : await submit.RunAsync(caller.Ukprn, BatchKind.Awards, dryRun ?? false, false, caller.Actor, rows.Value, ct);
        return Answer(submitted, read, "award-batches", caller.Response, progress);
    }

    /// <summary>A batch of awards: its progress, and once finished every row's result or error</summary>
    [Get("/award-batches/{batchId}"), EndpointName("GetAwardBatch"), Problems(404)]
    private static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> GetAwardBatch(PathId batchId, [AsParameters] Caller caller, ReadBatch read, CancellationToken ct) =>
        Answers.OkOrNotFound(await read.RunAsync(caller.Ukprn, BatchKind.Awards, batchId, ct), "batch", read.ToResponse);

    /// <summary>201 with the finished batch, or 202 with where to poll it; once a 202 is sent (and its Idempotency-Key record written), the worker starts.</summary>
    private static Results<Created<BatchResponse>, Accepted<BatchResponse>, ProblemHttpResult> Answer(Outcome<Submitted> submitted, ReadBatch read, string path,
        HttpResponse response, BatchProgress progress)
    {
        response.OnCompleted(() =>
        {
            if (submitted.Failed)
            {
                progress.Wake();
            }
            else
            {
                progress.Answered(submitted.Value.Batch.Id);
            }

            return Task.CompletedTask;
        });
        return submitted.Failed ? submitted.Error.ToResult()
        : submitted.Value.Finished ? TypedResults.Created($"/api/v1/{path}/{submitted.Value.Batch.Id}", read.ToResponse(submitted.Value.Batch))
        : TypedResults.Accepted($"/api/v1/{path}/{submitted.Value.Batch.Id}", read.ToResponse(submitted.Value.Batch));
    }
}
