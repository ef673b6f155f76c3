using Dapper;

namespace Iqts.Api.Governance;

/// <summary>Inspectorate rows, on the caller's unit of work.</summary>
public static class InspectorateRepository
{
    public const string SyncScope = "inspectorates";

    private static readonly SqlColumns Columns = SqlColumns.Of<InspectorateRow>();

    private static readonly string Select = $"SELECT {Columns.Select()} FROM inspectorates";

    public static async Task<Inspectorate?> FindAsync(UnitOfWork work, Guid id, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<InspectorateRow>(work.Command($"{Select} WHERE id = @id{(forUpdate ? work.ForUpdate : "")}", new { id }, ct)))?.ToInspectorate();

    public static async Task<Inspectorate?> FindByNameAsync(UnitOfWork work, string name, CancellationToken ct) =>
        (await work.Connection.QuerySingleOrDefaultAsync<InspectorateRow>(work.Command($"{Select} WHERE name = @name", new { name }, ct)))?.ToInspectorate();

    /// <summary>Inserts the inspectorate unless its name is taken; false when it is.</summary>
    public static async Task<bool> InsertAsync(UnitOfWork work, Inspectorate inspectorate, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            $"INSERT INTO inspectorates {Columns.InsertValues()} ON CONFLICT (name) DO NOTHING", InspectorateRow.From(inspectorate), ct)) == 1;

    /// <summary>Updates the inspectorate unless its new name is another's; false when it is.</summary>
    public static async Task<bool> UpdateAsync(UnitOfWork work, Inspectorate inspectorate, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            $"""
            UPDATE inspectorates SET {Columns.SetAllBut("id", "created_at")}
            WHERE id = @Id AND NOT EXISTS (SELECT 1 FROM inspectorates o WHERE o.name = @Name AND o.id <> @Id)
            """, InspectorateRow.From(inspectorate), ct)) == 1;

    public static async Task<IReadOnlyList<Inspectorate>> ListAsync(UnitOfWork work, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<InspectorateRow>(work.Command(
            $"{Select} WHERE change_seq > @after ORDER BY change_seq LIMIT @take", new { after, take = limit + 1 }, ct))).Select(r => r.ToInspectorate()).ToList();

    private sealed record InspectorateRow
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        public DateOnly ApprovedFrom { get; init; }

        public DateOnly ApprovedTo { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public long RowVersion { get; init; }

        public long ChangeSeq { get; init; }

        public Inspectorate ToInspectorate() => SharedProperties.Copy<InspectorateRow, Inspectorate>(this) with { InspectorateId = Id };

        public static InspectorateRow From(Inspectorate i) => SharedProperties.Copy<Inspectorate, InspectorateRow>(i) with { Id = i.InspectorateId };
    }
}

/// <summary>
/// Inspection rows and the inspectorate's access log, on the caller's unit of work. Who may see an inspection is part of
/// every query: a provider its own, an inspectorate those it carries out, DfE all.
/// </summary>
public static class InspectionRepository
{
    public const string SyncScope = "inspections";

    private static readonly SqlColumns Columns = SqlColumns.Of<InspectionRow>();

    private static readonly string Select = $"SELECT {Columns.Select("i")} FROM inspections i";

    /// <summary>Which inspections a caller sees: a provider's own (<paramref name="Ukprn"/>), an inspectorate's own, or all (DfE).</summary>
    public readonly record struct Scope(string? Ukprn, Guid? InspectorateId)
    {
        public string Where => (Ukprn, InspectorateId) switch
        {
            (not null, _) => " AND i.ukprn = @scopeUkprn",
            (_, not null) => " AND i.inspectorate_id = @scopeInspectorate",
            _ => "",
        };
    }

    public static async Task<Inspection?> FindAsync(UnitOfWork work, Guid id, Scope scope, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<InspectionRow>(work.Command(
            $"{Select} WHERE i.id = @id{scope.Where}{(forUpdate ? work.ForUpdate : "")}",
            new { id, scopeUkprn = scope.Ukprn, scopeInspectorate = scope.InspectorateId }, ct)))?.ToInspection();

    /// <summary>The provider's inspections, in term order.</summary>
    public static async Task<IReadOnlyList<Inspection>> OfProviderAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<InspectionRow>(work.Command($"{Select} WHERE i.ukprn = @ukprn", new { ukprn }, ct)))
            .Select(r => r.ToInspection()).OrderBy(i => i.Term).ToList();

    public static async Task<IReadOnlyList<Inspection>> ListAsync(UnitOfWork work, Scope scope, string? ukprn, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<InspectionRow>(work.Command(
            $"{Select} WHERE i.change_seq > @after{scope.Where}{(ukprn is null ? "" : " AND i.ukprn = @ukprn")} ORDER BY i.change_seq LIMIT @take",
            new { after, take = limit + 1, ukprn, scopeUkprn = scope.Ukprn, scopeInspectorate = scope.InspectorateId }, ct))).Select(r => r.ToInspection()).ToList();

    /// <summary>Every inspection of every approved provider (the public register), in term order.</summary>
    public static async Task<IReadOnlyList<Inspection>> OfApprovedProvidersAsync(UnitOfWork work, CancellationToken ct) =>
        (await work.Connection.QueryAsync<InspectionRow>(work.Command(
            $"{Select} JOIN providers p ON p.ukprn = i.ukprn WHERE p.approval_status IN ('approved', 'concern_raised')", null, ct)))
            .Select(r => r.ToInspection()).OrderBy(i => i.Term).ToList();

    public static Task InsertAsync(UnitOfWork work, Inspection inspection, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO inspections {Columns.InsertValues()}", InspectionRow.From(inspection), ct));

    public static Task UpdateAsync(UnitOfWork work, Inspection inspection, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE inspections SET {Columns.SetAllBut("id", "ukprn", "inspectorate_id", "term", "allocated_by", "booked_on", "created_at")} WHERE id = @Id",
            InspectionRow.From(inspection), ct));

    /// <summary>
    /// The inspectorate's inspection of the trainee's provider that is open on <paramref name="today"/> (notified, report not
    /// yet past); null when there is none, or no such trainee. Whether an inspectorate may read a trainee is this query.
    /// </summary>
    public static async Task<Inspection?> OpenForTraineeAsync(UnitOfWork work, Guid inspectorateId, Guid traineeId, DateOnly today, CancellationToken ct) =>
        (await work.Connection.QueryFirstOrDefaultAsync<InspectionRow>(work.Command(
            $"""
            {Select} JOIN trainees t ON t.ukprn = i.ukprn
            WHERE t.id = @traineeId AND i.inspectorate_id = @inspectorateId AND i.notified_on <= @today AND (i.report_on IS NULL OR i.report_on >= @today)
            ORDER BY i.notified_on DESC
            LIMIT 1
            """, new { inspectorateId, traineeId, today }, ct)))?.ToInspection();

    /// <summary>The inspectorate's inspection of the provider that is open on <paramref name="today"/>; null when there is none.</summary>
    public static async Task<Inspection?> OpenForProviderAsync(UnitOfWork work, Guid inspectorateId, string ukprn, DateOnly today, CancellationToken ct) =>
        (await work.Connection.QueryFirstOrDefaultAsync<InspectionRow>(work.Command(
            $"""
            {Select}
            WHERE i.ukprn = @ukprn AND i.inspectorate_id = @inspectorateId AND i.notified_on <= @today AND (i.report_on IS NULL OR i.report_on >= @today)
            ORDER BY i.notified_on DESC
            LIMIT 1
            """, new { inspectorateId, ukprn, today }, ct)))?.ToInspection();

    /// <summary>One read by the inspectorate, in the inspection's access log.</summary>
    public static Task RecordAccessAsync(UnitOfWork work, Inspection inspection, Actor reader, string operation, string path, DateTimeOffset at, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            """
            INSERT INTO inspection_access_log (inspection_id, ukprn, token_id, token_name, operation, path, occurred_at)
            VALUES (@inspectionId, @ukprn, @tokenId, @tokenName, @operation, @path, @at)
            """,
            new { inspectionId = inspection.InspectionId, ukprn = inspection.Ukprn, tokenId = reader.TokenId, tokenName = reader.TokenName, operation, path, at }, ct));

    /// <summary>A page of the inspection's access log, oldest first, after position <paramref name="after"/>.</summary>
    public static async Task<IReadOnlyList<(long Seq, AccessEntry Entry)>> AccessLogAsync(UnitOfWork work, Guid inspectionId, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<AccessRow>(work.Command(
            """
            SELECT seq, occurred_at, token_name, operation, path FROM inspection_access_log
            WHERE inspection_id = @inspectionId AND seq > @after ORDER BY seq LIMIT @take
            """, new { inspectionId, after, take = limit + 1 }, ct)))
            .Select(r => (r.Seq, new AccessEntry(r.OccurredAt, r.TokenName, r.Operation, r.Path))).ToList();

    private sealed record AccessRow
    {
        public long Seq { get; init; }

        public DateTimeOffset OccurredAt { get; init; }

        public string TokenName { get; init; } = "";

        public string Operation { get; init; } = "";

        public string Path { get; init; } = "";
    }

    private sealed record InspectionRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public Guid InspectorateId { get; init; }

        public string Term { get; init; } = "";

        public string AllocatedBy { get; init; } = "";

        public DateOnly BookedOn { get; init; }

        public DateOnly? NotifiedOn { get; init; }

        public DateOnly? StartsOn { get; init; }

        public DateOnly? EndsOn { get; init; }

        public Guid? SchoolVisitedId { get; init; }

        public int? ProvisionalGrade { get; init; }

        public int? FinalGrade { get; init; }

        public DateOnly? ReportOn { get; init; }

        public string? ReportUrl { get; init; }

        public string ActionPlan { get; init; } = "[]";

        public string DfeMeetings { get; init; } = "[]";

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public long RowVersion { get; init; }

        public long ChangeSeq { get; init; }

        public Inspection ToInspection() => SharedProperties.Copy<InspectionRow, Inspection>(this) with
        {
            InspectionId = Id,
            Term = Criteria.Term.TryParse(Term, out var term) ? term : throw new InvalidOperationException($"Stored term '{Term}' is not a term."),
            AllocatedBy = EnumText.Parse<AllocatedBy>(AllocatedBy),
            ActionPlan = StoredJson.Deserialize<List<ActionPlanItem>>(ActionPlan),
            DfeMeetings = StoredJson.Deserialize<List<DfeMeeting>>(DfeMeetings),
        };

        public static InspectionRow From(Inspection i) => SharedProperties.Copy<Inspection, InspectionRow>(i) with
        {
            Id = i.InspectionId,
            Term = i.Term.ToString(),
            AllocatedBy = EnumText.Name(i.AllocatedBy),
            ActionPlan = StoredJson.Serialize(i.ActionPlan),
            DfeMeetings = StoredJson.Serialize(i.DfeMeetings),
        };
    }
}

/// <summary>Governance change rows, on the caller's unit of work; every query is scoped to one provider.</summary>
public static class GovernanceChangeRepository
{
    public const string SyncScope = "governance_changes";

    private static readonly SqlColumns Columns = SqlColumns.Of<GovernanceChangeRow>();

    private static readonly string Select = $"SELECT {Columns.Select()} FROM governance_changes";

    public static async Task<GovernanceChange?> FindAsync(UnitOfWork work, string ukprn, Guid id, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<GovernanceChangeRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND id = @id{(forUpdate ? work.ForUpdate : "")}", new { ukprn, id }, ct)))?.ToChange();

    public static async Task<IReadOnlyList<GovernanceChange>> ListAsync(UnitOfWork work, string ukprn, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<GovernanceChangeRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND change_seq > @after ORDER BY change_seq LIMIT @take", new { ukprn, after, take = limit + 1 }, ct)))
            .Select(r => r.ToChange()).ToList();

    public static Task InsertAsync(UnitOfWork work, GovernanceChange change, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO governance_changes {Columns.InsertValues()}", GovernanceChangeRow.From(change), ct));

    public static Task UpdateAsync(UnitOfWork work, GovernanceChange change, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE governance_changes SET {Columns.SetAllBut("id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id", GovernanceChangeRow.From(change), ct));

    private sealed record GovernanceChangeRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public string Kind { get; init; } = "";

        public DateOnly EffectiveOn { get; init; }

        public string Description { get; init; } = "";

        public string? Response { get; init; }

        public string? ResponseNote { get; init; }

        public DateOnly? ResponseOn { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public long RowVersion { get; init; }

        public long ChangeSeq { get; init; }

        public GovernanceChange ToChange() => new()
        {
            GovernanceChangeId = Id,
            Ukprn = Ukprn,
            Kind = EnumText.Parse<GovernanceChangeKind>(Kind),
            EffectiveOn = EffectiveOn,
            Description = Description,
            DfeResponse = Response is null ? null : new GovernanceChangeResponseRequest(EnumText.Parse<GovernanceResponse>(Response), ResponseNote ?? "", ResponseOn),
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            RowVersion = RowVersion,
            ChangeSeq = ChangeSeq,
        };

        public static GovernanceChangeRow From(GovernanceChange c) => new()
        {
            Id = c.GovernanceChangeId,
            Ukprn = c.Ukprn,
            Kind = EnumText.Name(c.Kind),
            EffectiveOn = c.EffectiveOn,
            Description = c.Description,
            Response = EnumText.NameOrNull(c.DfeResponse?.Response),
            ResponseNote = c.DfeResponse?.Note,
            ResponseOn = c.DfeResponse?.RespondedOn,
            CreatedAt = c.CreatedAt,
            UpdatedAt = c.UpdatedAt,
            RowVersion = c.RowVersion,
            ChangeSeq = c.ChangeSeq,
        };
    }
}
