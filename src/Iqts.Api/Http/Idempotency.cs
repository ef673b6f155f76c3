using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on every POST: the first response (below 500) is stored, scoped to the caller
/// (the provider's UKPRN, or the token for other roles), and replayed to a repeat with the same body for
/// <c>Idempotency:Retention</c> (24 hours); <see cref="IdempotencySweeper"/> then deletes it. The same key with a
/// different body or media type is 422; a repeat while the first is still running is 409. A 5xx is not stored, so the
/// client may retry with the same key, and neither is a refusal given before the operation changed anything (400, 401,
/// 403, 413, 415, 429, as Stripe does): the corrected request with the same key runs.
/// </summary>
public sealed partial class IdempotencyMiddleware(
    RequestDelegate next, IDbConnectionFactory db, TimeProvider time, IOptions<IdempotencyOptions> options, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";

    /// <summary>Endpoint metadata: a POST whose answer must not be kept (it stores nothing, so a retry is safe anyway).</summary>
    private const int MaxKeyLength = 255;

    /// <summary>Refusals of a request that never started the operation: nothing was done, so there is nothing to replay.</summary>
    private static readonly HashSet<int> NotKept = [400, 401, 403, 413, 415, 429];

    public async Task InvokeAsync(HttpContext context)
    {
        string? key = context.Request.Headers[Header];
        if (!HttpMethods.IsPost(context.Request.Method) || key is null || context.User.Identity?.IsAuthenticated != true
            || context.GetEndpoint()?.Metadata.GetMetadata<IdempotencyExemptAttribute>() is not null)
        {
            await next(context);
            return;
        }

        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7E))
        {
            await ApiErrors.IdempotencyKeyInvalid(MaxKeyLength).WriteAsync(context);
            return;
        }

        var scope = context.User.FindFirstValue(IqtsClaims.Ukprn) is { } ukprn ? "provider:" + ukprn : "token:" + context.User.FindFirstValue(IqtsClaims.TokenId);
        var hash = await RequestHashAsync(context.Request);
        var ct = context.RequestAborted;

        var (claimed, stored) = await ClaimAsync(scope, key, hash, ct);
        if (!claimed)
        {
            // Answered after the connection is given back: a slow client must not hold SQLite's writer.
            await Replay(context, stored, hash);
            return;
        }

        await RunAndStore(context, scope, key);
    }

    /// <summary>Claims the key for this request (true), or reads what the first request with it stored.</summary>
    private async Task<(bool Claimed, StoredResponse? Stored)> ClaimAsync(string scope, string key, string hash, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        var now = time.UtcNowMicros();
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE scope = @scope AND idempotency_key = @key AND created_at < @expired",
            new { scope, key, expired = now - options.Value.Retention }, cancellationToken: ct));
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, created_at)
            VALUES (@scope, @key, @hash, 'in_flight', @now)
            ON CONFLICT (scope, idempotency_key) DO NOTHING
            """,
            new { scope, key, hash, now }, cancellationToken: ct));
        if (claimed == 1)
        {
            return (true, null);
        }

        return (false, await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(
            """
            SELECT request_hash, state, status_code, content_type, location, etag, body
            FROM idempotency_keys WHERE scope = @scope AND idempotency_key = @key
            """,
            new { scope, key }, cancellationToken: ct)));
    }

    private static async Task Replay(HttpContext context, StoredResponse? stored, string hash)
    {
        if (stored is null)
        {
            // Removed between our insert and read (a failed first attempt): ask the client to retry.
            await ApiErrors.IdempotencyFirstAttemptFailed().WriteAsync(context);
        }
        else if (stored.RequestHash != hash)
        {
            await ApiErrors.IdempotencyKeyReused().WriteAsync(context);
        }
        else if (stored.State != "completed")
        {
            await ApiErrors.IdempotencyInFlight().WriteAsync(context);
        }
        else
        {
            context.Response.StatusCode = stored.StatusCode;
            context.Response.ContentType = stored.ContentType;
            if (stored.Location is not null)
            {
                context.Response.Headers.Location = stored.Location;
            }

            if (stored.ETag is not null)
            {
                context.Response.Headers.ETag = stored.ETag;
            }

            context.Response.Headers["Idempotent-Replayed"] = "true";
            await context.Response.Body.WriteAsync(stored.Body ?? []);
        }
    }

    private async Task RunAndStore(HttpContext context, string scope, string key)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var stored = false;
        try
        {
            await next(context);
            if (context.Response.StatusCode < 500 && !NotKept.Contains(context.Response.StatusCode))
            {
                await using var connection = await db.OpenForWriteAsync(CancellationToken.None);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE idempotency_keys
                    SET state = 'completed', status_code = @status, content_type = @contentType, location = @location, etag = @etag, body = @body
                    WHERE scope = @scope AND idempotency_key = @key
                    """,
                    new
                    {
                        scope,
                        key,
                        status = context.Response.StatusCode,
                        contentType = context.Response.ContentType,
                        location = (string?)context.Response.Headers.Location,
                        etag = (string?)context.Response.Headers.ETag,
                        body = buffer.ToArray(),
                    }));
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!stored)
            {
                await ForgetAsync(scope, key);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task ForgetAsync(string scope, string key)
    {
        try
        {
            await using var connection = await db.OpenForWriteAsync(CancellationToken.None);
            await connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE scope = @scope AND idempotency_key = @key", new { scope, key });
        }
        catch (System.Data.Common.DbException ex)
        {
            // The key stays 'in flight' until it expires; the client sees 409 and can use a new key.
            LogForgetFailed(logger, ex);
        }
    }

    /// <summary>
    /// SHA-256 over method, path, query, media type (with its charset: the same bytes as another type are another
    /// request) and body; the body is buffered so the endpoint can still read it.
    /// </summary>
    private static async Task<string> RequestHashAsync(HttpRequest request)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: RequestLimits.For(request.HttpContext));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var mediaType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
            ? $"{parsed.MediaType.Value?.ToLowerInvariant()};{parsed.Charset.Value?.ToLowerInvariant()}"
            : request.ContentType ?? "";
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n{mediaType}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }


    private sealed record StoredResponse
    {
        public string RequestHash { get; init; } = "";

        public string State { get; init; } = "";

        public int StatusCode { get; init; }

        public string? ContentType { get; init; }

        public string? Location { get; init; }

        public string? ETag { get; init; }

        public byte[]? Body { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release an idempotency key after a failed request")]
    private static partial void LogForgetFailed(ILogger logger, Exception exception);
}

/// <summary><c>Idempotency:*</c>, validated at start-up.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>How long a stored answer is replayed; the sweeper deletes it after that.</summary>
    [TimeSpanRange("00:01:00", "30.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the sweeper runs.</summary>
    [TimeSpanRange("00:00:00.010", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows one delete removes: small batches keep each write short, so writers are not held up.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int SweepBatch { get; set; } = 500;
}

/// <summary>Deletes idempotency records past their retention, in small batches, so the table stays bounded.</summary>
public sealed partial class IdempotencySweeper(IDbConnectionFactory db, TimeProvider time, IOptions<IdempotencyOptions> options, ILogger<IdempotencySweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Real time between sweeps, the first one interval after start-up (a sweep at start-up raced the tests'
            // own sweeps on PostgreSQL); which records have expired is judged by the app's clock.
            await Task.Delay(options.Value.SweepInterval, TimeProvider.System, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Any failure, not only the database's: an exception out of a BackgroundService stops the whole host.
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>One sweep: batches until none is left past the retention. Returns how many records it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = time.UtcNowMicros() - options.Value.Retention;
        var total = 0;
        while (true)
        {
            await using var connection = await db.OpenForWriteAsync(ct);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM idempotency_keys WHERE (scope, idempotency_key) IN (
                    SELECT scope, idempotency_key FROM idempotency_keys WHERE created_at < @cutoff LIMIT @batch)
                """,
                new { cutoff, batch = options.Value.SweepBatch }, cancellationToken: ct));
            total += deleted;
            if (deleted < options.Value.SweepBatch)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sweep of expired idempotency records failed; the next one retries.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

/// <summary>An operation whose POST keeps no idempotency record (it stores nothing, and its body must not be kept).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotencyExemptAttribute : Attribute;
