using Dapper;

namespace Iqts.Api.Providers;

/// <summary>A row of <c>providers</c>, one property per column; the approval status as its snake_case name.</summary>
public sealed record ProviderRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<ProviderRow>();

    public string Ukprn { get; init; } = "";

    public string Name { get; init; } = "";

    public string ApprovalStatus { get; init; } = "";

    public int InspectionGrade { get; init; }

    public DateOnly InspectionDate { get; init; }

    public bool MayExceedTraineeCap { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public Provider ToProvider() => SharedProperties.Copy<ProviderRow, Provider>(this) with { ApprovalStatus = EnumText.Parse<ApprovalStatus>(ApprovalStatus) };

    public static ProviderRow From(Provider p) => SharedProperties.Copy<Provider, ProviderRow>(p) with { ApprovalStatus = EnumText.Name(p.ApprovalStatus!.Value) };
}

/// <summary>Provider rows, read and written on the caller's unit of work.</summary>
public static class ProviderRepository
{
    /// <summary>The provider's columns, for a statement that reads the provider with other rows in one round trip.</summary>
    public static readonly string Select = $"SELECT {ProviderRow.Columns.Select()} FROM providers";

    /// <summary>Every provider write takes its sync position from this scope.</summary>
    public const string SyncScope = "providers";

    public static async Task<Provider?> FindAsync(UnitOfWork work, string ukprn, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<ProviderRow>(work.Command(
            $"{Select} WHERE ukprn = @ukprn{(forUpdate ? work.ForUpdate : "")}", new { ukprn }, ct)))?.ToProvider();

    /// <summary>Inserts the provider unless its UKPRN is registered; false when it is.</summary>
    public static async Task<bool> InsertAsync(UnitOfWork work, Provider provider, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            $"INSERT INTO providers {ProviderRow.Columns.InsertValues()} ON CONFLICT (ukprn) DO NOTHING", ProviderRow.From(provider), ct)) == 1;

    public static Task UpdateAsync(UnitOfWork work, Provider provider, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE providers SET {ProviderRow.Columns.SetAllBut("ukprn", "created_at")} WHERE ukprn = @Ukprn", ProviderRow.From(provider), ct));

    /// <summary>Providers after the cursor position, in change order; fetches one extra row to tell whether more follow.</summary>
    public static async Task<IReadOnlyList<Provider>> ListAsync(UnitOfWork work, long after, int limit, ApprovalStatus? status, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "change_seq > @after";
        where += status is null ? "" : " AND approval_status = @status";
        where += updatedSince is null ? "" : " AND updated_at >= @updatedSince";
        var rows = await work.Connection.QueryAsync<ProviderRow>(work.Command(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take",
            new { after, status = EnumText.NameOrNull(status), updatedSince, take = limit + 1 },
            ct));
        return rows.Select(r => r.ToProvider()).ToList();
    }
}
