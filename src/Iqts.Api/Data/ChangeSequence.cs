using Dapper;

namespace Iqts.Api.Data;

/// <summary>
/// Hands out the change sequence number that orders a sync scope (cursor pagination).
/// The upsert keeps the counter row locked until the transaction commits, so numbers
/// become visible in the order they were handed out: a reader that sees N has seen
/// every number below N. (A PostgreSQL sequence gives no such promise.)
/// Writers of one scope are serialised from their first number to commit, or, with provisional
/// numbers, for the last round trip and the commit; scopes are per provider, so providers do
/// not wait for each other.
/// </summary>
public static class ChangeSequence
{
    /// <summary>The statement, for a caller that sends it with others in one round trip (parameter <c>@scope</c>).</summary>
    public const string NextStatement =
        """
        INSERT INTO change_counters (scope, value) VALUES (@scope, 1)
        ON CONFLICT (scope) DO UPDATE SET value = change_counters.value + 1
        RETURNING value
        """;

    /// <summary>The value <see cref="NextStatement"/> just handed out in this transaction (parameter <c>@scope</c>).</summary>
    public const string CurrentValue = "(SELECT value FROM change_counters WHERE scope = @scope)";

    /// <summary>
    /// The scope's next number. The first in a write takes the counter's row (and its lock, to commit); later ones in the
    /// same write are counted in memory and stored once at commit (<see cref="UnitOfWork.CommitAsync"/>): a batch of
    /// 10,000 registrations would otherwise update one row 10,000 times in one transaction, which PostgreSQL makes
    /// slower with every update (each new version of the row is one more to step over until commit).
    /// <para>
    /// A <paramref name="provisional"/> number may instead be handed out unsettled (PostgreSQL): the counter is then
    /// taken only at commit, so the provider's other writers wait for one round trip and the commit rather than for the
    /// whole write (ADR 0007, issue 23). The caller must say where it writes it (<see cref="UnitOfWork.Placed"/>).
    /// Counters are locked in the order of first use either way: taking one now settles the provisional ones first.
    /// </para>
    /// </summary>
    public static async Task<long> NextAsync(UnitOfWork work, string scope, CancellationToken ct, bool provisional = false)
    {
        if (await NextWithoutStatementAsync(work, scope, provisional, ct) is (true, var next))
        {
            return next;
        }

        var value = await work.Connection.ExecuteScalarAsync<long>(work.Command(NextStatement, new { scope }, ct));
        work.Hold(scope, value);
        return value;
    }

    /// <summary>
    /// The scope's next number where no statement is needed: held, provisional (when asked and allowed), or held once the
    /// provisional counters used before it are settled (first-use order). False the first time the counter's row must be
    /// taken: for a caller that sends <see cref="NextStatement"/> with its own statements in one round trip.
    /// </summary>
    public static async Task<(bool Known, long Next)> NextWithoutStatementAsync(UnitOfWork work, string scope, bool provisional, CancellationToken ct)
    {
        if (work.TryNextHeld(scope, out var next) || (provisional && work.TryNextProvisional(scope, out next)))
        {
            return (true, next);
        }

        await work.SettleAsync(ct);
        return (work.TryNextHeld(scope, out next), next);
    }
}
