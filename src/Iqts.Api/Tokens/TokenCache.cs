using System.Collections.Concurrent;
using Iqts.Api.Telemetry;
using Npgsql;

namespace Iqts.Api.Tokens;

/// <summary>
/// The active tokens this instance has seen, by hash, so that checking a token on the hot path is a hash and a
/// dictionary lookup, not a database round trip. A token's expiry is checked on every request against the clock, so it
/// is refused at its expiry instant. Revocations are pushed in by <see cref="TokenRevocationWatcher"/> within a second,
/// whichever process revoked. Only tokens that exist are kept: a made-up token costs a lookup each time, which the
/// per-address limits bound.
/// </summary>
public sealed class TokenCache(IDbConnectionFactory db, TokenIssuer issuer, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ApiToken> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, byte> _revoked = new();

    /// <summary>The token if it exists, is not revoked and has not expired now.</summary>
    public async ValueTask<ApiToken?> FindActiveAsync(string secret, CancellationToken ct)
    {
        if (!TokenRepository.LooksLikeToken(secret))
        {
            return null;
        }

        var hash = TokenRepository.Hash(secret);
        var now = time.GetUtcNow();
        var known = _byHash.TryGetValue(hash, out var token);
        IqtsTelemetry.TokenCacheLookups.Add(1, new KeyValuePair<string, object?>("iqts.result", known ? "hit" : "miss"));
        if (!known || token is null)
        {
            token = await db.ReadAsync(work => TokenRepository.FindUnrevokedAsync(work, secret, ct), ct);
            if (token is null || _revoked.ContainsKey(token.Id))
            {
                return null;
            }

            _byHash[hash] = token;
            if (_revoked.ContainsKey(token.Id))
            {
                // Revoked while it was being read: the watcher may have looked before it was here.
                _byHash.TryRemove(hash, out _);
                return null;
            }
        }

        return token.ExpiresAt is { } expires && expires <= now ? null : token;
    }

    /// <summary>Whether the secret is a token this instance knows to be active now (no lookup).</summary>
    public bool IsKnownActive(string secret) =>
        TokenRepository.LooksLikeToken(secret) && _byHash.TryGetValue(TokenRepository.Hash(secret), out var token)
        && !(token.ExpiresAt is { } expires && expires <= time.GetUtcNow());

    /// <summary>Revokes a token: refused here at once, by every other instance within a second. False when no active token has that id.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct)
    {
        var revoked = await issuer.RevokeAsync(id, ct);
        Revoked(id);
        return revoked;
    }

    /// <summary>A token was revoked: it is refused from now on.</summary>
    public void Revoked(Guid id)
    {
        _revoked[id] = 0;
        foreach (var (hash, token) in _byHash)
        {
            if (token.Id == id)
            {
                _byHash.TryRemove(hash, out _);
            }
        }
    }
}

/// <summary>
/// Brings revocations into <see cref="TokenCache"/> within a second, from any process. Every revocation takes the next
/// number of one sequence in its transaction, so reading the revocations after the last number seen misses none. On
/// PostgreSQL the instance LISTENs and the revocation NOTIFYs at commit, so it arrives at once; a read every few
/// seconds, and one on every reconnection, covers a notification lost with a dropped connection. On SQLite, where
/// nothing notifies across processes, the instance reads the sequence every <see cref="SqlitePollInterval"/>: one
/// indexed query on a small table.
/// </summary>
public sealed partial class TokenRevocationWatcher(IDbConnectionFactory db, TokenCache cache, ILogger<TokenRevocationWatcher> log)
    : BackgroundService
{
    public static readonly TimeSpan SqlitePollInterval = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan PostgresSafetyPoll = TimeSpan.FromSeconds(5);

    private long _last = -1;

    /// <summary>Reads where the revocations stand before the app takes requests, so none after this point is missed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _last = await db.ReadAsync(work => TokenRepository.LastRevocationAsync(work, cancellationToken), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (db.Dialect == SqlDialect.Postgres)
                {
                    await ListenAsync(stoppingToken);
                }
                else
                {
                    await CatchUpAsync(stoppingToken);
                    await Task.Delay(SqlitePollInterval, TimeProvider.System, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                WatchFailed(log, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, stoppingToken);
            }
        }
    }

    /// <summary>Applies every revocation after the last one seen.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        foreach (var (id, seq) in await db.ReadAsync(work => TokenRepository.RevokedAfterAsync(work, _last, ct), ct))
        {
            cache.Revoked(id);
            _last = Math.Max(_last, seq);
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        await using var connection = (NpgsqlConnection)await db.OpenAsync(ct);
        connection.Notification += (_, e) =>
        {
            if (Guid.TryParse(e.Payload, out var id))
            {
                cache.Revoked(id);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {TokenRepository.RevocationChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        try
        {
            // Anything revoked before the LISTEN took effect.
            await CatchUpAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                if (!await connection.WaitAsync(PostgresSafetyPoll, ct))
                {
                    await CatchUpAsync(ct);
                }
            }
        }
        finally
        {
            await UnlistenAsync(connection);
        }
    }

    /// <summary>
    /// Pooled connections are not reset (<see cref="Data.PostgresConnectionFactory"/>): a listening connection given back
    /// whole would go on receiving notifications for its next user. A broken one is not given back.
    /// </summary>
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection broke: a broken connection is not pooled again.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching token revocations failed; retrying.")]
    private static partial void WatchFailed(ILogger log, Exception ex);
}
