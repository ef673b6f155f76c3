using Dapper;

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
/// The entry evidence of trainees: qualifications and suitability checks, read and written on the caller's unit of work.
/// Every query names the provider's UKPRN.
/// </summary>
public static class EligibilityRepository
{
    private static readonly string SelectQualifications = $"SELECT {QualificationRow.Columns.Select("q")} FROM qualifications q";

    /// <summary>The trainee's qualifications, oldest first.</summary>
    public static async Task<IReadOnlyList<Qualification>> QualificationsAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await work.Connection.QueryAsync<QualificationRow>(work.Command(
            $"{SelectQualifications} WHERE q.ukprn = @ukprn AND q.trainee_id = @traineeId ORDER BY q.created_at, q.id",
            new { ukprn, traineeId }, ct))).Select(r => r.ToQualification()).ToList();

    /// <summary>Every qualification of the provider's trainees, by trainee, oldest first.</summary>
    public static async Task<ILookup<Guid, Qualification>> QualificationsOfProviderAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<QualificationRow>(work.Command(
            $"{SelectQualifications} WHERE q.ukprn = @ukprn ORDER BY q.created_at, q.id", new { ukprn }, ct))).Select(r => r.ToQualification()).ToLookup(q => q.TraineeId);

    /// <summary>Every recorded set of checks of the provider's trainees, by trainee.</summary>
    public static async Task<IReadOnlyDictionary<Guid, SuitabilityChecks>> ChecksOfProviderAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<(Guid TraineeId, string Checks)>(work.Command(
            "SELECT trainee_id, checks FROM suitability_checks WHERE ukprn = @ukprn", new { ukprn }, ct)))
            .ToDictionary(r => r.TraineeId, r => StoredJson.Deserialize<SuitabilityChecks>(r.Checks));

    /// <summary>One of the provider's trainee's qualifications.</summary>
    public static async Task<Qualification?> QualificationAsync(UnitOfWork work, string ukprn, Guid traineeId, Guid qualificationId, CancellationToken ct) =>
        (await work.Connection.QuerySingleOrDefaultAsync<QualificationRow>(work.Command(
            $"{SelectQualifications} JOIN trainees t ON t.id = q.trainee_id WHERE t.ukprn = @ukprn AND q.ukprn = @ukprn AND q.trainee_id = @traineeId AND q.id = @qualificationId",
            new { ukprn, traineeId, qualificationId }, ct)))?.ToQualification();

    public static Task InsertQualificationAsync(UnitOfWork work, string ukprn, Qualification qualification, CancellationToken ct) =>
        work.ExecuteAsync($"INSERT INTO qualifications {QualificationRow.Columns.InsertValues()}", QualificationRow.From(qualification, ukprn), ct);

    public static Task DeleteQualificationAsync(UnitOfWork work, string ukprn, Guid traineeId, Guid qualificationId, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            "DELETE FROM qualifications WHERE ukprn = @ukprn AND trainee_id = @traineeId AND id = @qualificationId",
            new { ukprn, traineeId, qualificationId }, ct));

    /// <summary>The trainee's checks (all unrecorded, version 0, when none has been put).</summary>
    public static async Task<StoredChecks> ChecksAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct)
    {
        var row = await work.Connection.QuerySingleOrDefaultAsync<StoredDocument>(work.Command(
            "SELECT checks AS document, row_version, updated_at FROM suitability_checks WHERE ukprn = @ukprn AND trainee_id = @traineeId",
            new { ukprn, traineeId }, ct));
        return row is null ? StoredChecks.None : new StoredChecks(StoredJson.Deserialize<SuitabilityChecks>(row.Document), row.RowVersion, row.UpdatedAt);
    }

    public static Task UpsertChecksAsync(UnitOfWork work, string ukprn, Guid traineeId, StoredChecks checks, CancellationToken ct) =>
        work.ExecuteAsync(
            """
            INSERT INTO suitability_checks (trainee_id, ukprn, checks, row_version, updated_at)
            VALUES (@traineeId, @ukprn, @checks, @rowVersion, @updatedAt)
            ON CONFLICT (trainee_id) DO UPDATE SET checks = @checks, row_version = @rowVersion, updated_at = @updatedAt
            """,
            new { traineeId, ukprn, checks = StoredJson.Serialize(checks.Checks), rowVersion = checks.RowVersion, updatedAt = checks.UpdatedAt }, ct);
}
