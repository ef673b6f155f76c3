using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.ReferenceData;
using Iqts.Api.Trainees;

namespace Iqts.Api.Eligibility;

/// <summary>A row of <c>qualifications</c>: the kind, and that kind's details as JSON text.</summary>
public sealed record QualificationRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<QualificationRow>();

    public Guid Id { get; init; }

    public Guid TraineeId { get; init; }

    public string Ukprn { get; init; } = "";

    public string Kind { get; init; } = "";

    public string Details { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public Qualification ToQualification()
    {
        var kind = EnumText.Parse<QualificationKind>(Kind);
        return new Qualification
        {
            QualificationId = Id,
            TraineeId = TraineeId,
            Kind = kind,
            Gcse = kind is QualificationKind.GcseMaths or QualificationKind.GcseScience ? StoredJson.Deserialize<GcseDetails>(Details) : null,
            Degree = kind == QualificationKind.Degree ? StoredJson.Deserialize<DegreeDetails>(Details) : null,
            EnglishLanguage = kind == QualificationKind.EnglishLanguage ? StoredJson.Deserialize<EnglishLanguageDetails>(Details) : null,
            CreatedAt = CreatedAt,
        };
    }

    public static QualificationRow From(Qualification q, string ukprn) => new()
    {
        Id = q.QualificationId,
        TraineeId = q.TraineeId,
        Ukprn = ukprn,
        Kind = EnumText.Name(q.Kind!.Value),
        Details = q.Gcse is { } g ? StoredJson.Serialize(g) : q.Degree is { } d ? StoredJson.Serialize(d) : StoredJson.Serialize(q.EnglishLanguage!),
        CreatedAt = q.CreatedAt,
    };
}

/// <summary>A trainee's suitability checks as stored, with their version.</summary>
public sealed record StoredChecks(SuitabilityChecks Checks, long RowVersion, DateTimeOffset? UpdatedAt)
{
    public static readonly StoredChecks None = new(new SuitabilityChecks(), 0, null);
}

/// <summary>
/// The entry evidence of trainees (qualifications and suitability checks) and the eligibility verdict kept on each
/// trainee. Every query names the provider's UKPRN; every write goes through <see cref="TraineeWrite"/>, so it locks the
/// trainee, moves it forward in the sync feed, refreshes its eligibility and records the change in its history.
/// </summary>
public sealed class EligibilityRepository(IDbConnectionFactory db, TimeProvider time, ReferenceDataSets reference)
{
    private static readonly string SelectQualifications = $"SELECT {QualificationRow.Columns.Select("q")} FROM qualifications q";

    /// <summary>The trainee's qualifications, oldest first; null when the trainee is not the provider's.</summary>
    public async Task<IReadOnlyList<Qualification>?> QualificationsAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null
            ? null
            : await QualificationsAsync(connection, null, ukprn, traineeId, ct);
    }

    public async Task<Qualification?> QualificationAsync(string ukprn, Guid traineeId, Guid qualificationId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<QualificationRow>(new CommandDefinition(
            $"{SelectQualifications} JOIN trainees t ON t.id = q.trainee_id WHERE t.ukprn = @ukprn AND q.ukprn = @ukprn AND q.trainee_id = @traineeId AND q.id = @qualificationId",
            new { ukprn, traineeId, qualificationId }, cancellationToken: ct));
        return row?.ToQualification();
    }

    /// <summary>Adds a qualification that <paramref name="decide"/> accepts given the trainee's others.</summary>
    public async Task<Outcome<Qualification>> AddQualificationAsync(string ukprn, Guid traineeId, Actor actor,
        Func<IReadOnlyList<Qualification>, Outcome<QualificationRequest>> decide, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its entry evidence");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var existing = await QualificationsAsync(write.Connection, write.Transaction, ukprn, traineeId, ct);
        var decision = decide(existing);
        if (decision.Failed)
        {
            return decision.Error!;
        }

        var now = time.UtcNowMicros();
        var added = new Qualification(decision.Value) { QualificationId = Guid.CreateVersion7(now), TraineeId = traineeId, CreatedAt = now };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO qualifications {QualificationRow.Columns.InsertValues()}", QualificationRow.From(added, ukprn), write.Transaction, cancellationToken: ct));
        await CommitAsync(write, [.. existing, added], await ChecksAsync(write.Connection, write.Transaction, ukprn, traineeId, ct), actor, "qualification_added",
            AuditTrail.Change($"qualifications[{added.QualificationId}]", (Qualification?)null, added), now, ct);
        return added;
    }

    /// <summary>Removes a qualification (the way a mistake is corrected), unless another rests on it.</summary>
    public async Task<Outcome<Qualification>> RemoveQualificationAsync(string ukprn, Guid traineeId, Guid qualificationId, Actor actor, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its entry evidence");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var existing = await QualificationsAsync(write.Connection, write.Transaction, ukprn, traineeId, ct);
        var removal = existing.FirstOrDefault(q => q.QualificationId == qualificationId) is { } found
            ? EligibilityRules.Remove(found, existing)
            : ApiErrors.NotFound("qualification");
        if (removal.Failed)
        {
            return removal;
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM qualifications WHERE ukprn = @ukprn AND trainee_id = @traineeId AND id = @qualificationId",
            new { ukprn, traineeId, qualificationId }, write.Transaction, cancellationToken: ct));
        var now = time.UtcNowMicros();
        await CommitAsync(write, existing.Where(q => q.QualificationId != qualificationId).ToList(),
            await ChecksAsync(write.Connection, write.Transaction, ukprn, traineeId, ct), actor, "qualification_removed",
            AuditTrail.Change($"qualifications[{qualificationId}]", removal.Value, (Qualification?)null), now, ct);
        return removal.Value;
    }

    /// <summary>The trainee's checks (all unrecorded, version 0, when none has been put); null when the trainee is not the provider's.</summary>
    public async Task<StoredChecks?> ChecksAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null
            ? null
            : await ChecksAsync(connection, null, ukprn, traineeId, ct);
    }

    /// <summary>Replaces the trainee's checks with validated ones, if If-Match allows; a PUT that changes nothing writes nothing.</summary>
    public async Task<Outcome<StoredChecks>> PutChecksAsync(string ukprn, Guid traineeId, VersionCheck ifMatch, SuitabilityChecks checks, Actor actor, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its entry evidence");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var current = await ChecksAsync(write.Connection, write.Transaction, ukprn, traineeId, ct);
        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        var changes = AuditTrail.Diff(current.Checks, checks, "suitabilityChecks.");
        if (changes.Count == 0)
        {
            return current;
        }

        var now = time.UtcNowMicros();
        var stored = new StoredChecks(checks, current.RowVersion + 1, now);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO suitability_checks (trainee_id, ukprn, checks, row_version, updated_at)
            VALUES (@traineeId, @ukprn, @checks, @rowVersion, @now)
            ON CONFLICT (trainee_id) DO UPDATE SET checks = @checks, row_version = @rowVersion, updated_at = @now
            """,
            new { traineeId, ukprn, checks = StoredJson.Serialize(checks), rowVersion = stored.RowVersion, now }, write.Transaction, cancellationToken: ct));
        await CommitAsync(write, await QualificationsAsync(write.Connection, write.Transaction, ukprn, traineeId, ct), stored, actor,
            "suitability_checks_updated", changes, now, ct);
        return stored;
    }

    /// <summary>The entry criteria evaluated now over the trainee's evidence; null when the trainee is not the provider's.</summary>
    public async Task<EligibilityResponse?> EligibilityAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is { } trainee
            ? await EvaluateAsync(connection, null, trainee, reference, ct)
            : null;
    }

    /// <summary>The entry criteria over a trainee's stored evidence, inside the caller's transaction (a trainee write whose phase changes).</summary>
    public static async Task<EligibilityResponse> EvaluateAsync(DbConnection connection, DbTransaction? tx, Trainee trainee, ReferenceDataSets reference, CancellationToken ct) =>
        Evaluate(trainee, await QualificationsAsync(connection, tx, trainee.Ukprn, trainee.TraineeId, ct),
            await ChecksAsync(connection, tx, trainee.Ukprn, trainee.TraineeId, ct), reference);

    private static EligibilityResponse Evaluate(Trainee trainee, IReadOnlyList<Qualification> qualifications, StoredChecks checks, ReferenceDataSets reference) =>
        EligibilityRules.Evaluate(trainee.AgeRangePhase!.Value, qualifications.Select(q => (q.QualificationId.ToString(), (QualificationRequest)q)).ToList(),
            checks.Checks, reference);

    /// <summary>The trainee's new eligibility, its new version and place in the sync feed, and one history entry with what changed.</summary>
    private async Task CommitAsync(TraineeWrite write, IReadOnlyList<Qualification> qualifications, StoredChecks checks, Actor actor, string action,
        IEnumerable<FieldChange> evidenceChanges, DateTimeOffset now, CancellationToken ct)
    {
        var next = write.Current with { Eligibility = Evaluate(write.Current, qualifications, checks, reference).Result };
        await write.CommitAsync(next, now, actor, action, [.. evidenceChanges, .. AuditTrail.Diff(write.Current, next)], ct);
    }

    private Task CommitAsync(TraineeWrite write, IReadOnlyList<Qualification> qualifications, StoredChecks checks, Actor actor, string action,
        FieldChange evidenceChange, DateTimeOffset now, CancellationToken ct) =>
        CommitAsync(write, qualifications, checks, actor, action, [evidenceChange], now, ct);

    private static async Task<IReadOnlyList<Qualification>> QualificationsAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await connection.QueryAsync<QualificationRow>(new CommandDefinition(
            $"{SelectQualifications} WHERE q.ukprn = @ukprn AND q.trainee_id = @traineeId ORDER BY q.created_at, q.id",
            new { ukprn, traineeId }, tx, cancellationToken: ct))).Select(r => r.ToQualification()).ToList();

    private static async Task<StoredChecks> ChecksAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid traineeId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ChecksRow>(new CommandDefinition(
            "SELECT checks, row_version, updated_at FROM suitability_checks WHERE ukprn = @ukprn AND trainee_id = @traineeId",
            new { ukprn, traineeId }, tx, cancellationToken: ct));
        return row is null ? StoredChecks.None : new StoredChecks(StoredJson.Deserialize<SuitabilityChecks>(row.Checks), row.RowVersion, row.UpdatedAt);
    }

    private sealed record ChecksRow
    {
        public string Checks { get; init; } = "";

        public long RowVersion { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }
    }
}
