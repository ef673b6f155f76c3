using Dapper;

namespace Iqts.Api.Quality;

/// <summary>Moderation exercises and their samples (one row per sampled trainee), on the caller's unit of work; every query is scoped to one provider.</summary>
public static class ModerationRepository
{
    /// <summary>Exercises take their place in one sequence across providers (their change_seq is unique).</summary>
    public const string Scope = "moderations";

    private static readonly SqlColumns Columns = SqlColumns.Of<ExerciseRow>();

    private static readonly SqlColumns SampleColumns = SqlColumns.Of<SampleRow>();

    public static async Task<ModerationExercise?> FindAsync(UnitOfWork work, string ukprn, Guid id, CancellationToken ct, bool forUpdate = false)
    {
        var row = await work.Connection.QuerySingleOrDefaultAsync<ExerciseRow>(work.Command(
            $"SELECT {Columns.Select()} FROM moderations WHERE ukprn = @ukprn AND id = @id{(forUpdate ? work.ForUpdate : "")}", new { ukprn, id }, ct));
        return row is null ? null : row.ToExercise(await SamplesAsync(work, ukprn, "moderation_id = @id", new { ukprn, id }, ct));
    }

    public static async Task<IReadOnlyList<ModerationExercise>> ListAsync(UnitOfWork work, string ukprn, long after, int limit, CancellationToken ct)
    {
        const string page = "SELECT id FROM moderations WHERE ukprn = @ukprn AND change_seq > @after ORDER BY change_seq LIMIT @take";
        var args = new { ukprn, after, take = limit + 1 };
        var rows = await work.Connection.QueryAsync<ExerciseRow>(work.Command(
            $"SELECT {Columns.Select()} FROM moderations WHERE id IN ({page}) ORDER BY change_seq", args, ct));
        var samples = (await SampleRowsAsync(work, $"moderation_id IN ({page})", args, ct)).ToLookup(s => s.ModerationId);
        return rows.Select(r => r.ToExercise(samples[r.Id].Select(s => s.ToSample()).ToList())).ToList();
    }

    public static async Task InsertAsync(UnitOfWork work, ModerationExercise exercise, CancellationToken ct)
    {
        await work.Connection.ExecuteAsync(work.Command($"INSERT INTO moderations {Columns.InsertValues()}", ExerciseRow.From(exercise), ct));
        await InsertSamplesAsync(work, exercise, ct);
    }

    /// <summary>The exercise's new version; its sample is replaced whole (a merge patch replaces an array).</summary>
    public static async Task UpdateAsync(UnitOfWork work, ModerationExercise exercise, CancellationToken ct)
    {
        await work.Connection.ExecuteAsync(work.Command(
            $"UPDATE moderations SET {Columns.SetAllBut("id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id", ExerciseRow.From(exercise), ct));
        await work.Connection.ExecuteAsync(work.Command("DELETE FROM moderation_samples WHERE moderation_id = @id", new { id = exercise.ModerationId }, ct));
        await InsertSamplesAsync(work, exercise, ct);
    }

    /// <summary>Every exercise's outcome for the trainee's assessments: what the award's C3.4 rule reads.</summary>
    public static async Task<IReadOnlyList<ModerationCover>> CoversOfTraineeAsync(UnitOfWork work, string ukprn, Guid traineeId, CancellationToken ct) =>
        Covers(await CoverRowsAsync(work, "s.ukprn = @ukprn AND s.trainee_id = @traineeId", new { ukprn, traineeId }, ct));

    /// <summary>Every exercise's outcome for every assessment of the provider's trainees, by trainee (the evidence read's).</summary>
    public static async Task<ILookup<Guid, ModerationCover>> CoversOfProviderAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        Covers(await CoverRowsAsync(work, "s.ukprn = @ukprn", new { ukprn }, ct)).ToLookup(c => c.TraineeId);

    /// <summary>
    /// The samples of the provider's internal exercises held from <paramref name="from"/> to <paramref name="to"/> (but
    /// <paramref name="except"/>) of trainees neither awarded nor withdrawn.
    /// </summary>
    public static async Task<IReadOnlyList<(Guid ModerationId, SampledTrainee Sample)>> InternalSamplesAsync(UnitOfWork work, string ukprn, DateOnly from, DateOnly to,
        Guid except, CancellationToken ct) =>
        (await SampleRowsAsync(work,
            """
            ukprn = @ukprn AND moderation_id IN (SELECT id FROM moderations WHERE ukprn = @ukprn AND kind = 'internal' AND held_on >= @from AND held_on <= @to AND id <> @except)
            AND trainee_id IN (SELECT id FROM trainees WHERE ukprn = @ukprn AND status IN ('registered', 'deferred'))
            """,
            new { ukprn, from, to, except }, ct)).Select(s => (s.ModerationId, s.ToSample())).ToList();

    private static async Task<IReadOnlyList<SampledTrainee>> SamplesAsync(UnitOfWork work, string ukprn, string where, object args, CancellationToken ct) =>
        (await SampleRowsAsync(work, where, args, ct)).Select(s => s.ToSample()).ToList();

    private static async Task<IEnumerable<SampleRow>> SampleRowsAsync(UnitOfWork work, string where, object args, CancellationToken ct) =>
        await work.Connection.QueryAsync<SampleRow>(work.Command($"SELECT {SampleColumns.Select()} FROM moderation_samples WHERE {where} ORDER BY moderation_id, position", args, ct));

    private static async Task<IEnumerable<CoverRow>> CoverRowsAsync(UnitOfWork work, string where, object args, CancellationToken ct) =>
        await work.Connection.QueryAsync<CoverRow>(work.Command(
            $"""
            SELECT m.id, m.kind, m.held_on, s.trainee_id, s.assessments
            FROM moderation_samples s JOIN moderations m ON m.id = s.moderation_id AND m.ukprn = s.ukprn
            WHERE {where}
            """,
            args, ct));

    private static List<ModerationCover> Covers(IEnumerable<CoverRow> rows) =>
        rows.SelectMany(r => StoredJson.Deserialize<List<ModeratedAssessment>>(r.Assessments)
            .Select(a => new ModerationCover(r.Id, EnumText.Parse<ModeratorKind>(r.Kind), r.HeldOn, r.TraineeId, a))).ToList();

    private static Task<int> InsertSamplesAsync(UnitOfWork work, ModerationExercise exercise, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO moderation_samples {SampleColumns.InsertValues()}",
            exercise.Sample.Select((s, i) => SampleRow.From(exercise, i, s)).ToList(), ct));

    private sealed record ExerciseRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public string Kind { get; init; } = "";

        public DateOnly HeldOn { get; init; }

        public string ModeratorIds { get; init; } = "[]";

        public string? Report { get; init; }

        public string? Response { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public long RowVersion { get; init; }

        public long ChangeSeq { get; init; }

        public ModerationExercise ToExercise(IReadOnlyList<SampledTrainee> sample) => new()
        {
            ModerationId = Id,
            Ukprn = Ukprn,
            Kind = EnumText.Parse<ModeratorKind>(Kind),
            HeldOn = HeldOn,
            ModeratorIds = StoredJson.Deserialize<List<Guid>>(ModeratorIds),
            Sample = sample,
            Report = Report is null ? null : StoredJson.Deserialize<ModerationReport>(Report),
            Response = Response is null ? null : StoredJson.Deserialize<ReportResponse>(Response),
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            RowVersion = RowVersion,
            ChangeSeq = ChangeSeq,
        };

        public static ExerciseRow From(ModerationExercise m) => new()
        {
            Id = m.ModerationId,
            Ukprn = m.Ukprn,
            Kind = EnumText.Name(m.Kind!.Value),
            HeldOn = m.HeldOn!.Value,
            ModeratorIds = StoredJson.Serialize(m.ModeratorIds),
            Report = m.Report is null ? null : StoredJson.Serialize(m.Report),
            Response = m.Response is null ? null : StoredJson.Serialize(m.Response),
            CreatedAt = m.CreatedAt,
            UpdatedAt = m.UpdatedAt,
            RowVersion = m.RowVersion,
            ChangeSeq = m.ChangeSeq,
        };
    }

    private sealed record CoverRow
    {
        public Guid Id { get; init; }

        public string Kind { get; init; } = "";

        public DateOnly HeldOn { get; init; }

        public Guid TraineeId { get; init; }

        public string Assessments { get; init; } = "[]";
    }

    private sealed record SampleRow
    {
        public Guid ModerationId { get; init; }

        public int Position { get; init; }

        public string Ukprn { get; init; } = "";

        public Guid TraineeId { get; init; }

        public string Reasons { get; init; } = "[]";

        public string Assessments { get; init; } = "[]";

        public SampledTrainee ToSample() =>
            new(TraineeId, StoredJson.Deserialize<List<SampleReason>>(Reasons), StoredJson.Deserialize<List<ModeratedAssessment>>(Assessments));

        public static SampleRow From(ModerationExercise m, int position, SampledTrainee s) => new()
        {
            ModerationId = m.ModerationId,
            Position = position,
            Ukprn = m.Ukprn,
            TraineeId = s.TraineeId!.Value,
            Reasons = StoredJson.Serialize(s.Reasons ?? []),
            Assessments = StoredJson.Serialize(s.Assessments ?? []),
        };
    }
}
