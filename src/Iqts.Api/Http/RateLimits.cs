using System.Globalization;
using System.Threading.RateLimiting;
using Iqts.Api.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Http;

/// <summary>
/// A token bucket per bearer token (per client address when there is none): a sustained
/// <c>RateLimiting:PermitsPerMinute</c> with bursts up to the same number. Over it: 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddIqtsRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((options, settings) =>
        {
            var perMinute = settings.Value.PermitsPerMinute;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                string? authorization = context.Request.Headers.Authorization;
                var key = string.IsNullOrEmpty(authorization)
                    ? "ip:" + context.Connection.RemoteIpAddress
                    : "token:" + Tokens.TokenRepository.Hash(authorization);
                return perMinute <= 0
                    ? RateLimitPartition.GetNoLimiter(key)
                    : RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perMinute,
                        TokensPerPeriod = Math.Max(1, perMinute / 60),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 1;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
                await ApiErrors.RateLimited(perMinute).WriteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
