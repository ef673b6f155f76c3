using Dapper;

namespace Iqts.Api.Assessments;

/// <summary>
/// A row of <c>assessments</c>. Rows are only ever inserted (C3.4): <c>supersedes</c> names the row a correction
/// replaces (unique, so each assessment is corrected at most once), and who superseded a row is read, not stored.
/// </summary>
public record AssessmentRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<AssessmentRow>();

    public Guid Id { get; init; }

    public Guid TraineeId { get; init; }

    public string Ukprn { get; init; } = "";

    public DateOnly AssessedOn { get; init; }

    public string Stage { get; init; } = "";

    public string AssessorRole { get; init; } = "";

    public string AssessorName { get; init; } = "";

    public string Judgements { get; init; } = "";

    public string ModerationKind { get; init; } = "";

    public DateOnly? ModeratedOn { get; init; }

    public bool EnglishAssured { get; init; }

    public bool MathsAssured { get; init; }

    public Guid? Supersedes { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Recorded before moderation exercises existed: C3.4 reads its moderation kind (ADR 0012). New rows never are.</summary>
    public bool ModerationJudgedOnKind { get; init; }

    public static AssessmentRow From(Assessment a, string ukprn) => new()
    {
        Id = a.AssessmentId,
        TraineeId = a.TraineeId,
        Ukprn = ukprn,
        AssessedOn = a.AssessedOn!.Value,
        Stage = EnumText.Name(a.Stage!.Value),
        AssessorRole = EnumText.Name(a.Assessor!.Role!.Value),
        AssessorName = a.Assessor.Name,
        Judgements = StoredJson.Serialize(a.Judgements),
        ModerationKind = EnumText.Name(a.Moderation!.Kind!.Value),
        ModeratedOn = a.Moderation.ModeratedOn,
        EnglishAssured = a.EnglishAssured!.Value,
        MathsAssured = a.MathsAssured!.Value,
        Supersedes = a.Supersedes is null ? null : Guid.Parse(a.Supersedes),
        CreatedAt = a.RecordedAt,
    };
}

/// <summary>A row as read, with the id of the assessment that superseded it (if any).</summary>
public sealed record AssessmentRead : AssessmentRow
{
    public Guid? SupersededBy { get; init; }

    public Assessment ToAssessment() => new()
    {
        AssessmentId = Id,
        TraineeId = TraineeId,
        AssessedOn = AssessedOn,
        Stage = EnumText.Parse<AssessmentStage>(Stage),
        Assessor = new Assessor(EnumText.Parse<AssessorRole>(AssessorRole), AssessorName),
        Judgements = StoredJson.Deserialize<List<Judgement>>(Judgements),
        Moderation = new Moderation(EnumText.Parse<ModerationKind>(ModerationKind), ModeratedOn),
        EnglishAssured = EnglishAssured,
        MathsAssured = MathsAssured,
        Supersedes = Supersedes?.ToString(),
        SupersededBy = SupersededBy,
        RecordedAt = CreatedAt,
        ModerationJudgedOnKind = ModerationJudgedOnKind,
    };
}

/// <summary>A trainee's assessment rows, on the caller's unit of work: inserted, never changed or deleted (C3.4).</summary>
public static class AssessmentRepository
{
    /// <summary>The trainee's assessments oldest first, each with the one that superseded it.</summary>
    public static async Task<IReadOnlyList<Assessment>> AssessmentsAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await work.Connection.QueryAsync<AssessmentRead>(work.Command(
            $"""
            SELECT {AssessmentRow.Columns.Select("a")}, s.id AS superseded_by
            FROM assessments a
            JOIN trainees t ON t.id = a.trainee_id
            LEFT JOIN assessments s ON s.supersedes = a.id
            WHERE t.ukprn = @ukprn AND a.ukprn = @ukprn AND a.trainee_id = @traineeId
            ORDER BY a.assessed_on, a.created_at, a.id
            """,
            new { ukprn, traineeId }, ct))).Select(r => r.ToAssessment()).ToList();

    /// <summary>Every assessment of the provider's trainees, by trainee, oldest first, each with the one that superseded it.</summary>
    public static async Task<ILookup<Guid, Assessment>> AssessmentsOfProviderAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<AssessmentRead>(work.Command(
            $"""
            SELECT {AssessmentRow.Columns.Select("a")}, s.id AS superseded_by
            FROM assessments a
            LEFT JOIN assessments s ON s.supersedes = a.id
            WHERE a.ukprn = @ukprn
            ORDER BY a.assessed_on, a.created_at, a.id
            """,
            new { ukprn }, ct))).Select(r => r.ToAssessment()).ToLookup(a => a.TraineeId);

    /// <summary>The assessments of those of <paramref name="traineeIds"/> that are the provider's trainees, by trainee, oldest first.</summary>
    public static async Task<ILookup<Guid, Assessment>> AssessmentsOfTraineesAsync(UnitOfWork work, string ukprn, IReadOnlyList<Guid> traineeIds, CancellationToken ct) =>
        (await work.Connection.QueryAsync<AssessmentRead>(work.Command(
            $"""
            SELECT {AssessmentRow.Columns.Select("a")}, s.id AS superseded_by
            FROM assessments a
            LEFT JOIN assessments s ON s.supersedes = a.id
            WHERE a.ukprn = @ukprn AND {work.Dialect.In("a.trainee_id", "traineeIds")}
            ORDER BY a.assessed_on, a.created_at, a.id
            """,
            new { ukprn, traineeIds = work.Dialect.Ids(traineeIds) }, ct))).Select(r => r.ToAssessment()).ToLookup(a => a.TraineeId);

    public static Task InsertAsync(UnitOfWork work, string ukprn, Assessment assessment, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO assessments {AssessmentRow.Columns.InsertValues()}", AssessmentRow.From(assessment, ukprn), ct));
}
