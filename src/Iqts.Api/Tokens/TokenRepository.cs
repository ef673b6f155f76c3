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
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_tokens (id, token_hash, role, ukprn, name, created_at, expires_at, revoked_at)
            VALUES (@Id, @Hash, @Role, @Ukprn, @Name, @CreatedAt, @ExpiresAt, NULL)
            """,
            new { token.Id, Hash = Hash(secret), token.Role, token.Ukprn, token.Name, token.CreatedAt, token.ExpiresAt },
            cancellationToken: ct));
        return (token, secret);
    }

    /// <summary>The token if it exists, is not revoked and has not expired at <paramref name="now"/>.</summary>
    public async Task<ApiToken?> FindActiveAsync(string secret, DateTimeOffset now, CancellationToken ct)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
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

    /// <returns>False when no unrevoked token has that id.</returns>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = time.UtcNowMicros() },
            cancellationToken: ct));
        return changed == 1;
    }
}
