using Dapper;
using Iqts.Api.Providers;

namespace Iqts.Api.Trainees;

/// <summary>
/// Trainee rows. Every query names the provider's UKPRN, so one provider never reaches another's trainees whatever id it
/// sends. Reads and writes rows on the caller's unit of work, nothing else: the operations decide (ADR 0008).
/// </summary>
public static class TraineeRepository
{
    private static readonly string Select = $"SELECT {TraineeRow.Columns.Select()} FROM trainees";

    /// <summary>The provider's trainee, locked for the rest of a write's transaction when <paramref name="forUpdate"/>.</summary>
    public static async Task<Trainee?> FindAsync(UnitOfWork work, string ukprn, Guid id, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<TraineeRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND id = @id{(forUpdate ? work.ForUpdate : "")}", new { ukprn, id }, ct)))?.ToTrainee();

    /// <summary>Every provider's trainees with this TRN, as (UKPRN, id): for the TRA's word about a person, which names only the TRN.</summary>
    public static async Task<IReadOnlyList<(string Ukprn, Guid Id)>> WithTrnAsync(UnitOfWork work, string trn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<(string, Guid)>(work.Command("SELECT ukprn, id FROM trainees WHERE trn = @trn ORDER BY id", new { trn }, ct))).ToList();

    /// <summary>Whether the provider has a trainee with this id (the check before a read of something under it).</summary>
    public static async Task<bool> ExistsAsync(UnitOfWork work, string ukprn, Guid id, CancellationToken ct) =>
        await work.Connection.ExecuteScalarAsync<int>(work.Command("SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn AND id = @id", new { ukprn, id }, ct)) == 1;

    /// <summary>
    /// What admitting <paramref name="trainee"/> reads, in one round trip, leaving the trainee itself out (a check at commit
    /// runs after it was written): the provider, the trainee holding its provider id, when
    /// <paramref name="candidates"/> those born the same day starting the same year, and how many start that year (the
    /// cap's count; 0 for a provider DfE lets exceed the cap, whose count would decide nothing and costs a scan).
    /// </summary>
    public static async Task<(Provider? Provider, Guid? Existing, IReadOnlyList<Trainee> Candidates, int Starting)> AdmissionAsync(UnitOfWork work,
        Trainee trainee, bool candidates, CancellationToken ct)
    {
        var (sql, parameters) = AdmissionQuery(trainee, candidates);
        await using var results = await work.Connection.QueryMultipleAsync(work.Command(sql, parameters, ct));
        return await ReadAdmissionAsync(results, candidates);
    }

    /// <summary>The statements <see cref="AdmissionAsync"/> runs, for a unit that sends them with others (a check at commit).</summary>
    public static (string Sql, object Parameters) AdmissionQuery(Trainee trainee, bool candidates) => (
        $"""
        {ProviderRepository.Select} WHERE ukprn = @ukprn;
        SELECT id FROM trainees WHERE ukprn = @ukprn AND provider_trainee_id = @providerTraineeId AND id <> @self;
        SELECT CASE WHEN EXISTS (SELECT 1 FROM providers WHERE ukprn = @ukprn AND may_exceed_trainee_cap) THEN 0
          ELSE (SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn AND academic_year = @academicYear AND id <> @self) END;
        {(candidates ? $"{Select} WHERE ukprn = @ukprn AND date_of_birth = @dateOfBirth AND academic_year = @academicYear AND id <> @self;" : "")}
        """,
        new
        {
            ukprn = trainee.Ukprn, providerTraineeId = trainee.ProviderTraineeId, dateOfBirth = trainee.DateOfBirth!.Value,
            academicYear = trainee.AcademicYear, self = trainee.TraineeId,
        });

    /// <summary>The results of <see cref="AdmissionQuery"/>, read in order.</summary>
    public static async Task<(Provider? Provider, Guid? Existing, IReadOnlyList<Trainee> Candidates, int Starting)> ReadAdmissionAsync(
        SqlMapper.GridReader results, bool candidates)
    {
        var provider = (await results.ReadSingleOrDefaultAsync<ProviderRow>())?.ToProvider();
        var existing = await results.ReadSingleOrDefaultAsync<Guid?>();
        var starting = await results.ReadSingleAsync<int>();
        IReadOnlyList<Trainee> sameBirth = candidates ? (await results.ReadAsync<TraineeRow>()).Select(r => r.ToTrainee()).ToList() : [];
        return (provider, existing, sameBirth, starting);
    }

    /// <summary>What the admission rules compare of every trainee of the provider, in one statement (<see cref="ManyRegistrations"/>).</summary>
    public static async Task<IReadOnlyList<AdmissionKey>> AdmissionKeysAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<AdmissionKey>(work.Command(
            "SELECT id, provider_trainee_id, date_of_birth, academic_year FROM trainees WHERE ukprn = @ukprn", new { ukprn }, ct))).ToList();

    /// <summary>Those of <paramref name="ids"/> that are the provider's trainees, in full.</summary>
    public static async Task<IReadOnlyList<Trainee>> ManyAsync(UnitOfWork work, string ukprn, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        (await work.Connection.QueryAsync<TraineeRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND {work.Dialect.In("id", "ids")} ORDER BY id", new { ukprn, ids = work.Dialect.Ids(ids) }, ct))).Select(r => r.ToTrainee()).ToList();

    /// <summary>How many of the provider's trainees start in the academic year (the cap's count).</summary>
    public static Task<int> CountStartingAsync(UnitOfWork work, string ukprn, int academicYear, CancellationToken ct) =>
        work.Connection.ExecuteScalarAsync<int>(work.Command(
            "SELECT COUNT(*) FROM trainees WHERE ukprn = @ukprn AND academic_year = @academicYear", new { ukprn, academicYear }, ct));

    /// <summary>
    /// Writes a new trainee; false, writing nothing, when the provider's id is taken (by a registration committed after this
    /// write's admission check read: on PostgreSQL registrations are not queued until commit).
    /// </summary>
    public static async Task<bool> InsertAsync(UnitOfWork work, Trainee trainee, CancellationToken ct)
    {
        work.Placed(trainee.ChangeSeq, "trainees", "change_seq");
        return await work.ExecuteAsync(
            $"INSERT INTO trainees {TraineeRow.Columns.InsertValues()} ON CONFLICT (ukprn, provider_trainee_id) DO NOTHING", TraineeRow.From(trainee), ct) == 1;
    }

    /// <summary>
    /// <see cref="InsertAsync"/> held back with the unit's other writes, for a unit that knows the provider's id is free
    /// (<see cref="TraineeChanges.CreateAsync"/>): no <c>ON CONFLICT</c>, so were it taken after all the write fails whole.
    /// </summary>
    public static Task InsertLaterAsync(UnitOfWork work, Trainee trainee, CancellationToken ct)
    {
        work.Placed(trainee.ChangeSeq, "trainees", "change_seq");
        return work.WriteLaterAsync($"INSERT INTO trainees {TraineeRow.Columns.InsertValues()}", TraineeRow.From(trainee), ct);
    }

    public static Task UpdateAsync(UnitOfWork work, Trainee trainee, CancellationToken ct)
    {
        work.Placed(trainee.ChangeSeq, "trainees", "change_seq");
        return work.ExecuteAsync(
            $"UPDATE trainees SET {TraineeRow.Columns.SetAllBut("id", "ukprn", "provider_trainee_id", "created_at")} WHERE ukprn = @Ukprn AND id = @Id",
            TraineeRow.From(trainee), ct);
    }

    /// <summary>Those of <paramref name="ids"/> that are the provider's trainees.</summary>
    public static async Task<IReadOnlySet<Guid>> OfProviderAsync(UnitOfWork work, string ukprn, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        (await work.Connection.QueryAsync<Guid>(work.Command(
            $"SELECT id FROM trainees WHERE ukprn = @ukprn AND {work.Dialect.In("id", "ids")}", new { ukprn, ids = work.Dialect.Ids(ids) }, ct))).ToHashSet();

    /// <summary>Every trainee of the provider but those withdrawn: the evidence read's, in one statement.</summary>
    public static async Task<IReadOnlyList<Trainee>> NotWithdrawnAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<TraineeRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND status <> 'withdrawn' ORDER BY id", new { ukprn }, ct))).Select(r => r.ToTrainee()).ToList();

    /// <summary>The provider's trainees after the cursor position, in change order, one extra row to tell whether more follow.</summary>
    public static async Task<IReadOnlyList<Trainee>> ListAsync(UnitOfWork work, string ukprn, long after, int limit, TraineeFilter filter, CancellationToken ct)
    {
        var where = "ukprn = @ukprn AND change_seq > @after";
        where += filter.Status is null ? "" : " AND status = @status";
        where += filter.Eligibility is null ? "" : " AND eligibility = @eligibility";
        where += filter.TrainingCountry is null ? "" : " AND training_country = @trainingCountry";
        where += filter.UpdatedSince is null ? "" : " AND updated_at >= @updatedSince";
        var rows = await work.Connection.QueryAsync<TraineeRow>(work.Command(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take",
            new
            {
                ukprn, after, status = EnumText.NameOrNull(filter.Status), eligibility = EnumText.NameOrNull(filter.Eligibility),
                trainingCountry = filter.TrainingCountry, updatedSince = filter.UpdatedSince, take = limit + 1,
            },
            ct));
        return rows.Select(r => r.ToTrainee()).ToList();
    }
}

/// <summary>What the admission rules compare of a stored trainee: its provider's id for it, and its birth date and year for duplicates and the cap.</summary>
public sealed record AdmissionKey
{
    public Guid Id { get; init; }

    public string ProviderTraineeId { get; init; } = "";

    public DateOnly DateOfBirth { get; init; }

    public int AcademicYear { get; init; }
}

/// <summary>What a list of trainees may be narrowed to.</summary>
public sealed record TraineeFilter(TraineeStatus? Status, string? TrainingCountry, EligibilityResult? Eligibility, DateTimeOffset? UpdatedSince);
