using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Iqts.Api.Tokens;

/// <summary>A token: its role, and the provider (a provider token) or inspectorate (an inspectorate token) it is bound to.</summary>
public sealed record ApiToken(Guid Id, string Role, string? Ukprn, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    Guid? InspectorateId = null);

/// <summary>Token rows, on the caller's unit of work. Tokens are stored only as SHA-256 hashes; the secret is shown once, at creation.</summary>
public static class TokenRepository
{
    public const string Prefix = "iqts_";

    /// <summary>The change sequence a revocation takes its number from: instances read revocations after the last number they saw.</summary>
    public const string RevocationScope = "token_revocations";

    /// <summary>The channel PostgreSQL notifies revocations on; the payload is the token's id.</summary>
    public const string RevocationChannel = "iqts_token_revoked";

    private const string Select = "SELECT id AS Id, role AS Role, ukprn AS Ukprn, name AS Name, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt, inspectorate_id AS InspectorateId FROM api_tokens";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether the text could be one of our tokens at all: anything else is refused without a lookup.</summary>
    public static bool LooksLikeToken(string secret) => secret.StartsWith(Prefix, StringComparison.Ordinal) && secret.Length <= 100;

    public static Task InsertAsync(UnitOfWork work, ApiToken token, string secret, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            """
            INSERT INTO api_tokens (id, token_hash, role, ukprn, inspectorate_id, name, created_at, expires_at, revoked_at)
            VALUES (@Id, @Hash, @Role, @Ukprn, @InspectorateId, @Name, @CreatedAt, @ExpiresAt, NULL)
            """,
            new { token.Id, Hash = Hash(secret), token.Role, token.Ukprn, token.InspectorateId, token.Name, token.CreatedAt, token.ExpiresAt }, ct));

    /// <summary>The unrevoked token with this secret's hash, if any (its expiry is the caller's to judge).</summary>
    public static Task<ApiToken?> FindUnrevokedAsync(UnitOfWork work, string secret, CancellationToken ct) =>
        work.Connection.QuerySingleOrDefaultAsync<ApiToken>(work.Command($"{Select} WHERE token_hash = @hash AND revoked_at IS NULL", new { hash = Hash(secret) }, ct));

    public static async Task<IReadOnlyList<ApiToken>> ListAsync(UnitOfWork work, CancellationToken ct) =>
        (await work.Connection.QueryAsync<ApiToken>(work.Command($"{Select} ORDER BY created_at, id", null, ct))).ToList();

    /// <summary>Marks the token revoked with revocation number <paramref name="seq"/>; false when no unrevoked token has that id.</summary>
    public static async Task<bool> RevokeAsync(UnitOfWork work, Guid id, long seq, DateTimeOffset now, CancellationToken ct) =>
        await work.Connection.ExecuteAsync(work.Command(
            "UPDATE api_tokens SET revoked_at = @now, revoked_seq = @seq WHERE id = @id AND revoked_at IS NULL", new { id, now, seq }, ct)) == 1;

    /// <summary>On PostgreSQL, tells every listening instance at commit that the token is revoked.</summary>
    public static Task NotifyRevokedAsync(UnitOfWork work, Guid id, CancellationToken ct) =>
        work.Dialect == SqlDialect.Postgres
            ? work.Connection.ExecuteAsync(work.Command("SELECT pg_notify(@channel, @payload)", new { channel = RevocationChannel, payload = id.ToString() }, ct))
            : Task.CompletedTask;

    /// <summary>The tokens revoked after revocation number <paramref name="after"/>, in order.</summary>
    public static async Task<IReadOnlyList<(Guid Id, long Seq)>> RevokedAfterAsync(UnitOfWork work, long after, CancellationToken ct) =>
        (await work.Connection.QueryAsync<RevocationRow>(work.Command(
            "SELECT id, revoked_seq FROM api_tokens WHERE revoked_seq > @after ORDER BY revoked_seq", new { after }, ct)))
            .Select(r => (r.Id, r.RevokedSeq)).ToList();

    /// <summary>The last revocation's number (0 when none).</summary>
    public static async Task<long> LastRevocationAsync(UnitOfWork work, CancellationToken ct) =>
        await work.Connection.ExecuteScalarAsync<long?>(work.Command("SELECT MAX(revoked_seq) FROM api_tokens", null, ct)) ?? 0;

    private sealed record RevocationRow
    {
        public Guid Id { get; init; }

        public long RevokedSeq { get; init; }
    }
}

/// <summary>
/// Issuing and revoking tokens (the CLI's <c>tokens create</c> and <c>tokens revoke</c>). A revocation takes the next
/// number of the revocation sequence in its transaction and, on PostgreSQL, notifies every listening instance at commit,
/// so a token revoked here is refused everywhere within a second (<see cref="TokenRevocationWatcher"/>).
/// </summary>
public sealed class TokenIssuer(IDbConnectionFactory db, TimeProvider time)
{
    /// <summary>Creates a token and returns it with its secret, which is not stored.</summary>
    public async Task<(ApiToken Token, string Secret)> CreateAsync(string role, string? ukprn, string name, int? expiresInDays, CancellationToken ct,
        Guid? inspectorateId = null)
    {
        var secret = TokenRepository.Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.UtcNowMicros();
        var token = new ApiToken(Guid.CreateVersion7(now), role, ukprn, name, now, expiresInDays is { } days ? now.AddDays(days) : null, null, inspectorateId);
        await db.WriteAsync<bool>(async work =>
        {
            await TokenRepository.InsertAsync(work, token, secret, ct);
            return true;
        }, ct);
        return (token, secret);
    }

    /// <returns>False when no unrevoked token has that id.</returns>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct) =>
        (await db.WriteAsync<bool>(async work =>
        {
            var revoked = await TokenRepository.RevokeAsync(work, id, await ChangeSequence.NextAsync(work, TokenRepository.RevocationScope, ct), time.UtcNowMicros(), ct);
            if (revoked)
            {
                await TokenRepository.NotifyRevokedAsync(work, id, ct);
            }

            return revoked;
        }, ct)).Value;
}
