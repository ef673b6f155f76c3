using System.Data.Common;
using Dapper;
using Iqts.Api.Data;

namespace Iqts.Api.Providers;

/// <summary>A provider row as stored.</summary>
public sealed class ProviderRow
{
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

    public ApprovalStatus Status => Enum.Parse<ApprovalStatus>(ApprovalStatus, ignoreCase: true);

    public ProviderResponse ToResponse() =>
        new(Ukprn, Name, Status, InspectionGrade, InspectionDate, MayExceedTraineeCap, CreatedAt, UpdatedAt);
}

public sealed record ProviderValues(string Name, ApprovalStatus ApprovalStatus, int InspectionGrade, DateOnly InspectionDate, bool MayExceedTraineeCap);

public enum ProviderWriteOutcome
{
    Done,
    AlreadyExists,
    NotFound,
    Stale,
}

public sealed class ProviderRepository(IDbConnectionFactory db, TimeProvider time)
{
    private const string Columns = """
        ukprn AS Ukprn, name AS Name, approval_status AS ApprovalStatus, inspection_grade AS InspectionGrade,
        inspection_date AS InspectionDate, may_exceed_trainee_cap AS MayExceedTraineeCap,
        created_at AS CreatedAt, updated_at AS UpdatedAt, row_version AS RowVersion, change_seq AS ChangeSeq
        """;

    /// <summary>Every provider write takes its sync position from this scope.</summary>
    private const string SyncScope = "providers";

    public async Task<ProviderRow?> FindAsync(string ukprn, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, ct);
    }

    private static Task<ProviderRow?> FindAsync(DbConnection connection, DbTransaction? tx, string ukprn, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ProviderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM providers WHERE ukprn = @ukprn", new { ukprn }, tx, cancellationToken: ct));

    public async Task<(ProviderWriteOutcome Outcome, ProviderRow? Row)> CreateAsync(string ukprn, ProviderValues values, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = time.UtcNowMicros();
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope, ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO providers (ukprn, name, approval_status, inspection_grade, inspection_date, may_exceed_trainee_cap,
                                   created_at, updated_at, row_version, change_seq)
            VALUES (@ukprn, @Name, @Status, @InspectionGrade, @InspectionDate, @MayExceedTraineeCap, @now, @now, 1, @seq)
            ON CONFLICT (ukprn) DO NOTHING
            """,
            new { ukprn, values.Name, Status = Status(values.ApprovalStatus), values.InspectionGrade, values.InspectionDate, values.MayExceedTraineeCap, now, seq },
            tx,
            cancellationToken: ct));
        if (inserted == 0)
        {
            return (ProviderWriteOutcome.AlreadyExists, null);
        }

        var row = await FindAsync(connection, tx, ukprn, ct);
        await tx.CommitAsync(ct);
        return (ProviderWriteOutcome.Done, row);
    }

    /// <summary>Writes the new values if the row is still at <paramref name="expectedVersion"/>.</summary>
    public async Task<(ProviderWriteOutcome Outcome, ProviderRow? Row)> UpdateAsync(string ukprn, long expectedVersion, ProviderValues values, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope, ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE providers
            SET name = @Name, approval_status = @Status, inspection_grade = @InspectionGrade, inspection_date = @InspectionDate,
                may_exceed_trainee_cap = @MayExceedTraineeCap, updated_at = @now, row_version = row_version + 1, change_seq = @seq
            WHERE ukprn = @ukprn AND row_version = @expectedVersion
            """,
            new { ukprn, expectedVersion, values.Name, Status = Status(values.ApprovalStatus), values.InspectionGrade, values.InspectionDate, values.MayExceedTraineeCap, now = time.UtcNowMicros(), seq },
            tx,
            cancellationToken: ct));
        if (updated == 0)
        {
            var exists = await FindAsync(connection, tx, ukprn, ct) is not null;
            return (exists ? ProviderWriteOutcome.Stale : ProviderWriteOutcome.NotFound, null);
        }

        var row = await FindAsync(connection, tx, ukprn, ct);
        await tx.CommitAsync(ct);
        return (ProviderWriteOutcome.Done, row);
    }

    /// <summary>Providers after the cursor position, in change order; fetches one extra row to tell whether more follow.</summary>
    public async Task<IReadOnlyList<ProviderRow>> ListAsync(long after, int limit, ApprovalStatus? status, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "change_seq > @after";
        if (status is not null)
        {
            where += " AND approval_status = @status";
        }

        if (updatedSince is not null)
        {
            where += " AND updated_at >= @updatedSince";
        }

        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ProviderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM providers WHERE {where} ORDER BY change_seq LIMIT @take",
            new { after, status = status is { } s ? Status(s) : null, updatedSince, take = limit + 1 },
            cancellationToken: ct));
        return rows.ToList();
    }

    private static string Status(ApprovalStatus status) => status.ToString().ToLowerInvariant();
}
