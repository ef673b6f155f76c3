using System.Globalization;
using System.Net;
using Iqts.Api.Telemetry;
using Iqts.Api.Tokens;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Http;

/// <summary>
/// Rate limits in two layers, each a token bucket per instance (<c>RateLimiting:*</c>). Before authentication,
/// <see cref="AddressLimits"/> limits every <c>/api</c> request per client address and slows an address that keeps
/// presenting refused tokens, so made-up tokens are limited and cost no lookup. After authentication,
/// <see cref="TokenLimits"/> gives each token its own bucket, keyed by the token's id. Over a limit: 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddIqtsRateLimits(this IServiceCollection services) =>
        services.AddSingleton<AddressLimits>().AddSingleton<TokenLimits>();

    /// <summary>The per-address limits, before authentication (resolved once, not per request).</summary>
    public static IApplicationBuilder UseAddressLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<AddressLimits>();
        return app.Use((context, next) => limits.InvokeAsync(context, next));
    }

    /// <summary>The per-token limits, after authentication.</summary>
    public static IApplicationBuilder UseTokenLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<TokenLimits>();
        return app.Use((context, next) => limits.InvokeAsync(context, next));
    }

    public static void SetRetryAfter(HttpContext context, TimeSpan wait) =>
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The limit of each token, checked after authentication, keyed by the token's id (so the same token from two addresses
/// shares one bucket). Requests without a token, and endpoints marked <c>DisableRateLimiting</c>, are not counted here.
/// </summary>
public sealed class TokenLimits(IOptions<RateLimitingOptions> options) : IDisposable
{
    private readonly int _perMinute = options.Value.PermitsPerMinute;
    private readonly TokenBuckets<string> _tokens = new(options.Value.PermitsPerMinute, TimeProvider.System);

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.User.FindFirst(IqtsClaims.TokenId)?.Value is not { } tokenId
            || context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null
            || _tokens.TryTake(tokenId, out var wait))
        {
            return next();
        }

        RateLimits.SetRetryAfter(context, wait);
        IqtsTelemetry.RateLimitRefusals.Add(1, new KeyValuePair<string, object?>("iqts.limiter", "token"));
        return ApiErrors.RateLimited(_perMinute).WriteAsync(context);
    }

    public void Dispose() => _tokens.Dispose();
}

/// <summary>
/// The limits of one client address, checked before authentication: all its <c>/api</c> requests, and the tokens it
/// presented that were refused. An address over its refusals is answered 429 without a lookup, unless the token is one
/// this instance already knows to be valid (so a valid client behind the same address goes on working).
/// </summary>
public sealed class AddressLimits(IOptions<RateLimitingOptions> options, TokenCache tokens) : IDisposable
{
    private readonly RateLimitingOptions _settings = options.Value;
    private readonly TokenBuckets<IPAddress> _requests = new(options.Value.PerAddressPermitsPerMinute, TimeProvider.System);
    private readonly TokenBuckets<IPAddress> _refusals = new(options.Value.FailedAuthenticationsPerMinute, TimeProvider.System);

    /// <summary>The client's address: the connection's, or the forwarded one when forwarded headers are enabled.</summary>
    private static IPAddress Address(HttpContext context) => context.Connection.RemoteIpAddress ?? IPAddress.None;

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }

        var address = Address(context);
        if (!_requests.TryTake(address, out var wait))
        {
            RateLimits.SetRetryAfter(context, wait);
            IqtsTelemetry.RateLimitRefusals.Add(1, new KeyValuePair<string, object?>("iqts.limiter", "address"));
            await ApiErrors.AddressRateLimited(_settings.PerAddressPermitsPerMinute).WriteAsync(context);
            return;
        }

        string? authorization = context.Request.Headers.Authorization;
        if (!string.IsNullOrEmpty(authorization) && _refusals.IsEmpty(address)
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
    public void CredentialRefused(HttpContext context) => _refusals.TryTake(Address(context), out _);

    public void Dispose()
    {
        _requests.Dispose();
        _refusals.Dispose();
    }
}
