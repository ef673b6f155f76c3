using System.ComponentModel.DataAnnotations;

namespace Iqts.Api.Http;

/// <summary><c>RateLimiting:*</c>, validated at start-up. Each limit is a token bucket per instance; 0 turns it off.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Requests a minute per token (after authentication, by the token's id), bursts up to the same number.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 1200;

    /// <summary>Requests a minute per client address to <c>/api</c>, before authentication: made-up tokens are limited too, cheaply.</summary>
    [Range(0, 10_000_000)]
    public int PerAddressPermitsPerMinute { get; set; } = 6000;

    /// <summary>
    /// Refused tokens a minute per client address. Over it, a request from that address is answered 429 before its token
    /// is looked up, unless the token is one this instance already knows to be valid.
    /// </summary>
    [Range(0, 1_000_000)]
    public int FailedAuthenticationsPerMinute { get; set; } = 30;
}
