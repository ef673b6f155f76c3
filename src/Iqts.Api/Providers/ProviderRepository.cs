using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Errors;

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

    public Provider ToProvider() => new()
    {
        Ukprn = Ukprn,
        Name = Name,
        ApprovalStatus = EnumText.Parse<ApprovalStatus>(ApprovalStatus),
        InspectionGrade = InspectionGrade,
        InspectionDate = InspectionDate,
        MayExceedTraineeCap = MayExceedTraineeCap,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };

    public static ProviderRow From(Provider p) => new()
    {
        Ukprn = p.Ukprn,
        Name = p.Name,
        ApprovalStatus = EnumText.Name(p.ApprovalStatus!.Value),
        InspectionGrade = p.InspectionGrade!.Value,
        InspectionDate = p.InspectionDate!.Value,
        MayExceedTraineeCap = p.MayExceedTraineeCap!.Value,
        CreatedAt = p.CreatedAt,
        UpdatedAt = p.UpdatedAt,
        RowVersion = p.RowVersion,
        ChangeSeq = p.ChangeSeq,
    };
}

/// <summary>Provider storage: reads and writes rows, each write in one transaction with its place in the providers' sync feed.</summary>
public sealed class ProviderRepository(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly string Select = $"SELECT {ProviderRow.Columns.Select()} FROM providers";

    /// <summary>Every provider write takes its sync position from this scope.</summary>
    private const string SyncScope = "providers";

    public async Task<Provider?> FindAsync(string ukprn, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, "", ct);
    }

    private static async Task<Provider?> FindAsync(DbConnection connection, DbTransaction? tx, string ukprn, string forUpdate, CancellationToken ct) =>
        (await connection.QuerySingleOrDefaultAsync<ProviderRow>(new CommandDefinition(
            $"{Select} WHERE ukprn = @ukprn{forUpdate}", new { ukprn }, tx, cancellationToken: ct)))?.ToProvider();

    public async Task<Outcome<Provider>> CreateAsync(string ukprn, ProviderDetails details, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = time.UtcNowMicros();
        var provider = new Provider(details)
        {
            Ukprn = ukprn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(connection, tx, SyncScope, ct),
        };
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO providers {ProviderRow.Columns.InsertValues()} ON CONFLICT (ukprn) DO NOTHING",
            ProviderRow.From(provider), tx, cancellationToken: ct));
        if (inserted == 0)
        {
            return ApiErrors.ProviderExists(ukprn);
        }

        await tx.CommitAsync(ct);
        return provider;
    }

    /// <summary>Changes a provider in one transaction: the row is read (and locked), checked against If-Match, and <paramref name="decide"/> returns the next state.</summary>
    public async Task<Outcome<Provider>> ChangeAsync(string ukprn, VersionCheck ifMatch, Func<Provider, Outcome<Provider>> decide, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope, ct);
        var current = await FindAsync(connection, tx, ukprn, db.Dialect.ForUpdate, ct);
        if (current is null)
        {
            return ApiErrors.NotFound("provider");
        }

        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        var decision = decide(current);
        if (decision.Failed || AuditTrail.Diff(current, decision.Value).Count == 0)
        {
            return decision;
        }

        var next = decision.Value with { UpdatedAt = time.UtcNowMicros(), RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE providers SET {ProviderRow.Columns.SetAllBut("ukprn", "created_at")} WHERE ukprn = @Ukprn",
            ProviderRow.From(next), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return next;
    }

    /// <summary>Providers after the cursor position, in change order; fetches one extra row to tell whether more follow.</summary>
    public async Task<IReadOnlyList<Provider>> ListAsync(long after, int limit, ApprovalStatus? status, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "change_seq > @after";
        where += status is null ? "" : " AND approval_status = @status";
        where += updatedSince is null ? "" : " AND updated_at >= @updatedSince";
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ProviderRow>(new CommandDefinition(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take",
            new { after, status = EnumText.NameOrNull(status), updatedSince, take = limit + 1 },
            cancellationToken: ct));
        return rows.Select(r => r.ToProvider()).ToList();
    }
}
