using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Iqts.Api.Bulk;

/// <summary>A batch as stored: who sent it, what it is, where it stands, and once done what it found.</summary>
public sealed record Batch
{
    public Guid Id { get; init; }

    public string Ukprn { get; init; } = "";

    public BatchKind Kind { get; init; }

    public bool DryRun { get; init; }

    public bool ConfirmNotDuplicate { get; init; }

    public BatchStatus Status { get; init; }

    public int RowCount { get; init; }

    public Actor Actor { get; init; } = new(Guid.Empty, "");

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public BatchResult? Result { get; init; }
}

/// <summary>What a finished batch found: every row's errors, or what every row stored.</summary>
public sealed record BatchResult(IReadOnlyList<BatchRowError> Errors, IReadOnlyList<BatchRowResult> Results);

/// <summary>One staged row: its JSON document, and what reading it already found wrong (a CSV cell).</summary>
public sealed record StagedRow(int Position, string Body, IReadOnlyList<BatchRowError>? Errors);

/// <summary>Batches and their staged rows, on the caller's unit of work; a provider reads only its own.</summary>
public static class BatchRepository
{
    private const string Columns =
        "id, ukprn, kind, dry_run, confirm_not_duplicate, status, row_count, token_id, token_name, user_name, user_id, user_email, created_at, finished_at, result";

    public static Task InsertAsync(UnitOfWork work, Batch batch, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"INSERT INTO batches ({Columns}) VALUES (@id, @ukprn, @kind, @dryRun, @confirmNotDuplicate, @status, @rowCount, @tokenId, @tokenName, @userName, @userId, @userEmail, @createdAt, NULL, NULL)",
            new
            {
                id = batch.Id,
                ukprn = batch.Ukprn,
                kind = EnumText.Name(batch.Kind),
                dryRun = batch.DryRun,
                confirmNotDuplicate = batch.ConfirmNotDuplicate,
                status = EnumText.Name(batch.Status),
                rowCount = batch.RowCount,
                tokenId = batch.Actor.TokenId,
                tokenName = batch.Actor.TokenName,
                userName = batch.Actor.User?.Name,
                userId = batch.Actor.User?.Id,
                userEmail = batch.Actor.User?.Email,
                createdAt = batch.CreatedAt,
            },
            ct));

    /// <summary>Staged rows in one statement (a few hundred at a time: the statement's parameters stay under SQLite's limit).</summary>
    public static Task AppendRowsAsync(UnitOfWork work, Guid batchId, IReadOnlyList<StagedRow> rows, CancellationToken ct)
    {
        var sql = new StringBuilder("INSERT INTO batch_rows (batch_id, position, body, errors) VALUES ");
        var parameters = new DynamicParameters(new { batchId });
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@batchId, @p{i}, @b{i}, @e{i})");
            parameters.Add($"p{i}", rows[i].Position);
            parameters.Add($"b{i}", rows[i].Body);
            parameters.Add($"e{i}", rows[i].Errors is { Count: > 0 } errors ? JsonSerializer.Serialize(errors, StoredJson.Options) : null);
        }

        return work.Connection.ExecuteAsync(work.Command(sql.ToString(), parameters, ct));
    }

    /// <summary>The batch received whole: queued for the worker with its number of rows.</summary>
    public static Task QueueAsync(UnitOfWork work, Guid id, int rowCount, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command("UPDATE batches SET status = 'queued', row_count = @rowCount WHERE id = @id", new { id, rowCount }, ct));

    /// <summary>A batch whose rows could not all be read (a bad CSV line, too many rows): removed with what was staged.</summary>
    public static async Task DeleteAsync(UnitOfWork work, Guid id, CancellationToken ct)
    {
        await work.Connection.ExecuteAsync(work.Command("DELETE FROM batch_rows WHERE batch_id = @id", new { id }, ct));
        await work.Connection.ExecuteAsync(work.Command("DELETE FROM batches WHERE id = @id", new { id }, ct));
    }

    /// <summary>The provider's batch of that kind; null for an unknown id, another provider's or another kind's.</summary>
    public static async Task<Batch?> FindAsync(UnitOfWork work, string ukprn, BatchKind kind, Guid id, CancellationToken ct) =>
        (await work.Connection.QuerySingleOrDefaultAsync<BatchRow>(work.Command(
            $"SELECT {Columns} FROM batches WHERE id = @id AND ukprn = @ukprn AND kind = @kind AND status <> 'receiving'",
            new { id, ukprn, kind = EnumText.Name(kind) }, ct)))?.ToBatch();

    /// <summary>
    /// The oldest batch waiting, or running under a lease that has run out (its process died), claimed by
    /// <paramref name="instance"/> until <paramref name="until"/>, but those in <paramref name="leave"/>; null when there is none.
    /// </summary>
    public static async Task<Batch?> ClaimAsync(UnitOfWork work, string instance, DateTimeOffset now, DateTimeOffset until, IReadOnlyList<Guid> leave,
        CancellationToken ct)
    {
        var id = await work.Connection.QuerySingleOrDefaultAsync<Guid?>(work.Command(
            $"""
            SELECT id FROM batches
            WHERE (status = 'queued' OR (status = 'running' AND claimed_until < @now)){(leave.Count == 0 ? "" : $" AND NOT {work.Dialect.In("id", "leave")}")}
            ORDER BY created_at, id
            LIMIT 1{work.Dialect.SkipLocked}
            """,
            new { now, leave = work.Dialect.Ids(leave) }, ct));
        if (id is null)
        {
            return null;
        }

        await work.Connection.ExecuteAsync(work.Command(
            "UPDATE batches SET status = 'running', claimed_by = @instance, claimed_until = @until WHERE id = @id", new { id, instance, until }, ct));
        return (await work.Connection.QuerySingleAsync<BatchRow>(work.Command($"SELECT {Columns} FROM batches WHERE id = @id", new { id }, ct))).ToBatch();
    }

    /// <summary>Staged rows after <paramref name="after"/>, in order, at most <paramref name="take"/>.</summary>
    public static async Task<IReadOnlyList<StagedRow>> RowsAsync(UnitOfWork work, Guid batchId, int after, int take, CancellationToken ct) =>
        (await work.Connection.QueryAsync<StagedRowData>(work.Command(
            "SELECT position, body, errors FROM batch_rows WHERE batch_id = @batchId AND position > @after ORDER BY position LIMIT @take",
            new { batchId, after, take }, ct)))
        .Select(r => new StagedRow(r.Position, r.Body, r.Errors is null ? null : JsonSerializer.Deserialize<List<BatchRowError>>(r.Errors, StoredJson.Options)))
        .ToList();

    /// <summary>The batch's end, in the transaction that stored its rows (or on its own when nothing was stored); the staged rows go.</summary>
    public static async Task FinishAsync(UnitOfWork work, Guid id, BatchStatus status, BatchResult result, DateTimeOffset at, CancellationToken ct)
    {
        await work.Connection.ExecuteAsync(work.Command(
            "UPDATE batches SET status = @status, result = @result, finished_at = @at, claimed_by = NULL, claimed_until = NULL WHERE id = @id",
            new { id, status = EnumText.Name(status), result = JsonSerializer.Serialize(result, StoredJson.Options), at }, ct));
        await work.Connection.ExecuteAsync(work.Command("DELETE FROM batch_rows WHERE batch_id = @id", new { id }, ct));
    }

    private sealed record StagedRowData
    {
        public int Position { get; init; }

        public string Body { get; init; } = "";

        public string? Errors { get; init; }
    }

    private sealed record BatchRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public string Kind { get; init; } = "";

        public bool DryRun { get; init; }

        public bool ConfirmNotDuplicate { get; init; }

        public string Status { get; init; } = "";

        public int RowCount { get; init; }

        public Guid TokenId { get; init; }

        public string TokenName { get; init; } = "";

        public string? UserName { get; init; }

        public string? UserId { get; init; }

        public string? UserEmail { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset? FinishedAt { get; init; }

        public string? Result { get; init; }

        public Batch ToBatch() => new()
        {
            Id = Id,
            Ukprn = Ukprn,
            Kind = EnumText.Parse<BatchKind>(Kind),
            DryRun = DryRun,
            ConfirmNotDuplicate = ConfirmNotDuplicate,
            Status = EnumText.Parse<BatchStatus>(Status),
            RowCount = RowCount,
            Actor = new Actor(TokenId, TokenName, UserName is null ? null : new SrsUser(UserName, UserId ?? "", UserEmail)),
            CreatedAt = CreatedAt,
            FinishedAt = FinishedAt,
            Result = Result is null ? null : JsonSerializer.Deserialize<BatchResult>(Result, StoredJson.Options),
        };
    }
}
