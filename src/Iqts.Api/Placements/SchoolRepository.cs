using Dapper;

namespace Iqts.Api.Placements;

/// <summary>A row of <c>schools</c>: the risk assessment and partnership agreement as JSON text.</summary>
public sealed record SchoolRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<SchoolRow>();

    public Guid Id { get; init; }

    public string Ukprn { get; init; } = "";

    public string Name { get; init; } = "";

    public string Country { get; init; } = "";

    public string? City { get; init; }

    public string SchoolType { get; init; } = "";

    public string? RiskAssessment { get; init; }

    public string? PartnershipAgreement { get; init; }

    public DateOnly? RemovedOn { get; init; }

    public string? RemovalReason { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public School ToSchool() => SharedProperties.Copy<SchoolRow, School>(this) with
    {
        SchoolId = Id,
        SchoolType = EnumText.Parse<SchoolType>(SchoolType),
        RiskAssessment = RiskAssessment is null ? null : StoredJson.Deserialize<RiskAssessment>(RiskAssessment),
        PartnershipAgreement = PartnershipAgreement is null ? null : StoredJson.Deserialize<PartnershipAgreement>(PartnershipAgreement),
        RemovalReason = EnumText.ParseOrNull<RemovalReason>(RemovalReason),
    };

    public static SchoolRow From(School s) => SharedProperties.Copy<School, SchoolRow>(s) with
    {
        Id = s.SchoolId,
        SchoolType = EnumText.Name(s.SchoolType!.Value),
        RiskAssessment = s.RiskAssessment is null ? null : StoredJson.Serialize(s.RiskAssessment),
        PartnershipAgreement = s.PartnershipAgreement is null ? null : StoredJson.Serialize(s.PartnershipAgreement),
        RemovalReason = EnumText.NameOrNull(s.RemovalReason),
    };
}

/// <summary>
/// The provider's placement school rows, on the caller's unit of work. Every query names the provider's UKPRN, so another
/// provider's school is not found whatever id is sent.
/// </summary>
public static class SchoolRepository
{
    private static readonly string Select = $"SELECT {SchoolRow.Columns.Select()} FROM schools";

    public static string SyncScope(string ukprn) => "schools:" + ukprn;

    public static async Task<School?> FindAsync(UnitOfWork work, string ukprn, Guid schoolId, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<SchoolRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn AND id = @schoolId{(forUpdate ? work.ForUpdate : "")}", new { ukprn, schoolId }, ct)))?.ToSchool();

    /// <summary>The provider's schools by id: every one, or those of <paramref name="only"/> when given.</summary>
    public static async Task<IReadOnlyDictionary<Guid, School>> AllAsync(UnitOfWork work, string ukprn, CancellationToken ct, IReadOnlyCollection<Guid>? only = null) =>
        (await work.Connection.QueryAsync<SchoolRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn{(only is null ? "" : " AND " + work.Dialect.In("id", "only"))}",
            new { ukprn, only = only is null ? null : work.Dialect.Ids(only) }, ct)))
            .Select(r => r.ToSchool()).ToDictionary(s => s.SchoolId);

    public static Task InsertAsync(UnitOfWork work, School school, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO schools {SchoolRow.Columns.InsertValues()}", SchoolRow.From(school), ct));

    public static Task UpdateAsync(UnitOfWork work, School school, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE schools SET {SchoolRow.Columns.SetAllBut("id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id", SchoolRow.From(school), ct));

    /// <summary>The provider's schools after the cursor position, in change order, one extra row to tell whether more follow.</summary>
    public static async Task<IReadOnlyList<School>> ListAsync(UnitOfWork work, string ukprn, long after, int limit, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "ukprn = @ukprn AND change_seq > @after" + (updatedSince is null ? "" : " AND updated_at >= @updatedSince");
        var rows = await work.Connection.QueryAsync<SchoolRow>(work.Command(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take", new { ukprn, after, updatedSince, take = limit + 1 }, ct));
        return rows.Select(r => r.ToSchool()).ToList();
    }
}
