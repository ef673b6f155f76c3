using System.Globalization;
using System.Threading.RateLimiting;
using Iqts.Api.Telemetry;
using Iqts.Api.Tokens;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Http;

/// <summary>
/// Rate limits in two layers, each a token bucket per instance (<c>RateLimiting:*</c>). Before authentication,
/// <see cref="AddressLimits"/> limits every <c>/api</c> request per client address and slows an address that keeps
/// presenting refused tokens, so made-up tokens are limited and cost no lookup. After authentication, each token has its
/// own bucket, partitioned by the token's id. Over a limit: 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddIqtsRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<AddressLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((options, settings) =>
        {
            var perMinute = settings.Value.PermitsPerMinute;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.FindFirst(IqtsClaims.TokenId)?.Value is { } tokenId && perMinute > 0
                    ? RateLimitPartition.GetTokenBucketLimiter(tokenId, _ => Bucket(perMinute))
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = async (context, ct) =>
            {
                SetRetryAfter(context.HttpContext, context.Lease);
                IqtsTelemetry.RateLimitRefusals.Add(1, new KeyValuePair<string, object?>("iqts.limiter", "token"));
                await ApiErrors.RateLimited(perMinute).WriteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The per-address limits, before authentication (resolved once, not per request).</summary>
    public static IApplicationBuilder UseAddressLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<AddressLimits>();
        return app.Use((context, next) => limits.InvokeAsync(context, next));
    }

    /// <summary>A bucket of <paramref name="perMinute"/> that refills steadily over the minute, and allows a burst of as many.</summary>
    public static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = perMinute,
        TokensPerPeriod = Math.Max(1, perMinute / 60),
        ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public static void SetRetryAfter(HttpContext context, RateLimitLease lease, double fallbackSeconds = 1)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait.TotalSeconds : fallbackSeconds;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// The limits of one client address, checked before authentication: all its <c>/api</c> requests, and the tokens it
/// presented that were refused. An address over its refusals is answered 429 without a lookup, unless the token is one
/// this instance already knows to be valid (so a valid client behind the same address goes on working).
/// </summary>
public sealed class AddressLimits(IOptions<RateLimitingOptions> options, TokenCache tokens) : IDisposable
{
    private readonly RateLimitingOptions _settings = options.Value;

    private readonly PartitionedRateLimiter<string> _requests = PartitionedRateLimiter.Create<string, string>(address =>
        options.Value.PerAddressPermitsPerMinute > 0
            ? RateLimitPartition.GetTokenBucketLimiter(address, _ => RateLimits.Bucket(options.Value.PerAddressPermitsPerMinute))
            : RateLimitPartition.GetNoLimiter(address));

    private readonly PartitionedRateLimiter<string> _refusals = PartitionedRateLimiter.Create<string, string>(address =>
        options.Value.FailedAuthenticationsPerMinute > 0
            ? RateLimitPartition.GetTokenBucketLimiter(address, _ => RateLimits.Bucket(options.Value.FailedAuthenticationsPerMinute))
            : RateLimitPartition.GetNoLimiter(address));

    /// <summary>The client's address: the connection's, or the forwarded one when forwarded headers are enabled.</summary>
    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }

        var address = Address(context);
        using (var lease = _requests.AttemptAcquire(address))
        {
            if (!lease.IsAcquired)
            {
                RateLimits.SetRetryAfter(context, lease);
                IqtsTelemetry.RateLimitRefusals.Add(1, new KeyValuePair<string, object?>("iqts.limiter", "address"));
                await ApiErrors.AddressRateLimited(_settings.PerAddressPermitsPerMinute).WriteAsync(context);
                return;
            }
        }

        string? authorization = context.Request.Headers.Authorization;
        if (_settings.FailedAuthenticationsPerMinute > 0 && !string.IsNullOrEmpty(authorization)
            && _refusals.GetStatistics(address)?.CurrentAvailablePermits <= 0
            && !(authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && tokens.IsKnownActive(authorization["Bearer ".Length..].Trim())))
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(60.0 / _settings.FailedAuthenticationsPerMinute).ToString(CultureInfo.InvariantCulture);
            IqtsTelemetry.RateLimitRefusals.Add(1, new KeyValuePair<string, object?>("iqts.limiter", "failed_authentication"));
            await ApiErrors.TooManyAuthFailures(_settings.FailedAuthenticationsPerMinute).WriteAsync(context);
            return;
        }

        await next();
    }

    /// <summary>A token the client presented was refused: it counts against the address.</summary>
    public void CredentialRefused(HttpContext context)
    {
        using var lease = _refusals.AttemptAcquire(Address(context));
    }

    public void Dispose()
    {
        _requests.Dispose();
        _refusals.Dispose();
    }
}
