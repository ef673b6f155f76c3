using Dapper;

namespace Iqts.Api.Placements;

/// <summary>A row of <c>placements</c>; an inline mentor's name is personal data, kept here and in the trainee's history, never in logs.</summary>
public record PlacementRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<PlacementRow>();

    public Guid Id { get; init; }

    public Guid TraineeId { get; init; }

    public string Ukprn { get; init; } = "";

    public Guid SchoolId { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    public int Days { get; init; }

    /// <summary>The inline mentor's; null when the placement names a mentor record.</summary>
    public string? MentorName { get; init; }

    public DateOnly? MentorTrainingCompletedOn { get; init; }

    public Guid? MentorId { get; init; }

    public string MentorInteractions { get; init; } = "[]";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public static PlacementRow From(Placement p, string ukprn) => SharedProperties.Copy<Placement, PlacementRow>(p) with
    {
        Id = p.PlacementId,
        Ukprn = ukprn,
        SchoolId = Guid.Parse(p.SchoolId),
        MentorName = p.MentorId is null ? p.Mentor!.Name : null,
        MentorTrainingCompletedOn = p.MentorId is null ? p.Mentor!.TrainingCompletedOn : null,
        MentorInteractions = StoredJson.Serialize(p.MentorInteractions ?? []),
    };
}

/// <summary>A row as read, with the name and training date of the mentor record it names (if it names one).</summary>
public sealed record PlacementRead : PlacementRow
{
    public string? RecordName { get; init; }

    public DateOnly? RecordTrainedOn { get; init; }

    public Placement ToPlacement() => SharedProperties.Copy<PlacementRow, Placement>(this) with
    {
        PlacementId = Id,
        SchoolId = SchoolId.ToString(),
        Mentor = MentorId is null ? new Mentor(MentorName!, MentorTrainingCompletedOn) : new Mentor(RecordName!, RecordTrainedOn),
        MentorInteractions = StoredJson.Deserialize<List<WeeklyInteractions>>(MentorInteractions),
    };
}

/// <summary>A trainee's placement plan as stored, with its version (0 before the first PUT).</summary>
public sealed record StoredPlan(PlacementPlan Plan, long RowVersion, DateTimeOffset UpdatedAt);

/// <summary>
/// A trainee's placement and placement plan rows, on the caller's unit of work. Every query names the provider's UKPRN
/// (and a placement's trainee must be the provider's too).
/// </summary>
public static class PlacementRepository
{
    private static readonly string Select =
        $"SELECT {PlacementRow.Columns.Select("p")}, m.name AS record_name, m.training_completed_on AS record_trained_on FROM placements p LEFT JOIN mentors m ON m.id = p.mentor_id";

    /// <summary>The trainee's placements in date order.</summary>
    public static async Task<IReadOnlyList<Placement>> PlacementsAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await work.Connection.QueryAsync<PlacementRead>(work.Command(
            $"{Select} JOIN trainees t ON t.id = p.trainee_id WHERE t.ukprn = @ukprn AND p.ukprn = @ukprn AND p.trainee_id = @traineeId ORDER BY p.start_date, p.id",
            new { ukprn, traineeId }, ct))).Select(r => r.ToPlacement()).ToList();

    /// <summary>Every placement of the provider's trainees, by trainee, in date order.</summary>
    public static async Task<ILookup<Guid, Placement>> PlacementsOfProviderAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<PlacementRead>(work.Command(
            $"{Select} WHERE p.ukprn = @ukprn ORDER BY p.start_date, p.id", new { ukprn }, ct))).Select(r => r.ToPlacement()).ToLookup(p => p.TraineeId);

    /// <summary>Every placement plan of the provider's trainees, by trainee.</summary>
    public static async Task<IReadOnlyDictionary<Guid, PlacementPlan>> PlansOfProviderAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<(Guid TraineeId, string Plan)>(work.Command(
            "SELECT trainee_id, plan FROM placement_plans WHERE ukprn = @ukprn", new { ukprn }, ct)))
            .ToDictionary(r => r.TraineeId, r => StoredJson.Deserialize<PlacementPlan>(r.Plan));

    public static Task InsertAsync(UnitOfWork work, string ukprn, Placement placement, CancellationToken ct) =>
        work.ExecuteAsync($"INSERT INTO placements {PlacementRow.Columns.InsertValues()}", PlacementRow.From(placement, ukprn), ct);

    public static Task UpdateAsync(UnitOfWork work, string ukprn, Placement placement, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE placements SET {PlacementRow.Columns.SetAllBut("id", "trainee_id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id",
            PlacementRow.From(placement, ukprn), ct));

    /// <summary>The provider's trainees with a placement naming the mentor.</summary>
    public static async Task<IReadOnlyList<Guid>> TraineesOfMentorAsync(UnitOfWork work, string ukprn, Guid mentorId, CancellationToken ct) =>
        (await work.Connection.QueryAsync<Guid>(work.Command(
            "SELECT DISTINCT trainee_id FROM placements WHERE ukprn = @ukprn AND mentor_id = @mentorId", new { ukprn, mentorId }, ct))).ToList();

    /// <summary>A new version of every placement naming the mentor, whose name or training date it shows.</summary>
    public static Task MentorShownChangedAsync(UnitOfWork work, string ukprn, Guid mentorId, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            "UPDATE placements SET row_version = row_version + 1, updated_at = @now WHERE ukprn = @ukprn AND mentor_id = @mentorId", new { ukprn, mentorId, now }, ct));

    public static Task DeleteAsync(UnitOfWork work, string ukprn, Guid traineeId, Guid placementId, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            "DELETE FROM placements WHERE ukprn = @ukprn AND trainee_id = @traineeId AND id = @placementId", new { ukprn, traineeId, placementId }, ct));

    /// <summary>The trainee's plan; null when it has none yet.</summary>
    public static async Task<StoredPlan?> PlanAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct)
    {
        var row = await work.Connection.QuerySingleOrDefaultAsync<StoredDocument>(work.Command(
            "SELECT plan AS document, row_version, updated_at FROM placement_plans WHERE ukprn = @ukprn AND trainee_id = @traineeId",
            new { ukprn, traineeId }, ct));
        return row is null ? null : new StoredPlan(StoredJson.Deserialize<PlacementPlan>(row.Document), row.RowVersion, row.UpdatedAt);
    }

    public static Task UpsertPlanAsync(UnitOfWork work, string ukprn, Guid traineeId, StoredPlan plan, CancellationToken ct) =>
        work.ExecuteAsync(
            """
            INSERT INTO placement_plans (trainee_id, ukprn, plan, row_version, updated_at)
            VALUES (@traineeId, @ukprn, @plan, @rowVersion, @updatedAt)
            ON CONFLICT (trainee_id) DO UPDATE SET plan = @plan, row_version = @rowVersion, updated_at = @updatedAt
            """,
            new { traineeId, ukprn, plan = StoredJson.Serialize(plan.Plan), rowVersion = plan.RowVersion, updatedAt = plan.UpdatedAt }, ct);
}
