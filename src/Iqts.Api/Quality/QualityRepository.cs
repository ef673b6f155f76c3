using Dapper;

namespace Iqts.Api.Quality;

/// <summary>Moderator and evaluation rows, on the caller's unit of work; every query is scoped to one provider.</summary>
public static class QualityRepository
{
    /// <summary>Moderators and evaluations take their place in one sequence each across providers (their change_seq is unique).</summary>
    public const string ModeratorScope = "moderators";

    public const string EvaluationScope = "evaluations";

    private static readonly SqlColumns ModeratorColumns = SqlColumns.Of<ModeratorRow>();

    private static readonly SqlColumns EvaluationColumns = SqlColumns.Of<EvaluationRow>();

    public static async Task<Moderator?> ModeratorAsync(UnitOfWork work, string ukprn, Guid id, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<ModeratorRow>(work.Command(
            $"SELECT {ModeratorColumns.Select()} FROM moderators WHERE ukprn = @ukprn AND id = @id{(forUpdate ? work.ForUpdate : "")}", new { ukprn, id }, ct)))?.ToModerator();

    public static async Task<IReadOnlyList<Moderator>> ModeratorsAsync(UnitOfWork work, string ukprn, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<ModeratorRow>(work.Command(
            $"SELECT {ModeratorColumns.Select()} FROM moderators WHERE ukprn = @ukprn AND change_seq > @after ORDER BY change_seq LIMIT @take",
            new { ukprn, after, take = limit + 1 }, ct))).Select(r => r.ToModerator()).ToList();

    /// <summary>Those of <paramref name="ids"/> that are the provider's moderators.</summary>
    public static async Task<IReadOnlyDictionary<Guid, Moderator>> ModeratorsByIdAsync(UnitOfWork work, string ukprn, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        (await work.Connection.QueryAsync<ModeratorRow>(work.Command(
            $"SELECT {ModeratorColumns.Select()} FROM moderators WHERE ukprn = @ukprn AND {work.Dialect.In("id", "ids")}", new { ukprn, ids = work.Dialect.Ids(ids) }, ct)))
        .Select(r => r.ToModerator()).ToDictionary(m => m.ModeratorId);

    public static Task InsertModeratorAsync(UnitOfWork work, Moderator moderator, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO moderators {ModeratorColumns.InsertValues()}", ModeratorRow.From(moderator), ct));

    public static Task UpdateModeratorAsync(UnitOfWork work, Moderator moderator, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE moderators SET {ModeratorColumns.SetAllBut("id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id", ModeratorRow.From(moderator), ct));

    public static async Task<TrainingEvaluation?> EvaluationAsync(UnitOfWork work, string ukprn, Guid id, CancellationToken ct) =>
        (await work.Connection.QuerySingleOrDefaultAsync<EvaluationRow>(work.Command(
            $"SELECT {EvaluationColumns.Select()} FROM evaluations WHERE ukprn = @ukprn AND id = @id", new { ukprn, id }, ct)))?.ToEvaluation();

    public static async Task<IReadOnlyList<TrainingEvaluation>> EvaluationsAsync(UnitOfWork work, string ukprn, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<EvaluationRow>(work.Command(
            $"SELECT {EvaluationColumns.Select()} FROM evaluations WHERE ukprn = @ukprn AND change_seq > @after ORDER BY change_seq LIMIT @take",
            new { ukprn, after, take = limit + 1 }, ct))).Select(r => r.ToEvaluation()).ToList();

    public static Task InsertEvaluationAsync(UnitOfWork work, TrainingEvaluation evaluation, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO evaluations {EvaluationColumns.InsertValues()}", EvaluationRow.From(evaluation), ct));

    private sealed record ModeratorRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public string Kind { get; init; } = "";

        public string Name { get; init; } = "";

        public string? Partner { get; init; }

        public Guid? SchoolId { get; init; }

        public string? Role { get; init; }

        public string? Institution { get; init; }

        public string? Expertise { get; init; }

        public DateOnly? AppointedOn { get; init; }

        public DateOnly? NoRelationshipDeclaredOn { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public long RowVersion { get; init; }

        public long ChangeSeq { get; init; }

        public Moderator ToModerator() => SharedProperties.Copy<ModeratorRow, Moderator>(this) with
        {
            ModeratorId = Id,
            Kind = EnumText.Parse<ModeratorKind>(Kind),
            Partner = EnumText.ParseOrNull<ModeratorPartner>(Partner),
        };

        public static ModeratorRow From(Moderator m) => SharedProperties.Copy<Moderator, ModeratorRow>(m) with
        {
            Id = m.ModeratorId,
            Kind = EnumText.Name(m.Kind!.Value),
            Partner = EnumText.NameOrNull(m.Partner),
        };
    }

    private sealed record EvaluationRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public string Source { get; init; } = "";

        public DateOnly PeriodFrom { get; init; }

        public DateOnly PeriodTo { get; init; }

        public int? Responses { get; init; }

        public string Findings { get; init; } = "";

        public string Actions { get; init; } = "[]";

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public long RowVersion { get; init; }

        public long ChangeSeq { get; init; }

        public TrainingEvaluation ToEvaluation() => SharedProperties.Copy<EvaluationRow, TrainingEvaluation>(this) with
        {
            EvaluationId = Id,
            Source = EnumText.Parse<EvaluationSource>(Source),
            Actions = StoredJson.Deserialize<List<EvaluationAction>>(Actions),
        };

        public static EvaluationRow From(TrainingEvaluation e) => SharedProperties.Copy<TrainingEvaluation, EvaluationRow>(e) with
        {
            Id = e.EvaluationId,
            Source = EnumText.Name(e.Source),
            Actions = StoredJson.Serialize(e.Actions),
        };
    }
}
