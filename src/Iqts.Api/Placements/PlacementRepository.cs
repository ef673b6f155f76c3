using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Errors;
using Iqts.Api.Trainees;

namespace Iqts.Api.Placements;

/// <summary>A row of <c>placements</c>; the mentor's name is personal data, kept here and in the trainee's history, never in logs.</summary>
public sealed record PlacementRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<PlacementRow>();

    public Guid Id { get; init; }

    public Guid TraineeId { get; init; }

    public string Ukprn { get; init; } = "";

    public Guid SchoolId { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    public int Days { get; init; }

    public string MentorName { get; init; } = "";

    public DateOnly? MentorTrainingCompletedOn { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public Placement ToPlacement() => new()
    {
        PlacementId = Id,
        TraineeId = TraineeId,
        SchoolId = SchoolId.ToString(),
        StartDate = StartDate,
        EndDate = EndDate,
        Days = Days,
        Mentor = new Mentor(MentorName, MentorTrainingCompletedOn),
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
    };

    public static PlacementRow From(Placement p, string ukprn) => new()
    {
        Id = p.PlacementId,
        TraineeId = p.TraineeId,
        Ukprn = ukprn,
        SchoolId = Guid.Parse(p.SchoolId),
        StartDate = p.StartDate!.Value,
        EndDate = p.EndDate!.Value,
        Days = p.Days!.Value,
        MentorName = p.Mentor!.Name,
        MentorTrainingCompletedOn = p.Mentor.TrainingCompletedOn,
        CreatedAt = p.CreatedAt,
        UpdatedAt = p.UpdatedAt,
        RowVersion = p.RowVersion,
    };
}

/// <summary>A trainee's placement plan as stored, with its version (0 before the first PUT).</summary>
public sealed record StoredPlan(PlacementPlan Plan, long RowVersion, DateTimeOffset UpdatedAt);

/// <summary>
/// A trainee's placements and placement plan, and the summary of them against C2.2, C2.4 and C3.2. Every query names
/// the provider's UKPRN (a placement's school must be the provider's too); every write goes through
/// <see cref="TraineeWrite"/>, so the trainee moves forward in the sync feed and the change is in its history.
/// </summary>
public sealed class PlacementRepository(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly string Select = $"SELECT {PlacementRow.Columns.Select("p")} FROM placements p";

    /// <summary>The trainee's placements in date order; null when the trainee is not the provider's.</summary>
    public async Task<IReadOnlyList<Placement>?> ListAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null
            ? null
            : await PlacementsAsync(connection, null, ukprn, traineeId, ct);
    }

    public async Task<Placement?> FindAsync(string ukprn, Guid traineeId, Guid placementId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await PlacementsAsync(connection, null, ukprn, traineeId, ct)).FirstOrDefault(p => p.PlacementId == placementId);
    }

    /// <summary>Adds a placement that <paramref name="decide"/> accepts, given the trainee, the school it names (null when not the provider's) and the others.</summary>
    public async Task<Outcome<Placement>> AddAsync(string ukprn, Guid traineeId, Actor actor, Guid? schoolId,
        Func<Trainee, School?, IReadOnlyList<Placement>, Outcome<PlacementDetails>> decide, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its placements");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var others = await PlacementsAsync(write.Connection, write.Transaction, ukprn, traineeId, ct);
        if (others.Count >= PlacementRules.MaxPlacements)
        {
            return ApiErrors.PlacementLimitReached(PlacementRules.MaxPlacements);
        }

        var school = schoolId is { } id ? await SchoolRepository.FindAsync(write.Connection, write.Transaction, ukprn, id, "", ct) : null;
        var decision = decide(write.Current, school, others);
        if (decision.Failed)
        {
            return decision.Error!;
        }

        var now = time.UtcNowMicros();
        var placement = new Placement(decision.Value) { PlacementId = Guid.CreateVersion7(now), TraineeId = traineeId, CreatedAt = now, UpdatedAt = now, RowVersion = 1 };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO placements {PlacementRow.Columns.InsertValues()}", PlacementRow.From(placement, ukprn), write.Transaction, cancellationToken: ct));
        await write.CommitAsync(write.Current, now, actor, "placement_added", AuditTrail.Diff(null, placement, $"placements[{placement.PlacementId}]."), ct);
        return placement;
    }

    /// <summary>
    /// Changes a placement: read under the trainee's lock, checked against If-Match, <paramref name="decide"/> gives the next
    /// details from the current placement, the school the result names and the trainee's other placements.
    /// </summary>
    public async Task<Outcome<Placement>> ChangeAsync(string ukprn, Guid traineeId, Guid placementId, VersionCheck ifMatch, Actor actor,
        Func<Trainee, Placement, Func<Guid, School?>, IReadOnlyList<Placement>, Outcome<PlacementDetails>> decide, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its placements");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var all = await PlacementsAsync(write.Connection, write.Transaction, ukprn, traineeId, ct);
        if (all.FirstOrDefault(p => p.PlacementId == placementId) is not { } current)
        {
            return ApiErrors.NotFound("placement");
        }

        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        // The rule names the school it needs; schools are few per provider, so they are read up front.
        var schools = await SchoolsAsync(write.Connection, write.Transaction, ukprn, ct);
        var decision = decide(write.Current, current, id => schools.GetValueOrDefault(id), all.Where(p => p.PlacementId != placementId).ToList());
        if (decision.Failed)
        {
            return decision.Error!;
        }

        var now = time.UtcNowMicros();
        var next = current.WithDetails(decision.Value);
        var changes = AuditTrail.Diff(current, next, $"placements[{placementId}].");
        if (changes.Count == 0)
        {
            return current;
        }

        next = next with { UpdatedAt = now, RowVersion = current.RowVersion + 1 };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE placements SET {PlacementRow.Columns.SetAllBut("id", "trainee_id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id",
            PlacementRow.From(next, ukprn), write.Transaction, cancellationToken: ct));
        await write.CommitAsync(write.Current, now, actor, "placement_updated", changes, ct);
        return next;
    }

    public async Task<Outcome<Placement>> RemoveAsync(string ukprn, Guid traineeId, Guid placementId, VersionCheck ifMatch, Actor actor, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its placements");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var current = (await PlacementsAsync(write.Connection, write.Transaction, ukprn, traineeId, ct)).FirstOrDefault(p => p.PlacementId == placementId);
        if (current is null)
        {
            return ApiErrors.NotFound("placement");
        }

        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM placements WHERE ukprn = @ukprn AND trainee_id = @traineeId AND id = @placementId",
            new { ukprn, traineeId, placementId }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(write.Current, time.UtcNowMicros(), actor, "placement_removed", AuditTrail.Diff(current, null, $"placements[{placementId}]."), ct);
        return current;
    }

    /// <summary>The trainee's plan: TraineeFound is false when the trainee is not the provider's; Plan is null when it has none yet.</summary>
    public async Task<(bool TraineeFound, StoredPlan? Plan)> PlanAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null
            ? (false, null)
            : (true, await PlanAsync(connection, null, ukprn, traineeId, ct));
    }

    /// <summary>Records the plan, if If-Match allows (a trainee without a plan is at version 0); a PUT that changes nothing writes nothing.</summary>
    public async Task<Outcome<StoredPlan>> PutPlanAsync(string ukprn, Guid traineeId, VersionCheck ifMatch, PlacementPlan plan, Actor actor, CancellationToken ct)
    {
        var begun = await TraineeWrite.BeginAsync(db, ukprn, traineeId, ct, "its placements");
        if (begun.Failed)
        {
            return begun.Error!;
        }

        await using var write = begun.Value;
        var current = await PlanAsync(write.Connection, write.Transaction, ukprn, traineeId, ct);
        if (!ifMatch.Allows(current?.RowVersion ?? 0))
        {
            return ApiErrors.PreconditionFailed();
        }

        var changes = AuditTrail.Diff(current?.Plan, plan, "placementPlan.");
        if (current is not null && changes.Count == 0)
        {
            return current;
        }

        var now = time.UtcNowMicros();
        var stored = new StoredPlan(plan, (current?.RowVersion ?? 0) + 1, now);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO placement_plans (trainee_id, ukprn, plan, row_version, updated_at)
            VALUES (@traineeId, @ukprn, @plan, @rowVersion, @now)
            ON CONFLICT (trainee_id) DO UPDATE SET plan = @plan, row_version = @rowVersion, updated_at = @now
            """,
            new { traineeId, ukprn, plan = StoredJson.Serialize(plan), rowVersion = stored.RowVersion, now }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(write.Current, now, actor, "placement_plan_updated", changes, ct);
        return stored;
    }

    /// <summary>The summary against C2.2, C2.4 and C3.2 evaluated now; null when the trainee is not the provider's.</summary>
    public async Task<PlacementSummary?> SummaryAsync(string ukprn, Guid traineeId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TraineeRepository.FindAsync(connection, null, ukprn, traineeId, "", ct) is null
            ? null
            : await SummariseAsync(connection, null, ukprn, traineeId, ct);
    }

    /// <summary>The summary inside the caller's transaction (the award check reads it with the rest).</summary>
    public static async Task<PlacementSummary> SummariseAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid traineeId, CancellationToken ct)
    {
        var placements = await PlacementsAsync(connection, tx, ukprn, traineeId, ct);
        var schools = await SchoolsAsync(connection, tx, ukprn, ct);
        var plan = await PlanAsync(connection, tx, ukprn, traineeId, ct);
        return PlacementRules.Summarise(placements.Select(p => (p, schools[Guid.Parse(p.SchoolId)])).ToList(), plan?.Plan);
    }

    private static async Task<IReadOnlyList<Placement>> PlacementsAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid traineeId, CancellationToken ct) =>
        (await connection.QueryAsync<PlacementRow>(new CommandDefinition(
            $"{Select} JOIN trainees t ON t.id = p.trainee_id WHERE t.ukprn = @ukprn AND p.ukprn = @ukprn AND p.trainee_id = @traineeId ORDER BY p.start_date, p.id",
            new { ukprn, traineeId }, tx, cancellationToken: ct))).Select(r => r.ToPlacement()).ToList();

    private static async Task<Dictionary<Guid, School>> SchoolsAsync(DbConnection connection, DbTransaction? tx, string ukprn, CancellationToken ct) =>
        (await connection.QueryAsync<SchoolRow>(new CommandDefinition(
            $"SELECT {SchoolRow.Columns.Select()} FROM schools WHERE ukprn = @ukprn", new { ukprn }, tx, cancellationToken: ct)))
            .Select(r => r.ToSchool()).ToDictionary(s => s.SchoolId);

    private static async Task<StoredPlan?> PlanAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid traineeId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(
            "SELECT plan, row_version, updated_at FROM placement_plans WHERE ukprn = @ukprn AND trainee_id = @traineeId",
            new { ukprn, traineeId }, tx, cancellationToken: ct));
        return row is null ? null : new StoredPlan(StoredJson.Deserialize<PlacementPlan>(row.Plan), row.RowVersion, row.UpdatedAt);
    }

    private sealed record PlanRow
    {
        public string Plan { get; init; } = "";

        public long RowVersion { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }
    }
}
