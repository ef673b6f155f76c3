using Dapper;

namespace Iqts.Api.Data;

/// <summary>
/// Hands out the change sequence number that orders a sync scope (cursor pagination).
/// The upsert keeps the counter row locked until the transaction commits, so numbers
/// become visible in the order they were handed out: a reader that sees N has seen
/// every number below N. (A PostgreSQL sequence gives no such promise.)
/// Writers of one scope are serialised for the length of their transaction; scopes are
/// per provider, so providers do not wait for each other.
/// </summary>
public static class ChangeSequence
{
    public static Task<long> NextAsync(UnitOfWork work, string scope, CancellationToken ct) =>
        work.Connection.ExecuteScalarAsync<long>(work.Command(
            """
            INSERT INTO change_counters (scope, value) VALUES (@scope, 1)
            ON CONFLICT (scope) DO UPDATE SET value = change_counters.value + 1
            RETURNING value
            """,
            new { scope },
            ct));
}
