using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Eligibility;
using Iqts.Api.Errors;
using Iqts.Api.ReferenceData;
using Iqts.Api.Tra;

namespace Iqts.Api.Trainees;

/// <summary>
/// Trainee storage. Every query names the provider's UKPRN, so one provider never reaches another's trainees whatever
/// id it sends. Every write takes the provider's next change sequence number first, which also serialises that
/// provider's writers, so the cap and duplicate checks see a settled count. Rules decide; this class reads and writes
/// rows, each write in one transaction with its audit entry.
/// </summary>
public sealed class TraineeRepository(IDbConnectionFactory db, TimeProvider time, ReferenceDataSets reference)
{
    private static readonly string Select = $"SELECT {TraineeRow.Columns.Select()} FROM trainees";

    public static string SyncScope(string ukprn) => "trainees:" + ukprn;

    public async Task<Trainee?> FindAsync(string ukprn, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, id, "", ct);
    }

    public static async Task<Trainee?> FindAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid id, string forUpdate, CancellationToken ct) =>
        (await connection.QuerySingleOrDefaultAsync<TraineeRow>(new CommandDefinition(
            $"{Select} WHERE ukprn = @ukprn AND id = @id{forUpdate}", new { ukprn, id }, tx, cancellationToken: ct)))?.ToTrainee();

    /// <summary>Registers a validated trainee after the provider, duplicate and cap rules, in one transaction.</summary>
    public async Task<Outcome<Trainee>> CreateAsync(string ukprn, CreateTraineeRequest request, bool confirmNotDuplicate, Actor actor, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope(ukprn), ct);

        var provider = await ProviderAsync(connection, tx, ukprn, ct);
        if (provider is not { Status: "approved" })
        {
            return ApiErrors.ProviderNotApproved();
        }

        var existing = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM trainees WHERE ukprn = @ukprn AND provider_trainee_id = @ProviderTraineeId",
            new { ukprn, request.ProviderTraineeId }, tx, cancellationToken: ct));
        if (existing is { } existingId)
        {
            return ApiErrors.TraineeExists(new DuplicateMatch(existingId.ToString(), request.ProviderTraineeId));
        }

        var now = time.UtcNowMicros();
        var trainee = new Trainee(request)
        {
            TraineeId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            ProviderTraineeId = request.ProviderTraineeId,
            Status = TraineeStatus.Registered,
            // No evidence yet: every criterion waits for it (EligibilityRules.Evaluate over nothing is incomplete).
            Eligibility = EligibilityResult.Incomplete,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = seq,
        };

        if (!confirmNotDuplicate && await LikelyDuplicatesAsync(connection, tx, trainee, ct) is { Count: > 0 } matches)
        {
            return ApiErrors.PossibleDuplicate(matches);
        }

        if (!await CapAllowsAsync(connection, tx, ukprn, trainee.AcademicYear, provider.MayExceedTraineeCap, ct))
        {
            return ApiErrors.TraineeCapReached(TraineeRules.TraineeCap);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO trainees {TraineeRow.Columns.InsertValues()}", TraineeRow.From(trainee), tx, cancellationToken: ct));
        await AuditTrail.RecordAsync(connection, tx, trainee.TraineeId, ukprn, now, seq, actor, EnumText.Name(TraineeAction.Created),
            AuditTrail.Diff(null, trainee), ct);
        await TraOutbox.EnqueueTrnRequestAsync(connection, tx, trainee, now, ct);
        await tx.CommitAsync(ct);
        return trainee;
    }

    /// <summary>
    /// Changes a trainee in one transaction: the row is read (and locked on PostgreSQL), checked against If-Match,
    /// <paramref name="decide"/> (a pure rule) returns the next trainee or the error that refuses the change, and the
    /// write and its history entry commit together. A change that changes nothing writes nothing.
    /// </summary>
    public async Task<Outcome<Trainee>> ChangeAsync(string ukprn, Guid id, VersionCheck ifMatch, Actor actor, TraineeAction action,
        Func<Trainee, Outcome<Trainee>> decide, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, id, ct, whatChanges: null);
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var current = write.Current;
        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        var decision = decide(current);
        if (decision.Failed)
        {
            return decision;
        }

        var next = decision.Value;
        if (next.AgeRangePhase != current.AgeRangePhase)
        {
            // C1.1 ii: the science requirement follows the phase, so the trainee's eligibility may change with it.
            next = next with { Eligibility = (await EligibilityRepository.EvaluateAsync(write.Connection, write.Transaction, next, reference, ct)).Result };
        }

        var changes = AuditTrail.Diff(current, next);
        if (changes.Count == 0)
        {
            // Nothing changed: no new version, no history entry, no place in the sync feed.
            return current;
        }

        if (next.AcademicYear != current.AcademicYear)
        {
            var provider = await ProviderAsync(write.Connection, write.Transaction, ukprn, ct);
            if (!await CapAllowsAsync(write.Connection, write.Transaction, ukprn, next.AcademicYear, provider?.MayExceedTraineeCap == true, ct))
            {
                return ApiErrors.TraineeCapReached(TraineeRules.TraineeCap);
            }
        }

        return await write.CommitAsync(next, time.UtcNowMicros(), actor, EnumText.Name(action), changes, ct);
    }

    /// <summary>The provider's trainees after the cursor position, in change order, one extra row to tell whether more follow.</summary>
    public async Task<IReadOnlyList<Trainee>> ListAsync(string ukprn, long after, int limit, TraineeStatus? status, string? trainingCountry,
        EligibilityResult? eligibility, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "ukprn = @ukprn AND change_seq > @after";
        where += status is null ? "" : " AND status = @status";
        where += eligibility is null ? "" : " AND eligibility = @eligibility";
        where += trainingCountry is null ? "" : " AND training_country = @trainingCountry";
        where += updatedSince is null ? "" : " AND updated_at >= @updatedSince";
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<TraineeRow>(new CommandDefinition(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take",
            new { ukprn, after, status = EnumText.NameOrNull(status), eligibility = EnumText.NameOrNull(eligibility), trainingCountry, updatedSince, take = limit + 1 },
            cancellationToken: ct));
        return rows.Select(r => r.ToTrainee()).ToList();
    }

    /// <summary>The audit history of one of the provider's trainees, oldest first; null when the trainee is not the provider's.</summary>
    public async Task<IReadOnlyList<HistoryEntry>?> HistoryAsync(string ukprn, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var entries = await AuditTrail.ReadAsync(connection, ukprn, id, ct);
        return entries.Count == 0 ? null : entries;
    }

    private sealed record ProviderFacts
    {
        public string Status { get; init; } = "";

        public bool MayExceedTraineeCap { get; init; }
    }

    private static Task<ProviderFacts?> ProviderAsync(DbConnection connection, DbTransaction tx, string ukprn, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ProviderFacts>(new CommandDefinition(
            "SELECT approval_status AS status, may_exceed_trainee_cap FROM providers WHERE ukprn = @ukprn",
            new { ukprn }, tx, cancellationToken: ct));

    private static async Task<bool> CapAllowsAsync(DbConnection connection, DbTransaction tx, string ukprn, int academicYear, bool mayExceed, CancellationToken ct)
    {
        if (mayExceed)
        {
            return true;
        }

        var starting = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn AND academic_year = @academicYear",
            new { ukprn, academicYear }, tx, cancellationToken: ct));
        return TraineeRules.CapAllows(starting, mayExceed);
    }

    private static async Task<IReadOnlyList<DuplicateMatch>> LikelyDuplicatesAsync(DbConnection connection, DbTransaction tx, Trainee trainee, CancellationToken ct)
    {
        var candidates = await connection.QueryAsync<TraineeRow>(new CommandDefinition(
            $"{Select} WHERE ukprn = @Ukprn AND date_of_birth = @DateOfBirth AND academic_year = @AcademicYear",
            new { trainee.Ukprn, DateOfBirth = trainee.DateOfBirth!.Value, trainee.AcademicYear }, tx, cancellationToken: ct));
        var key = (trainee.DateOfBirth!.Value, trainee.LastName, trainee.FirstNames, trainee.Email, trainee.AcademicYear);
        return candidates
            .Where(c => TraineeRules.IsLikelyDuplicate(key, (c.DateOfBirth, c.LastName, c.FirstNames, c.Email, c.AcademicYear)))
            .Select(c => new DuplicateMatch(c.Id.ToString(), c.ProviderTraineeId))
            .ToList();
    }
}
