using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Trainees;

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
    };
}

/// <summary>A trainee's assessments: recorded through <see cref="TraineeWrite"/> (history, sync feed), never changed or deleted.</summary>
public sealed class AssessmentRepository(IDbConnectionFactory db, TimeProvider time)
{
    /// <summary>The trainee's assessments oldest first; null when the trainee is not the provider's.</summary>
    public async Task<IReadOnlyList<Assessment>?> ListAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null
            ? null
            : await AssessmentsAsync(connection, null, ukprn, traineeId, ct);
    }

    public async Task<Assessment?> FindAsync(string ukprn, Guid traineeId, Guid assessmentId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await AssessmentsAsync(connection, null, ukprn, traineeId, ct)).FirstOrDefault(a => a.AssessmentId == assessmentId);
    }

    /// <summary>Records an assessment that <paramref name="decide"/> accepts given the trainee and its others.</summary>
    public async Task<Outcome<Assessment>> RecordAsync(string ukprn, Guid traineeId, Actor actor,
        Func<Trainee, IReadOnlyList<Assessment>, Outcome<AssessmentRequest>> decide, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its assessments");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var decision = decide(write.Current, await AssessmentsAsync(write.Connection, write.Transaction, ukprn, traineeId, ct));
        if (decision.Failed)
        {
            return decision.Error!;
        }

        var now = time.UtcNowMicros();
        var assessment = new Assessment(decision.Value) { AssessmentId = Guid.CreateVersion7(now), TraineeId = traineeId, RecordedAt = now };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO assessments {AssessmentRow.Columns.InsertValues()}", AssessmentRow.From(assessment, ukprn), write.Transaction, cancellationToken: ct));
        await write.CommitAsync(write.Current, now, actor, assessment.Supersedes is null ? "assessment_recorded" : "assessment_corrected",
            AuditTrail.Diff(null, assessment, $"assessments[{assessment.AssessmentId}]."), ct);
        return assessment;
    }

    /// <summary>The trainee's assessments inside the caller's transaction (the award reads them with everything else).</summary>
    public static async Task<IReadOnlyList<Assessment>> AssessmentsAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await connection.QueryAsync<AssessmentRead>(new CommandDefinition(
            $"""
            SELECT {AssessmentRow.Columns.Select("a")}, s.id AS superseded_by
            FROM assessments a
            JOIN trainees t ON t.id = a.trainee_id
            LEFT JOIN assessments s ON s.supersedes = a.id
            WHERE t.ukprn = @ukprn AND a.ukprn = @ukprn AND a.trainee_id = @traineeId
            ORDER BY a.assessed_on, a.created_at, a.id
            """,
            new { ukprn, traineeId }, tx, cancellationToken: ct))).Select(r => r.ToAssessment()).ToList();
}
