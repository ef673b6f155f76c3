using System.Security.Cryptography;
using System.Text;
using Dapper;
using Iqts.Api.Data;

namespace Iqts.Api.Tokens;

public sealed record ApiToken(Guid Id, string Role, string? Ukprn, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>Tokens are stored only as SHA-256 hashes; the secret is shown once, at creation.</summary>
public sealed class TokenRepository(IDbConnectionFactory db, TimeProvider time)
{
    public const string Prefix = "iqts_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Creates a token and returns it with its secret, which is not stored.</summary>
    public async Task<(ApiToken Token, string Secret)> CreateAsync(string role, string? ukprn, string name, int? expiresInDays, CancellationToken ct)
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.UtcNowMicros();
        var token = new ApiToken(Guid.CreateVersion7(now), role, ukprn, name, now, expiresInDays is { } days ? now.AddDays(days) : null, null);
        await using var connection = await db.OpenForWriteAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_tokens (id, token_hash, role, ukprn, name, created_at, expires_at, revoked_at)
            VALUES (@Id, @Hash, @Role, @Ukprn, @Name, @CreatedAt, @ExpiresAt, NULL)
            """,
            new { token.Id, Hash = Hash(secret), token.Role, token.Ukprn, token.Name, token.CreatedAt, token.ExpiresAt },
            cancellationToken: ct));
        return (token, secret);
    }

    /// <summary>The change sequence a revocation takes its number from: instances read revocations after the last number they saw.</summary>
    public const string RevocationScope = "token_revocations";

    /// <summary>The channel PostgreSQL notifies revocations on; the payload is the token's id.</summary>
    public const string RevocationChannel = "iqts_token_revoked";

    /// <summary>Whether the text could be one of our tokens at all: anything else is refused without a lookup.</summary>
    public static bool LooksLikeToken(string secret) => secret.StartsWith(Prefix, StringComparison.Ordinal) && secret.Length <= 100;

    /// <summary>The token if it exists, is not revoked and has not expired at <paramref name="now"/>.</summary>
    public async Task<ApiToken?> FindActiveAsync(string secret, DateTimeOffset now, CancellationToken ct)
    {
        if (!LooksLikeToken(secret))
        {
            return null;
        }

        await using var connection = await db.OpenAsync(ct);
        var token = await connection.QuerySingleOrDefaultAsync<ApiToken>(new CommandDefinition(
            """
            SELECT id AS Id, role AS Role, ukprn AS Ukprn, name AS Name, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt
            FROM api_tokens
            WHERE token_hash = @hash AND revoked_at IS NULL
            """,
            new { hash = Hash(secret) },
            cancellationToken: ct));
        return token is { ExpiresAt: { } expires } && expires <= now ? null : token;
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ApiToken>(new CommandDefinition(
            """
            SELECT id AS Id, role AS Role, ukprn AS Ukprn, name AS Name, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt
            FROM api_tokens
            ORDER BY created_at, id
            """,
            cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// Revokes a token: it takes the next number of the revocation sequence in the same transaction, and on PostgreSQL
    /// notifies every listening instance at commit, so a token revoked here or by the CLI is refused everywhere within a
    /// second (<see cref="TokenRevocationWatcher"/>).
    /// </summary>
    /// <returns>False when no unrevoked token has that id.</returns>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, RevocationScope, ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @now, revoked_seq = @seq WHERE id = @id AND revoked_at IS NULL",
            new { id, now = time.UtcNowMicros(), seq },
            tx, cancellationToken: ct));
        if (changed == 1 && db.Dialect == SqlDialect.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @payload)",
                new { channel = RevocationChannel, payload = id.ToString() }, tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return changed == 1;
    }

    /// <summary>The tokens revoked after revocation number <paramref name="after"/>, in order.</summary>
    public async Task<IReadOnlyList<(Guid Id, long Seq)>> RevokedAfterAsync(long after, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<RevocationRow>(new CommandDefinition(
            "SELECT id, revoked_seq FROM api_tokens WHERE revoked_seq > @after ORDER BY revoked_seq", new { after }, cancellationToken: ct)))
            .Select(r => (r.Id, r.RevokedSeq)).ToList();
    }

    /// <summary>The last revocation's number (0 when none).</summary>
    public async Task<long> LastRevocationAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(revoked_seq) FROM api_tokens", cancellationToken: ct)) ?? 0;
    }

    private sealed record RevocationRow
    {
        public Guid Id { get; init; }

        public long RevokedSeq { get; init; }
    }
}
