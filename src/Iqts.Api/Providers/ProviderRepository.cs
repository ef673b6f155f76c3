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

    public string InspectionSource { get; init; } = "";

    public bool MayExceedTraineeCap { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public Provider ToProvider() => SharedProperties.Copy<ProviderRow, Provider>(this) with
    {
        ApprovalStatus = EnumText.Parse<ApprovalStatus>(ApprovalStatus),
        InspectionSource = EnumText.Parse<InspectionSource>(InspectionSource),
    };

    public static ProviderRow From(Provider p) => SharedProperties.Copy<Provider, ProviderRow>(p) with
    {
        ApprovalStatus = EnumText.Name(p.ApprovalStatus!.Value),
        InspectionSource = EnumText.Name(p.InspectionSource),
    };
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

    /// <summary>The providers approved for iQTS now (a concern raised included), by UKPRN: the public register's.</summary>
    public static async Task<IReadOnlyList<Provider>> ApprovedAsync(UnitOfWork work, CancellationToken ct) =>
        (await work.Connection.QueryAsync<ProviderRow>(work.Command(
            $"{Select} WHERE approval_status IN ('approved', 'concern_raised') ORDER BY ukprn", null, ct))).Select(r => r.ToProvider()).ToList();

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

/// <summary>A row of <c>approval_history</c>.</summary>
public sealed record ApprovalRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<ApprovalRow>();

    public string Ukprn { get; init; } = "";

    public int Seq { get; init; }

    public string ApprovalStatus { get; init; } = "";

    public string? PreviousStatus { get; init; }

    public string Step { get; init; } = "";

    public string Reason { get; init; } = "";

    public DateOnly EffectiveOn { get; init; }

    public string? Remedy { get; init; }

    public DateOnly? RemedyBy { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    public string TokenName { get; init; } = "";

    public ApprovalEntry ToEntry() => new(EnumText.Parse<ApprovalStatus>(ApprovalStatus), EnumText.ParseOrNull<ApprovalStatus>(PreviousStatus),
        EnumText.Parse<ApprovalStep>(Step), Reason, EffectiveOn, Remedy, RemedyBy, RecordedAt, TokenName);

    public static ApprovalRow From(string ukprn, int seq, ApprovalEntry e) => new()
    {
        Ukprn = ukprn,
        Seq = seq,
        ApprovalStatus = EnumText.Name(e.ApprovalStatus),
        PreviousStatus = EnumText.NameOrNull(e.PreviousApprovalStatus),
        Step = EnumText.Name(e.Step),
        Reason = e.Reason,
        EffectiveOn = e.EffectiveOn,
        Remedy = e.Remedy,
        RemedyBy = e.RemedyBy,
        RecordedAt = e.RecordedAt,
        TokenName = e.RecordedBy,
    };
}

/// <summary>A provider's approval history, on the caller's unit of work.</summary>
public static class ApprovalRepository
{
    /// <summary>Every change of the provider's approval, oldest first; none for a provider not registered.</summary>
    public static async Task<IReadOnlyList<ApprovalEntry>> HistoryAsync(UnitOfWork work, string ukprn, CancellationToken ct) =>
        (await work.Connection.QueryAsync<ApprovalRow>(work.Command(
            $"SELECT {ApprovalRow.Columns.Select()} FROM approval_history WHERE ukprn = @ukprn ORDER BY seq", new { ukprn }, ct)))
            .Select(r => r.ToEntry()).ToList();

    /// <summary>The entry after the provider's last (the caller holds the provider's row locked, so numbers do not collide).</summary>
    public static async Task AppendAsync(UnitOfWork work, string ukprn, ApprovalEntry entry, CancellationToken ct)
    {
        var seq = await work.Connection.ExecuteScalarAsync<int>(work.Command(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM approval_history WHERE ukprn = @ukprn", new { ukprn }, ct));
        await work.Connection.ExecuteAsync(work.Command($"INSERT INTO approval_history {ApprovalRow.Columns.InsertValues()}", ApprovalRow.From(ukprn, seq, entry), ct));
    }
}
