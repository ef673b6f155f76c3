using System.Text.Json;
using System.Text.Json.Nodes;
using Iqts.Api.Awards;
using Iqts.Api.Trainees;

namespace Iqts.Api.Bulk;

/// <summary>
/// Runs a claimed batch: every row through the same operation its single call runs (<see cref="RegisterWithEvidence"/>,
/// <see cref="AwardIqts"/>), in one unit of work. Every row is checked, so the answer lists every row and field that
/// failed; then all rows are committed together with the batch's end, or none (a failure, a dry run). The provider's
/// change counter is held from the first row to the commit, so its other writers wait for the batch, and the
/// 200-trainee cap and the duplicate rules count what the batch itself registered. A row without evidence has its
/// trainee's insert held back with the row's other writes (<see cref="TraineeChanges.CreateAsync"/>): on PostgreSQL a
/// row then costs no round trip of its own, the writes going 64 to a round trip.
/// </summary>
public sealed class RunBatch(IDbConnectionFactory db, RegisterWithEvidence register, AwardIqts award, BatchProgress progress, TimeProvider time)
{
    private const int ReadChunk = 500;

    public async Task RunAsync(Batch batch, CancellationToken ct)
    {
        var errors = new List<BatchRowError>();
        var results = new List<BatchRowResult>();
        await using (var work = await UnitOfWork.BeginWriteAsync(db, ct))
        {
            work.Rehearsal = batch.DryRun;
            // Numbers taken at once: the cap and duplicate rules then see the batch's own rows settled, with no check per row at commit.
            work.Serialised = true;
            // The provider's trainees read once for every row's admission rules, not once a row.
            var many = new ManyRegistrations();
            var done = 0;
            for (var rows = await BatchRepository.RowsAsync(work, batch.Id, 0, ReadChunk, ct); rows.Count > 0;
                 rows = await BatchRepository.RowsAsync(work, batch.Id, rows[^1].Position, ReadChunk, ct))
            {
                foreach (var row in rows)
                {
                    // A cell the CSV reader refused (a formula, a control character) fails its row before it runs.
                    var (rowErrors, result) = row.Errors is { Count: > 0 } cells ? (cells, null) : await RunRowAsync(work, batch, row, many, ct);
                    errors.AddRange(rowErrors);
                    if (result is not null)
                    {
                        results.Add(result);
                    }

                    progress.Report(batch.Id, ++done);
                }
            }

            if (batch.DryRun)
            {
                // The rows' writes held back are sent before the rollback: one the database refuses fails the dry run as it
                // would fail the commit.
                await work.SettleAsync(ct);
            }

            if (errors.Count == 0 && !batch.DryRun)
            {
                await BatchRepository.FinishAsync(work, batch.Id, BatchStatus.Succeeded, new BatchResult([], results), time.UtcNowMicros(), ct);
                if (await work.CommitAsync(ct) is { } refused)
                {
                    throw new InvalidOperationException($"A serialised write has no checks at commit, yet {refused.Code}.");
                }

                return;
            }
        }

        // Nothing of the rows is kept: the batch's end alone.
        var status = errors.Count == 0 ? BatchStatus.Succeeded : BatchStatus.Failed;
        await db.WriteAsync<bool>(async work =>
        {
            await BatchRepository.FinishAsync(work, batch.Id, status, new BatchResult(errors, errors.Count == 0 ? results : []), time.UtcNowMicros(), ct);
            return true;
        }, ct);
    }

    private async Task<(IReadOnlyList<BatchRowError> Errors, BatchRowResult? Result)> RunRowAsync(UnitOfWork work, Batch batch, StagedRow row,
        ManyRegistrations many, CancellationToken ct)
    {
        if (batch.Kind == BatchKind.Trainees)
        {
            var (request, unreadable) = Read<CreateTraineeRequest>(row);
            if (request is null)
            {
                return (unreadable, null);
            }

            // A registration writes only once its rules passed; its evidence may then be refused after the trainee was
            // written, and a row with a field set aside is refused whatever its rules say, so those rows run in a savepoint
            // and are undone when refused (only those: each is a subtransaction to PostgreSQL).
            var registered = request.HasEvidence || unreadable.Count > 0
                ? await work.InSavepointAsync(() => register.RunAsync(work, batch.Ukprn, request, batch.ConfirmNotDuplicate, batch.Actor, ct, many),
                    o => !o.Failed && unreadable.Count == 0, ct)
                : await register.RunAsync(work, batch.Ukprn, request, batch.ConfirmNotDuplicate, batch.Actor, ct, many, insertLater: true);
            if (registered.Failed || unreadable.Count > 0)
            {
                return (Merge(unreadable, registered.Failed ? RowErrors(row.Position, registered.Error) : []), null);
            }

            many.Kept(registered.Value.Trainee);
            return ([], new BatchRowResult(row.Position, batch.DryRun ? null : registered.Value.Trainee.TraineeId.ToString()));
        }

        var (awardRow, unread) = Read<AwardBatchRow>(row);
        var decided = awardRow is null ? default : AwardRow(awardRow);
        if (awardRow is null || decided.Failed || unread.Count > 0)
        {
            return (Merge(unread, decided.Failed ? RowErrors(row.Position, decided.Error) : []), null);
        }

        var awarded = await award.RunAsync(work, batch.Ukprn, decided.Value.TraineeId, decided.Value.AwardedOn, batch.Actor, ct);
        return awarded.Failed
            ? (RowErrors(row.Position, awarded.Error.NotFoundAsField("traineeId", "names no trainee of this provider.")).ToList(), null)
            : ([], new BatchRowResult(row.Position, awarded.Value.TraineeId.ToString()));
    }

    private static Outcome<(Guid TraineeId, DateOnly AwardedOn)> AwardRow(AwardBatchRow row)
    {
        var errors = new ValidationErrors();
        if (errors.RequireText("traineeId", row.TraineeId, 36) && !Guid.TryParse(row.TraineeId, out _))
        {
            errors.Add("traineeId", "names no trainee of this provider.");
        }

        errors.Require("awardedOn", row.AwardedOn);
        return errors.IsEmpty ? (Guid.Parse(row.TraineeId!), row.AwardedOn!.Value) : errors.ToError();
    }

    /// <summary>
    /// A row's JSON as the single call would bind it (unknown members and wrong types refused by name), except that every
    /// such field is found, not only the first: each is reported and set aside and the row read again, so the row's rules
    /// still run on the rest and report their own fields too.
    /// </summary>
    private static (T? Value, IReadOnlyList<BatchRowError> Errors) Read<T>(StagedRow row)
        where T : class
    {
        try
        {
            // Most rows bind at once; only a row that does not is read again field by field.
            if (JsonSerializer.Deserialize<T>(row.Body, Json.Options) is { } value)
            {
                return (value, []);
            }
        }
        catch (JsonException)
        {
        }

        var errors = new List<BatchRowError>();
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(row.Body);
        }
        catch (JsonException ex)
        {
            return (null, RowErrors(row.Position, ProblemExceptionHandler.FromJson(ex)).ToList());
        }

        while (true)
        {
            try
            {
                return node?.Deserialize<T>(Json.Options) is { } value ? (value, errors) : (null, RowErrors(row.Position, ApiErrors.Validation("$", "must be a JSON object.")).ToList());
            }
            catch (JsonException ex)
            {
                var error = ProblemExceptionHandler.FromJson(ex);
                errors.AddRange(RowErrors(row.Position, error));
                if (node is not JsonObject fields || error.Errors?.Keys.FirstOrDefault() is not { } field || !fields.Remove(field.Split('.', '[')[0]))
                {
                    return (null, errors);
                }
            }
        }
    }

    /// <summary>The fields the reading set aside, then the rules' errors on the rest, but for those same fields (which the rules would call missing).</summary>
    private static List<BatchRowError> Merge(IReadOnlyList<BatchRowError> unreadable, IEnumerable<BatchRowError> ruled)
    {
        var setAside = unreadable.Select(e => e.Field?.Split('.', '[')[0]).ToHashSet();
        return [.. unreadable, .. ruled.Where(e => e.Field is null ? unreadable.Count == 0 : !setAside.Contains(e.Field.Split('.', '[')[0]))];
    }

    /// <summary>Every field and rule of one refusal: each field's messages, each unmet award rule, or the refusal itself.</summary>
    public static IEnumerable<BatchRowError> RowErrors(int row, ApiError error) =>
        error.Errors is { } fields ? fields.SelectMany(f => f.Value.Select(m => new BatchRowError(row, f.Key == "$" ? null : f.Key, error.Code, m)))
        : error.Data.TryGetValue("rules", out var rules) && rules is IEnumerable<UnmetRule> unmet ? unmet.Select(u => new BatchRowError(row, null, u.Code, u.Message))
        : [new BatchRowError(row, null, error.Code, error.Detail ?? error.Title)];
}
